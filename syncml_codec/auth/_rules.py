"""Authentication rules one message can be checked against (codes DM260-DM269).

``check_message`` collects ``Diagnostic`` values with element paths in the ``_paths`` form;
``AUTH_RULES`` lists the rules in the field order of ``syncml_codec.validate.Rule`` (code,
layer, oma severity, windows severity, summary, cite), so the validator registers them with
``Rule(*entry)`` and calls ``check_message`` from its protocol layer. Cred outside SyncHdr is
already the validator's DM213.
"""

from __future__ import annotations

from typing import Final, Literal

from syncml_codec._paths import format_path
from syncml_codec.diagnostics import Diagnostic, Rule
from syncml_codec.errors import DecodeError
from syncml_codec.model import Chal, Cred, Status, SyncML

from ._cred import header_status
from ._digest import (
    AUTH_BASIC,
    AUTH_MAC,
    AUTH_MD5,
    NONCE_BYTES,
    b64decode_strict,
    decode_basic,
    normalize_scheme,
)

__all__ = ["AUTH_RULES", "check_message"]


_E: Final = "error"
_W: Final = "warning"

#: The authentication rules, for ``validate.RULES`` (``Rule(*entry)`` for each).
AUTH_RULES: Final[tuple[Rule, ...]] = (
    Rule(
        "DM260",
        2,
        _E,
        _E,
        "a Chal with auth-md5 or auth-MAC has Format b64",
        "OMA-TS-DM_RepPro 4.1.1.2",
    ),
    Rule(
        "DM261",
        2,
        _E,
        _E,
        "a Chal with auth-md5 or auth-MAC has a NextNonce",
        "OMA-TS-DM_RepPro 4.1.1.2",
    ),
    Rule(
        "DM262",
        2,
        _E,
        _E,
        "NextNonce is non-empty canonical base64",
        "OMA-TS-DM_RepPro 4.1.1.2; OMA-TS-DM_Security 5.1.3.3",
    ),
    Rule(
        "DM263",
        2,
        _W,
        _W,
        "NextNonce is at least 16 bytes (128 bits)",
        "OMA-TS-DM_Security 5.1.3.3",
    ),
    Rule(
        "DM264",
        2,
        _E,
        _E,
        "a Status 401 or 407 for SyncHdr carries a Chal",
        "OMA-TS-DM_Protocol 2.4.1; OMA-TS-DM_RepPro 6 (status codes)",
    ),
    Rule(
        "DM265",
        2,
        _E,
        _E,
        "Chal and Cred Type is auth-basic, auth-md5 or auth-MAC",
        "OMA-TS-DM_Security 5.1.3; Learn 'OMA DM protocol support' (Security)",
    ),
    Rule(
        "DM266",
        2,
        _E,
        _E,
        "Cred auth-md5: Format b64, Data a base64 MD5 digest; auth-MAC never in Cred",
        "OMA-TS-DM_RepPro 4.1.1.6; OMA-TS-DM_Security 5.1.4",
    ),
    Rule(
        "DM267",
        2,
        _E,
        _E,
        "Cred auth-md5 goes with SyncHdr Source/LocName (user id)",
        "OMA-TS-DM_Security 5.1.3.1",
    ),
    Rule(
        "DM268",
        2,
        _E,
        _E,
        "after an authentication failure only Status commands",
        "OMA-TS-DM_Protocol 2.4.1",
    ),
    Rule(
        "DM269",
        2,
        _E,
        _E,
        "Cred auth-basic Data is base64 of UTF-8 user:password",
        "OMA-TS-DM_RepPro 4.1.1.6",
    ),
)

_BY_CODE: Final = {r.code: r for r in AUTH_RULES}


class _Out:
    def __init__(self, profile: Literal["oma", "windows"]) -> None:
        self.profile = profile
        self.diags: list[Diagnostic] = []

    def report(self, code: str, message: str, xpath: str) -> None:
        rule = _BY_CODE[code]
        severity = rule.windows if self.profile == "windows" else rule.oma
        if severity is not None:
            self.diags.append(Diagnostic(severity, code, message, xpath=xpath))


def _path(*steps: tuple[str, int]) -> str:
    return format_path([("SyncML", 1), *steps])


def check_message(
    message: SyncML, *, profile: Literal["oma", "windows"] = "oma"
) -> list[Diagnostic]:
    """Check the authentication rules (``AUTH_RULES``) on one message.

    Args:
        message: the parsed message.
        profile: ``"oma"`` or ``"windows"`` (severities per ``AUTH_RULES``).

    Returns:
        The diagnostics, in document order, with element paths and no positions.
    """
    out = _Out(profile)
    _check_cred(message, out)
    n = 0
    for cmd in message.sync_body.commands:
        if not isinstance(cmd, Status):
            continue
        n += 1
        if cmd.chal is not None:
            _check_chal(cmd.chal, f"{_path(('SyncBody', 1), ('Status', n))}/Chal", out)
        elif int(cmd.data) in (401, 407) and _is_header_status(cmd):
            # OMA-TS-DM_Protocol §2.4.1: "the Status command to the request MUST include a
            # Chal element". In DM only the SyncHdr can carry Cred (OMA-TS-DM_RepPro 4.1.1.6),
            # so only its Status can be answered; command Statuses after a failed SyncHdr
            # authentication repeat the code without a Chal of their own.
            out.report(
                "DM264",
                f"Status {int(cmd.data)} for SyncHdr has no Chal; expected the challenge the"
                " peer must answer",
                _path(("SyncBody", 1), ("Status", n)),
            )
    _check_only_status(message, out)
    return out.diags


