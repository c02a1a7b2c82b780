"""Validation: structural conformance (fast path or xmlschema) plus the DM protocol rules.

Strategy:
    1. **Structure** (layer 1, what the bundled XSD decides). One tolerant pyexpat pass through
       the table-driven builder (``parse_fragment``) builds the model and records every
       deviation as a ``P1xx`` diagnostic with its position; ``_STRUCTURAL`` maps each to an
       ``S1xx`` rule with the severity the schema implies. The builder cannot see cardinality
       of repeated fields (``Item+``, ``(commands)+``, Exec's single Item), which children a
       command choice admits (no Status inside Atomic) nor what the 1.1 schema leaves out, so
       ``_plans`` derives those facts *from the bundled XSDs* once per process and a walk of
       the model's containers (never the Items, unless the 1.1 schema needs it) applies them.
       ``schema=True`` swaps this layer for ``xsd_diagnostics`` (xmlschema, the reference).
       A ``DecodeError`` (not well-formed, DOCTYPE, limits) is one error diagnostic.
    2. **Protocol** (layer 2, what no schema can say): one walk of the model applies the DM
       rules (CmdID, SyncHdr Status, alerts, LocURIs, Atomic members, request/response
       matching...). Each check cites its spec section (SYNCML-DM.md) at the check site.
    3. **Positions**: the model has none. Layer-2 findings carry an element path; only when
       there is at least one, ``_locate`` re-scans the input once with pyexpat and maps those
       paths (and their ancestors, nothing else) to 1-based line and column. A clean document
       pays nothing for positions.

Every rule lives in ``RULES`` (code -> layer, severity per profile, summary, citation); the
profiles differ only in that table and in two member sets, never in check code.
Complexity: O(n) in the input, one parse plus one walk of the model (Items are visited once
by layer 2 with a handful of string tests each).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeAlias
from xml.parsers import expat

import defusedxml.ElementTree as DET

from . import model
from ._builder import fragment_spec, no_cyclic_gc
from ._expat import StopScan, scan_elements
from ._resources import schema_root
from ._table import CLASS_SPECS, NODE, ChildSpec, ClassSpec
from ._tree import parse_fast, small
from ._xsd import CODE_FORBIDDEN, CODE_NOT_WELL_FORMED, xsd_diagnostics
from .codes import DM_ALERT_CODES, METINF_FORMATS, NS_SYNCML11
from .diagnostics import Diagnostic, Severity
from .errors import (
    DecodeError,
    ForbiddenConstruct,
    LimitExceeded,
    MalformedXML,
    SchemaInvalid,
    UnknownElement,
)
from .limits import DEFAULT_LIMITS, Limits
from .parse import is_wbxml, parse, parse_fragment, read_source

__all__ = ["PROFILES", "RULES", "Profile", "Rule", "validate", "validate_or_raise"]

#: Validation profiles: plain OMA DM 1.2, or the [MS-MDM] Windows subset and allowances.
Profile: TypeAlias = Literal["oma", "windows"]
PROFILES: Final[tuple[Profile, ...]] = ("oma", "windows")


@dataclass(frozen=True, slots=True)
class Rule:
    """One validation rule.

    Attributes:
        code: stable rule code (``S1xx`` structure, ``DM2xx`` protocol, ``XML00x``, ``LIMIT``).
        layer: 1 = structural (what the bundled XSD decides), 2 = protocol rule.
        oma: severity under ``profile="oma"``, or None when the rule is off.
        windows: severity under ``profile="windows"``, or None when the rule is off.
        summary: one line saying what is expected.
        cite: the spec section (SYNCML-DM.md and the source it quotes).
    """

    code: str
    layer: int
    oma: Severity | None
    windows: Severity | None
    summary: str
    cite: str


_E: Final = "error"
_W: Final = "warning"

_RULE_LIST: Final = (
    # --- layer 1: structure (agrees with the bundled XSD; xmlschema is the reference) ------
    Rule("XML001", 1, _E, _E, "the input must be well-formed XML", "§6.1; XML 1.0"),
    Rule("XML002", 1, _E, _E, "no DOCTYPE, entity declaration or external reference", "§1.1 FPI"),
    Rule("LIMIT", 1, _E, _E, "the input must stay within the configured Limits", "STYLE §3"),
    Rule("XSD001", 1, _E, _E, "the document must match the bundled XSD (schema=True)", "§6.10"),
    Rule("S100", 1, _E, _E, "the message must have the structure the DTD gives", "§1.2"),
    Rule("S101", 1, _E, _E, "SyncML elements in SYNCML:SYNCML1.2, MetInf in syncml:metinf", "§1.1"),
    Rule("S102", 1, _E, _E, "children must follow DTD order", "§1.2; [MS-MDM] 2.2.2; §6.1"),
    Rule("S103", 1, _E, _E, "a status or alert code is digits only, no whitespace", "§1.2"),
    Rule("S104", 1, _E, _E, "only elements the DTD allows at that place", "§1.2; §1.3"),
    Rule("S105", 1, _E, _E, "required element present", "§1.2"),
    Rule("S106", 1, _E, _E, "an element may not repeat more often than the DTD allows", "§1.2"),
    Rule("S107", 1, _E, _E, "no text in element-only content", "§1.2"),
    Rule("S108", 1, _E, _E, "MetInf elements directly in Meta, no <MetInf> wrapper", "§1.4"),
    Rule(
        "S110", 1, _E, _E, "no attributes other than xmlns (and msft:*)", "§1.2; [MS-MDM] 2.2.5.1"
    ),
    Rule("S111", 1, _W, _W, "WBXML OPAQUE text should be UTF-8", "§5"),
    Rule("S113", 1, _W, _W, "no whitespace around a text value (it is trimmed)", "§4.4; §2.2"),
    Rule("S114", 1, _W, _W, "each MetInf element at most once per Meta (EMI excepted)", "§1.4"),
    Rule("S115", 1, _W, _W, "a fragment should declare its namespace", "§1.1"),
    Rule("S120", 1, _E, _E, "Item+ / (commands)+ must not be empty", "§1.2"),
    Rule("S121", 1, _E, _E, "MetInf Format must be a known value", "§1.4; [XSD05]"),
    # --- layer 2: protocol rules ------------------------------------------------------------
    Rule("DM201", 2, _E, _E, "every command has a non-empty CmdID", "[MS-MDM] 2.2.3.2; §1.3"),
    Rule("DM202", 2, _E, _E, "CmdID is unique within the message", "[MS-MDM] 2.2.3.2; §4.2"),
    Rule("DM203", 2, _E, _E, 'CmdID is not "0"', "[MS-MDM] 2.2.3.2; §6.4"),
    Rule("DM204", 2, _E, _E, "MsgID and MsgRef are positive integers", "[XSD05]; §4.2"),
    Rule("DM205", 2, _W, _W, "CmdID and CmdRef are decimal integers", "§4.2"),
    Rule("DM206", 2, _E, _E, "SessionID is present and not empty", "§4.2; [MS-MDM] 2.2.3.8"),
    Rule("DM207", 2, _W, _E, "SessionID is at most 4 bytes", "[MS-MDM] 2.2.3.8; [XSD05]"),
    Rule("DM208", 2, _E, _E, "VerDTD 1.2 goes with VerProto DM/1.2 (1.1 with DM/1.1)", "§1.1"),
    Rule("DM209", 2, _W, _W, "the root namespace matches VerDTD", "§1.1"),
    Rule("DM210", 2, _E, _E, "the Status for SyncHdr is the first Status", "§4.2; §6.5"),
    Rule("DM211", 2, _E, _E, "CmdRef 0 goes with Cmd SyncHdr and back", "§4.2; [MS-MDM] 2.2.6.1"),
    Rule("DM212", 2, _E, _E, "Status/Results CmdRef (and Status MsgRef) not empty", "§4.2"),
    Rule("DM213", 2, _E, _E, "Cred only in SyncHdr", "[DMREP] 4.1.1.6; §4.3"),
    Rule("DM214", 2, _E, _E, "Alert code valid in OMA DM", "[DMREP] §4.2; §2.1"),
    Rule("DM215", 2, None, _E, "no UI alerts 1100-1104 on Windows", "§2.1; §6.4"),
    Rule("DM216", 2, _E, _E, "generic alert 1226 Items carry Meta Type, Format, Data", "§2.2"),
    Rule("DM217", 2, _E, _W, "client event 1224 Items carry Meta Type, Format, Data", "§2.1; §2.3"),
    Rule("DM220", 2, _E, _E, "Atomic holds only allowed members", "[DMREP] 4.1.6.3; §4.6"),
    Rule("DM221", 2, _E, _E, "Sequence holds only allowed members", "[DMREP] 4.1.6.14; §4.6"),
    Rule("DM223", 2, _E, _E, "MaxMsgSize, MaxObjSize, Size are decimal integers", "§1.4; §4.1"),
    Rule("DM224", 2, _E, _E, "LocURI: no leading /, no empty or inner . segment", "§1.3"),
    Rule("DM230", 2, None, _E, "no Copy on Windows", "§1.2 Commands; §6.4"),
    Rule("DM232", 2, None, _E, "no Correlator on Windows", "[MS-MDM] 2.2.7.2; §6.4"),
    Rule("DM233", 2, _W, _E, "no NoResp (not used in DM)", "[DMREP] 4.1.1.14; §6.4"),
    Rule("DM250", 2, _E, _E, "Status/Results refer to a command of the request", "§4.2"),
    Rule("DM251", 2, _E, _E, "no request command answered twice", "§4.2 Status rules"),
    Rule("DM252", 2, _E, _E, "one Status per request command", "§4.2 Status rules"),
    Rule("DM253", 2, _E, _E, "Status Cmd names the referenced command", "§4.2"),
    Rule("DM254", 2, _E, _E, "Statuses in request order", "§4.2 Status rules"),
    Rule("DM255", 2, _E, _E, "Results come after the Status of the same Get", "[DMREP] 4.1.6.12"),
    Rule("DM256", 2, _E, _E, "no Status for Results with code 200", "[DMREP] 4.1.5.1; §4.2"),
)

#: Every rule, by code (the one table both profiles read).
RULES: Final[Mapping[str, Rule]] = {r.code: r for r in _RULE_LIST}

# Atomic and Sequence members allowed per profile (the only other per-profile data).
_ATOMIC_ALLOWED: Final[Mapping[str, frozenset[str]]] = {
    # [DMREP] 4.1.6.3, spec §4.6: "Members are Add, Alert, Delete, Copy, Replace. Nested
    # Atomic or Get -> 500."
    "oma": frozenset(("Add", "Alert", "Delete", "Copy", "Replace")),
    # [MS-MDM] model (Add|Delete|Atomic|Replace|Get|Exec) minus what [L-OMA] rejects (nested
    # Atomic, Get); Alert and Copy are judged by their own rules.
    "windows": frozenset(("Add", "Alert", "Delete", "Copy", "Replace", "Exec")),
}
# [DMREP] 4.1.6.14, spec §4.6: "Sequence: Add, Replace, Delete, Copy, Get, Exec, Alert".
_SEQUENCE_ALLOWED: Final = frozenset(("Add", "Replace", "Delete", "Copy", "Get", "Exec", "Alert"))
# [MS-MDM] 2.2.4.3 lists (Atomic|Exec|Get|Results|Status|Add|Replace|Delete)+ but spec §1.2 says
# "Alert is mandatory in package 1 and [L-OMA] lists Sequence and Alert as supported. Treat the
# MS list as incomplete": so the only modelled command Windows rejects in SyncBody is Copy
# (DM230), and there is no "outside the MS-MDM list" rule.


# --- layer 1: parser deviations -> structural rules ------------------------------------------


def _map_deviation(d: Diagnostic) -> tuple[str, str] | None:
    """Map one parser ``P1xx`` diagnostic to (rule code, message); None drops it."""
    code = d.code
    steps = d.xpath.rsplit("/", 2)
    parent = steps[-2].partition("[")[0] if len(steps) >= 2 else ""
    if code == "P101":
        # A fragment with no namespace is read as 1.2 by both layers (_xsd._as_fragment).
        if (
            d.xpath.count("/") == 1
            and d.xpath != "/SyncML"
            and "declares no namespace" in d.message
        ):
            return "S115", d.message
        return "S101", d.message
    if code == "P103":
        # Status/Alert Data is the schema's digit pattern (no whitespace facet); every other
        # text element is xs:string or NMTOKEN (Format), where the schema accepts it.
        return ("S103" if d.xpath.endswith("/Data") else "S113"), d.message
    if code == "P106":
        # Meta is an unbounded choice of MetInf elements in the schema (any order, §1.4).
        return ("S114" if parent == "Meta" else "S106"), d.message
    if code == "P108":
        if "wrapped in <MetInf>" in d.message:
            return "S108", d.message
        return None  # a namespace prefix is fine for the schema
    if code == "P109":
        return CODE_FORBIDDEN, d.message + "; a validator refuses any DOCTYPE"
    mapped = {"P102": "S102", "P104": "S104", "P105": "S105", "P107": "S107", "P110": "S110"}
    if code in mapped:
        return mapped[code], d.message
    if code == "P111":
        return "S111", d.message
    return "S100", d.message


def _decode_error(exc: DecodeError) -> Diagnostic:
    """A parser exception as the one error diagnostic of the document."""
    if isinstance(exc, MalformedXML):
        code = CODE_NOT_WELL_FORMED
    elif isinstance(exc, ForbiddenConstruct):
        code = CODE_FORBIDDEN
    elif isinstance(exc, LimitExceeded):
        code = "LIMIT"
    elif isinstance(exc, UnknownElement):
        code = "S104"
    elif exc.message.startswith("required element"):
        code = "S105"
    else:
        code = "S100"
    pos = exc.position
    return Diagnostic(
        "error", code, exc.message, pos.line if pos else 0, pos.column if pos else 0, exc.xpath
    )


# --- layer 1: cardinality and membership facts read from the bundled XSDs ---------------------

_XS: Final = "{http://www.w3.org/2001/XMLSchema}"


@dataclass(frozen=True, slots=True)
class _Particle:
    names: frozenset[str]
    min: int
    max: int | None  # None = unbounded


def _occurs(el: Any, attr: str, default: int) -> int | None:
    value = el.get(attr)
    if value is None:
        return default
    return None if value == "unbounded" else int(value)


def _read_xsd(name: str) -> dict[str, list[_Particle]]:
    """Element name -> its content particles, for this project's XSD style (sequence of
    element refs, local elements and choices of refs). Trusted bundled file."""
    tree = DET.parse(str(schema_root() / name))
    out: dict[str, list[_Particle]] = {}
    root = tree.getroot()
    assert root is not None
    for el in root.findall(f"{_XS}element"):
        ctype = el.find(f"{_XS}complexType")
        if ctype is None:
            continue
        particles: list[_Particle] = []
        for group in ctype:
            if group.tag == f"{_XS}sequence":
                members = list(group)
            elif group.tag == f"{_XS}choice":
                members = [group]
            else:
                continue
            for m in members:
                if m.tag == f"{_XS}element":
                    ref = m.get("ref") or m.get("name") or ""
                    lo = _occurs(m, "minOccurs", 1)
                    particles.append(
                        _Particle(
                            frozenset((ref.rpartition(":")[2],)),
                            lo or 0,
                            _occurs(m, "maxOccurs", 1),
                        )
                    )
                elif m.tag == f"{_XS}choice":
                    names = frozenset(
                        (c.get("ref") or c.get("name") or "").rpartition(":")[2]
                        for c in m.findall(f"{_XS}element")
                    )
                    lo = _occurs(m, "minOccurs", 1)
                    particles.append(_Particle(names, lo or 0, _occurs(m, "maxOccurs", 1)))
        out[el.get("name") or ""] = particles
    return out


@dataclass(slots=True)
class _Plan:
    """What the structural walk checks on one model class."""

    counts: list[tuple[str, _Particle, frozenset[str] | None]]  # field, particle, choice names
    forbidden: list[ChildSpec]  # fields the schema does not declare under this parent
    descend: list[ChildSpec]  # NODE fields whose class has something to check
    visit: bool = False


@functools.cache
def _plans(version: str) -> dict[type, _Plan]:
    """Per model class, the XSD facts the builder cannot check (built once per version)."""
    xsd = _read_xsd("syncml11.xsd" if version == "1.1" else "syncml12.xsd")
    xsd.update(_read_xsd("metinf12.xsd"))
    plans: dict[type, _Plan] = {}
    for cls, cs in CLASS_SPECS.items():
        particles = xsd.get(cs.name, [])
        plan = _Plan([], [], [])
        for group in cs.fields:
            head = group[0]
            found = [p for p in particles if head.name in p.names]
            if not found:
                if len(group) == 1:
                    plan.forbidden.append(head)
                continue
            particle = found[0]
            if len(group) > 1:  # a choice of commands
                plan.counts.append((head.field, particle, particle.names))
            elif head.repeated and (particle.min > 0 or particle.max is not None):
                plan.counts.append((head.field, particle, None))
        plans[cls] = plan
    # A class is visited when it, or a class below it, has something to check.
    changed = True
    for plan in plans.values():
        plan.visit = bool(plan.counts or plan.forbidden)
    while changed:
        changed = False
        for cls, cs in CLASS_SPECS.items():
            plan = plans[cls]
            for group in cs.fields:
                for child in group:
                    if child.kind == NODE and child.cls is not None and plans[child.cls].visit:
                        if child not in plan.descend:
                            plan.descend.append(child)
                        if not plan.visit:
                            plan.visit = changed = True
    return plans


def _structure(obj: Any, path: str, plans: dict[type, _Plan], out: list[Diagnostic]) -> None:
    """Apply the XSD cardinality/membership facts to ``obj`` and the containers below it."""
    plan = plans[type(obj)]
    for field, particle, choice in plan.counts:
        values = getattr(obj, field)
        if choice is not None:
            count = 0
            for k, cmd in enumerate(values):
                name = cmd.XML_NAME
                if name in choice:
                    count += 1
                else:
                    out.append(
                        Diagnostic(
                            "error",
                            "S104",
                            f"{name} is not allowed in {type(obj).XML_NAME};"
                            f" expected one of {', '.join(sorted(choice))}",
                            xpath=_child_path(path, values, k),
                        )
                    )
            what = "a command"
        else:
            count = len(values)
            what = particle_name(particle)
        if count < particle.min:
            out.append(
                Diagnostic(
                    "error",
                    "S120",
                    f"{type(obj).XML_NAME} has no {what}; expected at least {particle.min}",
                    xpath=path,
                )
            )
        elif particle.max is not None and count > particle.max:
            out.append(
                Diagnostic(
                    "error",
                    "S106",
                    f"{type(obj).XML_NAME} has {count} {what} elements;"
                    f" expected at most {particle.max}",
                    xpath=path,
                )
            )
    out.extend(
        Diagnostic(
            "error",
            "S104",
            f"{child.name} is not part of {type(obj).XML_NAME} in this SyncML version",
            xpath=f"{path}/{child.name}",
        )
        for child in plan.forbidden
        if getattr(obj, child.field) not in (None, False, ())
    )
    for child in plan.descend:
        value = getattr(obj, child.field)
        if value is None:
            continue
        if child.repeated:
            for k, sub in enumerate(value):
                if plans[type(sub)].visit:
                    _structure(sub, _child_path(path, value, k), plans, out)
        else:
            _structure(value, f"{path}/{child.name}", plans, out)


def particle_name(p: _Particle) -> str:
    """The element name of a single-element particle."""
    return next(iter(p.names))


def _child_path(path: str, siblings: Any, k: int) -> str:
    """Path of ``siblings[k]``: ``Name[n]`` counting same-class siblings, as the builder does."""
    obj = siblings[k]
    if isinstance(obj, str):
        return f"{path}[{k + 1}]"
    cls = type(obj)
    n = 1 + sum(1 for s in siblings[:k] if type(s) is cls)
    return f"{path}/{cls.XML_NAME}[{n}]"


# --- the prolog scan: root namespace and SyncHdr children -------------------------------------


@dataclass(slots=True)
class _Prolog:
    root: str = ""
    ns: str = ""
    hdr_children: set[str] | None = None
    hdr_pos: tuple[int, int] = (0, 0)


def _prolog(data: bytes | str) -> _Prolog:
    """Read the root's namespace and which SyncHdr children exist (they stop the scan early).

    The model fills a missing VerDTD/VerProto with its defaults, so only the input can tell.
    """
    result = _Prolog()
    depth = 0

    def start(name: str, attrs: dict[str, str], line: int, column: int) -> None:
        nonlocal depth
        depth += 1
        local = name.rpartition(":")[2]
        if depth == 1:
            result.root = local
            result.ns = attrs.get("xmlns", "")
            if local != "SyncML":
                raise StopScan
        elif depth == 2 and local == "SyncHdr":
            result.hdr_children = set()
            result.hdr_pos = (line, column)
        elif depth == 3 and result.hdr_children is not None:
            result.hdr_children.add(local)

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1
        if depth == 1:
            raise StopScan  # SyncHdr is closed: that is all the prolog

    with contextlib.suppress(expat.ExpatError):
        scan_elements(data, start, end)
    return result


# --- positions for layer-2 findings -----------------------------------------------------------


def _locate(data: bytes | str, paths: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Map element paths (builder convention) to 1-based (line, column) with one pyexpat scan.

    Only the requested paths and their ancestors are followed; other subtrees are skipped.
    """
    wanted: set[str] = set()
    for p in paths:
        while p and p not in wanted:
            wanted.add(p)
            p = p.rpartition("/")[0]
    found: dict[str, tuple[int, int]] = {}
    root = fragment_spec().spec
    assert root is not None
    # (path, spec of the element, counters of its children by name)
    stack: list[tuple[str, ClassSpec | None, dict[str, int]]] = [("", root, {})]
    skip = 0

    def start(name: str, _attrs: object, line: int, column: int) -> None:
        nonlocal skip
        if skip:
            skip += 1
            return
        local = name.rpartition(":")[2]
        path, spec, counters = stack[-1]
        child = spec.children.get(local) if spec is not None else None
        n = counters.get(local, 0) + 1
        counters[local] = n
        step = f"{local}[{n}]" if child is not None and child.repeated else local
        here = f"{path}/{step}"
        if here not in wanted:
            skip = 1
            return
        found.setdefault(here, (line, column))
        sub = child.spec if child is not None else None
        if sub is None and local == "MetInf":  # a wrapper: its children belong to the Meta
            sub = spec
        stack.append((here, sub, {}))

    def end(_name: str) -> None:
        nonlocal skip
        if skip:
            skip -= 1
            return
        stack.pop()

    with contextlib.suppress(expat.ExpatError):
        scan_elements(data, start, end)
    return found


