"""The node catalogue: every CSP node of a DDF release, looked up by LocURI.

Strategy: two trees, one per Windows scope (``device`` and ``user``), each rooted at ``.``.
A DDF root ``<Path>`` chooses the tree: ``./Device/...`` and ``./User/...`` name their scope;
the unscoped ``./Vendor/MSFT/...``, ``.`` (DevDetail, DevInfo) and ``./SyncML`` (DMAcc) are
device scope, which is where Windows maps them (Learn "OMA DM protocol support" and
"Configuration service provider reference": ``./Vendor/MSFT/<CSP>`` is the device default, next to
``./Device/Vendor/MSFT`` and ``./User/Vendor/MSFT``). The DDF ``<Scope>`` element
(Permanent/Dynamic) is kept as a node property; it says nothing about device or user.

Files are merged in a fixed order (DDF v2 before v1, top level before sub-folders, then by
name): the first file to declare a node gives its properties, later ones add children. The
Policy CSP is linked after merging: ``Policy/Config`` has a static child per area file, so its
dynamic ``{AreaName}`` child then only stands for ingested ADMX areas (names with ``~``,
Microsoft Learn "Win32 and Desktop Bridge app ADMX policy Ingestion"), and ``Policy/Result``
mirrors ``Policy/Config`` read-only ("Policy CSP": Result "enables the IT admin to query the
current value"). Lookup walks one segment at a time: a static child by name (then by the
percent-decoded name), else the dynamic child, which matches any name. O(segments).
"""

from __future__ import annotations

import difflib
import functools
import gzip
import json
import os
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias

from syncml_codec._builder import no_cyclic_gc

from .ddf import DdfFile, read_ddf
from .node import AllowedValues, Applicability, CspNode

__all__ = [
    "BUNDLED_NAME",
    "Catalogue",
    "Match",
    "WindowsScope",
    "bundled_catalogue",
    "load_catalogue",
]

#: Windows scope of a LocURI: ``./Device/...`` (and unscoped) or ``./User/...``.
WindowsScope: TypeAlias = Literal["device", "user"]
#: File name of the bundled catalogue inside ``syncml_codec.csp``.
BUNDLED_NAME: Final = "catalogue.json.gz"
#: Version of the catalogue's JSON shape.
FORMAT_VERSION: Final = 1
_PLACEHOLDER = "(path)"  # source of an interior node that only a root <Path> implied


@dataclass(frozen=True, slots=True)
class Match:
    """The result of looking a LocURI up.

    Attributes:
        node: the node, or None when the URI names no node.
        scope: the Windows scope the URI addresses.
        read_only: the node is reached through ``Policy/Result`` (only Get applies).
        missing: the first segment that matched nothing ("" when found).
        atomic_required: the node or an ancestor has ``MSFT:AtomicRequired``.
        prefix: ``.``, ``./Device`` or ``./User``, as the URI has it.
        steps: the nodes matched, from the tree root down (not the root itself).
    """

    node: CspNode | None
    scope: WindowsScope
    read_only: bool = False
    missing: str = ""
    atomic_required: bool = False
    prefix: str = "."
    steps: tuple[CspNode, ...] = ()

    @property
    def path(self) -> str:
        """The catalogue path of what matched, dynamic segments as ``{DFTitle}``; when nothing
        matched completely, the path of the deepest node that did."""
        return "/".join([self.prefix, *(n.display for n in self.steps)])

    @property
    def access(self) -> frozenset[str]:
        """The commands the node accepts (only Get through ``Policy/Result``)."""
        if self.node is None:
            return frozenset()
        return _GET_ONLY if self.read_only else self.node.access


_GET_ONLY: Final = frozenset({"Get"})


def _split(uri: str) -> tuple[WindowsScope, list[str], bool] | None:
    """(scope, segments below the tree root, scoped) of a management-tree URI, or None."""
    text = uri.strip().partition("?")[0].rstrip("/")
    if text == ".":
        return "device", [], False
    if not text.startswith("./"):
        # Windows addresses its tree by absolute paths from "." (Learn: "OMA DM protocol
        # support", "Structure of OMA DM provisioning files");
        # a URL, a URN or a data store name ("contact" in SyncML DS) names no tree node.
        return None
    text = text[2:]
    segs = text.split("/")
    head = segs[0].casefold()
    scoped = head in ("device", "user") and len(segs) > 1
    if scoped:
        segs = segs[1:]
    # The fixed prefix also appears in lower case in Microsoft's samples (Learn: OMA DM support:
    # ./user/vendor/..., ./device/...); the CSP's own node names stay case-sensitive.
    if len(segs) > 1 and segs[0].casefold() == "vendor" and segs[1].casefold() == "msft":
        segs[0:2] = ["Vendor", "MSFT"]
    if scoped:
        return ("device" if head == "device" else "user"), segs, True
    return "device", segs, False


