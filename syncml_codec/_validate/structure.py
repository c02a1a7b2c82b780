"""Layer 1 of the fast validator: parser deviations mapped to rules, and cardinality checks.

Strategy:
    * ``map_deviation`` turns each builder ``P1xx`` diagnostic into an ``S1xx`` rule by its
      CODE and element path, never by its message text. The few mappings that depend on the
      input itself (the namespace an element declares, the order of an Item's children) read
      ``Facts`` gathered by one targeted scan of the input (``positions.element_facts``), asked
      for only when such a deviation exists (``fact_paths``).
    * ``check_structure`` applies what the builder cannot see (cardinality of repeated fields:
      ``Item+``, ``(commands)+``, Exec's single Item; which commands a container's choice
      lists; what SyncML 1.1 does not have). ``_plans`` reads those facts from the element
      table (``min_occurs``, ``max_occurs``, ``allowed``, ``since``) once per process; the
      bundled XSDs are what tests cross-check the table against, never read here. The walk
      visits each container of the model once (never the Items unless 1.1 needs it), with an
      explicit stack, so it is linear in the message and its nesting costs no recursion.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from syncml_codec import model
from syncml_codec._table import CLASS_SPECS, NODE, ChildSpec
from syncml_codec.codes import NS_METINF, NS_SYNCML11, NS_SYNCML12
from syncml_codec.diagnostics import Diagnostic

from .xsd import CODE_FORBIDDEN

__all__ = [
    "Facts",
    "case_hint",
    "check_structure",
    "child_paths",
    "fact_paths",
    "map_deviation",
]


@dataclass(slots=True)
class Facts:
    """What the input says about one element: position, namespace, children in order."""

    line: int = 0
    column: int = 0
    ns: str = ""
    children: list[str] = field(default_factory=list)


# --- parser deviations -> rules ----------------------------------------------------------------

_DIRECT: Final = {
    "P102": "S102",
    "P104": "S104",
    "P105": "S105",
    "P107": "S107",
    "P110": "S110",
    "P111": "S111",
    "P112": "S116",
    "P120": "S119",  # WBXML: public identifier in the string table without its NUL
    "P121": "DM209",  # WBXML: the public identifier's version is not VerDTD's
}
_ITEM_ORDER: Final = [g[0].name for g in CLASS_SPECS[model.Item].fields]
_BEFORE_META: Final = frozenset(_ITEM_ORDER[: _ITEM_ORDER.index("Meta")])
_LENIENT_METINF: Final = frozenset(("Format", "Type"))


def _steps(xpath: str) -> list[str]:
    return [s.partition("[")[0] for s in xpath.split("/")[1:]]


def fact_paths(d: Diagnostic) -> tuple[str, ...]:
    """The element paths whose ``Facts`` the mapping of ``d`` needs (usually none)."""
    if d.code == "P101":
        return (d.xpath,)
    if d.code == "P102" and len(steps := _steps(d.xpath)) >= 2 and steps[-2] == "Item":
        return (d.xpath.rpartition("/")[0],)
    return ()


def _meta_moved_up(children: Sequence[str]) -> bool:
    """Only Meta is out of place in these Item children, and it is before Data ([MS-MDM])."""
    rank = {name: i for i, name in enumerate(_ITEM_ORDER)}
    rest = [rank.get(n, -1) for n in children if n != "Meta"]
    return "Meta" in children and rest == sorted(rest)


def map_deviation(
    d: Diagnostic, facts: Callable[[str], Facts | None], fragment_ns: str | None
) -> tuple[str, str] | None:
    """Map one parser ``P1xx`` diagnostic to (rule code, message); None drops it.

    Args:
        d: the builder's diagnostic (its code and path decide).
        facts: the input's facts for a path that ``fact_paths(d)`` named.
        fragment_ns: the root's namespace when the root is not ``SyncML`` (a fragment).
    """
    code = d.code
    steps = _steps(d.xpath)
    parent = steps[-2] if len(steps) >= 2 else ""
    if code in _DIRECT:
        rule = _DIRECT[code]
        if code == "P102" and parent == "Item" and steps[-1] in _BEFORE_META:
            item = facts(d.xpath.rpartition("/")[0])
            if item is not None and _meta_moved_up(item.children):
                rule = "S117"
        elif code == "P104":
            return rule, d.message + case_hint(steps[-1] if steps else "", d.message)
        return rule, d.message
    if code == "P101":
        return _map_namespace(d, steps, facts(d.xpath), fragment_ns)
    if code == "P103":
        # Status/Alert Data is the schema's digit pattern (no whitespace facet); every other
        # text element is xs:string or NMTOKEN (Format), where the schema accepts it.
        return ("S103" if steps and steps[-1] == "Data" else "S113"), d.message
    if code == "P106":
        # Meta is an unbounded choice of MetInf elements in the schema (any order).
        return ("S114" if parent == "Meta" else "S106"), d.message
    if code == "P108":
        # A <MetInf> wrapper is a structural error; a namespace prefix is fine for the schema.
        return ("S108", d.message) if steps and steps[-1] == "MetInf" else None
    if code == "P109":
        return CODE_FORBIDDEN, d.message + "; a validator refuses any DOCTYPE"
    return "S100", d.message


def _map_namespace(
    d: Diagnostic, steps: list[str], fact: Facts | None, fragment_ns: str | None
) -> tuple[str, str] | None:
    ns = fact.ns if fact is not None else None
    if len(steps) == 1 and fragment_ns == "":
        return "S115", d.message  # read as 1.2 by both validators (xsd.as_fragment)
    if fragment_ns == "" and ns == NS_SYNCML12 and steps[-1] not in _METINF_NAMES:
        return None  # explicit 1.2 inside a fragment read as 1.2: the right namespace
    if steps and steps[-1] in _LENIENT_METINF and ns in ("", NS_SYNCML12, NS_SYNCML11):
        return "S118", d.message
    return "S101", d.message


_METINF_NAMES: Final = frozenset(
    c.name for cs in CLASS_SPECS.values() for c in cs.children.values() if c.ns == NS_METINF
)
_KNOWN_NAMES: Final = {
    name.lower(): name
    for name in sorted(
        {cs.name for cs in CLASS_SPECS.values()}
        | {c.name for cs in CLASS_SPECS.values() for c in cs.children.values()}
    )
}


def case_hint(name: str, message: str = "") -> str:
    """``"; did you mean <Get>?"`` when ``name`` is a known element in the wrong case."""
    local = name.rpartition(":")[2]
    known = _KNOWN_NAMES.get(local.lower())
    if known is None or known == local or "did you mean" in message:
        return ""
    return f"; did you mean <{known}>?"


# --- cardinality and membership facts read from the element table ----------------------------


@dataclass(frozen=True, slots=True)
class _Count:
    """One field whose number of children the walk checks (the builder cannot)."""

    field: str
    what: str  #: the element name, or "command" for a choice
    min: int
    max: int | None  #: None = unbounded
    choice: frozenset[str] | None  #: for a choice: the commands the DTD lists here


@dataclass(slots=True)
class _Plan:
    """What the structural walk checks on one model class."""

    counts: list[_Count]
    forbidden: list[ChildSpec]  # fields this SyncML version does not have under this parent
    descend: dict[str, ChildSpec]  # field -> NODE child whose class has something to check
    visit: bool = False


def _plan(cs: Any, version: str) -> _Plan:
    plan = _Plan([], [], {})
    for group in cs.fields:
        head = group[0]
        if version == "1.1" and head.since == "1.2":
            plan.forbidden.append(head)
        if len(group) > 1:  # a choice of commands
            allowed = frozenset(c.name for c in group if c.allowed)
            plan.counts.append(
                _Count(head.field, "command", head.min_occurs, head.max_occurs, allowed)
            )
        elif head.repeated and (head.min_occurs > 0 or head.max_occurs is not None):
            plan.counts.append(
                _Count(head.field, head.name, head.min_occurs, head.max_occurs, None)
            )
    plan.visit = bool(plan.counts or plan.forbidden)
    return plan


@functools.cache
def _plans(version: str) -> dict[type, _Plan]:
    """Per model class, the table's occurrence facts the builder cannot check (built once)."""
    plans = {cls: _plan(cs, version) for cls, cs in CLASS_SPECS.items()}
    # A class is visited when it, or a class below it, has something to check. One entry per
    # FIELD: the command choice is many ChildSpecs sharing one field, walked once.
    changed = True
    while changed:
        changed = False
        for cls, cs in CLASS_SPECS.items():
            plan = plans[cls]
            for group in cs.fields:
                for child in group:
                    if child.kind == NODE and child.cls is not None and plans[child.cls].visit:
                        plan.descend.setdefault(child.field, child)
                        if not plan.visit:
                            plan.visit = changed = True
    return plans