def _with_positions(data: bytes | str | None, diags: list[Diagnostic]) -> list[Diagnostic]:
    """Fill in line and column of diagnostics that have only a path."""
    todo = [d for d in diags if not d.line and d.xpath]
    if not todo or data is None:
        return diags
    found = _locate(data, {d.xpath for d in todo})
    out = []
    for d in diags:
        if not d.line and d.xpath:
            p = d.xpath
            while p and p not in found:
                p = p.rpartition("/")[0]
            if p:
                line, col = found[p]
                d = Diagnostic(d.severity, d.code, d.message, line, col, d.xpath)
        out.append(d)
    return out


# --- layer 2: protocol rules ------------------------------------------------------------------

_SCHEME: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _uri_problem(uri: str) -> str | None:
    """What is wrong with a SyncBody LocURI (spec §1.3, [L-STRUCT], [L-OMA]), or None."""
    if not uri:
        return "is empty"
    if uri[0] == "/":
        return "starts with '/'"
    if ":" in uri and _SCHEME.match(uri):
        return None  # an absolute URI or URN ([MS-MDM] 2.2.3.5)
    path = uri.partition("?")[0]
    if "//" in path or path.endswith("/"):
        return "has an empty segment"
    if "/./" in path or path.endswith("/."):
        return "has a '.' segment after the first"
    return None