def _prefix(scope: WindowsScope, scoped: bool) -> str:
    return ("./Device" if scope == "device" else "./User") if scoped else "."


def _root_path(scope: WindowsScope, scoped: bool, segs: list[str]) -> str:
    return "/".join([_prefix(scope, scoped), *segs])


class Catalogue:
    """Every node of one DDF release, by Windows scope.

    Attributes:
        device: the root (``.``) of the device tree (``./Device/...`` and unscoped URIs).
        user: the root of the user tree (``./User/...``).
        files: per DDF file, the figures the generator measured (nodes, dynamic nodes, the
            (path, AccessType, DFFormat) set size, its check against an ElementTree walk).
        release: a free text naming the release.
    """

    def __init__(
        self,
        device: CspNode,
        user: CspNode,
        files: Mapping[str, Mapping[str, Any]] | None = None,
        release: str = "",
    ) -> None:
        self.device = device
        self.user = user
        self.files: dict[str, Mapping[str, Any]] = dict(files or {})
        self.release = release
        for root in (device, user):
            _link_policy(root)

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def from_ddf(cls, files: Iterable[DdfFile], release: str = "") -> Catalogue:
        """Merge DDF files into one catalogue (see the module's Strategy for the order)."""
        roots: dict[WindowsScope, CspNode] = {
            "device": _interior("."),
            "user": _interior("."),
        }
        ordered = sorted(files, key=lambda f: (f.version != 2, "/" in f.name, f.name))
        figures: dict[str, Mapping[str, Any]] = {}
        for f in ordered:
            figures[f.name] = {"nodes": f.nodes, "dynamic": f.dynamic, "version": f.version}
            for path, node in f.roots:
                _merge_child(_attach_point(roots, path, node.name), node)
        return cls(roots["device"], roots["user"], figures, release)

    # -- lookup --------------------------------------------------------------------------------

    def root(self, scope: WindowsScope) -> CspNode:
        """The tree of one scope."""
        return self.device if scope == "device" else self.user

    def lookup(self, uri: str) -> Match | None:
        """Find the node a LocURI names; None when the URI is not a management-tree path.

        Dynamic segments match any name, percent-encoded or not; a query (``?list=Struct``)
        and a trailing ``/`` are ignored. Matching is case-sensitive, like the device.
        """
        split = _split(uri)
        if split is None:
            return None
        scope, segs, scoped = split
        return self._walk(scope, segs, scoped)

    def _walk(self, scope: WindowsScope, segs: list[str], scoped: bool) -> Match:
        node = self.root(scope)
        prefix = _prefix(scope, scoped)
        steps: list[CspNode] = []
        read_only = False
        atomic = False
        if scoped and segs and segs[0] != "Vendor":
            return Match(None, scope, missing=segs[0], prefix=prefix)
        for seg in segs:
            base = node
            if node.mirror is not None:
                base = node.mirror
                read_only = True
            child = base.children.get(seg) or base.child(seg)
            if child is None and "%" in seg:
                child = base.child(urllib.parse.unquote(seg))
            if child is None:
                return Match(None, scope, read_only, seg, atomic, prefix, tuple(steps))
            node = child
            atomic = atomic or node.atomic_required
            steps.append(node)
        return Match(node, scope, read_only, "", atomic, prefix, tuple(steps))

    def other_scope(self, uri: str) -> Match | None:
        """The match of the same URI in the other scope (device <-> user), if it has the node.

        An unscoped URI (device scope) is tried as ``./User/...`` (only under ``Vendor``).
        """
        split = _split(uri)
        if split is None:
            return None
        scope, segs, scoped = split
        if not scoped and (not segs or segs[0] != "Vendor"):
            return None
        other: WindowsScope = "user" if scope == "device" else "device"
        match = self._walk(other, segs, True)
        return match if match.node is not None else None

    def suggest(self, uri: str, limit: int = 3) -> list[str]:
        """ "Did you mean" candidates for a URI that names no node.

        First a case-insensitive walk (the URI with each wrong-case segment corrected); else
        the closest names (``difflib``) to the first segment that matched nothing.
        """
        split = _split(uri)
        if split is None:
            return []
        scope, segs, scoped = split
        node = self.root(scope)
        fixed: list[str] = []
        for seg in segs:
            base = node.mirror if node.mirror is not None else node
            child = base.child(seg)
            if child is not None:
                node = child
                fixed.append(seg)
                continue
            folded = {name.casefold(): name for name in base.children}
            name = folded.get(seg.casefold())
            if name is None:
                close = difflib.get_close_matches(seg, list(base.children), n=limit, cutoff=0.6)
                head = _root_path(scope, scoped, fixed)
                return [f"{head}/{c}" for c in close]
            node = base.children[name]
            fixed.append(name)
        return [_root_path(scope, scoped, fixed)]

    # -- listing -------------------------------------------------------------------------------

    def iter_nodes(self) -> Iterator[tuple[str, CspNode]]:
        """Every node with its path (``./Device/Vendor/MSFT/...``, ``./User/...``, ``./DevInfo``).

        Unscoped files appear under ``./Device``, where Windows maps them.
        """
        scopes: tuple[WindowsScope, ...] = ("device", "user")
        for scope in scopes:
            root = self.root(scope)
            prefix = "./Device" if scope == "device" else "./User"
            for name, child in root.children.items():
                head = f"{prefix}/{name}" if name == "Vendor" else f"./{name}"
                if scope == "user" and name != "Vendor":
                    continue
                yield from _iter(head, child)

    def search(self, word: str, limit: int = 50) -> list[tuple[str, CspNode]]:
        """Nodes whose path contains ``word`` (case-insensitive), then those whose description
        does; at most ``limit`` of them."""
        needle = word.casefold()
        by_path: list[tuple[str, CspNode]] = []
        by_text: list[tuple[str, CspNode]] = []
        for path, node in self.iter_nodes():
            if needle in path.casefold():
                by_path.append((path, node))
            elif needle in node.description.casefold():
                by_text.append((path, node))
        return (by_path + by_text)[:limit]

    def count(self) -> tuple[int, int]:
        """(nodes, dynamic nodes) in both trees (interior path nodes included)."""
        n1, d1 = self.device.count()
        n2, d2 = self.user.count()
        return n1 + n2, d1 + d2

    # -- persistence ---------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The catalogue as a JSON-ready document (the bundled file's shape)."""
        tables: dict[str, dict[str, int]] = {"src": {}, "ed": {}}
        doc = {
            "format": FORMAT_VERSION,
            "release": self.release,
            "files": self.files,
            "device": _node_json(self.device, tables),
            "user": _node_json(self.user, tables),
        }
        doc["sources"] = list(tables["src"])
        doc["editions"] = list(tables["ed"])
        return doc

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> Catalogue:
        """Rebuild a catalogue from ``to_json``'s document."""
        if doc.get("format") != FORMAT_VERSION:
            raise ValueError(f"catalogue format {doc.get('format')!r}; expected {FORMAT_VERSION}")
        sources: list[str] = doc["sources"]
        editions: list[str] = doc["editions"]
        return cls(
            _node_from(doc["device"], sources, editions),
            _node_from(doc["user"], sources, editions),
            doc.get("files") or {},
            doc.get("release", ""),
        )

    def dump(self, path: str | os.PathLike[str]) -> int:
        """Write the catalogue as gzip'd compact JSON; return the byte size."""
        raw = json.dumps(self.to_json(), separators=(",", ":"), ensure_ascii=False)
        data = gzip.compress(raw.encode("utf-8"), compresslevel=9, mtime=0)
        Path(path).write_bytes(data)
        return len(data)


