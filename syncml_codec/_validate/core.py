"""``validate()``: structure (fast single pass or xmlschema) plus the DM protocol rules.

Strategy:
    1. **Read** (``_read``): the one reading pipeline, ``_source.read_document``; a whole
       ordinary message takes the fast path (it has no deviation to report, by design),
       anything else the tolerant exact path, which records every deviation as a ``P1xx``
       diagnostic with its position. The parser checks the ``Limits`` and refuses DTDs first;
       nothing else reads the input before it (a ``DecodeError`` is the one error diagnostic
       of the document). A profile snippet file (top-level commands, no root) is read inside a
       ``SyncBody`` wrapper and validated as that body's commands, CmdID optional; every
       finding is mapped back to the file's own lines and paths at the end (``_finish``).
    2. **Structure** (layer 1): ``structure.map_deviation`` maps each ``P1xx`` to an ``S1xx``
       rule by code; ``structure.check_structure`` adds the cardinality facts the builder cannot
       see. ``schema=True`` swaps this layer for ``xsd.xsd_diagnostics`` (xmlschema, the
       reference), run only on input the parser accepted within the limits.
    3. **Protocol** (layer 2): ``protocol.Checker`` walks the model once; ``EXTRA_CHECKERS``
       (below) run after it, on the same parsed message.
    4. **Positions**: findings that carry only a path get line and column from one targeted
       scan (``positions.with_positions``); a clean document pays nothing for positions.

Every rule lives in ``rules.RULES``; ``select``/``ignore`` filter by code or prefix.
Complexity: O(n) in the input, one parse plus one walk of the model.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from syncml_codec import model
from syncml_codec._builder import no_cyclic_gc
from syncml_codec._fast import Head
from syncml_codec._snippet import Mapper
from syncml_codec._source import read_document
from syncml_codec._table import CLASS_SPECS
from syncml_codec.codes import NS_SYNCML11, NS_SYNCML12
from syncml_codec.csp import Catalogue, bundled_catalogue, load_catalogue, parse_os_build
from syncml_codec.diagnostics import Diagnostic
from syncml_codec.errors import (
    DecodeError,
    EncodeError,
    ForbiddenConstruct,
    LimitExceeded,
    MalformedXML,
    SchemaInvalid,
    UnknownElement,
)
from syncml_codec.limits import DEFAULT_LIMITS, Limits
from syncml_codec.parse import parse
from syncml_codec.serialize import serialize

from .context import CheckContext, RuleChecker
from .families import auth_findings, csp_findings, packing_findings
from .positions import (
    Prolog,
    canonical_paths,
    element_facts,
    first_bare_child,
    prolog,
    with_positions,
)
from .protocol import Checker, match_request
from .rules import PROFILES, RULES, Profile, selected_codes, severity
from .structure import Facts, case_hint, check_structure, fact_paths, map_deviation
from .xsd import CODE_FORBIDDEN, CODE_LIMIT, CODE_NOT_WELL_FORMED, xsd_diagnostics

__all__ = ["EXTRA_CHECKERS", "CheckContext", "RuleChecker", "validate", "validate_or_raise"]


#: Checkers run after the built-in protocol rules, in order, on every message and fragment
#: that parsed. THE HOOK for further rule families (CSP definitions, authentication, packing):
#: add the function here and its codes to ``rules._RULE_LIST``; positions, severities and
#: ``select``/``ignore`` are applied to their findings like to every other rule's.
EXTRA_CHECKERS: Final[tuple[RuleChecker, ...]] = (auth_findings, packing_findings, csp_findings)


# --- the parse step ----------------------------------------------------------------------------


def _decode_error(exc: DecodeError) -> Diagnostic:
    """A parser exception as the one error diagnostic of the document."""
    message = exc.message
    if isinstance(exc, MalformedXML):
        code = CODE_NOT_WELL_FORMED
    elif isinstance(exc, ForbiddenConstruct):
        code = CODE_FORBIDDEN
    elif isinstance(exc, LimitExceeded):
        code = "LIMIT"
    elif isinstance(exc, UnknownElement):
        code = "S104"
        message = exc.message + case_hint(exc.xpath.rpartition("/")[2], exc.message)
    elif exc.message.startswith("required element"):
        code = "S105"
    else:
        code = "S100"
    pos = exc.position
    return Diagnostic(
        "error", code, message, pos.line if pos else 0, pos.column if pos else 0, exc.xpath
    )


def _sort_key(d: Diagnostic) -> tuple[bool, int, int]:
    return (d.line == 0, d.line, d.column)


def validate(
    source: Any,
    *,
    profile: Profile = "oma",
    request: Any = None,
    schema: bool = False,
    limits: Limits | None = None,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    csp: bool | Catalogue | str | os.PathLike[str] = False,
    os_build: str | None = None,
) -> list[Diagnostic]:
    """Validate one SyncML message, fragment or profile snippet file; never raises for bad input.

    A profile snippet file (commands with no SyncML root, as MDM servers store Windows
    configuration profiles: a first command declaring no namespace, or several top-level
    commands) is recognised by itself and validated as a sequence of commands with their own
    line numbers and paths (``/Replace[2]/Item[1]/Data``); CmdID may be left out (the server
    assigns it), an empty or duplicated one is still reported, and every other rule applies
    (the CSP rules with ``csp=`` too).

    Args:
        source: the XML (or WBXML) as bytes or str, a binary file object or an ``os.PathLike``
            path, as ``parse`` accepts.
        profile: ``"oma"`` (OMA DM 1.2) or ``"windows"`` ([MS-MDM] subset and allowances).
        request: the request this message answers (a parsed ``SyncML`` or anything ``parse``
            reads); enables the Status/Results matching rules (DM25x).
        schema: use xmlschema and the bundled XSD (the reference) for the structural layer
            instead of the fast single-pass check.
        limits: resource limits (``Limits()`` when None); they apply to both structural layers.
        select: rule codes or prefixes to report (``"DM2"``, ``["S1", "DM202"]`` or a
            comma-separated string), as ruff's ``--select``; None reports every rule.
        ignore: rule codes or prefixes not to report, applied after ``select``. XML001, XML002
            and LIMIT (the check could not be done) are always reported.
        csp: also check LocURIs, commands and values against Windows CSP definitions (rules
            C301-C308): True for the bundled catalogue, a ``syncml_codec.csp.Catalogue``, or
            the path of a DDF release (file, directory or zip) or ``.json.gz`` catalogue.
        os_build: a Windows build such as ``10.0.22631`` for the applicability rule C308
            (implies ``csp=True`` when ``csp`` is False).

    Returns:
        The diagnostics, sorted by position (unknown positions last). The message is valid
        when none has severity ``"error"``.

    Raises:
        ValueError: an unknown profile, a ``select``/``ignore`` entry matching no rule, or an
            ``os_build`` that is not a Windows build.
        DecodeError: ``request`` cannot be parsed (the check cannot be done).
        OSError: the ``csp`` path cannot be read.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; expected one of {', '.join(PROFILES)}")
    codes = selected_codes(select, ignore)
    options = _Options(
        profile, schema, limits or DEFAULT_LIMITS, _catalogue(csp, os_build), os_build
    )
    with no_cyclic_gc():
        out = _validate(source, request, options)
    return out if codes is None else [d for d in out if d.code in codes]