def _is_header_status(status: Status) -> bool:
    return status.cmd_ref.strip() == "0" or status.cmd.strip() == "SyncHdr"


def _check_cred(message: SyncML, out: _Out) -> None:
    cred = message.sync_hdr.cred
    if cred is None:
        return
    cpath = _path(("SyncHdr", 1), ("Cred", 1))
    meta = cred.meta
    scheme = normalize_scheme(meta.type if meta is not None else None)
    if scheme is None:
        out.report(
            "DM265",
            f"Cred Type {meta.type if meta else None!r} is not an OMA DM"
            " scheme; expected syncml:auth-basic or syncml:auth-md5",
            f"{cpath}/Meta/Type",
        )
        return
    if scheme == AUTH_MAC:
        # OMA-TS-DM_Security §5.1.4: the MAC goes in the x-syncml-hmac transport header.
        out.report(
            "DM266",
            "Cred Type syncml:auth-MAC; the HMAC travels in the"
            " x-syncml-hmac header, never in Cred",
            f"{cpath}/Meta/Type",
        )
    elif scheme == AUTH_MD5:
        _check_md5_cred(message, cred, cpath, out)
    else:
        try:
            decode_basic(cred.data)
        except DecodeError as exc:
            out.report("DM269", f"{exc.message}; expected base64 of user:password", f"{cpath}/Data")


def _check_md5_cred(message: SyncML, cred: Cred, cpath: str, out: _Out) -> None:
    fmt = cred.meta.format if cred.meta is not None else None
    # OMA-TS-DM_RepPro 4.1.1.6: with auth-md5 "the Meta Format must be b64".
    if (fmt or "").strip() != "b64":
        out.report("DM266", f"Cred auth-md5 Format is {fmt!r}; expected b64", f"{cpath}/Meta")
    try:
        size = len(b64decode_strict(cred.data, "Cred Data"))
    except DecodeError as exc:
        out.report("DM266", f"{exc.message}; expected the base64 MD5 digest", f"{cpath}/Data")
    else:
        if size != 16:
            out.report(
                "DM266", f"Cred Data decodes to {size} bytes; an MD5 digest has 16", f"{cpath}/Data"
            )
    # OMA-TS-DM_Security §5.1.3.1: the user id is SyncHdr Source/LocName.
    if not message.sync_hdr.source.loc_name:
        out.report(
            "DM267",
            "Cred auth-md5 without SyncHdr Source/LocName; expected the user name there",
            _path(("SyncHdr", 1), ("Source", 1)),
        )


def _check_chal(chal: Chal, xpath: str, out: _Out) -> None:
    meta = chal.meta
    scheme = normalize_scheme(meta.type)
    if scheme is None:
        out.report(
            "DM265",
            f"Chal Type {meta.type!r} is not an OMA DM scheme; expected"
            " syncml:auth-basic, syncml:auth-md5 or syncml:auth-MAC",
            f"{xpath}/Meta/Type",
        )
        return
    if scheme == AUTH_BASIC:
        return
    # OMA-TS-DM_RepPro 4.1.1.2: "When using syncml:auth-md5 or syncml:auth-MAC, the Meta
    # Format for the NextNonce element MUST be specified and it MUST be b64."
    if (meta.format or "").strip() != "b64":
        out.report(
            "DM260", f"Chal {scheme} has Format {meta.format!r}; expected b64", f"{xpath}/Meta"
        )
    if meta.next_nonce is None:
        out.report(
            "DM261",
            f"Chal {scheme} has no NextNonce; expected the nonce to answer with",
            f"{xpath}/Meta",
        )
        return
    npath = f"{xpath}/Meta/NextNonce"
    try:
        if not meta.next_nonce.strip():
            raise DecodeError("NextNonce is empty")
        size = len(b64decode_strict(meta.next_nonce, "NextNonce"))
    except DecodeError as exc:
        out.report("DM262", f"{exc.message}; expected the base64 of the nonce bytes", npath)
        return
    # OMA-TS-DM_Security §5.1.3.3: "at least 128 bits (16 random octets) in length".
    if size < NONCE_BYTES:
        out.report(
            "DM263", f"NextNonce is {size} bytes; at least {NONCE_BYTES} are recommended", npath
        )


def _check_only_status(message: SyncML, out: _Out) -> None:
    found = header_status(message)
    if found is None or int(found[1].data) not in (401, 407):
        return
    # OMA-TS-DM_Protocol §2.4.1: the response indicating the authentication failure
    # "contains only Status commands (i.e. Replace, Get etc. commands MUST NOT be specified)".
    counts: dict[str, int] = {}
    for cmd in message.sync_body.commands:
        name = cmd.XML_NAME
        counts[name] = counts.get(name, 0) + 1
        if name != "Status":
            out.report(
                "DM268",
                f"{name} in a message answering SyncHdr with {int(found[1].data)}; after an"
                " authentication failure the message holds only Status commands",
                _path(("SyncBody", 1), (name, counts[name])),
            )