def _interior(name: str) -> CspNode:
    return CspNode(name=name, access=frozenset({"Get"}), format="node", source=_PLACEHOLDER)


def _attach_point(roots: Mapping[WindowsScope, CspNode], path: str, name: str) -> CspNode:
    """The tree node a DDF root with this ``<Path>`` hangs below (created when missing)."""
    text = path.strip().rstrip("/") or "."
    segs = [] if text == "." else text.removeprefix("./").split("/")
    if segs and segs[-1] == name:  # v1 ProvisioningCommands: the Path names the node itself
        segs.pop()
    scope: WindowsScope = "device"
    if segs and segs[0] in ("Device", "User"):
        scope = "device" if segs[0] == "Device" else "user"
        segs = segs[1:]
    node = roots[scope]
    for seg in segs:
        nxt = node.children.get(seg)
        if nxt is None:
            nxt = node.children[seg] = _interior(seg)
        node = nxt
    return node


_PROPS = (
    "title", "access", "format", "occurrence", "scope", "mime", "default", "allowed",
    "applicability", "atomic_required", "deprecated", "description", "source",
)  # fmt: skip


def _merge_child(parent: CspNode, node: CspNode) -> None:
    if not node.name:
        if parent.dynamic is None:
            parent.dynamic = node
            return
        _merge_into(parent.dynamic, node)
        return
    have = parent.children.get(node.name)
    if have is None:
        parent.children[node.name] = node
    else:
        _merge_into(have, node)


