"""The xmlschema wrapper: cached offline schemas and XSD diagnostics with line and column.

Strategy:
    1. One pyexpat scan of the bytes (``_scan``) is the gate: it refuses a DOCTYPE, entity
       declarations and external references (defusedxml's policy, DTDs always refused),
       reports input that is not well-formed (XML001, XML002), and records the 1-based start
       position of every element in document order. Cost: O(n), a small fraction of the
       schema validation that follows.
    2. xmlschema parses the same bytes again (``defuse="always"``, ``allow="none"``: no
       resource may be fetched) and validates the tree with the schema chosen by the root
       namespace: ``SYNCML:SYNCML1.1`` selects the 1.1 schema, anything else the 1.2 one.
    3. Each xmlschema error names an element of that tree. Stdlib elements carry no source
       line, so the k-th element of the tree in document order is mapped to the k-th start
       position recorded by the scan. Both parsers see the same elements in the same order.

Fragments (the root is a command such as ``<Alert>`` with no namespace, as in the OMA
specification examples) are validated against the global 1.2 declarations: their
namespace-less elements are moved into ``SYNCML:SYNCML1.2`` first, except inside ``Data``,
whose content is open. A namespace-less ``<SyncML>`` root is not a fragment and is reported.

The schemas are built once per process under ``functools.cache`` (a build costs ~115 ms),
from the bundled files only: ``allow="sandbox"`` confines every load to the schema directory
and ``locations`` maps ``syncml:metinf`` to the bundled ``metinf12.xsd``.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element
from xml.parsers import expat

from ._expat import scan_elements
from ._resources import schema_root
from .codes import NS_METINF, NS_SYNCML11, NS_SYNCML12
from .diagnostics import Diagnostic
from .errors import ForbiddenConstruct

if TYPE_CHECKING:  # xmlschema costs ~250 ms to import: only the XSD path pays for it
    import xmlschema

__all__ = [
    "CODE_FORBIDDEN",
    "CODE_NOT_WELL_FORMED",
    "CODE_SCHEMA",
    "schema_11",
    "schema_12",
    "schema_for",
    "xsd_diagnostics",
]

#: Rule code: the document breaks the bundled XSD (order, cardinality, value, unknown element).
CODE_SCHEMA = "XSD001"
#: Rule code: the input is not well-formed XML (what expat rejects).
CODE_NOT_WELL_FORMED = "XML001"
#: Rule code: a DOCTYPE, entity declaration or external reference, which are refused.
CODE_FORBIDDEN = "XML002"

_SCHEMA_FILES = {NS_SYNCML12: "syncml12.xsd", NS_SYNCML11: "syncml11.xsd"}
_METINF_FILE = "metinf12.xsd"


def _build(name: str) -> xmlschema.XMLSchema10:
    import xmlschema

    root = schema_root()
    return xmlschema.XMLSchema10(
        str(root / name),
        base_url=str(root),
        allow="sandbox",
        defuse="always",
        locations={NS_METINF: str(root / _METINF_FILE)},
    )


@functools.cache
def schema_12() -> xmlschema.XMLSchema10:
    """Return the bundled SyncML 1.2 schema (with MetInf), built once per process."""
    return _build(_SCHEMA_FILES[NS_SYNCML12])


@functools.cache
def schema_11() -> xmlschema.XMLSchema10:
    """Return the bundled SyncML 1.1 (OMA DM 1.1.2) schema (with MetInf), built once."""
    return _build(_SCHEMA_FILES[NS_SYNCML11])


def schema_for(namespace: str) -> xmlschema.XMLSchema10:
    """Return the schema for a root namespace: 1.1 for ``SYNCML:SYNCML1.1``, else 1.2."""
    return schema_11() if namespace == NS_SYNCML11 else schema_12()


# --- the pyexpat gate and position recorder --------------------------------------------------


@dataclass(slots=True)
class _Scan:
    """What the pyexpat scan found: element start positions or the first problem."""

    starts: list[tuple[int, int]] = field(default_factory=list)
    problem: Diagnostic | None = None


def _scan(data: bytes) -> _Scan:
    result = _Scan()
    starts = result.starts
    try:
        scan_elements(
            data,
            lambda _n, _a, line, col: starts.append((line, col)),
            namespaces=True,
            refuse_dtd=True,
        )
    except ForbiddenConstruct as exc:
        line, col = (exc.position.line, exc.position.column) if exc.position else (0, 0)
        result.problem = Diagnostic("error", CODE_FORBIDDEN, exc.message, line, col)
    except expat.ExpatError as exc:
        message = f"XML syntax error: {expat.ErrorString(exc.code)}"
        result.problem = Diagnostic(
            "error", CODE_NOT_WELL_FORMED, message, exc.lineno, exc.offset + 1
        )
    return result


# --- error mapping ---------------------------------------------------------------------------

_SYNCML_NS_RE = re.compile(r"\{SYNCML:SYNCML1\.[12]\}")
_PREFIX_RE = re.compile(r"'(s|mi):([\w.-]+)'")


def _clean(reason: str) -> str:
    """Drop SyncML namespaces and schema-internal prefixes from an xmlschema reason."""
    reason = _SYNCML_NS_RE.sub("", reason)
    return _PREFIX_RE.sub(
        lambda m: f"'{m[2]}'" if m[1] == "s" else f"'{{{NS_METINF}}}{m[2]}'", reason
    )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class _TreeIndex:
    """Document order and parents of the elements of one tree, built on first use."""

    def __init__(self, root: Element) -> None:
        self.order: dict[int, int] = {}
        self.parent: dict[int, Element] = {}
        for elem in root.iter():
            if isinstance(elem.tag, str):
                self.order[id(elem)] = len(self.order)
            for child in elem:
                self.parent[id(child)] = elem

    def xpath(self, elem: Element) -> str:
        steps = []
        node: Element | None = elem
        while node is not None:
            parent = self.parent.get(id(node))
            step = _local(node.tag)
            if parent is not None:
                same = [c for c in parent if c.tag == node.tag]
                if len(same) > 1:
                    step += f"[{next(i for i, c in enumerate(same, 1) if c is node)}]"
            steps.append(step)
            node = parent
        return "/" + "/".join(reversed(steps))


def _as_fragment(root: Element) -> None:
    """Move namespace-less elements into the 1.2 namespace, leaving Data content alone."""
    stack = [root]
    while stack:
        elem = stack.pop()
        if isinstance(elem.tag, str) and not elem.tag.startswith("{"):
            elem.tag = f"{{{NS_SYNCML12}}}{elem.tag}"
        if _local(elem.tag) != "Data":
            stack.extend(elem)


def xsd_diagnostics(data: bytes) -> list[Diagnostic]:
    """Validate one message (or fragment) against the bundled schema.

    Args:
        data: the XML bytes, in any encoding expat reads.

    Returns:
        The diagnostics in document order; empty when the document is valid. ``XML001`` (not
        well-formed) and ``XML002`` (DOCTYPE or entity) stop the check, so they come alone;
        every schema violation is an ``XSD001`` with xmlschema's reason as the message.
    """
    import xmlschema
    from xmlschema.exceptions import XMLResourceForbidden, XMLResourceParseError
    from xmlschema.validators.exceptions import (
        XMLSchemaChildrenValidationError,
    )

    scan = _scan(data)
    if scan.problem is not None:
        return [scan.problem]
    try:
        resource = xmlschema.XMLResource(io.BytesIO(data), allow="none", defuse="always")
    except XMLResourceForbidden as exc:  # the scan refuses more; kept as a second line
        return [Diagnostic("error", CODE_FORBIDDEN, str(exc))]
    except XMLResourceParseError as exc:
        return [Diagnostic("error", CODE_NOT_WELL_FORMED, f"XML syntax error: {exc}")]
    root = resource.root
    namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    if not namespace and root.tag != "SyncML":
        _as_fragment(root)
        namespace = NS_SYNCML12
    schema = schema_for(namespace)

    diags: list[Diagnostic] = []
    index: _TreeIndex | None = None
    for error in schema.iter_errors(root):
        elem = error.elem
        if (
            isinstance(error, XMLSchemaChildrenValidationError)
            and elem is not None
            and 0 <= error.index < len(elem)
        ):
            elem = elem[error.index]  # point at the offending child, not its parent
        reason = _clean(error.reason or error.message)
        if elem is None:
            diags.append(Diagnostic("error", CODE_SCHEMA, reason, xpath=error.path or ""))
            continue
        if index is None:
            index = _TreeIndex(root)
        order = index.order.get(id(elem))
        line, column = scan.starts[order] if order is not None else (0, 0)
        diags.append(Diagnostic("error", CODE_SCHEMA, reason, line, column, index.xpath(elem)))
    return diags