@dataclass(frozen=True, slots=True)
class _Options:
    """The run's options, as ``_validate`` and the checkers need them."""

    profile: Profile
    schema: bool
    limits: Limits
    csp: Catalogue | None
    os_build: str | None


def _catalogue(
    csp: bool | Catalogue | str | os.PathLike[str], os_build: str | None
) -> Catalogue | None:
    """The CSP catalogue ``validate(csp=...)`` asked for (the bundled one is loaded once)."""
    if os_build is not None and parse_os_build(os_build) is None:
        raise ValueError(f"os_build {os_build!r} is not a Windows build like 10.0.22631")
    if isinstance(csp, Catalogue):
        return csp
    if isinstance(csp, (str, os.PathLike)):
        return load_catalogue(csp)
    return bundled_catalogue() if csp or os_build is not None else None


@dataclass(slots=True)
class _Read:
    """The parse step's outcome."""

    data: bytes | str
    wbxml: bool
    obj: Any = None
    fatal: Diagnostic | None = None
    parsed: list[Diagnostic] | None = None
    snippet: Mapper | None = None
    head: Head | None = None  #: what the fast path saw of the message's start

    @property
    def scannable(self) -> bool:
        """The input may be scanned again: XML the parser accepted within the limits."""
        fatal = self.fatal
        return not self.wbxml and (fatal is None or fatal.code not in _REFUSED)