def _merge_into(have: CspNode, new: CspNode) -> None:
    if have.source == _PLACEHOLDER:
        for attr in _PROPS:
            setattr(have, attr, getattr(new, attr))
    for child in new.children.values():
        _merge_child(have, child)
    if new.dynamic is not None:
        _merge_child(have, new.dynamic)


def _link_policy(root: CspNode) -> None:
    vendor = root.children.get("Vendor")
    msft = vendor.children.get("MSFT") if vendor else None
    policy = msft.children.get("Policy") if msft else None
    if policy is None:
        return
    config = policy.children.get("Config")
    result = policy.children.get("Result")
    if config is None:
        return
    if config.children and config.dynamic is not None:
        config.dynamic.name_must_contain = "~"
    if result is not None:
        result.mirror = config


def _iter(path: str, node: CspNode) -> Iterator[tuple[str, CspNode]]:
    yield path, node
    for name, child in node.children.items():
        yield from _iter(f"{path}/{name}", child)
    if node.dynamic is not None:
        yield from _iter(f"{path}/{node.dynamic.display}", node.dynamic)


def _intern(table: dict[str, int], text: str) -> int:
    index = table.get(text)
    if index is None:
        index = table[text] = len(table)
    return index


def _node_json(node: CspNode, tables: dict[str, dict[str, int]]) -> dict[str, Any]:
    d: dict[str, Any] = {"n": node.name}
    pairs: tuple[tuple[str, Any], ...] = (
        ("t", node.title),
        ("a", ",".join(sorted(node.access))),
        ("f", node.format),
        ("o", node.occurrence),
        ("s", node.scope),
        ("m", node.mime),
        ("x", node.description),
        ("ar", int(node.atomic_required)),
    )
    d.update((k, v) for k, v in pairs if v)
    if node.default is not None:
        d["d"] = node.default
    if node.deprecated is not None:
        d["dp"] = node.deprecated
    if node.allowed is not None:
        a = node.allowed
        d["v"] = [a.kind, list(a.values), list(a.descriptions), list(a.admx or ())]
    if node.applicability is not None:
        p = node.applicability
        d["p"] = [p.os_build, p.csp_version, _intern(tables["ed"], p.editions)]
    d["src"] = _intern(tables["src"], node.source)
    if node.children:
        d["c"] = [_node_json(c, tables) for c in node.children.values()]
    if node.dynamic is not None:
        d["y"] = _node_json(node.dynamic, tables)
    return d


def _node_from(d: Mapping[str, Any], sources: list[str], editions: list[str]) -> CspNode:
    access = d.get("a")
    node = CspNode(
        name=d["n"],
        title=d.get("t", ""),
        access=frozenset(access.split(",")) if access else frozenset(),
        format=d.get("f", ""),
        occurrence=d.get("o", ""),
        scope=d.get("s", ""),
        mime=d.get("m", ""),
        default=d.get("d"),
        atomic_required=bool(d.get("ar")),
        deprecated=d.get("dp"),
        description=d.get("x", ""),
        source=sources[d["src"]],
    )
    v = d.get("v")
    if v is not None:
        admx = v[3]
        node.allowed = AllowedValues(
            v[0], tuple(v[1]), tuple(v[2]), (admx[0], admx[1], admx[2]) if admx else None
        )
    p = d.get("p")
    if p is not None:
        node.applicability = Applicability(p[0], p[1], editions[p[2]])
    children = node.children
    for c in d.get("c", ()):
        child = _node_from(c, sources, editions)
        children[child.name] = child
    y = d.get("y")
    if y is not None:
        node.dynamic = _node_from(y, sources, editions)
    return node


def load_catalogue(path: str | os.PathLike[str]) -> Catalogue:
    """A catalogue from a DDF release (file, directory or zip) or a ``.json.gz`` catalogue.

    Raises:
        MalformedXML: a DDF file is not well-formed.
        ForbiddenConstruct: a DDF file declares entities or references external ones.
        OSError: the path cannot be read.
    """
    p = Path(path)
    with no_cyclic_gc():  # tens of thousands of acyclic objects
        if p.name.endswith(".json.gz"):
            return Catalogue.from_json(json.loads(gzip.decompress(p.read_bytes())))
        return Catalogue.from_ddf(read_ddf(p), release=p.name)


@functools.cache
def bundled_catalogue() -> Catalogue:
    """The catalogue shipped with the package (loaded once, on first use)."""
    data = resources.files(__package__).joinpath(BUNDLED_NAME).read_bytes()
    with no_cyclic_gc():
        return Catalogue.from_json(json.loads(gzip.decompress(data)))
