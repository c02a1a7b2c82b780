"""Positions and input facts the model does not keep, read by targeted pyexpat scans.

Strategy: the model has no positions. Only when a finding needs one does a scan run:

* ``prolog``: the root's name and namespace and which SyncHdr children exist (the model fills
  a missing VerDTD/VerProto with defaults, so only the input can tell); it stops at the end of
  SyncHdr.
* ``element_facts``: for a set of element paths (and their ancestors, nothing else: other
  subtrees are skipped), the 1-based start position, the namespace the element is in and the
  local names of its children in order.

Every scan here refuses a DOCTYPE, entity declarations and external references before anything
is expanded (``refuse_dtd``), and runs only after the parser has checked the input against the
``Limits``. Paths are built by ``_paths.PathWalker``, the one path form of the package.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from xml.parsers import expat

from syncml_codec._expat import StopScan, scan_elements
from syncml_codec._paths import PathWalker
from syncml_codec.diagnostics import Diagnostic
from syncml_codec.errors import ForbiddenConstruct

from .structure import Facts

__all__ = [
    "Prolog",
    "canonical_paths",
    "element_facts",
    "first_bare_child",
    "prolog",
    "with_positions",
]


@dataclass(slots=True)
class Prolog:
    """What the start of the input says: root name and namespace, SyncHdr children."""

    root: str = ""
    ns: str = ""
    hdr_children: set[str] | None = None
    hdr_pos: tuple[int, int] = (0, 0)


def _scan(data: bytes | str, start: object, end: object) -> None:
    with contextlib.suppress(expat.ExpatError, ForbiddenConstruct):
        scan_elements(data, start, end, refuse_dtd=True)  # type: ignore[arg-type]


def prolog(data: bytes | str) -> Prolog:
    """Read the root's name and namespace and which SyncHdr children exist."""
    result = Prolog()
    depth = 0

    def start(name: str, attrs: dict[str, str], line: int, column: int) -> None:
        nonlocal depth
        depth += 1
        local = name.rpartition(":")[2]
        if depth == 1:
            result.root = local
            prefix = name.partition(":")[0] if ":" in name else ""
            result.ns = attrs.get(f"xmlns:{prefix}" if prefix else "xmlns", "")
            if local != "SyncML":
                raise StopScan
        elif depth == 2 and local == "SyncHdr":
            result.hdr_children = set()
            result.hdr_pos = (line, column)
        elif depth == 3 and result.hdr_children is not None:
            result.hdr_children.add(local)

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1
        if depth == 1:
            raise StopScan  # SyncHdr is closed: that is all the prolog

    _scan(data, start, end)
    return result


def first_bare_child(data: bytes | str) -> tuple[str, int, int, int] | None:
    """The first child of the root that declares no namespace on itself: (local name, its
    1-based index among the children of that name, line, column), or None. The scan stops
    there. A snippet file is scanned in its wrapper this way."""
    found: list[tuple[str, int, int, int]] = []
    seen: dict[str, int] = {}
    depth = 0

    def start(name: str, attrs: dict[str, str], line: int, column: int) -> None:
        nonlocal depth
        depth += 1
        if depth == 2:
            local = name.rpartition(":")[2]
            seen[local] = index = seen.get(local, 0) + 1
            prefix = name.partition(":")[0] if ":" in name else ""
            if not attrs.get(f"xmlns:{prefix}" if prefix else "xmlns"):
                found.append((local, index, line, column))
                raise StopScan

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    _scan(data, start, end)
    return found[0] if found else None