class _Checker:
    """One walk of the model applying the protocol rules of one profile."""

    def __init__(self, profile: Profile, out: list[Diagnostic]) -> None:
        self.profile = profile
        self.out = out
        self.cmd_ids: dict[str, str] = {}  # CmdID -> path of its first command
        self.atomic_allowed = _ATOMIC_ALLOWED[profile]

    def report(self, code: str, message: str, xpath: str) -> None:
        rule = RULES[code]
        severity = rule.windows if self.profile == "windows" else rule.oma
        if severity is not None:
            self.out.append(Diagnostic(severity, code, message, xpath=xpath))

    # -- message -------------------------------------------------------------------------------

    def message(self, msg: model.SyncML, ns: str) -> None:
        hdr = msg.sync_hdr
        hp = "/SyncML/SyncHdr"
        # §1.1: VerDTD 1.2 <-> VerProto DM/1.2 ([DMREP] 4.1.1.25), 1.1 <-> DM/1.1.
        expected = {"1.2": "DM/1.2", "1.1": "DM/1.1"}.get(hdr.ver_dtd)
        if expected is None:
            self.report("DM208", f"VerDTD is {hdr.ver_dtd!r}; expected '1.2'", f"{hp}/VerDTD")
        elif hdr.ver_proto != expected:
            self.report(
                "DM208",
                f"VerProto is {hdr.ver_proto!r} with VerDTD {hdr.ver_dtd}; expected {expected!r}",
                f"{hp}/VerProto",
            )
        elif ns and ns.startswith("SYNCML:SYNCML1.") and ns != f"SYNCML:SYNCML{hdr.ver_dtd}":
            # §1.1 namespace table; the K800i capture has SYNCML1.1 with VerDTD 1.2.
            self.report(
                "DM209", f"namespace {ns!r} with VerDTD {hdr.ver_dtd}; expected them to match", hp
            )
        # §4.2, [MS-MDM] 2.2.3.8: SessionID present, opaque, at most 4 bytes.
        sid = hdr.session_id
        if not sid:
            self.report("DM206", "SessionID is empty; expected the session's identifier", hp)
        elif len(sid.encode("utf-8")) > 4:
            self.report(
                "DM207", f"SessionID {sid[:20]!r} is longer than 4 bytes", f"{hp}/SessionID"
            )
        # [XSD05] MsgID xs:positiveInteger; [MS-MDM] 2.2.3.6 starts at 1.
        if not _positive(hdr.msg_id):
            self.report("DM204", f"MsgID {hdr.msg_id!r} is not a positive integer", f"{hp}/MsgID")
        if hdr.no_resp:
            self.report("DM233", "NoResp is not used in OMA DM ([DMREP] 4.1.1.14)", f"{hp}/NoResp")
        if hdr.meta is not None:
            self.meta(hdr.meta, f"{hp}/Meta")
        if hdr.cred is not None and hdr.cred.meta is not None:
            self.meta(hdr.cred.meta, f"{hp}/Cred/Meta")
        self.body(msg.sync_body, "/SyncML/SyncBody")

    def body(self, body: model.SyncBody, path: str) -> None:
        cmds = body.commands
        self.commands(cmds, path, None)
        # §4.2: "Status for SyncHdr: CmdRef = 0, Cmd = SyncHdr, and it is the first Status".
        seen_status = False
        for k, cmd in enumerate(cmds):
            if type(cmd) is model.Status:
                if (cmd.cmd_ref == "0" or cmd.cmd == "SyncHdr") and seen_status:
                    self.report(
                        "DM210",
                        "the Status for SyncHdr comes after another Status; expected it first",
                        _child_path(path, cmds, k),
                    )
                seen_status = True

    def commands(self, cmds: tuple[Any, ...], path: str, container: str | None) -> None:
        for k, cmd in enumerate(cmds):
            self.command(cmd, _child_path(path, cmds, k), container)

    def command(self, cmd: Any, path: str, container: str | None) -> None:
        name: str = cmd.XML_NAME
        windows = self.profile == "windows"
        # [MS-MDM] 2.2.3.2: "CmdID ... MUST be unique within the message ... MUST NOT be 0".
        cid = cmd.cmd_id
        if not cid:
            self.report("DM201", f"{name} has no CmdID value; expected a unique id", path)
        else:
            first = self.cmd_ids.get(cid)
            if first is not None:
                self.report(
                    "DM202",
                    f"CmdID {cid!r} is already used by {first.rpartition('/')[2]};"
                    " expected a CmdID unique within the message",
                    f"{path}/CmdID",
                )
            else:
                self.cmd_ids[cid] = path
            if cid.strip() == "0":
                self.report("DM203", 'CmdID is "0"; expected a non-zero id', f"{path}/CmdID")
            elif not cid.isdigit():
                self.report("DM205", f"CmdID {cid!r} is not a decimal integer", f"{path}/CmdID")
        # Membership of Atomic ([DMREP] 4.1.6.3) and Sequence ([DMREP] 4.1.6.14), spec §4.6.
        if container == "Atomic" and name not in self.atomic_allowed:
            self.report(
                "DM220",
                f"{name} inside Atomic is not allowed in DM (the device answers 500);"
                f" expected {', '.join(sorted(self.atomic_allowed))}",
                path,
            )
        elif container == "Sequence" and name not in _SEQUENCE_ALLOWED:
            self.report(
                "DM221",
                f"{name} inside Sequence is not allowed in DM;"
                f" expected {', '.join(sorted(_SEQUENCE_ALLOWED))}",
                path,
            )
        if windows and name == "Copy":  # spec §1.2 Commands: Copy "not supported" on Windows
            self.report("DM230", "Copy is not supported by Windows ([MS-MDM])", path)
        if getattr(cmd, "no_resp", False):
            self.report(
                "DM233", "NoResp is not used in OMA DM ([DMREP] 4.1.1.14)", f"{path}/NoResp"
            )
        # [DMREP] 4.1.1.6: "The originator MUST NOT supply credentials within individual
        # commands." (Status carries Cred only as an answer to SyncHdr credentials.)
        cred = getattr(cmd, "cred", None)
        if cred is not None and cred.meta is not None:
            self.meta(cred.meta, f"{path}/Cred/Meta")
        if name != "Status" and cred is not None:
            self.report(
                "DM213", f"Cred inside {name}; expected credentials in SyncHdr only", f"{path}/Cred"
            )
        if getattr(cmd, "correlator", None) is not None:
            # [MS-MDM] 2.2.7.2: "The <Correlator> element ... is not supported".
            self.report("DM232", "Correlator is not supported by Windows", f"{path}/Correlator")
        meta = getattr(cmd, "meta", None)
        if meta is not None:
            self.meta(meta, f"{path}/Meta")
        if name in ("Atomic", "Sequence"):
            self.commands(cmd.commands, path, name)
            return
        if name == "Status":
            self.status(cmd, path)
        elif name == "Results":
            self.results(cmd, path)
        elif name == "Alert":
            self.alert(cmd, path)
        self.items(cmd.items, path)

    def status(self, st: model.Status, path: str) -> None:
        if st.chal is not None:
            self.meta(st.chal.meta, f"{path}/Chal/Meta")
        # §4.2: MsgRef/CmdRef reference the request; [XSD05] MsgRef positive integer.
        if not st.cmd_ref:
            self.report("DM212", "Status has an empty CmdRef; expected the CmdID it answers", path)
        elif not st.cmd_ref.isdigit():
            self.report(
                "DM205", f"CmdRef {st.cmd_ref!r} is not a decimal integer", f"{path}/CmdRef"
            )
        if not st.msg_ref:
            self.report("DM212", "Status has an empty MsgRef; expected the request's MsgID", path)
        elif not _positive(st.msg_ref):
            self.report(
                "DM204", f"MsgRef {st.msg_ref!r} is not a positive integer", f"{path}/MsgRef"
            )
        # §4.2, [MS-MDM] 2.2.6.1: the SyncHdr Status has CmdRef 0 and Cmd SyncHdr.
        if (st.cmd_ref == "0") != (st.cmd == "SyncHdr"):
            self.report(
                "DM211",
                f"Status has CmdRef {st.cmd_ref!r} with Cmd {st.cmd!r};"
                " expected CmdRef 0 exactly with Cmd SyncHdr",
                path,
            )
        # [DMREP] 4.1.5.1: "A Status MUST NOT be sent for Results when the code would be 200".
        if st.cmd == "Results" and int(st.data) == 200:
            self.report("DM256", "Status 200 for Results; expected no Status at all", path)

    def results(self, res: model.Results, path: str) -> None:
        # [MS-MDM] 2.2.7.8: a missing MsgRef means "1"; CmdRef names the Get.
        if not res.cmd_ref:
            self.report("DM212", "Results has an empty CmdRef; expected the Get's CmdID", path)
        elif not res.cmd_ref.isdigit():
            self.report(
                "DM205", f"CmdRef {res.cmd_ref!r} is not a decimal integer", f"{path}/CmdRef"
            )
        if res.msg_ref is not None and not _positive(res.msg_ref):
            self.report(
                "DM204", f"MsgRef {res.msg_ref!r} is not a positive integer", f"{path}/MsgRef"
            )

    def alert(self, al: model.Alert, path: str) -> None:
        if al.data is None:
            return
        code = int(al.data)
        # [DMREP] §4.2: "Only the alert codes listed in this section are valid in OMA DM".
        if code not in DM_ALERT_CODES:
            self.report(
                "DM214",
                f"alert code {code} is not an OMA DM alert (1100-1104, 1200, 1201, 1222-1226)",
                f"{path}/Data",
            )
        elif 1100 <= code <= 1104:
            # Spec §2.1 "Windows" column and §6.4: UI alerts are unsupported.
            self.report("DM215", f"UI alert {code} is not supported by Windows", f"{path}/Data")
        elif code in (1224, 1226):
            # §2.2 ([DMPRO] 2.3.7): Item REQUIRED; Meta Type and Format REQUIRED; Data REQUIRED.
            rule = "DM216" if code == 1226 else "DM217"
            if not al.items:
                self.report(rule, f"alert {code} has no Item; expected one Item per alert", path)
            for k, item in enumerate(al.items):
                meta = item.meta
                missing = [
                    n
                    for n, v in (
                        ("Meta Type", meta.type if meta else None),
                        ("Meta Format", meta.format if meta else None),
                        ("Data", item.data),
                    )
                    if v is None or not str(v).strip()
                ]
                if missing:
                    self.report(
                        rule,
                        f"alert {code} Item lacks {', '.join(missing)};"
                        " expected Meta Type, Meta Format and Data",
                        _child_path(path, al.items, k),
                    )

    def items(self, items: tuple[model.Item, ...], path: str) -> None:
        item = self.item
        for k, it in enumerate(items):
            item(it, f"{path}/Item[{k + 1}]")

    def item(self, it: model.Item, path: str) -> None:
        target, source, meta = it.target, it.source, it.meta
        if target is not None and (p := _uri_problem(target.loc_uri)) is not None:
            self._uri(target.loc_uri, p, f"{path}/Target/LocURI")
        if source is not None and (p := _uri_problem(source.loc_uri)) is not None:
            self._uri(source.loc_uri, p, f"{path}/Source/LocURI")
        if meta is not None:
            self.meta(meta, f"{path}/Meta")

    def _uri(self, uri: str, problem: str, path: str) -> None:
        # Spec §1.3 ([L-STRUCT], [L-OMA]): "LocURI must not start with /. In SyncBody, . is a
        # valid segment only as the first segment"; node names "may not be empty".
        self.report("DM224", f"LocURI {uri[:80]!r} {problem}; expected ./Segment/Segment", path)

    def meta(self, meta: model.Meta, path: str) -> None:
        fmt = meta.format
        # Spec §1.4 ([XSD05] Format enumeration, plus the DM TND formats): a schema fact.
        if fmt is not None and fmt not in METINF_FORMATS:
            self.report(
                "S121",
                f"Format {fmt!r} is not a MetInf format; expected one of"
                f" {', '.join(sorted(METINF_FORMATS))}",
                f"{path}/Format",
            )
        # Spec §1.4/§4.1: MaxMsgSize, MaxObjSize and Size are byte counts.
        for name, value in (
            ("MaxMsgSize", meta.max_msg_size),
            ("MaxObjSize", meta.max_obj_size),
            ("Size", meta.size),
        ):
            if value is not None and not (value.isdigit() and value.isascii()):
                self.report(
                    "DM223", f"{name} {value[:40]!r} is not a decimal byte count", f"{path}/{name}"
                )