#: Fatal findings after which nothing reads the input again (limits and DTD refusal first).
_REFUSED: Final = frozenset((CODE_LIMIT, CODE_FORBIDDEN, CODE_NOT_WELL_FORMED))


def _read(source: Any, lim: Limits) -> _Read:
    """The one reading pipeline (``_source.read_document``): a whole ordinary message takes
    the fast path (no deviation to report, by design), a snippet file of top-level commands
    is read as a ``SyncBody`` of its own, anything else on the tolerant exact path."""
    try:
        doc = read_document(source, limits=lim, commands=True)
    except RecursionError:  # deep nesting under a raised max_depth: a limit, never an escape
        return _Read(b"", False, fatal=_too_deep(), parsed=[])
    read = _Read(
        doc.data,
        doc.wbxml,
        doc.message,
        parsed=doc.diagnostics,
        snippet=doc.snippet,
        head=doc.head,
    )
    if doc.error is not None:
        read.fatal = _decode_error(doc.error)
    return read


def _structural(read: _Read, profile: Profile, lim: Limits) -> list[Diagnostic]:
    """Layer 1 without schema: the parser's deviations mapped to rules."""
    parsed = read.parsed or []
    fragment_ns: str | None = None
    facts: dict[str, Facts] = {}
    if parsed and read.scannable:
        head = prolog(read.data)
        fragment_ns = head.ns if head.root and head.root != "SyncML" else None
        wanted = {p for d in parsed for p in fact_paths(d)}
        facts = element_facts(read.data, wanted) if wanted else {}
    out = []
    for d in parsed:
        mapped = map_deviation(d, facts.get, fragment_ns)
        if mapped is not None:
            level = severity(mapped[0], profile) or "error"
            out.append(Diagnostic(level, mapped[0], mapped[1], d.line, d.column, d.xpath))
    if read.fatal is not None:
        out.append(read.fatal)
    if read.snippet is not None and read.obj is not None:
        out.extend(_snippet_namespaces(read.data))
    return out


def _snippet_namespaces(data: bytes | str) -> list[Diagnostic]:
    """S115 once for a snippet file whose commands declare no namespace, as for a fragment
    ([MS-MDM] 2.2.4.1): the wrapper the file is read in supplies SYNCML:SYNCML1.2. One
    finding, at the first such command, not one for each."""
    bare = first_bare_child(data)
    if bare is None:
        return []
    name, index, line, column = bare
    message = f'<{name}> declares no namespace; expected xmlns="{NS_SYNCML12}"'
    return [Diagnostic("warning", "S115", message, line, column, f"/SyncBody/{name}[{index}]")]