def element_facts(data: bytes | str, paths: Iterable[str]) -> dict[str, Facts]:
    """Facts (position, namespace, children) of the elements at ``paths`` and their ancestors.

    Only the requested paths and their ancestors are followed; other subtrees are skipped.
    """
    wanted: set[str] = set()
    for p in paths:
        while p and p not in wanted:
            wanted.add(p)
            p = p.rpartition("/")[0]
    found: dict[str, Facts] = {}
    aliases: dict[str, list[str]] = {}
    walker = PathWalker()
    # per open element: (facts or None, prefix map, same-name child counters)
    stack: list[tuple[Facts | None, dict[str, str], dict[str, int]]] = [(None, {}, {})]
    skip = 0

    def start(name: str, attrs: dict[str, str], line: int, column: int) -> None:
        nonlocal skip
        if skip:
            skip += 1
            return
        parent, prefixes, counters = stack[-1]
        local = name.rpartition(":")[2]
        if parent is not None:
            parent.children.append(local)
        n = counters[local] = counters.get(local, 0) + 1
        here = walker.path((local, n))
        if here not in wanted:
            bare = f"{walker.path()}/{local}"  # the same step without its [n]
            if bare not in wanted:
                skip = 1
                return
            aliases.setdefault(bare, []).append(here)
        walker.push(local, n)
        mine = prefixes
        if any(a == "xmlns" or a.startswith("xmlns:") for a in attrs):
            mine = {**prefixes, **{a[6:]: v for a, v in attrs.items() if a.startswith("xmlns")}}
        prefix = name.partition(":")[0] if ":" in name else ""
        facts = found.setdefault(here, Facts(line, column, mine.get(prefix, "")))
        stack.append((facts, mine, {}))

    def end(_name: str) -> None:
        nonlocal skip
        if skip:
            skip -= 1
            return
        stack.pop()
        walker.pop()

    _scan(data, start, end)
    for bare, paths in aliases.items():
        found.setdefault(bare, found[paths[0]])
    return found


def canonical_paths(data: bytes | str, diags: list[Diagnostic]) -> list[Diagnostic]:
    """Give each path its ``[n]`` where the table repeats the step but the path lacks it, and
    each attribute finding (S110) the path of the element that carries the attribute.

    The element is identified by its position (the diagnostic's line and column), so the
    second of two Items gets ``Item[2]``. Paths already in the one form are left alone.
    """
    odd = {d.xpath for d in diags if d.xpath and _bare(d.xpath)}
    # an attribute finding (S110) names the element whose start tag is at its position
    at = {(d.line, d.column) for d in diags if d.code == "S110" and d.line}
    if not odd and not at:
        return diags
    where: dict[tuple[str, int, int], str] = {}
    starts: dict[tuple[int, int], str] = {}
    walker = PathWalker()
    stack: list[dict[str, int]] = [{}]

    def start(name: str, _attrs: object, line: int, column: int) -> None:
        local = name.rpartition(":")[2]
        counters = stack[-1]
        n = counters[local] = counters.get(local, 0) + 1
        bare = f"{walker.path()}/{local}" if stack[1:] else f"/{local}"
        if bare in odd:
            where[(bare, line, column)] = walker.path((local, n))
        if (line, column) in at:
            starts[(line, column)] = walker.path((local, n))
        walker.push(local, n)
        stack.append({})

    def end(_name: str) -> None:
        walker.pop()
        stack.pop()

    _scan(data, start, end)
    out = []
    for d in diags:
        fixed = where.get((d.xpath, d.line, d.column))
        if d.code == "S110":
            fixed = starts.get((d.line, d.column), fixed)
        if fixed is not None and fixed != d.xpath:
            d = Diagnostic(d.severity, d.code, d.message, d.line, d.column, fixed)
        out.append(d)
    return out


def _bare(xpath: str) -> bool:
    """True when the last step of ``xpath`` lacks the ``[n]`` the table gives it."""
    steps = xpath.split("/")[1:]
    walker = PathWalker()
    for step in steps:
        name, _, index = step.partition("[")
        walker.push(name, int(index.rstrip("]")) if index.rstrip("]").isdigit() else 1)
    return walker.path() != xpath


def with_positions(data: bytes | str | None, diags: list[Diagnostic]) -> list[Diagnostic]:
    """Fill in line and column of diagnostics that have only a path (nearest known ancestor)."""
    todo = [d for d in diags if not d.line and d.xpath]
    if not todo or data is None:
        return diags
    found = element_facts(data, {d.xpath for d in todo})
    out = []
    for d in diags:
        if not d.line and d.xpath:
            p = d.xpath
            while p and p not in found:
                p = p.rpartition("/")[0]
            if p:
                f = found[p]
                d = Diagnostic(d.severity, d.code, d.message, f.line, f.column, d.xpath)
        out.append(d)
    return out