def _positive(text: str) -> bool:
    return text.isdigit() and text.isascii() and int(text) > 0


# --- layer 2 with a request: Status / Results matching (spec §4.2) ----------------------------


def _request_commands(msg: model.SyncML) -> list[tuple[str, str, int]]:
    """(CmdID, element name, no_resp) of every request command, nested ones included."""
    out: list[tuple[str, str, int]] = []

    def walk(cmds: Iterable[Any]) -> None:
        for c in cmds:
            out.append((c.cmd_id, c.XML_NAME, int(bool(getattr(c, "no_resp", False)))))
            if c.XML_NAME in ("Atomic", "Sequence"):
                walk(c.commands)

    walk(msg.sync_body.commands)
    return out


def _match_request(
    response: model.SyncML, request: model.SyncML, check: _Checker, path: str
) -> None:
    req_msg = request.sync_hdr.msg_id
    req_cmds = _request_commands(request)
    index = {cid: (i, name) for i, (cid, name, _) in enumerate(req_cmds)}
    answered: dict[tuple[str, tuple[str, ...], tuple[str, ...]], str] = {}
    statused: set[str] = set()
    last_index = -1
    body = response.sync_body.commands
    for k, cmd in enumerate(body):
        if not isinstance(cmd, (model.Status, model.Results)):
            continue
        name = cmd.XML_NAME
        here = _child_path(path, body, k)
        msg_ref = cmd.msg_ref if cmd.msg_ref is not None else "1"  # [MS-MDM] 2.2.7.8
        if msg_ref != req_msg:
            check.report(
                "DM250",
                f"{name} refers to MsgRef {msg_ref!r}; expected the request's MsgID {req_msg!r}",
                f"{here}/MsgRef",
            )
            continue
        if name == "Status" and cmd.cmd_ref == "0":
            key: tuple[str, tuple[str, ...], tuple[str, ...]] = ("0", (), ())
            if key in answered:
                check.report("DM251", "SyncHdr is answered twice; expected one Status", here)
            answered[key] = here
            statused.add("0")
            continue
        found = index.get(cmd.cmd_ref)
        if found is None:
            check.report(
                "DM250",
                f"{name} refers to CmdRef {cmd.cmd_ref!r}, which is no command of the request",
                f"{here}/CmdRef",
            )
            continue
        i, req_name = found
        if name == "Results":
            # [DMREP] 4.1.6.12: "Results come after the Status of the same command".
            if req_name != "Get":
                check.report(
                    "DM253", f"Results for {req_name}; expected Results only for Get", here
                )
            elif cmd.cmd_ref not in statused:
                check.report(
                    "DM255",
                    f"Results for CmdRef {cmd.cmd_ref} comes before its Status",
                    here,
                )
            continue
        if not isinstance(cmd, model.Status):
            continue
        if cmd.cmd != req_name:
            check.report(
                "DM253",
                f"Status Cmd is {cmd.cmd!r} but CmdRef {cmd.cmd_ref} is a {req_name}",
                f"{here}/Cmd",
            )
        key = (cmd.cmd_ref, tuple(cmd.target_ref), tuple(cmd.source_ref))
        if key in answered:
            check.report(
                "DM251",
                f"CmdRef {cmd.cmd_ref} is answered twice; expected exactly one Status per command",
                here,
            )
        answered[key] = here
        # §4.2: "exactly one Status per command (1:1), in request order".
        if i < last_index:
            check.report(
                "DM254",
                f"Status for CmdRef {cmd.cmd_ref} is out of request order",
                here,
            )
        last_index = max(last_index, i)
        statused.add(cmd.cmd_ref)
    # The client must Status every server command (§4.2); not Results, Status, or NoResp.
    if "0" not in statused:
        check.report("DM252", "no Status for the request's SyncHdr; expected it first", path)
    for cid, name, no_resp in req_cmds:
        if name in ("Status", "Results") or no_resp or cid in statused:
            continue
        check.report("DM252", f"no Status for the request's {name} (CmdID {cid!r})", path)


