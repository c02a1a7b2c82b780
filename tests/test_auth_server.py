"""syncml_codec.auth server side and challenges: round trips client -> wire -> server, negative
verification, the failure rules of OMA-TS-DM_Protocol §2.4.1 and the JSON state."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncml_codec import (
    Alert,
    AlertCode,
    Item,
    Replace,
    Source,
    Status,
    StatusCode,
    SyncML,
    parse,
    serialize,
)
from syncml_codec.auth import (
    AUTH_BASIC,
    AUTH_MAC,
    AUTH_MD5,
    AuthDecision,
    Nonce,
    ServerAuth,
    challenge,
    check_message,
    cred_for,
    hmac_header,
    read_challenge,
    with_credentials,
)
from syncml_codec.errors import DecodeError, EncodeError
from syncml_codec.helpers import new_message

DATA = Path(__file__).parent / "data"
USERS = {"device-1": "s3cret", "Jürgen": "", "a:b": "p:q"}


def pkg1(session_id: str = "1", msg_id: str = "1") -> SyncML:
    """A client package 1: Alert 1201 and a Replace of DevInfo ([DMPRO] §2.3)."""
    return new_message(
        [
            Alert(cmd_id="1", data=AlertCode.CLIENT_INITIATED_MGMT),
            Replace(
                cmd_id="2",
                items=(Item(source=Source(loc_uri="./DevInfo/DevId"), data="IMEI:1"),),
            ),
        ],
        session_id=session_id,
        msg_id=msg_id,
        target="https://mdm.example.com/omadm",
        source="IMEI:1",
    )


def signed(
    scheme: str, user: str, password: str, nonce: Nonce | None, session_id: str = "1"
) -> SyncML:
    msg = pkg1(session_id)
    msg.sync_hdr = with_credentials(msg.sync_hdr, scheme, user, password, nonce)  # type: ignore[arg-type]
    return msg


def over_the_wire(msg: SyncML, fmt: Literal["xml", "wbxml"] = "xml") -> tuple[SyncML, bytes]:
    body = serialize(msg, format=fmt)
    return parse(body), body


# --- round trips ---------------------------------------------------------------------------------


def test_basic_round_trip() -> None:
    server = ServerAuth(AUTH_BASIC, USERS.get)
    received, _ = over_the_wire(signed(AUTH_BASIC, "device-1", "s3cret", None))
    decision = server.check(received)
    assert decision.outcome == "accept"
    assert decision.status == StatusCode.AUTHENTICATION_ACCEPTED
    assert decision.username == "device-1"
    assert decision.chal is None


@pytest.mark.parametrize("user", ["device-1", "Jürgen", "a:b"])
def test_md5_round_trip_with_next_session_nonce(user: str) -> None:
    issued = Nonce.new()
    server = ServerAuth(AUTH_MD5, USERS.get, nonce=issued)
    received, _ = over_the_wire(signed(AUTH_MD5, user, USERS[user], issued))
    assert received.sync_hdr.source.loc_name == user
    decision = server.check(received)
    assert decision.accepted, decision.reason
    assert decision.status == 212
    # 212 with a Chal whose NextNonce is for the next session ([DMPRO] §2.4.1)
    reply, _ = over_the_wire(decision.reply(received))
    ch = read_challenge(reply)
    assert ch is not None
    assert (ch.scheme, ch.status, ch.must_retry) == (AUTH_MD5, 212, False)
    assert ch.nonce is not None
    assert ch.nonce != issued
    assert ch.nonce == server.nonce
    assert check_message(reply) == []
    # the rest of the session needs no credentials: 200
    later = pkg1(msg_id="2")
    assert server.check(later).status == StatusCode.OK
    # next session: the client answers with the nonce from the 212 Chal
    nxt, _ = over_the_wire(signed(AUTH_MD5, user, USERS[user], ch.nonce, session_id="2"))
    assert server.check(nxt).status == 212


@pytest.mark.parametrize("fmt", ["xml", "wbxml"])
def test_hmac_round_trip_and_tampering(fmt: Literal["xml", "wbxml"]) -> None:
    issued = Nonce.new()
    server = ServerAuth(AUTH_MAC, USERS.get, nonce=issued)
    msg = signed(AUTH_MAC, "device-1", "s3cret", issued)
    assert msg.sync_hdr.cred is None  # the MAC is never put in Cred
    body = serialize(msg, format=fmt)
    header = hmac_header("device-1", "s3cret", issued, body)
    for k in (0, len(body) // 2, len(body) - 1):
        tampered = bytearray(body)
        tampered[k] ^= 0x01
        probe = ServerAuth.from_state(server.to_state(), USERS.get)
        assert not probe.check(parse(body), body=bytes(tampered), hmac_header=header).accepted
    decision = server.check(parse(body), body=body, hmac_header=header)
    assert decision.accepted, decision.reason
    assert decision.status == StatusCode.OK
    assert decision.chal is not None
    assert decision.chal.meta.type == AUTH_MAC
    assert decision.chal.meta.next_nonce == server.nonce.b64
    # a new nonce every message: the next message must use the Chal's nonce
    msg2 = signed(AUTH_MAC, "device-1", "s3cret", None, session_id="1")
    msg2.sync_hdr.msg_id = "2"
    body2 = serialize(msg2, format=fmt)
    stale = hmac_header("device-1", "s3cret", issued, body2)
    fresh = hmac_header("device-1", "s3cret", server.nonce, body2)
    probe = ServerAuth.from_state(server.to_state(), USERS.get)
    assert "already used" in probe.check(parse(body2), body=body2, hmac_header=stale).reason
    assert server.check(parse(body2), body=body2, hmac_header=fresh).accepted


def test_hmac_user_must_be_the_header_locname() -> None:
    nonce = Nonce.new()
    server = ServerAuth(AUTH_MAC, USERS.get, nonce=nonce)
    msg = signed(AUTH_MAC, "device-1", "s3cret", nonce)
    msg.sync_hdr.source.loc_name = "someone-else"
    body = serialize(msg)
    decision = server.check(
        msg, body=body, hmac_header=hmac_header("device-1", "s3cret", nonce, body)
    )
    assert decision.outcome == "challenge"
    assert "LocName" in decision.reason


def test_hmac_missing_header_is_407_and_body_is_required() -> None:
    nonce = Nonce.new()
    server = ServerAuth(AUTH_MAC, USERS.get, nonce=nonce)
    msg = pkg1()
    decision = server.check(msg, body=serialize(msg), hmac_header=None)
    assert decision.status == 407
    assert decision.chal is not None
    assert decision.chal.meta.next_nonce == nonce.b64
    with pytest.raises(TypeError, match="body"):
        server.check(msg)


# --- negative verification ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "password", "right_nonce", "reason"),
    [
        ("device-1", "wrong", True, "wrong credentials"),
        ("device-1", "s3cret", False, "wrong credentials"),
        ("nobody", "s3cret", True, "wrong credentials"),
        ("Device-1", "s3cret", True, "wrong credentials"),
    ],
)
def test_md5_negatives(user: str, password: str, right_nonce: bool, reason: str) -> None:
    issued = Nonce.new()
    server = ServerAuth(AUTH_MD5, USERS.get, nonce=issued)
    nonce = issued if right_nonce else Nonce.new()
    decision = server.check(parse(serialize(signed(AUTH_MD5, user, password, nonce))))
    assert decision.outcome == "challenge"
    assert decision.status == 401
    assert reason in decision.reason
    assert decision.username is None


def test_basic_negatives() -> None:
    for user, password in [("device-1", "S3cret"), ("nobody", "s3cret"), ("device-1", "")]:
        server = ServerAuth(AUTH_BASIC, USERS.get)
        decision = server.check(signed(AUTH_BASIC, user, password, None))
        assert (decision.outcome, decision.status) == ("challenge", 401)


def test_replayed_md5_nonce_is_refused() -> None:
    issued = Nonce.new()
    server = ServerAuth(AUTH_MD5, USERS.get, nonce=issued)
    wire = serialize(signed(AUTH_MD5, "device-1", "s3cret", issued, session_id="1"))
    assert server.check(parse(wire)).accepted
    # a later session replays the captured package 1 (same SessionID would be the same session)
    replay = parse(wire.replace(b"<SessionID>1</SessionID>", b"<SessionID>2</SessionID>"))
    decision = server.check(replay)
    assert not decision.accepted
    assert "already used" in decision.reason


def test_malformed_cred_is_a_failure_not_an_exception() -> None:
    server = ServerAuth(AUTH_MD5, USERS.get, nonce=Nonce.new())
    msg = signed(AUTH_MD5, "device-1", "s3cret", server.nonce)
    assert msg.sync_hdr.cred is not None
    msg.sync_hdr.cred.data = "not base64!"
    decision = server.check(msg)
    assert (decision.outcome, decision.status) == ("challenge", 401)
    assert "base64" in decision.reason
    msg.sync_hdr.cred = dataclasses.replace(msg.sync_hdr.cred, data="")
    msg.sync_hdr.source.loc_name = None
    assert "LocName" in ServerAuth(AUTH_MD5, USERS.get).check(msg).reason


def test_scheme_mismatch_is_a_failure() -> None:
    server = ServerAuth(AUTH_MD5, USERS.get, nonce=Nonce.new())
    decision = server.check(signed(AUTH_BASIC, "device-1", "s3cret", None))
    assert decision.status == 401
    assert "requires syncml:auth-md5" in decision.reason


# --- the failure rules -------------------------------------------------------------------------


def test_missing_then_wrong_then_right_with_new_nonces() -> None:
    issued = Nonce.new()
    server = ServerAuth(AUTH_MD5, USERS.get, nonce=issued)
    first = server.check(pkg1())
    assert (first.outcome, first.status) == ("challenge", 407)
    reply, _ = over_the_wire(first.reply(pkg1()))
    ch = read_challenge(reply)
    assert ch is not None
    assert (ch.scheme, ch.nonce, ch.must_retry) == (AUTH_MD5, issued, True)
    # stale credentials: one more challenge, with a new nonce (OMA-TS-DM_Security §5.1.3.3)
    second = server.check(signed(AUTH_MD5, "device-1", "s3cret", Nonce.new()))
    assert (second.outcome, second.status) == ("challenge", 401)
    ch2 = read_challenge(second.reply(pkg1()))
    assert ch2 is not None
    assert ch2.nonce is not None
    assert ch2.nonce != issued
    # the client answers the new challenge
    retry = signed(AUTH_MD5, "device-1", "s3cret", ch2.nonce)
    retry.sync_hdr.cred = cred_for(ch2, "device-1", "s3cret")
    assert server.check(retry).accepted


def test_second_failure_rejects() -> None:
    server = ServerAuth(AUTH_MD5, USERS.get, nonce=Nonce.new())
    assert server.check(signed(AUTH_MD5, "device-1", "x", server.nonce)).outcome == "challenge"
    final = server.check(signed(AUTH_MD5, "device-1", "y", server.nonce))
    assert (final.outcome, final.status) == ("reject", 401)
    assert final.chal is not None  # a 401 always carries Chal ([DMPRO] §2.4.1; rule DM264)


def test_failure_reply_holds_only_statuses() -> None:
    received = pkg1()
    decision = ServerAuth(AUTH_BASIC, USERS.get).check(received)
    reply = decision.reply(received)
    cmds = reply.sync_body.commands
    assert all(isinstance(c, Status) for c in cmds)
    assert [(c.cmd, int(c.data)) for c in cmds if isinstance(c, Status)] == [
        ("SyncHdr", 407),
        ("Alert", 407),
        ("Replace", 407),
    ]
    assert check_message(reply) == []
    with pytest.raises(EncodeError, match="only Status"):
        decision.reply(received, commands=[Alert(cmd_id="9", data=AlertCode.DISPLAY)])


def test_state_is_json_and_resumes_the_same_decisions() -> None:
    issued = Nonce.new()
    a = ServerAuth(AUTH_MD5, USERS.get, nonce=issued)
    a.check(signed(AUTH_MD5, "device-1", "bad", issued))
    b = ServerAuth.from_state(json.loads(json.dumps(a.to_state())), USERS.get)
    assert b.to_state() == a.to_state()
    msg = signed(AUTH_MD5, "device-1", "s3cret", a.nonce)
    da, db = a.check(msg), b.check(msg)
    assert (da.outcome, da.status, da.username) == (db.outcome, db.status, db.username)
    with pytest.raises(DecodeError):
        ServerAuth.from_state({"version": 99}, USERS.get)  # type: ignore[typeddict-item]


# --- read_challenge ------------------------------------------------------------------------------


def test_read_challenge_on_the_oma_407_example() -> None:
    # [DMPRO] §2.4.4.1 package 2; the published text uses typographic quotes, repaired here
    text = (
        DATA / "corpus/oma-spec/oma-dmpro-2-4-4-1-pkg2-basic-auth-challenge-407.xml"
    ).read_text()
    msg = parse(text.replace("\u2019", "'").replace("...", ""))
    ch = read_challenge(msg)
    assert ch is not None
    assert (ch.scheme, ch.nonce, ch.status, ch.must_retry) == (AUTH_BASIC, None, 407, True)
    assert check_message(msg) == []


def _status_with_chal(type_: str, fmt: str | None, next_nonce: str | None, code: int) -> SyncML:
    chal = challenge(AUTH_BASIC)
    chal.meta.type, chal.meta.format, chal.meta.next_nonce = type_, fmt, next_nonce
    st_ = Status(
        cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", chal=chal, data=StatusCode(code)
    )
    msg = pkg1()
    msg.sync_body.commands = (st_,)
    return msg


def test_windows_device_sends_the_next_server_nonce_in_a_status() -> None:
    nonce = Nonce.new()
    msg = _status_with_chal("syncml:auth-md5", "b64", nonce.b64, 200)
    ch = read_challenge(msg)
    assert ch is not None
    assert (ch.scheme, ch.nonce, ch.must_retry) == (AUTH_MD5, nonce, False)


@pytest.mark.parametrize(
    ("type_", "fmt", "nonce", "match", "xpath_tail"),
    [
        ("syncml:auth-md5", "b64", None, "NextNonce", "/Chal/Meta"),
        ("syncml:auth-md5", "b64", "@@", "base64", "/Chal/Meta/NextNonce"),
        ("syncml:auth-md5", "b64", "", "empty", "/Chal/Meta/NextNonce"),
        ("syncml:auth-md5", "chr", "Tm9uY2U=", "b64", "/Chal/Meta/Format"),
        ("syncml:auth-foo", "b64", "Tm9uY2U=", "scheme", "/Chal/Meta/Type"),
    ],
)
def test_malformed_chal_is_a_decode_error_with_path(
    type_: str, fmt: str, nonce: str | None, match: str, xpath_tail: str
) -> None:
    with pytest.raises(DecodeError, match=match) as info:
        read_challenge(_status_with_chal(type_, fmt, nonce, 401))
    assert info.value.xpath == "/SyncML/SyncBody/Status[1]" + xpath_tail


def test_read_challenge_none_and_case_tolerance() -> None:
    assert read_challenge(pkg1()) is None
    ch = read_challenge(_status_with_chal("SYNCML:AUTH-MD5", None, "Tm9uY2U=", 401))
    assert ch is not None
    assert (ch.scheme, ch.nonce) == (AUTH_MD5, Nonce(b"Nonce"))


def test_challenge_builder_requires_a_nonce_for_md5_and_mac() -> None:
    with pytest.raises(ValueError, match="NextNonce"):
        challenge(AUTH_MD5)
    with pytest.raises(ValueError, match="unknown"):
        challenge("syncml:auth-x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        challenge(AUTH_MAC, "Tm9uY2U=")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="x-syncml-hmac"):
        cred_for(read_challenge(_status_with_chal(AUTH_MAC, "b64", "Tm9uY2U=", 401)), "u", "p")  # type: ignore[arg-type]


# --- property: any user, password and nonce round-trips through the server ------------------------


NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cn"), blacklist_characters='"'),
    min_size=1,
    max_size=12,
).filter(lambda s: s == s.strip())  # the parser trims text values (S113)


@settings(max_examples=40)
@given(
    NAMES,
    st.text(max_size=12),
    st.binary(min_size=16, max_size=32),
    st.sampled_from([AUTH_MD5, AUTH_MAC]),
)
def test_server_round_trip_property(user: str, password: str, raw: bytes, scheme: str) -> None:
    nonce = Nonce(raw)
    server = ServerAuth(scheme, {user: password}.get, nonce=nonce)  # type: ignore[arg-type]
    body = serialize(signed(scheme, user, password, nonce))
    header = hmac_header(user, password, nonce, body)
    received = parse(body)
    assert received.sync_hdr.source.loc_name == user
    decision: AuthDecision = server.check(received, body=body, hmac_header=header)
    assert decision.accepted, decision.reason
    wrong = ServerAuth(scheme, {user: password + "!"}.get, nonce=nonce)  # type: ignore[arg-type]
    assert not wrong.check(received, body=body, hmac_header=header).accepted


def test_a_client_that_never_sends_credentials_is_rejected() -> None:
    server = ServerAuth(AUTH_MD5, USERS.get, nonce=Nonce.new())
    outcomes = [server.check(pkg1()).outcome for _ in range(4)]
    assert outcomes == ["challenge", "challenge", "challenge", "reject"]


def test_wrong_credentials_later_in_an_authenticated_session_fail() -> None:
    issued = Nonce.new()
    server = ServerAuth(AUTH_MD5, USERS.get, nonce=issued)
    assert server.check(signed(AUTH_MD5, "device-1", "s3cret", issued)).accepted
    # "the same credentials MUST be sent within the next request" ([DMPRO] §2.4.1): accepted
    assert server.check(signed(AUTH_MD5, "device-1", "s3cret", issued)).status == 200
    decision = server.check(signed(AUTH_MD5, "device-1", "guess", issued))
    assert (decision.outcome, decision.status) == ("challenge", 401)
    assert server.check(pkg1()).status == 407  # no longer authenticated


def test_corrupted_state_is_a_decode_error() -> None:
    state = ServerAuth(AUTH_MD5, USERS.get).to_state()
    state["used"] = ["not base64"]
    with pytest.raises(DecodeError, match="NextNonce"):
        ServerAuth.from_state(state, USERS.get)
    state = ServerAuth(AUTH_MD5, USERS.get).to_state()
    state["scheme"] = "syncml:auth-x"
    with pytest.raises(DecodeError, match="unsupported"):
        ServerAuth.from_state(state, USERS.get)
