"""Reading DDF files (OMA DM Device Description Framework, v1 and Microsoft's v2).

Strategy: one hardened pyexpat pass per file, with a handler per element end that stores the
text in the current ``CspNode`` according to the element's parent (``AccessType/Get``,
``DFFormat/int``, ``MSFT:Applicability/MSFT:OsBuildVersion``...). Elements are matched by
local name, so the ``MSFT`` prefix, a missing namespace or a foreign one make no difference,
and properties may come in any order (policy-area files put ``DefaultValue`` after
``DFType``; v1 files put ``CaseSense`` early). Unknown elements are ignored. Complexity: O(n)
in the file, one dict store per element.

Hardening: every published DDF carries ``<!DOCTYPE MgmtTree PUBLIC ... [<?oma-dm-ddf-ver
...?>]>``. The DOCTYPE is read and ignored: parameter-entity parsing is off, so the external
DTD is never requested, and an entity declaration, an unparsed entity, a notation or an
external entity reference raises ``ForbiddenConstruct`` (defusedxml's policy), so nothing is
ever expanded or fetched.

Inputs: a file, a directory (``*.xml`` below it, recursively) or a zip archive as Microsoft
publishes it (members read in memory, never unpacked to disk).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from syncml_codec.errors import ForbiddenConstruct, MalformedXML, Position

from .node import AllowedValues, Applicability, CspNode

__all__ = ["DdfFile", "iter_ddf_sources", "read_ddf", "read_ddf_bytes"]

#: Namespace of the DDF v2 extension elements (prefix ``MSFT``).
MSFT_NS = "http://schemas.microsoft.com/MobileDevice/DM"


@dataclass(slots=True)
class DdfFile:
    """One DDF file as read.

    Attributes:
        name: the file's name relative to what was opened (directory or zip), with ``/``.
        roots: ``(Path, node)`` for each top-level ``<Node>``; ``Path`` as written.
        version: 2 when the file uses ``MSFT:`` elements (DDF v2), else 1.
        nodes: how many ``<Node>`` elements the file has.
        dynamic: how many of them have an empty or whitespace-only ``NodeName``.
    """

    name: str
    roots: list[tuple[str, CspNode]]
    version: int
    nodes: int
    dynamic: int


class _Reader:
    """pyexpat handlers building ``CspNode`` records (see the module's Strategy)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.stack: list[str] = []
        self.nodes: list[CspNode] = []  # open <Node> elements
        self.paths: list[str] = []  # root Path of each open top-level Node
        self.roots: list[tuple[str, CspNode]] = []
        self.text: list[str] = []
        self.v2 = False
        self.count = 0
        self.dynamic = 0
        # AllowedValues of the open node: kind, values, descriptions, admx
        self.allowed: dict[str, Any] | None = None
        self.applic: dict[str, str] | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        ns, _, local = tag.rpartition("}")
        local = local.rpartition(":")[2]
        if ns == MSFT_NS or tag.startswith("MSFT:"):
            self.v2 = True
        self.stack.append(local)
        self.text = []
        if local == "Node":
            self.count += 1
            self.nodes.append(CspNode(name="", source=self.name))
            self.paths.append("")
        elif local == "AllowedValues":
            self.allowed = {"kind": attrs.get("ValueType", ""), "v": [], "d": [], "admx": None}
        elif local == "AdmxBacked" and self.allowed is not None:
            a = attrs
            self.allowed["admx"] = (a.get("Area", ""), a.get("Name", ""), a.get("File", ""))
        elif local == "Applicability":
            self.applic = {}
        elif local == "AtomicRequired" and self.nodes:
            self.nodes[-1].atomic_required = True
        elif local == "Deprecated" and self.nodes:
            self.nodes[-1].deprecated = attrs.get("OsBuildDeprecated", "")

    def data(self, text: str) -> None:
        self.text.append(text)

    def end(self, tag: str) -> None:
        local = self.stack.pop()
        parent = self.stack[-1] if self.stack else ""
        if local == "Node":
            self._end_node()
            return
        if not self.nodes:
            return
        node = self.nodes[-1]
        text = "".join(self.text)
        self.text = []
        if parent == "Node":
            if local == "NodeName":
                node.name = text.strip()
                if not node.name:
                    self.dynamic += 1
            elif local == "Path":
                self.paths[-1] = text.strip()
        elif parent == "DFProperties":
            self._property(node, local, text)
        elif parent == "AccessType":
            node.access = node.access | {local}
        elif parent == "DFFormat":
            node.format = local
        elif parent == "Occurrence":
            node.occurrence = local
        elif parent == "Scope":
            node.scope = local
        elif parent == "DFType":
            node.mime = text.strip()
        elif parent == "Applicability" and self.applic is not None:
            self.applic[local] = text.strip()
        elif parent in ("AllowedValues", "Enum") and self.allowed is not None:
            if local == "Value":
                self.allowed["v"].append(text.strip())
            elif local == "ValueDescription":
                self.allowed["d"].append(text.strip())

    def _property(self, node: CspNode, local: str, text: str) -> None:
        if local == "Description":
            node.description = text.strip()
        elif local == "DFTitle":
            node.title = text.strip()
        elif local == "DefaultValue":
            node.default = text.strip()
        elif local == "AllowedValues" and self.allowed is not None:
            a = self.allowed
            node.allowed = AllowedValues(a["kind"], tuple(a["v"]), tuple(a["d"]), a["admx"])
            self.allowed = None
        elif local == "Applicability" and self.applic is not None:
            p = self.applic
            node.applicability = Applicability(
                p.get("OsBuildVersion", ""), p.get("CspVersion", ""), p.get("EditionAllowList", "")
            )
            self.applic = None

    def _end_node(self) -> None:
        node = self.nodes.pop()
        path = self.paths.pop()
        if not self.nodes:
            self.roots.append((path, node))
            return
        parent = self.nodes[-1]
        if not node.name:
            if parent.dynamic is None:
                parent.dynamic = node
        elif node.name not in parent.children:
            parent.children[node.name] = node


def _forbid(what: str) -> Any:
    def handler(*args: Any) -> Any:
        raise ForbiddenConstruct(
            f"{what} {args[0]!r} is forbidden in a DDF file: nothing is expanded or fetched"
        )

    return handler


def read_ddf_bytes(data: bytes, name: str = "<bytes>") -> DdfFile:
    """Read one DDF document from bytes (UTF-8 with or without BOM, or as declared).

    Args:
        data: the XML.
        name: the name to report and to record as each node's ``source``.

    Returns:
        The file's root nodes and figures.

    Raises:
        MalformedXML: the bytes are not well-formed XML.
        ForbiddenConstruct: an entity or notation declaration, or an external reference.
    """
    reader = _Reader(name)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.data
    parser.EntityDeclHandler = _forbid("an entity declaration")
    parser.UnparsedEntityDeclHandler = _forbid("an unparsed entity")
    parser.NotationDeclHandler = _forbid("a notation declaration")
    parser.ExternalEntityRefHandler = _forbid("an external entity reference")
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        where = Position(exc.lineno, exc.offset + 1)
        raise MalformedXML(
            f"not well-formed DDF XML: {expat.errors.messages[exc.code]}", where, source=name
        ) from None
    except ForbiddenConstruct as exc:
        where = Position(parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        raise ForbiddenConstruct(exc.message, where, source=name) from None
    return DdfFile(name, reader.roots, 2 if reader.v2 else 1, reader.count, reader.dynamic)


def iter_ddf_sources(path: str | os.PathLike[str]) -> Iterator[tuple[str, bytes]]:
    """``(name, bytes)`` of every DDF XML in a file, a directory or a zip archive.

    A directory is searched recursively for ``*.xml`` (names relative to it, sorted); a zip
    archive is read member by member in memory (``*.xml`` members, sorted), never unpacked.
    """
    p = Path(path)
    if p.is_dir():
        for f in sorted(p.rglob("*.xml")):
            if f.is_file():
                yield f.relative_to(p).as_posix(), f.read_bytes()
    elif zipfile.is_zipfile(p):
        with zipfile.ZipFile(p) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if not info.is_dir() and info.filename.lower().endswith(".xml"):
                    yield info.filename, archive.read(info)
    else:
        yield p.name, p.read_bytes()


def read_ddf(path: str | os.PathLike[str]) -> list[DdfFile]:
    """Read every DDF file of a file, a directory or a zip archive (see ``iter_ddf_sources``).

    Raises:
        MalformedXML: a file is not well-formed XML.
        ForbiddenConstruct: a file declares entities or references external ones.
        OSError: the path cannot be read.
    """
    return [read_ddf_bytes(data, name) for name, data in iter_ddf_sources(path)]
