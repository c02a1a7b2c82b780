"""The session engine with the real authentication plug-ins of syncml_codec.auth.

A ClientSession holding a ClientAuth and a ServerSession holding a ServerAuth talk through bytes
only: MD5 (challenged with 407, accepted with 212 and the next session's nonce) over XML, HMAC
(the x-syncml-hmac header over the exact body) over WBXML, and a wrong password, which the
server challenges once more and then rejects.
"""

from __future__ import annotations

from typing import Literal

import pytest
from session_wire import Wire

from syncml_codec import parse
from syncml_codec.auth import AUTH_MAC, AUTH_MD5, ClientAuth, Nonce, ServerAuth, read_challenge
from syncml_codec.auth import Scheme as AuthScheme
from syncml_codec.session import (
    AuthChallenged,
    AuthFailed,
    ClientSession,
    CommandOutcome,
    ServerSession,
    SessionEnded,
    SessionStarted,
)

SERVER = "https://mdm.example.com/omadm"
PASSWORDS = {"dev-7": "s3cret: with colon", "zoë": "pässword"}


def _wire(scheme: AuthScheme, user: str, password: str, fmt: Literal["xml", "wbxml"]) -> Wire:
    client_auth = ClientAuth(scheme, user, password)
    server_auth = ServerAuth(scheme, PASSWORDS.get, nonce=Nonce.new())
    client = ClientSession(
        device_id="dev-7", server_uri=SERVER, authenticator=client_auth, format=fmt
    )
    server = ServerSession(authenticator=server_auth)
    wire = Wire(client, server)
    wire.plugins = {
        "client": {"authenticator": client_auth},
        "server": {"authenticator": server_auth},
    }
    return wire


@pytest.mark.parametrize(("scheme", "fmt"), [(AUTH_MD5, "xml"), (AUTH_MAC, "wbxml")])
def test_challenge_then_accept(scheme: AuthScheme, fmt: Literal["xml", "wbxml"]) -> None:
    wire = _wire(scheme, "zoë", PASSWORDS["zoë"], fmt)
    handles = wire.client.start()
    events = wire.c2s()  # no credentials yet: challenged
    assert [type(e) for e in events] == [AuthFailed]
    events = wire.s2c()
    assert [type(e) for e in events] == [AuthChallenged]
    events = wire.c2s()  # package 1 again, with credentials
    assert any(isinstance(e, SessionStarted) for e in events)
    server_msg = wire.server.next_message()
    assert server_msg is not None
    challenge = read_challenge(parse(server_msg.body))
    if scheme == AUTH_MD5:
        assert challenge is not None
        assert int(challenge.status) == 212  # accepted, with the next session's nonce
        assert challenge.nonce is not None
    events = wire.client.receive(
        server_msg.body, content_type=server_msg.content_type, headers=server_msg.headers
    )
    assert [e.handle for e in events if isinstance(e, CommandOutcome)] == handles
    assert events[-1] == SessionEnded(reason="normal", by="peer")


def test_hmac_messages_carry_the_header_and_a_tampered_body_fails() -> None:
    wire = _wire(AUTH_MAC, "dev-7", PASSWORDS["dev-7"], "xml")
    wire.client.start()
    wire.c2s()
    wire.s2c()  # challenged: the client now has a nonce
    msg = wire.client.next_message()
    assert msg is not None
    assert "x-syncml-hmac" in {k.lower() for k in msg.headers}
    tampered = msg.body.replace(b"DM/1.2", b"DM/1.2 ", 1)
    events = wire.server.receive(tampered, content_type=msg.content_type, headers=msg.headers)
    assert any(isinstance(e, AuthFailed) for e in events)


def test_wrong_password_is_challenged_then_rejected() -> None:
    wire = _wire(AUTH_MD5, "dev-7", "wrong", "xml")
    wire.client.start()
    rounds = 0
    while True:
        rounds += 1
        assert rounds <= 4  # the first (no credentials) and at most max_failures more
        received = wire.c2s()
        assert isinstance(received[0], AuthFailed)
        answered = wire.s2c()  # every 401/407 carries a Chal (rule DM264), the last one too
        assert [type(e) for e in answered] == [AuthChallenged]
        if isinstance(received[-1], SessionEnded):
            assert received[-1].reason == "error"
            break
    assert wire.server.next_message() is None  # the server is done with this session
