"""The rule table: every validation rule with its layer, severity per profile and citation.

``RULES`` is the one place a rule's severity is decided: the profiles differ only in the
``oma`` and ``windows`` columns (and in the Atomic member sets of ``protocol``), never in check
code. Citations name the primary documents:

* ``OMA-SUP-DTD_SyncML_RepPro-V1_2`` and ``OMA-SUP-DTD_SyncML_MetaInfo-V1_2``: the SyncML 1.2
  and MetInf 1.2 DTDs (the bundled XSDs are written from them);
* ``OMA-TS-DM_RepPro`` / ``OMA-TS-DM_Protocol``: OMA DM 1.2.1 representation and protocol;
* ``[MS-MDM]`` with its section number, and Microsoft Learn pages by title;
* ``W3C XML 1.0`` with its section number.

``note`` records a decision the citation alone does not make (what both validators do with an
input the documents leave open, or the evidence for a Windows relaxation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, Literal, TypeAlias

from syncml_codec.auth import AUTH_RULES
from syncml_codec.csp import CSP_RULES
from syncml_codec.diagnostics import Rule, Severity
from syncml_codec.packing import PACKING_RULES

__all__ = ["ALWAYS", "PROFILES", "RULES", "Profile", "Rule", "selected_codes", "severity"]

#: Validation profiles: plain OMA DM 1.2, or the [MS-MDM] Windows subset and allowances.
Profile: TypeAlias = Literal["oma", "windows"]
PROFILES: Final[tuple[Profile, ...]] = ("oma", "windows")


_E: Final = "error"
_W: Final = "warning"

_DTD: Final = "OMA-SUP-DTD_SyncML_RepPro-V1_2"
_MET: Final = "OMA-SUP-DTD_SyncML_MetaInfo-V1_2"
_REP: Final = "OMA-TS-DM_RepPro"
_PRO: Final = "OMA-TS-DM_Protocol"
_L_OMA: Final = "Learn 'OMA DM protocol support'"
_L_STRUCT: Final = "Learn 'Structure of OMA DM provisioning files'"

# Evidence for the windows relaxations S117 and S118 (Microsoft's published samples).
_ADMX_EVIDENCE: Final = (
    "Learn 'Win32 and Desktop Bridge app ADMX policy Ingestion' and 'Understanding ADMX"
    " policies' publish working ADMXInstall samples laid out as <Item><Meta><Format>chr"
    "</Format><Type>text/plain</Type></Meta><Target>...</Target><Data>...</Data></Item>"
    " (Meta first, MetInf without xmlns); MDM servers' Windows Custom Settings profiles keep"
    " that layout; what Windows rejects (Data before Target, a misspelled namespace) stays"
    " an error"
)

_RULE_LIST: Final = (
    # --- layer 1: structure (agrees with the bundled XSD; xmlschema is the reference) ------
    Rule("XML001", 1, _E, _E, "the input must be well-formed XML", "W3C XML 1.0 2.1"),
    Rule(
        "XML002",
        1,
        _E,
        _E,
        "no DOCTYPE, entity declaration or external reference",
        "W3C XML 1.0 2.8, 4.2",
        "refused before anything is expanded; every scanner runs after the limits are checked",
    ),
    Rule("LIMIT", 1, _E, _E, "the input must stay within the configured Limits", "Limits"),
    Rule("XSD001", 1, _E, _E, "the document must match the bundled XSD (schema=True)", _DTD),
    Rule("S100", 1, _E, _E, "the message must have the structure the DTD gives", _DTD),
    Rule(
        "S101",
        1,
        _E,
        _E,
        "SyncML elements in SYNCML:SYNCML1.2, MetInf in syncml:metinf",
        f"[MS-MDM] 2.2.4.1; {_MET}",
        "a namespace-less fragment is read as SYNCML:SYNCML1.2 (S115), so a child that"
        " declares SYNCML:SYNCML1.2 explicitly inside it is in the right namespace",
    ),
    Rule("S102", 1, _E, _E, "children must follow DTD order", f"{_DTD}; [MS-MDM] 2.2.2"),
    Rule("S103", 1, _E, _E, "a status or alert code is digits only, no whitespace", _DTD),
    Rule(
        "S104",
        1,
        _E,
        _E,
        "only elements the DTD allows at that place",
        f"{_DTD}; [MS-MDM] 2.2.4.3",
        "an Item inside an Item is not in the Item model: an error in both validators",
    ),
    Rule("S105", 1, _E, _E, "required element present", _DTD),
    Rule("S106", 1, _E, _E, "an element may not repeat more often than the DTD allows", _DTD),
    Rule(
        "S107",
        1,
        _E,
        _E,
        "no text in element-only content",
        f"{_DTD}; W3C XML 1.0 2.3 (S), 3.2.1",
        "only space, tab, CR and LF are XML white space: other Unicode spaces (U+2003 EM"
        " SPACE, U+00A0) are text, an error in both validators (xmlschema alone would take"
        " them as white space, so schema=True checks them itself)",
    ),
    Rule("S108", 1, _E, _E, "MetInf elements directly in Meta, no <MetInf> wrapper", _MET),
    Rule(
        "S110",
        1,
        _E,
        _E,
        "no attributes other than xmlns (and msft:*)",
        f"{_DTD}; [MS-MDM] 2.2.5.1",
    ),
    Rule("S111", 1, _W, _W, "WBXML OPAQUE text should be UTF-8", "OMA-TS-SyncML_RepPro 8"),
    Rule("S113", 1, _W, _W, "no whitespace around a text value (it is trimmed)", _DTD),
    Rule("S114", 1, _W, _W, "each MetInf element at most once per Meta (EMI excepted)", _MET),
    Rule("S115", 1, _W, _W, "a fragment should declare its namespace", "[MS-MDM] 2.2.4.1"),
    Rule(
        "S116",
        1,
        _W,
        _W,
        "no processing instructions (SyncML has none; they are ignored)",
        "W3C XML 1.0 2.6",
        "a processing instruction is not character data, so it cannot break a content model:"
        " both validators call the message valid and report this warning",
    ),
    Rule(
        "S117",
        1,
        _E,
        _W,
        "Item children in DTD order; Windows accepts Meta before Target/Source",
        f"{_DTD}; [MS-MDM] 2.2.2",
        _ADMX_EVIDENCE,
    ),
    Rule(
        "S118",
        1,
        _E,
        _W,
        'MetInf Format/Type declare xmlns="syncml:metinf"; Windows accepts them without it',
        f"{_MET}; [MS-MDM] 2.2.5.3",
        _ADMX_EVIDENCE,
    ),
    Rule(
        "S119",
        1,
        _W,
        _W,
        "a WBXML public identifier given as a string-table entry ends with its NUL",
        "WAP-192-WBXML-20010725-a 5.6, 5.7 (public identifier, string table)",
        "device test vectors write the 29 bytes of the identifier without the NUL; libwbxml"
        " reads them, so both validators accept the message with this warning",
    ),
    Rule("S120", 1, _E, _E, "Item+ / (commands)+ must not be empty", _DTD),
    Rule("S121", 1, _E, _E, "MetInf Format must be a known value", f"{_MET}; OMA-TS-DM_TND"),
    # --- layer 2: protocol rules ------------------------------------------------------------
    Rule("DM201", 2, _E, _E, "every command has a non-empty CmdID", f"[MS-MDM] 2.2.3.2; {_L_OMA}"),
    Rule("DM202", 2, _E, _E, "CmdID is unique within the message", "[MS-MDM] 2.2.3.2"),
    Rule("DM203", 2, _E, _E, 'CmdID is not "0"', "[MS-MDM] 2.2.3.2"),
    Rule("DM204", 2, _E, _E, "MsgID and MsgRef are positive integers", "[MS-MDM] 2.2.3.6"),
    Rule("DM205", 2, _W, _W, "CmdID and CmdRef are decimal integers", "[MS-MDM] 2.2.3.2"),
    Rule(
        "DM206", 2, _E, _E, "SessionID is present and not empty", f"[MS-MDM] 2.2.3.8; {_PRO} 2.3.3"
    ),
    Rule("DM207", 2, _W, _E, "SessionID is at most 4 bytes", "[MS-MDM] 2.2.3.8"),
    Rule(
        "DM208",
        2,
        _E,
        _E,
        "VerDTD 1.2 goes with VerProto DM/1.2 (1.1 with DM/1.1)",
        f"{_REP} 4.1.1.25; [MS-MDM] 2.2.3.13, 2.2.3.14",
    ),
    Rule("DM209", 2, _W, _W, "the root namespace matches VerDTD", f"[MS-MDM] 2.2.4.1; {_L_STRUCT}"),
    Rule("DM210", 2, _E, _E, "the Status for SyncHdr is the first Status", "[MS-MDM] 2.2.6.1"),
    Rule("DM211", 2, _E, _E, "CmdRef 0 goes with Cmd SyncHdr and back", "[MS-MDM] 2.2.6.1"),
    Rule(
        "DM212",
        2,
        _E,
        _E,
        "Status/Results CmdRef (and Status MsgRef) not empty",
        "[MS-MDM] 2.2.6.1, 2.2.7.8",
    ),
    Rule("DM213", 2, _E, _E, "Cred only in SyncHdr", f"{_REP} 4.1.1.6"),
    Rule("DM214", 2, _E, _E, "Alert code valid in OMA DM", f"{_REP} 4.2"),
    Rule("DM215", 2, None, _E, "no UI alerts 1100-1104 on Windows", f"{_L_OMA}; {_PRO} 2.5"),
    Rule(
        "DM216",
        2,
        _E,
        _E,
        "generic alert 1226 Items carry Meta Type, Format, Data",
        f"{_PRO} 2.3.7",
    ),
    Rule(
        "DM217",
        2,
        _E,
        _W,
        "client event 1224 Items carry Meta Type, Format, Data",
        f"{_REP} 4.2; [MS-MDM] 2.2.7.2",
    ),
    Rule("DM220", 2, _E, _E, "Atomic holds only allowed members", f"{_REP} 4.1.6.3; {_L_OMA}"),
    Rule("DM221", 2, _E, _E, "Sequence holds only allowed members", f"{_REP} 4.1.6.14"),
    Rule(
        "DM223",
        2,
        _E,
        _E,
        "MaxMsgSize, MaxObjSize, Size are decimal integers",
        f"{_MET}; {_PRO} 2.2",
    ),
    Rule(
        "DM224",
        2,
        _E,
        _E,
        "LocURI: no leading /, no empty or inner . segment",
        f"{_L_STRUCT}; {_L_OMA}",
        "a trailing '/' makes an empty last segment",
    ),
    Rule("DM230", 2, None, _E, "no Copy on Windows", _L_OMA),
    Rule("DM232", 2, None, _E, "no Correlator on Windows", "[MS-MDM] 2.2.7.2"),
    Rule("DM233", 2, _W, _E, "no NoResp (not used in DM)", f"{_REP} 4.1.1.14"),
    Rule(
        "DM250",
        2,
        _E,
        _E,
        "Status/Results refer to a command of the request",
        f"[MS-MDM] 2.2.6.1; {_REP} 4.1.5.1",
    ),
    Rule("DM251", 2, _E, _E, "no request command answered twice", f"{_REP} 4.1.5.1"),
    Rule("DM252", 2, _E, _E, "one Status per request command", f"{_REP} 4.1.5.1; {_PRO} 2.3"),
    Rule("DM253", 2, _E, _E, "Status Cmd names the referenced command", "[MS-MDM] 2.2.3.1"),
    Rule("DM254", 2, _E, _E, "Statuses in request order", f"{_REP} 4.1.5.1"),
    Rule("DM255", 2, _E, _E, "Results come after the Status of the same Get", f"{_REP} 4.1.6.12"),
    Rule("DM256", 2, _E, _E, "no Status for Results with code 200", f"{_REP} 4.1.5.1"),
)

#: Every rule, by code (the one table both profiles read).
#: Every rule: the validator's own, then the families that live beside their feature
#: (authentication DM260-DM269, packing DM270-DM275, CSP definitions C301-C308).
RULES: Final[Mapping[str, Rule]] = {
    r.code: r for r in (*_RULE_LIST, *AUTH_RULES, *PACKING_RULES, *CSP_RULES)
}

#: Codes reported whatever ``select``/``ignore`` say: the check itself could not be done.
ALWAYS: Final = frozenset(("XML001", "XML002", "LIMIT"))


def severity(code: str, profile: Profile) -> Severity | None:
    """The severity of rule ``code`` under ``profile`` (None: the rule is off there)."""
    rule = RULES[code]
    return rule.windows if profile == "windows" else rule.oma


def _patterns(value: str | Iterable[str], what: str) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value)
    out = []
    for raw in items:
        item = raw.strip().upper()
        if not item:
            continue
        if not any(code.startswith(item) for code in RULES):
            raise ValueError(
                f"unknown rule code or prefix {raw.strip()!r} in {what}; expected a code of"
                " syncml_codec.RULES (such as 'DM202') or a prefix of one (such as 'DM2')"
            )
        out.append(item)
    return out


def selected_codes(
    select: str | Iterable[str] | None, ignore: str | Iterable[str] | None
) -> frozenset[str] | None:
    """The rule codes a run reports, as ruff's ``--select``/``--ignore`` decide them.

    Args:
        select: codes or prefixes (``"DM2"``) to report, comma-separated or an iterable; None
            means every rule.
        ignore: codes or prefixes to leave out of what ``select`` chose.

    Returns:
        The codes to report, or None for "every rule" (nothing selected or ignored). ``ALWAYS``
        codes are part of every selection.

    Raises:
        ValueError: a code or prefix that matches no rule.
    """
    if select is None and ignore is None:
        return None
    chosen = _patterns(select, "select") if select is not None else [""]
    dropped = _patterns(ignore, "ignore") if ignore is not None else []
    codes = {
        code
        for code in RULES
        if any(code.startswith(p) for p in chosen) and not any(code.startswith(p) for p in dropped)
    }
    return frozenset(codes | ALWAYS)
