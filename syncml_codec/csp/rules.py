"""The CSP rules (C301-C308): commands checked against the device's own schema, the DDF.

Strategy: one walk over the commands (a whole message, a SyncBody, one command, or a plain
tuple of commands as a profile snippet parses to). Direction matters ([MS-MDM] 2.2.7;
OMA-TS-DM_Protocol 8.x): what a server sends to a device (Add, Replace, Delete, Exec, Get,
inside Atomic and Sequence too) is looked up by its Target LocURI and checked for existence
(C301), scope (C305), access (C302), deprecation (C307) and applicability (C308); Add and
Replace, which write the node's value, are also checked for Format (C303), value (C304) and
Atomic (C306). An Exec's Data is an argument, not the node's value (Microsoft's DMClient
example Execs ``Provider/{ProviderID}/Unenroll`` with Format chr and the ProviderID although
the node's DFFormat is null), so Exec gets no C303/C304. What a device sends (Results, Status,
Alert, a package-1 Replace whose Items carry only a Source) is never access-checked; a Source
LocURI no DDF knows is at most information (C301 as ``info``).

Element paths follow ``syncml_codec._paths``: commands and Items repeat, so they carry
``[n]``; Target, LocURI, Meta, Format and Data do not. Paths are built only for findings.
Complexity: O(Items x LocURI segments), one dict lookup per segment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final

from syncml_codec import model
from syncml_codec.diagnostics import Diagnostic, Rule, Severity

from ._values import value_problem
from .catalogue import Catalogue, Match, bundled_catalogue

__all__ = ["CSP_RULES", "check_csp", "parse_os_build"]

_E: Final = "error"
_W: Final = "warning"
_I: Final = "info"
_CITE: Final = "Learn 'OMA DM protocol support'; Learn 'Configuration service provider DDF files'"

#: The CSP rules, registered in ``syncml_codec.RULES`` (layer 3: the device's
#: own schema). Both profiles give the same severity: the checks are asked for explicitly.
CSP_RULES: Final[tuple[Rule, ...]] = (
    Rule("C301", 3, _E, _E, "the LocURI names a node of a CSP (DDF)", _CITE),
    Rule("C302", 3, _E, _E, "the command is in the node's AccessType", _CITE),
    Rule("C303", 3, _E, _E, "Add/Replace Meta Format equals the node's DFFormat", _CITE),
    Rule("C304", 3, _E, _E, "an Add/Replace value is within the node's AllowedValues", _CITE),
    Rule("C305", 3, _E, _E, "./User only for user nodes, ./Device only for device nodes", _CITE),
    Rule("C306", 3, _E, _E, "an AtomicRequired node is written inside Atomic", _CITE),
    Rule("C307", 3, _W, _W, "the node is not deprecated", _CITE),
    Rule("C308", 3, _I, _I, "the node applies to the OS build given (os_build)", _CITE),
)
_SEVERITY: Final = {r.code: r.windows or _E for r in CSP_RULES}

_SERVER: Final = frozenset({"Add", "Replace", "Delete", "Exec", "Get"})
_WRITES: Final = frozenset({"Add", "Replace"})
_BUILD: Final = re.compile(r"\s*(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?\s*\Z")

Build = tuple[int, int, int, int | None]


def parse_os_build(text: str) -> Build | None:
    """``10.0.22631`` or ``10.0.22631.2861`` as a tuple (UBR None when absent), else None."""
    m = _BUILD.match(text)
    if m is None:
        return None
    ubr = m.group(4)
    return int(m.group(1)), int(m.group(2)), int(m.group(3)), int(ubr) if ubr else None


def _applies(os_build: Build, listed: str) -> bool:
    """Does a node whose ``MSFT:OsBuildVersion`` is ``listed`` exist on ``os_build``?

    The list form ``10.0.22621, 10.0.22000.918`` names the first build of each servicing
    branch: the first entry is the general minimum, a later one admits its own branch from
    that update (UBR) on. An OS build given without UBR is taken as the branch's latest.
    """
    entries = [b for b in (parse_os_build(p) for p in listed.split(",")) if b is not None]
    if not entries:
        return True
    major = os_build[:3]
    first = entries[0]
    if major > first[:3] or (major == first[:3] and _ubr_ok(os_build[3], first[3])):
        return True
    return any(major == e[:3] and _ubr_ok(os_build[3], e[3]) for e in entries[1:])


def _ubr_ok(have: int | None, need: int | None) -> bool:
    return have is None or need is None or have >= need


class _Checker:
    __slots__ = ("cat", "lookups", "os_build", "out")

    def __init__(self, cat: Catalogue, os_build: Build | None, out: list[Diagnostic]) -> None:
        self.cat = cat
        self.os_build = os_build
        self.out = out
        self.lookups: dict[str, Match | None] = {}  # LocURI -> match, within one check

    def lookup(self, uri: str) -> Match | None:
        try:
            return self.lookups[uri]
        except KeyError:
            m = self.lookups[uri] = self.cat.lookup(uri)
            return m

    def report(self, code: str, message: str, xpath: str, severity: Severity | None = None) -> None:
        self.out.append(Diagnostic(severity or _SEVERITY[code], code, message, xpath=xpath))

    def commands(self, cmds: Iterable[Any], path: str, atomic: bool) -> None:
        seen: dict[str, int] = {}
        for cmd in cmds:
            name: str = getattr(cmd, "XML_NAME", "")
            if not name:
                continue
            n = seen[name] = seen.get(name, 0) + 1
            here = f"{path}/{name}[{n}]"
            if name in ("Atomic", "Sequence"):
                self.commands(cmd.commands, here, atomic or name == "Atomic")
            elif name in _SERVER:
                self.server_command(cmd, name, here, atomic)
            else:
                self.device_command(cmd, here)

    def device_command(self, cmd: Any, path: str) -> None:
        for k, item in enumerate(getattr(cmd, "items", ()), 1):
            if item.source is not None:
                self.unknown_source(item.source.loc_uri, f"{path}/Item[{k}]/Source/LocURI")

    def unknown_source(self, uri: str, xpath: str) -> None:
        m = self.lookup(uri)
        if m is None or m.node is not None or self.cat.other_scope(uri) is not None:
            return
        self.report("C301", f"no CSP (DDF) describes {uri[:120]!r}", xpath, _I)

    def server_command(self, cmd: Any, name: str, path: str, atomic: bool) -> None:
        cmd_meta = getattr(cmd, "meta", None)
        for k, item in enumerate(cmd.items, 1):
            ip = f"{path}/Item[{k}]"
            if item.target is None:
                if name in _WRITES and item.source is not None:  # device data (package 1)
                    self.unknown_source(item.source.loc_uri, f"{ip}/Source/LocURI")
                continue
            uri = item.target.loc_uri
            m = self.lookup(uri)
            if m is None:
                continue  # not a management-tree path (absolute URI, URN)
            xp = f"{ip}/Target/LocURI"
            if m.node is None:
                self.missing(uri, m, xp)
                continue
            self.node(name, item, m, ip, xp, atomic, cmd_meta)

    def missing(self, uri: str, m: Match, xpath: str) -> None:
        other = self.cat.other_scope(uri)
        if other is not None:
            where = "the device" if other.scope == "device" else "the user"
            self.report(
                "C305",
                f"{uri[:120]!r} is not in the {m.scope} scope: {other.path} exists only for"
                f" {where}; expected {'./Device' if other.scope == 'device' else './User'}/...",
                xpath,
            )
            return
        hints = self.cat.suggest(uri)
        hint = f"; did you mean {' or '.join(hints)}?" if hints else ""
        if len(hints) == 1 and hints[0].casefold() == uri.strip().partition("?")[0].casefold():
            hint = f"; did you mean {hints[0]}? (node names are case-sensitive)"
        self.report(
            "C301", f"no node {m.missing!r} under {m.path} (LocURI {uri[:120]!r}){hint}", xpath
        )

    def node(
        self,
        name: str,
        item: model.Item,
        m: Match,
        ip: str,
        xp: str,
        atomic: bool,
        cmd_meta: model.Meta | None,
    ) -> None:
        node = m.node
        assert node is not None
        access = m.access
        if name not in access:
            why = " (read-only under Policy/Result)" if m.read_only else ""
            self.report(
                "C302",
                f"{name} is not allowed on {m.path}{why}; its AccessType is"
                f" {', '.join(sorted(access)) or 'empty'}",
                xp,
            )
        elif name in _WRITES:
            self.write(name, item, m, ip, cmd_meta)
            if m.atomic_required and not atomic:
                self.report(
                    "C306",
                    f"{name} of {m.path} outside Atomic; the CSP requires Atomic"
                    " (MSFT:AtomicRequired)",
                    ip.rpartition("/Item[")[0],
                )
        if node.deprecated is not None:
            since = f" since {node.deprecated}" if node.deprecated else ""
            self.report("C307", f"{m.path} is deprecated{since}", xp)
        applic = node.applicability
        build = self.os_build
        if build is not None and applic is not None and not _applies(build, applic.os_build):
            shown = ".".join(str(x) for x in build if x is not None)
            self.report(
                "C308",
                f"{m.path} is not available on OS build {shown}; it needs {applic.os_build}",
                xp,
            )

    def write(
        self, name: str, item: model.Item, m: Match, ip: str, cmd_meta: model.Meta | None
    ) -> None:
        node = m.node
        assert node is not None
        want = node.format
        meta = item.meta if item.meta is not None else cmd_meta
        fmt = meta.format if meta is not None and meta.format else None
        if cmd_meta is not None and item.meta is not None and item.meta.format is None:
            fmt = cmd_meta.format or None
        if want in ("", "null"):
            return  # no value to write (Policy's generic {PolicyName} is null: ADMX ingestion)
        if fmt is None and want != "node" and want != "chr":
            self.report(
                "C303",
                f"{name} of {m.path} has no Meta Format, so chr by default; the node's DFFormat"
                f" is {want}",
                ip,
            )
            return
        if fmt is not None and fmt != want:
            self.report(
                "C303",
                f"Meta Format is {fmt!r} but the DFFormat of {m.path} is {want!r}",
                f"{ip}/Meta/Format",
            )
            return
        if item.data is None or item.more_data or want == "node":
            return
        problem = value_problem(want, node.allowed, str(item.data))
        if problem is not None:
            shown = str(item.data).strip()
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            self.report("C304", f"the value {shown!r} of {m.path} {problem}", f"{ip}/Data")


def check_csp(
    commands_or_message: Any,
    catalogue: Catalogue | None = None,
    *,
    os_build: str | None = None,
    applicability: Severity = "info",
) -> list[Diagnostic]:
    """Check commands against the Windows CSP catalogue (rules C301-C308, ``CSP_RULES``).

    Args:
        commands_or_message: a ``SyncML`` message, a ``SyncBody``, one command, or an iterable
            of commands (what a profile snippet file parses to).
        catalogue: the catalogue to check against; the bundled one when None.
        os_build: a Windows build such as ``10.0.22631`` (or ``10.0.22631.2861``); enables
            C308 for nodes whose ``MSFT:Applicability`` needs a later build.
        applicability: the severity of C308 (``info`` unless asked otherwise).

    Returns:
        The findings, in document order, with element paths (``/SyncML/SyncBody/Replace[1]/
        Item[1]/Target/LocURI``; for a tuple of commands, ``/Replace[1]/...``). Positions are
        unknown (0): the model has none.

    Raises:
        ValueError: ``os_build`` is not of the form ``10.0.22631``.
    """
    cat = catalogue if catalogue is not None else bundled_catalogue()
    build = None
    if os_build is not None:
        build = parse_os_build(os_build)
        if build is None:
            raise ValueError(f"os_build {os_build!r} is not a Windows build like 10.0.22631")
    out: list[Diagnostic] = []
    check = _Checker(cat, build, out)
    obj = commands_or_message
    if isinstance(obj, model.SyncML):
        # A SyncML DS message (VerProto SyncML/1.x) addresses data stores, not a DM tree.
        if obj.sync_hdr.ver_proto.strip().upper().startswith("DM/"):
            check.commands(obj.sync_body.commands, "/SyncML/SyncBody", False)
    elif isinstance(obj, model.SyncBody):
        check.commands(obj.commands, "/SyncBody", False)
    elif hasattr(obj, "XML_NAME") and hasattr(obj, "cmd_id"):
        name = obj.XML_NAME
        if name in ("Atomic", "Sequence"):
            check.commands(obj.commands, f"/{name}", name == "Atomic")
        else:
            check.commands((obj,), "", False)
            out[:] = [_unindex_root(d, name) for d in out]
    elif isinstance(obj, Iterable) and not isinstance(obj, (str, bytes)):
        check.commands(obj, "", False)
    if applicability != "info":
        out[:] = [
            Diagnostic(applicability, d.code, d.message, d.line, d.column, d.xpath)
            if d.code == "C308"
            else d
            for d in out
        ]
    return out


def _unindex_root(d: Diagnostic, name: str) -> Diagnostic:
    # A single command is the document's root: the root step carries no index (_paths).
    prefix = f"/{name}[1]"
    if d.xpath.startswith(prefix):
        d = Diagnostic(
            d.severity, d.code, d.message, d.line, d.column, f"/{name}" + d.xpath[len(prefix) :]
        )
    return d