# --- entry points -----------------------------------------------------------------------------


def _read_all(source: Any) -> tuple[bytes | str, str | None]:
    if isinstance(source, (bytes, str)):
        return source, None
    chunks, name = read_source(source)
    parts = list(chunks)
    if parts and isinstance(parts[0], str):
        return "".join(str(p) for p in parts), name
    return b"".join(bytes(p) for p in parts), name  # type: ignore[arg-type]


def _sort_key(d: Diagnostic) -> tuple[bool, int, int]:
    return (d.line == 0, d.line, d.column)


def validate(
    source: Any,
    *,
    profile: Profile = "oma",
    request: Any = None,
    schema: bool = False,
    limits: Limits | None = None,
) -> list[Diagnostic]:
    """Validate one SyncML message or fragment; never raises for bad input.

    Args:
        source: the XML (or WBXML) as bytes or str, a binary file object or an ``os.PathLike``
            path, as ``parse`` accepts.
        profile: ``"oma"`` (OMA DM 1.2) or ``"windows"`` ([MS-MDM] subset and allowances).
        request: the request this message answers (a parsed ``SyncML`` or anything ``parse``
            reads); enables the Status/Results matching rules (DM25x).
        schema: use xmlschema and the bundled XSD (the reference) for the structural layer
            instead of the fast single-pass check.
        limits: resource limits (``Limits()`` when None).

    Returns:
        The diagnostics, sorted by position (unknown positions last). The message is valid
        when none has severity ``"error"``.

    Raises:
        ValueError: an unknown profile.
        DecodeError: ``request`` cannot be parsed (the check cannot be done).
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; expected one of {', '.join(PROFILES)}")
    with no_cyclic_gc():
        return _validate(source, profile, request, schema, limits)


def _validate(
    source: Any, profile: Profile, request: Any, schema: bool, limits: Limits | None
) -> list[Diagnostic]:
    lim = limits or DEFAULT_LIMITS
    req: model.SyncML | None = None
    if request is not None:
        req = request if isinstance(request, model.SyncML) else parse(request, limits=lim)
    data, _name = _read_all(source)
    wbxml = is_wbxml(data)
    prolog = _Prolog() if wbxml else _prolog(data)
    out: list[Diagnostic] = []
    parsed: list[Diagnostic] = []
    obj: Any = None
    try:
        # a whole ordinary message takes the fast path (no deviation to report, by design)
        obj = parse_fast([data], lim) if isinstance(data, bytes) and not small(data) else None
        if obj is None:
            obj = parse_fragment(data, limits=lim, diagnostics=parsed)
    except DecodeError as exc:
        fatal: Diagnostic | None = _decode_error(exc)
    else:
        fatal = None

    if schema:
        if wbxml and obj is not None:
            from .serialize import serialize

            xml = serialize(obj)
            out.extend(
                Diagnostic(d.severity, d.code, d.message, xpath=d.xpath)
                for d in xsd_diagnostics(xml)
            )
        elif not wbxml:
            raw = data.encode("utf-8") if isinstance(data, str) else data
            out.extend(xsd_diagnostics(raw))
        if fatal is not None and not any(d.severity == "error" for d in out):
            out.append(fatal)
        # The fast path's warnings still say something the schema cannot (trimmed values).
        for d in parsed:
            mapped = _map_deviation(d)
            if mapped is not None and RULES[mapped[0]].oma == "warning":
                out.append(Diagnostic("warning", mapped[0], mapped[1], d.line, d.column, d.xpath))
    else:
        for d in parsed:
            mapped = _map_deviation(d)
            if mapped is not None:
                sev = RULES[mapped[0]].oma or "error"
                out.append(Diagnostic(sev, mapped[0], mapped[1], d.line, d.column, d.xpath))
        if fatal is not None:
            out.append(fatal)
    if obj is None:
        out.sort(key=_sort_key)
        return out

    late: list[Diagnostic] = []
    is_message = isinstance(obj, model.SyncML)
    root_path = "/SyncML" if is_message else f"/{type(obj).XML_NAME}"
    if not schema:
        version = "1.1" if prolog.ns == NS_SYNCML11 else "1.2"
        plans = _plans(version)
        if plans[type(obj)].visit:
            _structure(obj, root_path, plans, late)
        if is_message and prolog.hdr_children is not None:
            for name in ("VerDTD", "VerProto"):  # defaults in the model: only the input knows
                if name not in prolog.hdr_children:
                    line, col = prolog.hdr_pos
                    out.append(
                        Diagnostic(
                            "error",
                            "S105",
                            f"required element {name} is missing from SyncHdr",
                            line,
                            col,
                            "/SyncML/SyncHdr",
                        )
                    )
    check = _Checker(profile, late)
    if is_message:
        check.message(obj, prolog.ns)
        if req is not None:
            _match_request(obj, req, check, "/SyncML/SyncBody")
    elif type(obj) in CLASS_SPECS and hasattr(obj, "cmd_id"):
        check.command(obj, root_path, None)
    elif isinstance(obj, model.SyncBody):
        check.body(obj, root_path)
    elif isinstance(obj, model.Item):
        check.item(obj, root_path)
    elif isinstance(obj, model.Meta):
        check.meta(obj, root_path)
    if schema:
        # xmlschema already judged the structure; keep only protocol findings.
        late = [d for d in late if RULES[d.code].layer == 2]
    # A missing CmdID or CmdRef is already a structural S105 at the same element.
    missing = {d.xpath for d in out if d.code == "S105"}
    late = [d for d in late if not (d.code in ("DM201", "DM212") and d.xpath in missing)]
    out.extend(_with_positions(None if wbxml else data, late))
    out = list(dict.fromkeys(out))
    out.sort(key=_sort_key)
    return out


def validate_or_raise(
    source: Any,
    *,
    profile: Profile = "oma",
    request: Any = None,
    schema: bool = False,
    limits: Limits | None = None,
) -> list[Diagnostic]:
    """Like ``validate``, but raise ``SchemaInvalid`` when there is an error.

    Returns:
        The (warning and info) diagnostics of a valid message.

    Raises:
        SchemaInvalid: at least one error; ``.diagnostics`` holds every finding.
    """
    diags = validate(source, profile=profile, request=request, schema=schema, limits=limits)
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        name = os.fspath(source) if isinstance(source, os.PathLike) else None
        exc = SchemaInvalid(f"{first}{more}", list(diags))
        if name:
            exc.with_source(str(name))
        raise exc
    return diags