def child_paths(path: str, siblings: Sequence[Any]) -> Iterator[tuple[Any, str]]:
    """Each of ``siblings`` with its path ``Name[n]``, n counting same-class siblings (one pass)."""
    seen: dict[type, int] = {}
    for obj in siblings:
        cls = type(obj)
        n = seen[cls] = seen.get(cls, 0) + 1
        yield obj, f"{path}/{cls.XML_NAME}[{n}]"


def check_structure(obj: Any, path: str, version: str, out: list[Diagnostic]) -> None:
    """Apply the XSD cardinality/membership facts to ``obj`` and the containers below it.

    Args:
        obj: the parsed message or fragment.
        path: its element path (``/SyncML`` or ``/Replace``...).
        version: ``"1.1"`` or ``"1.2"``: which bundled schema's facts apply.
        out: where the diagnostics go.
    """
    plans = _plans(version)
    stack: list[tuple[Any, str]] = [(obj, path)]
    while stack:  # an explicit stack: nesting depth costs no Python recursion
        node, here = stack.pop()
        plan = plans[type(node)]
        if not plan.visit:
            continue
        _check_one(node, here, plan, out)
        below: list[tuple[Any, str]] = []
        for child in plan.descend.values():
            value = getattr(node, child.field)
            if value is None:
                continue
            if child.repeated:
                below.extend(child_paths(here, value))
            else:
                below.append((value, f"{here}/{child.name}"))
        stack.extend(reversed(below))  # document order


