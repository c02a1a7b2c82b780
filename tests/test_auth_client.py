"""ClientAuth against ServerAuth: whole dialogues over the wire (XML and WBXML bytes)."""

from __future__ import annotations

import json
from typing import Literal

import pytest

from syncml_codec import Alert, AlertCode, Status, SyncML, parse, serialize
from syncml_codec.auth import (
    AUTH_BASIC,
    AUTH_MAC,
    AUTH_MD5,
    ClientAuth,
    Nonce,
    ServerAuth,
    challenge,
)
from syncml_codec.errors import DecodeError
from syncml_codec.helpers import new_message

USERS = {"device-1": "s3cret"}


def package(session_id: str, msg_id: str = "1") -> SyncML:
    return new_message(
        [Alert(cmd_id="1", data=AlertCode.CLIENT_INITIATED_MGMT)],
        session_id=session_id,
        msg_id=msg_id,
        target="https://mdm.example.com/omadm",
        source="IMEI:1",
    )


def send(
    client: ClientAuth, server: ServerAuth, msg: SyncML, fmt: Literal["xml", "wbxml"] = "xml"
) -> tuple[SyncML, SyncML]:
    """Client prepares and serializes; server parses, decides, replies; client observes."""
    msg.sync_hdr = client.prepare(msg.sync_hdr)
    body = serialize(msg, format=fmt)
    received = parse(body)
    extra = client.headers(msg.sync_hdr, body)
    headers = {k.upper(): v for k, v in extra.items()}  # HTTP header names ignore case
    decision = server.authenticate(received, headers, body)
    reply = parse(serialize(decision.reply(received), format=fmt))
    client.observe(reply)
    return received, reply


def header_code(reply: SyncML) -> int:
    status = reply.sync_body.commands[0]
    assert isinstance(status, Status)
    assert status.cmd == "SyncHdr"
    return int(status.data)


@pytest.mark.parametrize("fmt", ["xml", "wbxml"])
def test_md5_dialogue_407_then_212_then_next_session(fmt: Literal["xml", "wbxml"]) -> None:
    server = ServerAuth(AUTH_MD5, USERS.get)
    client = ClientAuth(AUTH_MD5, "device-1", "s3cret")  # no nonce yet: no Cred
    _, reply = send(client, server, package("1"), fmt)
    assert header_code(reply) == 407
    assert client.nonce == server.nonce
    _, reply = send(client, server, package("1", "2"), fmt)
    assert header_code(reply) == 212
    assert client.nonce == server.nonce  # the next session's nonce, from the 212 Chal
    _, reply = send(client, server, package("2"), fmt)
    assert header_code(reply) == 212


@pytest.mark.parametrize("fmt", ["xml", "wbxml"])
def test_hmac_dialogue_new_nonce_every_message(fmt: Literal["xml", "wbxml"]) -> None:
    first = Nonce.new()
    server = ServerAuth(AUTH_MAC, USERS.get, nonce=first)
    client = ClientAuth(AUTH_MAC, "device-1", "s3cret", nonce=first)
    seen = {first}
    for k in range(1, 4):
        received, reply = send(client, server, package("1", str(k)), fmt)
        assert received.sync_hdr.cred is None
        assert received.sync_hdr.source.loc_name == "device-1"
        assert header_code(reply) == 200
        assert client.nonce not in seen
        assert client.nonce is not None
        seen.add(client.nonce)


def test_basic_dialogue_and_a_challenge_that_changes_the_scheme() -> None:
    server = ServerAuth(AUTH_BASIC, USERS.get)
    client = ClientAuth(AUTH_MD5, "device-1", "s3cret", nonce=Nonce.new())
    _, reply = send(client, server, package("1"))
    assert header_code(reply) == 401  # MD5 where Basic is required
    assert client.scheme == AUTH_BASIC  # "the authentication type is dependent on the challenge"
    _, reply = send(client, server, package("1", "2"))
    assert header_code(reply) == 212


def test_wrong_password_is_challenged_then_rejected() -> None:
    server = ServerAuth(AUTH_MD5, USERS.get, nonce=Nonce.new())
    client = ClientAuth(AUTH_MD5, "device-1", "wrong", nonce=server.nonce)
    assert header_code(send(client, server, package("1"))[1]) == 401
    received = package("1", "2")
    received.sync_hdr = client.prepare(received.sync_hdr)
    assert server.check(parse(serialize(received))).outcome == "reject"


def test_challenged_plugin_call_and_state() -> None:
    client = ClientAuth(AUTH_BASIC, "device-1", "s3cret")
    nonce = Nonce.new()
    client.challenged(401, challenge(AUTH_MD5, nonce))
    assert (client.scheme, client.nonce) == (AUTH_MD5, nonce)
    client.challenged(401, None)
    assert client.nonce == nonce
    again = ClientAuth.from_state(json.loads(json.dumps(client.to_state())), "s3cret")
    assert (again.scheme, again.username, again.nonce) == (AUTH_MD5, "device-1", nonce)
    assert "s3cret" not in json.dumps(client.to_state())
    with pytest.raises(DecodeError):
        ClientAuth.from_state({"version": 1}, "x")  # type: ignore[typeddict-item]
    with pytest.raises(ValueError, match="scheme"):
        ClientAuth("syncml:auth-x", "u", "p")  # type: ignore[arg-type]