def _reference(read: _Read, profile: Profile, lim: Limits) -> list[Diagnostic]:
    """Layer 1 with schema=True: xmlschema on input the parser accepted within the limits."""
    fatal = read.fatal
    if fatal is not None and fatal.code in _REFUSED:
        return [fatal]  # limits and DTD refusal first: xmlschema never sees such input
    out: list[Diagnostic] = []
    windows = profile == "windows"
    if read.wbxml and read.obj is not None:
        out.extend(_wbxml_reference(read.obj, windows, lim))
    elif not read.wbxml:
        raw = read.data.encode("utf-8") if isinstance(read.data, str) else read.data
        snippet = read.snippet is not None
        cap = lim.max_diagnostics
        out.extend(xsd_diagnostics(raw, windows=windows, max_diagnostics=cap, snippet=snippet))
    if fatal is not None and not any(d.severity == "error" for d in out):
        out.append(fatal)
    if read.snippet is not None and read.obj is not None:
        out.extend(_snippet_namespaces(read.data))
    # The fast path's warnings still say something the schema cannot (trimmed values, PIs,
    # a fragment without its namespace).
    parsed = read.parsed or []
    fragment_ns: str | None = None
    if parsed and read.scannable:
        head = prolog(read.data)
        fragment_ns = head.ns if head.root and head.root != "SyncML" else None
    for d in parsed:
        mapped = map_deviation(d, lambda _p: None, fragment_ns)
        if mapped is None:
            continue
        # WBXML: the schema sees the model written back as XML, so what the decoder dropped
        # (an unknown or misplaced element, stray text) is judged from its deviation, errors
        # too; for XML input the schema saw it, and only the warnings add something.
        level = severity(mapped[0], profile) if read.wbxml else RULES[mapped[0]].oma
        if level == "warning" or (read.wbxml and level == "error"):
            out.append(Diagnostic(level, mapped[0], mapped[1], d.line, d.column, d.xpath))
    return out


def _wbxml_reference(obj: Any, windows: bool, lim: Limits) -> list[Diagnostic]:
    """The XSD check of a WBXML message: its model, written as XML, against the schema."""
    try:
        xml = serialize(obj)
    except EncodeError as exc:  # the model breaks the DTD (an empty SessionID...): say so
        return [Diagnostic("error", "XSD001", f"the message does not fit the DTD: {exc}")]
    found = xsd_diagnostics(xml, windows=windows, max_diagnostics=lim.max_diagnostics)
    return [Diagnostic(d.severity, d.code, d.message, xpath=d.xpath) for d in found]


def _validate(source: Any, request: Any, opts: _Options) -> list[Diagnostic]:
    profile, schema, lim = opts.profile, opts.schema, opts.limits
    req: model.SyncML | None = None
    if request is not None:
        req = request if isinstance(request, model.SyncML) else parse(request, limits=lim)
    read = _read(source, lim)
    out = _reference(read, profile, lim) if schema else _structural(read, profile, lim)
    if read.scannable:
        out = canonical_paths(read.data, out)
    obj = read.obj
    if obj is None:
        return _finish(out, read.snippet, lim)
    is_message = isinstance(obj, model.SyncML)
    root_path = "/SyncML" if is_message else f"/{type(obj).XML_NAME}"
    late: list[Diagnostic] = []
    head = _prolog(read) if not read.wbxml else None  # after the parse: limits checked
    if not schema:
        version = "1.1" if head is not None and head.ns == NS_SYNCML11 else "1.2"
        check_structure(obj, root_path, version, late)
        if is_message and head is not None:
            out.extend(_header_versions(head))
    commands = obj.commands if read.snippet is not None else None
    data = read.data
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)  # MaxMsgSize: bytes
    context = CheckContext(obj, root_path, profile, req, size, opts.csp, opts.os_build, commands)
    try:
        _protocol(context, head.ns if head else "", late)
    except RecursionError:  # nesting past Python's recursion limit (Limits.max_depth raised)
        out.append(_too_deep())
    if schema:
        # xmlschema already judged the structure; keep only protocol findings.
        late = [d for d in late if RULES[d.code].layer == 2]
    # A missing CmdID or CmdRef is already a structural S105 at the same element.
    missing = {d.xpath for d in out if d.code == "S105"}
    late = [d for d in late if not (d.code in ("DM201", "DM212") and d.xpath in missing)]
    if read.snippet is not None:
        late = _assigned_cmd_ids(read.data, late)
    out.extend(with_positions(None if read.wbxml else read.data, late))
    return _finish(out, read.snippet, lim)


