"""syncml_codec.auth.check_message: the rules DM260-DM269 on single messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncml_codec import (
    RULES,
    Alert,
    AlertCode,
    Chal,
    Cred,
    Meta,
    Rule,
    Status,
    StatusCode,
    SyncML,
    parse,
    validate,
)
from syncml_codec.auth import (
    AUTH_RULES,
    Nonce,
    ServerAuth,
    basic_cred,
    challenge,
    check_message,
    md5_cred,
)
from syncml_codec.helpers import new_message

DATA = Path(__file__).parent / "data"


def message(
    *commands: Alert | Status, cred: Cred | None = None, loc_name: str | None = None
) -> SyncML:
    msg = new_message(
        list(commands) or [Alert(cmd_id="1", data=AlertCode.CLIENT_INITIATED_MGMT)],
        session_id="1",
        target="https://mdm.example.com",
        source="IMEI:1",
    )
    msg.sync_hdr.cred = cred
    msg.sync_hdr.source.loc_name = loc_name
    return msg


def hdr_status(code: int, chal: Chal | None, cmd_id: str = "1") -> Status:
    return Status(
        cmd_id=cmd_id, msg_ref="1", cmd_ref="0", cmd="SyncHdr", chal=chal, data=StatusCode(code)
    )


def chal(type_: str | None, fmt: str | None, next_nonce: str | None) -> Chal:
    return Chal(meta=Meta(type=type_, format=fmt, next_nonce=next_nonce))


def found(msg: SyncML, profile: str = "oma") -> list[tuple[str, str, str]]:
    return [(d.code, d.severity, d.xpath) for d in check_message(msg, profile=profile)]  # type: ignore[arg-type]


S1 = "/SyncML/SyncBody/Status[1]"
NONCE = Nonce(bytes(range(16)))


def test_rules_have_the_validate_rule_shape() -> None:
    codes = [r.code for r in AUTH_RULES]
    assert codes == [f"DM26{k}" for k in range(10)]
    for rule in AUTH_RULES:
        assert isinstance(rule, Rule)
        assert RULES[rule.code] is rule  # registered, not taken by another rule
        assert rule.layer == 2
        assert rule.summary
        assert rule.cite
        assert rule.oma in ("error", "warning")
        assert rule.windows in ("error", "warning")


def test_clean_messages() -> None:
    assert found(message(hdr_status(401, challenge("syncml:auth-md5", NONCE)))) == []
    assert found(message(hdr_status(212, challenge("syncml:auth-md5", NONCE)))) == []
    assert found(message(hdr_status(407, challenge("syncml:auth-basic")))) == []
    assert found(message(cred=basic_cred("u", "p"))) == []
    assert found(message(cred=md5_cred("u", "p", NONCE), loc_name="u")) == []
    assert found(message(hdr_status(200, None))) == []


@pytest.mark.parametrize(
    ("the_chal", "expected"),
    [
        (chal("syncml:auth-md5", None, NONCE.b64), [("DM260", f"{S1}/Chal/Meta")]),
        (chal("syncml:auth-MAC", "chr", NONCE.b64), [("DM260", f"{S1}/Chal/Meta")]),
        (chal("syncml:auth-md5", "b64", None), [("DM261", f"{S1}/Chal/Meta")]),
        (chal("syncml:auth-md5", None, None), [("DM260", f"{S1}/Chal/Meta"),
                                               ("DM261", f"{S1}/Chal/Meta")]),
        (chal("syncml:auth-md5", "b64", "not base64"), [("DM262", f"{S1}/Chal/Meta/NextNonce")]),
        (chal("syncml:auth-md5", "b64", ""), [("DM262", f"{S1}/Chal/Meta/NextNonce")]),
        (chal("syncml:auth-md5", "b64", "Tm9uY2U="), [("DM263", f"{S1}/Chal/Meta/NextNonce")]),
        (chal("syncml:auth-digest", "b64", NONCE.b64), [("DM265", f"{S1}/Chal/Meta/Type")]),
        (chal(None, None, None), []),  # no Type: Basic, which needs no nonce
    ],
)  # fmt: skip
def test_chal_rules(the_chal: Chal, expected: list[tuple[str, str]]) -> None:
    assert [(c, x) for c, _, x in found(message(hdr_status(401, the_chal)))] == expected


def test_401_or_407_without_chal() -> None:
    assert found(message(hdr_status(401, None))) == [("DM264", "error", S1)]
    assert found(message(hdr_status(407, None))) == [("DM264", "error", S1)]
    assert found(message(hdr_status(404, None))) == []


def test_after_an_auth_failure_only_statuses() -> None:
    msg = message(
        hdr_status(401, challenge("syncml:auth-basic")),
        Alert(cmd_id="2", data=AlertCode.DISPLAY),
        Alert(cmd_id="3", data=AlertCode.DISPLAY),
    )
    assert found(msg) == [
        ("DM268", "error", "/SyncML/SyncBody/Alert[1]"),
        ("DM268", "error", "/SyncML/SyncBody/Alert[2]"),
    ]
    ok = message(hdr_status(212, None), Alert(cmd_id="2", data=AlertCode.DISPLAY))
    assert found(ok) == []


def test_the_servers_own_failure_reply_is_clean() -> None:
    received = message()
    users: dict[str, str] = {}
    decision = ServerAuth("syncml:auth-md5", users.get, nonce=NONCE).check(received)
    assert found(decision.reply(received)) == []


@pytest.mark.parametrize(
    ("cred", "loc_name", "expected"),
    [
        (Cred(meta=Meta(type="syncml:auth-MAC", format="b64"), data="x"), "u",
         [("DM266", "/SyncML/SyncHdr/Cred/Meta/Type")]),
        (Cred(meta=Meta(type="syncml:auth-md5"), data=md5_cred("u", "p", NONCE).data), "u",
         [("DM266", "/SyncML/SyncHdr/Cred/Meta")]),
        (Cred(meta=Meta(type="syncml:auth-md5", format="b64"), data="dGVzdA=="), "u",
         [("DM266", "/SyncML/SyncHdr/Cred/Data")]),
        (Cred(meta=Meta(type="syncml:auth-md5", format="b64"), data="??"), "u",
         [("DM266", "/SyncML/SyncHdr/Cred/Data")]),
        (md5_cred("u", "p", NONCE), None, [("DM267", "/SyncML/SyncHdr/Source")]),
        (Cred(meta=Meta(type="syncml:auth-basic", format="b64"), data="dGVzdA=="), None,
         [("DM269", "/SyncML/SyncHdr/Cred/Data")]),
        (Cred(data="dGVzdDp0ZXN0"), None, []),  # no Meta: Basic by default
        (Cred(meta=Meta(type="x-token"), data="abc"), None,
         [("DM265", "/SyncML/SyncHdr/Cred/Meta/Type")]),
    ],
)  # fmt: skip
def test_cred_rules(cred: Cred, loc_name: str | None, expected: list[tuple[str, str]]) -> None:
    assert [(c, x) for c, _, x in found(message(cred=cred, loc_name=loc_name))] == expected


def test_oma_example_cred_without_data_is_flagged() -> None:
    # [DMPRO] §2.6.1.1: the published package 1 has a comment where the base64 should be
    msg = parse(DATA / "corpus/oma-spec/oma-dmpro-2-6-1-1-pkg1-client-init-cred-maxmsgsize.xml")
    assert [(c, x) for c, _, x in found(msg)] == [("DM269", "/SyncML/SyncHdr/Cred/Data")]


def test_peer_corpus_credentials_are_clean() -> None:
    msg = parse(DATA / "corpus/peers/syncml/funambol_sample.xml")
    assert found(msg) == []
    assert found(msg, "windows") == []


def test_warning_severity_for_short_nonces() -> None:
    msg = message(hdr_status(401, chal("syncml:auth-md5", "b64", "Tm9uY2U=")))
    assert found(msg, "windows") == [("DM263", "warning", f"{S1}/Chal/Meta/NextNonce")]


# --- bad/good XML per rule: through check_message now, and through validate() once registered ----

HDR = (
    "<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID>"
    "<MsgID>2</MsgID><Target><LocURI>IMEI:1</LocURI></Target>"
    "<Source><LocURI>https://mdm.example.com</LocURI>{loc}</Source>{cred}</SyncHdr>"
)
MI = 'xmlns="syncml:metinf"'


def xml(body: str, *, cred: str = "", loc: str = "") -> bytes:
    return (
        f'<SyncML xmlns="SYNCML:SYNCML1.2">{HDR.format(cred=cred, loc=loc)}'
        f"<SyncBody>{body}<Final/></SyncBody></SyncML>"
    ).encode()


def hdr_st(code: str, meta: str | None) -> str:
    chal = "" if meta is None else f"<Chal><Meta>{meta}</Meta></Chal>"
    return (
        "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
        f"{chal}<Data>{code}</Data></Status>"
    )


def md5_meta(fmt: str | None = "b64", nonce: str | None = NONCE.b64) -> str:
    f = "" if fmt is None else f"<Format {MI}>{fmt}</Format>"
    n = "" if nonce is None else f"<NextNonce {MI}>{nonce}</NextNonce>"
    return f"{f}<Type {MI}>syncml:auth-md5</Type>{n}"


def cred(type_: str, data: str, fmt: str | None = "b64") -> str:
    f = "" if fmt is None else f"<Format {MI}>{fmt}</Format>"
    return f"<Cred><Meta>{f}<Type {MI}>{type_}</Type></Meta><Data>{data}</Data></Cred>"


DIGEST = md5_cred("u", "p", NONCE).data
LOC = "<LocName>u</LocName>"
XML_CASES = [
    ("DM260", xml(hdr_st("401", md5_meta(fmt=None))), xml(hdr_st("401", md5_meta()))),
    ("DM261", xml(hdr_st("401", md5_meta(nonce=None))), xml(hdr_st("401", md5_meta()))),
    ("DM262", xml(hdr_st("401", md5_meta(nonce="%%"))), xml(hdr_st("401", md5_meta()))),
    ("DM263", xml(hdr_st("212", md5_meta(nonce="bm9uY2U="))), xml(hdr_st("212", md5_meta()))),
    ("DM264", xml(hdr_st("407", None)), xml(hdr_st("200", None))),
    (
        "DM265",
        xml(hdr_st("200", None), cred=cred("x-token", "abc")),
        xml(hdr_st("200", None), cred=cred("syncml:auth-basic", "dTpw")),
    ),
    (
        "DM266",
        xml(hdr_st("200", None), cred=cred("syncml:auth-md5", DIGEST, fmt=None), loc=LOC),
        xml(hdr_st("200", None), cred=cred("syncml:auth-md5", DIGEST), loc=LOC),
    ),
    (
        "DM267",
        xml(hdr_st("200", None), cred=cred("syncml:auth-md5", DIGEST)),
        xml(hdr_st("200", None), cred=cred("syncml:auth-md5", DIGEST), loc=LOC),
    ),
    (
        "DM268",
        xml(hdr_st("401", md5_meta()) + "<Alert><CmdID>2</CmdID><Data>1201</Data></Alert>"),
        xml(hdr_st("212", None) + "<Alert><CmdID>2</CmdID><Data>1201</Data></Alert>"),
    ),
    (
        "DM269",
        xml(hdr_st("200", None), cred=cred("syncml:auth-basic", "")),
        xml(hdr_st("200", None), cred=cred("syncml:auth-basic", "dTpw")),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("code", "bad", "good"), XML_CASES, ids=[c[0] for c in XML_CASES])
@pytest.mark.parametrize("profile", ["oma", "windows"])
def test_rule_on_xml(code: str, bad: bytes, good: bytes, profile: str) -> None:
    assert code in [d.code for d in check_message(parse(bad), profile=profile)]  # type: ignore[arg-type]
    assert check_message(parse(good), profile=profile) == []  # type: ignore[arg-type]
    if code in RULES:  # registered by the validator: the same finding, with a position
        hit = next(d for d in validate(bad, profile=profile) if d.code == code)  # type: ignore[arg-type]
        assert hit.line > 0
        assert code not in [d.code for d in validate(good, profile=profile)]  # type: ignore[arg-type]


def test_xml_cases_cover_every_rule() -> None:
    assert [c[0] for c in XML_CASES] == [r.code for r in AUTH_RULES]