def _check_one(obj: Any, path: str, plan: _Plan, out: list[Diagnostic]) -> None:
    name = type(obj).XML_NAME
    for rule in plan.counts:
        values = getattr(obj, rule.field)
        if rule.choice is not None:
            count = 0
            for cmd, here in child_paths(path, values):
                if cmd.XML_NAME in rule.choice:
                    count += 1
                else:
                    out.append(
                        Diagnostic(
                            "error",
                            "S104",
                            f"{cmd.XML_NAME} is not allowed in {name};"
                            f" expected one of {', '.join(sorted(rule.choice))}",
                            xpath=here,
                        )
                    )
        else:
            count = len(values)
        if count < rule.min:
            out.append(
                Diagnostic(
                    "error",
                    "S120",
                    f"{name} has no {rule.what}; expected at least {rule.min}",
                    xpath=path,
                )
            )
        elif rule.max is not None and count > rule.max:
            out.append(
                Diagnostic(
                    "error",
                    "S106",
                    f"{name} has {count} {rule.what} elements; expected at most {rule.max}",
                    xpath=path,
                )
            )
    out.extend(
        Diagnostic(
            "error",
            "S104",
            f"{child.name} is not part of {name} in this SyncML version",
            xpath=f"{path}/{child.name}",
        )
        for child in plan.forbidden
        if getattr(obj, child.field) not in (None, False, ())
    )
