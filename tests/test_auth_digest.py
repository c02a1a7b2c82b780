"""syncml_codec.auth byte level: Nonce, Basic, MD5 digest, HMAC and the x-syncml-hmac header.

Vectors: OMA-TS-DM_Security §5.1.3.2 / SyncML RepPro (Bruce2, OhBehave, nonce "Nonce"), and
HMAC values computed here step by step with hashlib from the OMA formula, plus one pinned literal.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac as std_hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncml_codec import parse, parse_fragment, serialize
from syncml_codec.auth import (
    APPAUTH_SCHEMES,
    HmacHeader,
    Nonce,
    basic_cred,
    basic_credentials,
    decode_basic,
    format_hmac_header,
    hmac_header,
    hmac_mac,
    md5_cred,
    md5_digest,
    parse_hmac_header,
    verify_basic,
    verify_hmac,
    verify_md5,
)
from syncml_codec.errors import DecodeError, EncodeError

SPEC_NONCE = Nonce(b"Nonce")
BODY = b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr/></SyncML>'


def b64(data: bytes) -> bytes:
    return base64.b64encode(data)


def md5(data: bytes) -> bytes:
    return hashlib.md5(data).digest()


def oma_mac(user: str, password: str, nonce: bytes, body: bytes) -> str:
    """The OMA formula written out independently of the library."""
    step1 = md5(f"{user}:{password}".encode())
    step2 = b64(step1)
    step3 = b64(md5(body))
    step4 = md5(step2 + b":" + nonce + b":" + step3)
    return b64(step4).decode()


# --- spec vectors ------------------------------------------------------------------------------


def test_spec_md5_vector() -> None:
    assert md5_digest("Bruce2", "OhBehave", SPEC_NONCE) == "Zz6EivR3yeaaENcRN6lpAQ=="


def test_spec_basic_vector() -> None:
    assert basic_credentials("Bruce2", "OhBehave") == "QnJ1Y2UyOk9oQmVoYXZl"
    cred = basic_cred("Bruce2", "OhBehave")
    assert cred.data == "QnJ1Y2UyOk9oQmVoYXZl"
    assert cred.meta is not None
    assert (cred.meta.type, cred.meta.format) == ("syncml:auth-basic", "b64")


def test_spec_md5_cred_survives_the_wire() -> None:
    cred = md5_cred("Bruce2", "OhBehave", SPEC_NONCE)
    assert cred.data == "Zz6EivR3yeaaENcRN6lpAQ=="
    assert cred.meta is not None
    assert (cred.meta.type, cred.meta.format) == ("syncml:auth-md5", "b64")
    back = parse_fragment(serialize(cred))  # a Cred fragment round trip
    assert back == cred
    assert verify_md5(back, "Bruce2", "OhBehave", SPEC_NONCE)


def test_peer_corpus_basic_credentials_decode(data_dir) -> None:  # type: ignore[no-untyped-def]
    msg = parse(data_dir / "corpus/peers/syncml/funambol_sample.xml")
    assert msg.sync_hdr.cred is not None
    assert decode_basic(msg.sync_hdr.cred.data) == ("test", "test")
    assert verify_basic(msg.sync_hdr.cred, "test", "test")
    assert not verify_basic(msg.sync_hdr.cred, "test", "tes")


# --- HMAC vectors ------------------------------------------------------------------------------


def test_hmac_step_by_step_vector() -> None:
    expected = oma_mac("Bruce2", "OhBehave", b"Nonce", BODY)
    assert hmac_mac("Bruce2", "OhBehave", SPEC_NONCE, BODY) == expected


def test_hmac_pinned_literal() -> None:
    assert hmac_mac("Bruce2", "OhBehave", SPEC_NONCE, BODY) == "ty/tTMIrV4MCZSFyuaB7qg=="


def test_hmac_header_value() -> None:
    value = hmac_header("Bruce2", "OhBehave", SPEC_NONCE, BODY)
    assert value == 'algorithm=MD5, username="Bruce2", mac=ty/tTMIrV4MCZSFyuaB7qg=='
    assert verify_hmac(value, BODY, "Bruce2", "OhBehave", SPEC_NONCE)


# --- each common mistake gives a different digest ----------------------------------------------


def test_common_mistakes_give_different_digests() -> None:
    nonce = Nonce(bytes(range(16)))
    user, password = "device-1", "s3cret"
    right_md5 = md5_digest(user, password, nonce)
    right_mac = hmac_mac(user, password, nonce, BODY)
    inner = b64(md5(f"{user}:{password}".encode()))
    wrong = {
        # the nonce's base64 text hashed instead of its bytes (the Learn page's warning)
        "nonce as base64 text": b64(md5(inner + b":" + nonce.b64.encode())).decode(),
        # a hex inner digest instead of base64 of the raw 16 bytes
        "hex inner digest": b64(
            md5(hashlib.md5(f"{user}:{password}".encode()).hexdigest().encode() + b":" + nonce.raw)
        ).decode(),
        # RFC 2104 HMAC-MD5 keyed with the password, over nonce and body
        "RFC 2104 HMAC": b64(
            std_hmac.new(password.encode(), nonce.raw + BODY, hashlib.md5).digest()
        ).decode(),
        # the same key material through RFC 2104 instead of the OMA concatenation
        "RFC 2104 HMAC keyed with B64(H(u:p))": b64(
            std_hmac.new(inner, nonce.raw + b":" + b64(md5(BODY)), hashlib.md5).digest()
        ).decode(),
    }
    assert len(set(wrong.values())) == len(wrong)
    assert right_md5 not in wrong.values()
    assert right_mac not in wrong.values()
    # the library itself refuses the text-for-bytes mistake outright
    with pytest.raises(TypeError):
        md5_digest(user, password, nonce.b64)  # type: ignore[arg-type]


def test_mac_over_reserialized_bytes_differs() -> None:
    wire = (
        b"<SyncML xmlns='SYNCML:SYNCML1.2'>\n  <SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2"
        b"</VerProto><SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>s</LocURI>"
        b"</Target><Source><LocURI>d</LocURI></Source></SyncHdr>\n  <SyncBody><Final/>"
        b"</SyncBody>\n</SyncML>"
    )
    reserialized = serialize(parse(wire))
    assert reserialized != wire
    nonce = Nonce.new()
    sent = hmac_mac("u", "p", nonce, wire)
    assert hmac_mac("u", "p", nonce, reserialized) != sent
    assert not verify_hmac(format_hmac_header("u", sent), reserialized, "u", "p", nonce)
    assert verify_hmac(format_hmac_header("u", sent), wire, "u", "p", nonce)


# --- Nonce ---------------------------------------------------------------------------------------


def test_nonce_construction() -> None:
    with pytest.raises(ValueError, match="empty"):
        Nonce(b"")
    with pytest.raises(TypeError):
        Nonce("Nonce")  # type: ignore[arg-type]
    assert Nonce.from_b64("Tm9uY2U=") == SPEC_NONCE
    assert Nonce.from_b64(" Tm9uY2U=\n") == SPEC_NONCE
    assert SPEC_NONCE.b64 == "Tm9uY2U="
    fresh = {Nonce.new().raw for _ in range(50)}
    assert len(fresh) == 50
    assert all(len(n) == 16 for n in fresh)
    assert len(Nonce.new(32).raw) == 32
    with pytest.raises(ValueError, match="16"):
        Nonce.new(8)


@pytest.mark.parametrize("text", ["", "   ", "Tm9uY2U", "Tm9uY2U=!", "Tm9uY2V=", "é", "Tm9u\nY2U="])
def test_nonce_from_bad_base64_is_a_decode_error(text: str) -> None:
    with pytest.raises(DecodeError, match="NextNonce"):
        Nonce.from_b64(text)


@pytest.mark.parametrize("bad", [b"Nonce", "Tm9uY2U=", None, bytearray(b"Nonce")])
def test_digest_functions_take_a_nonce_only(bad: object) -> None:
    with pytest.raises(TypeError, match="Nonce"):
        md5_digest("u", "p", bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Nonce"):
        hmac_mac("u", "p", bad, b"")  # type: ignore[arg-type]


def test_users_and_passwords_are_str() -> None:
    with pytest.raises(TypeError, match="username"):
        md5_digest(b"u", "p", SPEC_NONCE)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="password"):
        basic_credentials("u", b"p")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="body"):
        hmac_mac("u", "p", SPEC_NONCE, "text")  # type: ignore[arg-type]


def test_empty_password_and_non_ascii_user() -> None:
    user = "Jürgen-日本"
    expected = b64(md5(b64(md5(f"{user}:".encode())) + b":Nonce")).decode()
    assert md5_digest(user, "", SPEC_NONCE) == expected
    assert decode_basic(basic_credentials(user, "")) == (user, "")
    assert verify_md5(md5_cred(user, "", SPEC_NONCE), user, "", SPEC_NONCE)


def test_basic_user_with_colon_is_refused() -> None:
    with pytest.raises(ValueError, match=":"):
        basic_credentials("a:b", "c")


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ("!!!", "base64"),
        (base64.b64encode(b"nocolon").decode(), "':'"),
        ("/w==", "UTF-8"),
        ("  ", "empty"),
    ],
)
def test_malformed_basic_is_a_decode_error(data: str, match: str) -> None:
    with pytest.raises(DecodeError, match=match):
        decode_basic(data)


# --- the x-syncml-hmac header ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        'algorithm=MD5, username="Bruce2", mac=ty/tTMIrV4MCZSFyuaB7qg==',
        'algorithm=MD5,username="Bruce2",mac=ty/tTMIrV4MCZSFyuaB7qg==',
        '  algorithm = md5 ,  username = "Bruce2" ,  mac = ty/tTMIrV4MCZSFyuaB7qg==  ',
        'username="Bruce2", mac=ty/tTMIrV4MCZSFyuaB7qg==',
        "username=Bruce2, mac=ty/tTMIrV4MCZSFyuaB7qg==",
        "username='Bruce2', mac='ty/tTMIrV4MCZSFyuaB7qg=='",
        'Username="Bruce2", MAC="ty/tTMIrV4MCZSFyuaB7qg==", Algorithm=MD5',
        'x-syncml-hmac: algorithm=MD5, username="Bruce2", mac=ty/tTMIrV4MCZSFyuaB7qg==',
        'algorithm=MD5, username="Bruce2", mac=ty/tTMIrV4MCZSFyuaB7qg==, future=1',
    ],
)
def test_hmac_header_variants(value: str) -> None:
    assert parse_hmac_header(value) == HmacHeader("Bruce2", "ty/tTMIrV4MCZSFyuaB7qg==")
    assert verify_hmac(value, BODY, "Bruce2", "OhBehave", SPEC_NONCE)


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("", "username and mac missing"),
        ("algorithm=MD5, mac=ty/tTMIrV4MCZSFyuaB7qg==", "username missing"),
        ('algorithm=MD5, username="Bruce2"', "mac missing"),
        ('username="", mac=ty/tTMIrV4MCZSFyuaB7qg==', "username missing"),
        ('algorithm=SHA1, username="a", mac=ty/tTMIrV4MCZSFyuaB7qg==', "SHA1"),
        ('username="a", username="b", mac=ty/tTMIrV4MCZSFyuaB7qg==', "twice"),
        ('username="a", mac=not*base64', "base64"),
        ('username="a" mac=ty/tTMIrV4MCZSFyuaB7qg==', "key=value"),
        ("just garbage", "key=value"),
    ],
)
def test_hmac_header_strict_about_what_is_missing(value: str, match: str) -> None:
    with pytest.raises(DecodeError, match=match):
        parse_hmac_header(value)


def test_format_hmac_header_refuses_unwritable_names() -> None:
    with pytest.raises(EncodeError):
        format_hmac_header('a"b', "mac")
    with pytest.raises(EncodeError):
        format_hmac_header("", "mac")


def test_verify_hmac_negatives() -> None:
    mac = hmac_mac("Bruce2", "OhBehave", SPEC_NONCE, BODY)
    good = format_hmac_header("Bruce2", mac)
    assert verify_hmac(good, BODY, "Bruce2", "OhBehave", SPEC_NONCE)
    assert not verify_hmac(good, BODY, "Bruce2", "OhBehav", SPEC_NONCE)  # wrong password
    assert not verify_hmac(good, BODY, "Bruce2", "OhBehave", Nonce(b"nonce"))  # wrong nonce
    assert not verify_hmac(good, BODY, "Bruce3", "OhBehave", SPEC_NONCE)  # wrong user
    other = format_hmac_header("Bruce3", mac)  # header user differs from the expected user
    assert not verify_hmac(other, BODY, "Bruce2", "OhBehave", SPEC_NONCE)
    # truncated: a shorter canonical base64 decodes to fewer bytes and never matches
    assert not verify_hmac(format_hmac_header("Bruce2", mac[:-4]), BODY, "Bruce2", "OhBehave",
                           SPEC_NONCE)  # fmt: skip
    with pytest.raises(DecodeError, match="base64"):  # cut mid-group: malformed, not accepted
        verify_hmac(format_hmac_header("Bruce2", mac[:-1]), BODY, "Bruce2", "OhBehave",
                    SPEC_NONCE)  # fmt: skip


def test_verify_md5_negatives() -> None:
    cred = md5_cred("Bruce2", "OhBehave", SPEC_NONCE)
    assert verify_md5(cred, "Bruce2", "OhBehave", SPEC_NONCE)
    assert not verify_md5(cred, "Bruce2", "ohbehave", SPEC_NONCE)
    assert not verify_md5(cred, "bruce2", "OhBehave", SPEC_NONCE)
    assert not verify_md5(cred, "Bruce2", "OhBehave", Nonce(b"nonce"))
    assert not verify_md5(basic_cred("Bruce2", "OhBehave"), "Bruce2", "OhBehave", SPEC_NONCE)
    truncated = md5_cred("Bruce2", "OhBehave", SPEC_NONCE)
    truncated.data = truncated.data[:-4]
    assert not verify_md5(truncated, "Bruce2", "OhBehave", SPEC_NONCE)


# --- properties ----------------------------------------------------------------------------------

users = st.text(min_size=1, max_size=20).filter(lambda s: "\x00" not in s)
passwords = st.text(max_size=20)  # ':' and non-ASCII included, empty allowed
nonces = st.binary(min_size=1, max_size=48).map(Nonce)


@given(users, passwords, nonces)
def test_md5_matches_the_formula_and_verifies(user: str, password: str, nonce: Nonce) -> None:
    digest = md5_digest(user, password, nonce)
    assert digest == b64(md5(b64(md5(f"{user}:{password}".encode())) + b":" + nonce.raw)).decode()
    cred = md5_cred(user, password, nonce)
    assert verify_md5(cred, user, password, nonce)
    assert not verify_md5(cred, user, password + "x", nonce)
    assert not verify_md5(cred, user, password, Nonce(nonce.raw + b"\x00"))


@given(users, passwords, nonces, st.binary(max_size=200))
def test_hmac_matches_the_formula_and_verifies(
    user: str, password: str, nonce: Nonce, body: bytes
) -> None:
    mac = hmac_mac(user, password, nonce, body)
    assert mac == oma_mac(user, password, nonce.raw, body)
    if '"' not in user and "\r" not in user and "\n" not in user:
        header = format_hmac_header(user, mac)
        assert parse_hmac_header(header) == HmacHeader(user, mac)
        assert verify_hmac(HmacHeader(user, mac), body, user, password, nonce)
    assert not verify_hmac(HmacHeader(user, mac), body + b"x", user, password, nonce)


@given(users.filter(lambda s: ":" not in s), passwords)
def test_basic_round_trip(user: str, password: str) -> None:
    assert decode_basic(basic_credentials(user, password)) == (user, password)
    cred = basic_cred(user, password)
    assert verify_basic(cred, user, password)
    assert not verify_basic(cred, user, password + ":")


@given(st.binary(min_size=1, max_size=64))
def test_nonce_b64_round_trip(raw: bytes) -> None:
    assert Nonce.from_b64(Nonce(raw).b64).raw == raw


def test_appauth_types_map_to_schemes() -> None:
    # Microsoft Learn "w7 APPLICATION CSP": BASIC -> syncml:auth-basic, DIGEST -> syncml:auth-md5
    assert APPAUTH_SCHEMES["BASIC"] == "syncml:auth-basic"
    assert APPAUTH_SCHEMES["DIGEST"] == "syncml:auth-md5"
    assert APPAUTH_SCHEMES["HMAC"] == "syncml:auth-MAC"


# --- only DecodeError escapes, whatever the peer sends -------------------------------------------


@given(st.text(max_size=80))
def test_header_parser_raises_only_decode_error(value: str) -> None:
    try:
        parsed = parse_hmac_header(value)
    except DecodeError:
        return
    assert parsed.username
    assert parsed.mac


@given(st.text(max_size=40))
def test_wire_base64_readers_raise_only_decode_error(text: str) -> None:
    for read in (Nonce.from_b64, decode_basic):
        with contextlib.suppress(DecodeError):
            read(text)
    cred = md5_cred("u", "p", SPEC_NONCE)
    cred.data = text
    with contextlib.suppress(DecodeError):
        verify_md5(cred, "u", "p", SPEC_NONCE)


@pytest.mark.parametrize(
    ("type_", "fmt", "match"),
    [
        ("syncml:auth-MAC", "b64", "x-syncml-hmac"),
        ("x-token", None, "scheme"),
        (None, "chr", "b64"),
    ],
)
def test_malformed_cred_meta_is_a_decode_error(
    type_: str | None, fmt: str | None, match: str
) -> None:
    cred = basic_cred("u", "p")
    assert cred.meta is not None
    cred.meta.type, cred.meta.format = type_, fmt
    with pytest.raises(DecodeError, match=match) as info:
        verify_basic(cred, "u", "p")
    assert info.value.xpath.startswith("/SyncML/SyncHdr/Cred/Meta/")