def _finish(out: list[Diagnostic], snippet: Mapper | None, lim: Limits) -> list[Diagnostic]:
    """Unique findings in position order (a snippet file's in its own terms), at most
    ``Limits.max_diagnostics``."""
    if snippet is not None:
        out = [snippet.diagnostic(d) for d in out]
    out = list(dict.fromkeys(out))
    out.sort(key=_sort_key)
    return out[: lim.max_diagnostics]


def _assigned_cmd_ids(data: bytes | str, late: list[Diagnostic]) -> list[Diagnostic]:
    """A snippet file's commands may leave CmdID out (the server assigns it): DM201 only for
    a CmdID element that is there and empty. [MS-MDM] 2.2.3.2 (CmdID) applies to the message
    the server builds, not to the stored profile."""
    empty = [d.xpath for d in late if d.code == "DM201"]
    if not empty:
        return late
    facts = element_facts(data, empty)
    present = {p for p in empty if p in facts and "CmdID" in facts[p].children}
    return [d for d in late if d.code != "DM201" or d.xpath in present]


def _too_deep() -> Diagnostic:
    return Diagnostic(
        "error", CODE_LIMIT, "elements nest too deeply for this Python's recursion limit"
    )


def _prolog(read: _Read) -> Prolog:
    """The start of the message: from the fast read when it saw SyncHdr whole and nothing is
    missing from it (a server's everyday request: no second scan), else scanned."""
    head = read.head
    if head is not None and head.hdr_children >= _VERSIONS:
        return Prolog("SyncML", head.ns, set(head.hdr_children))
    return prolog(read.data)


_VERSIONS: Final = frozenset(("VerDTD", "VerProto"))


def _header_versions(head: Any) -> list[Diagnostic]:
    """S105 for a missing VerDTD/VerProto: the model fills defaults, only the input knows."""
    if head.hdr_children is None:
        return []
    line, col = head.hdr_pos
    return [
        Diagnostic(
            "error",
            "S105",
            f"required element {name} is missing from SyncHdr",
            line,
            col,
            "/SyncML/SyncHdr",
        )
        for name in ("VerDTD", "VerProto")
        if name not in head.hdr_children
    ]


def _protocol(context: CheckContext, ns: str, late: list[Diagnostic]) -> None:
    """Layer 2: the built-in protocol rules, then every ``EXTRA_CHECKERS`` entry."""
    obj, root_path, req = context.obj, context.root_path, context.request
    check = Checker(context.profile, late)
    if isinstance(obj, model.SyncML):
        check.message(obj, ns)
        if req is not None:
            match_request(obj, req, check, "/SyncML/SyncBody")
    elif type(obj) in CLASS_SPECS and hasattr(obj, "cmd_id"):
        check.command(obj, root_path, None)
    elif isinstance(obj, model.SyncBody):
        check.body(obj, root_path)
    elif isinstance(obj, model.Item):
        check.item(obj, root_path)
    elif isinstance(obj, model.Meta):
        check.meta(obj, root_path)
    for checker in EXTRA_CHECKERS:
        for code, message, xpath in checker(context):
            check.report(code, message, xpath)


def validate_or_raise(
    source: Any,
    *,
    profile: Profile = "oma",
    request: Any = None,
    schema: bool = False,
    limits: Limits | None = None,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    csp: bool | Catalogue | str | os.PathLike[str] = False,
    os_build: str | None = None,
) -> list[Diagnostic]:
    """Like ``validate``, but raise ``SchemaInvalid`` when there is an error.

    Returns:
        The (warning and info) diagnostics of a valid message.

    Raises:
        SchemaInvalid: at least one error; ``.diagnostics`` holds every finding.
    """
    diags = validate(
        source,
        profile=profile,
        request=request,
        schema=schema,
        limits=limits,
        select=select,
        ignore=ignore,
        csp=csp,
        os_build=os_build,
    )
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
