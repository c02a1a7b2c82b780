"""Test helpers for the session engine: move bytes between a client and a server, validate every
message against the one it answers, and push both sessions through to_state -> JSON ->
from_state before every step."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Literal

from syncml_codec import validate
from syncml_codec.model import Command, SyncBody, SyncHdr, SyncML
from syncml_codec.session import ClientSession, Event, OutgoingMessage, ServerSession


def one_command_per_message(
    header: SyncHdr,
    statuses: Sequence[Command],
    commands: Sequence[Command],
    *,
    max_msg_size: int,
    max_obj_size: int | None = None,
    format: Literal["xml", "wbxml"] = "xml",
) -> list[SyncML]:
    """A Packer that puts the Statuses and at most one command in each message."""
    out = [SyncML(sync_hdr=header, sync_body=SyncBody(commands=(*statuses, *commands[:1])))]
    for cmd in commands[1:]:
        out.append(SyncML(sync_hdr=header, sync_body=SyncBody(commands=(cmd,))))
    return out


def errors_of(body: bytes, request: bytes | None) -> list[str]:
    """Errors of ``body`` answering ``request``, under both validation profiles."""
    diags = [*validate(body, request=request), *validate(body, request=request, profile="windows")]
    return [str(d) for d in diags if d.severity == "error"]


def reload(session: Any, **plugins: Any) -> Any:
    """The session after a trip through to_state -> JSON -> from_state."""
    state = json.loads(json.dumps(session.to_state()))
    again = type(session).from_state(state, **plugins)
    assert json.loads(json.dumps(again.to_state())) == state
    return again


class Wire:
    """A client and a server that talk through bytes only."""

    def __init__(
        self, client: ClientSession, server: ServerSession, **plugins: dict[str, Any]
    ) -> None:
        self.client = client
        self.server = server
        self.plugins = plugins
        self.previous: bytes | None = None
        self.bodies: list[bytes] = []

    def _persist(self) -> None:
        self.client = reload(self.client, **self.plugins.get("client", {}))
        self.server = reload(self.server, **self.plugins.get("server", {}))

    def _sent(self, msg: OutgoingMessage) -> None:
        assert errors_of(msg.body, self.previous) == []
        self.previous = msg.body
        self.bodies.append(msg.body)

    def c2s(self) -> list[Event]:
        self._persist()
        msg = self.client.next_message()
        assert msg is not None, "the client had nothing to send"
        self._sent(msg)
        return self.server.receive(msg.body, content_type=msg.content_type, headers=msg.headers)

    def s2c(self) -> list[Event]:
        self._persist()
        msg = self.server.next_message()
        assert msg is not None, "the server had nothing to send"
        self._sent(msg)
        return self.client.receive(msg.body, content_type=msg.content_type, headers=msg.headers)


class Talk(Wire):
    """A ``Wire`` that records each message (sender, bytes) and the events of both sides.

    ``continuation_ok`` accepts one validator finding the OMA rules allow: a large Results
    continued in a later message keeps the MsgRef of the Get it answers
    (OMA-TS-DM_Protocol §8.7 "Large object handling"), which DM250 reads as "not the request's".
    """

    def __init__(
        self,
        client: ClientSession,
        server: ServerSession,
        *,
        continuation_ok: bool = False,
        persist_server: bool = True,
    ) -> None:
        super().__init__(client, server)
        self.persist_server = persist_server
        packer = {"packer": client._packer}
        self.plugins = {"client": packer, "server": {"packer": server._packer}}
        self.continuation_ok = continuation_ok
        self.log: list[tuple[str, bytes]] = []
        self.client_events: list[Event] = []
        self.server_events: list[Event] = []

    def _sent(self, msg: OutgoingMessage) -> None:
        errors = errors_of(msg.body, self.previous)
        if self.continuation_ok:
            errors = [e for e in errors if not ("Results refers to MsgRef" in e and "DM250" in e)]
        assert errors == [], errors
        self.previous = msg.body
        self.bodies.append(msg.body)

    def _persist(self) -> None:
        if self.persist_server:
            super()._persist()
        else:  # a sender holding a large object: only the receiver goes through its state
            self.client = reload(self.client, **self.plugins.get("client", {}))

    def start(self) -> None:
        """The client's package 1 goes to the server."""
        self.client.start()
        self.server_events += self.c2s()
        self.log.append(("client", self.bodies[-1]))

    def step(
        self, on_client: Callable[[list[Event]], None] | None = None
    ) -> tuple[list[Event], list[Event]]:
        """The server's message to the client, ``on_client(events)``, then the client's reply."""
        to_client = self.s2c()
        self.log.append(("server", self.bodies[-1]))
        self.client_events += to_client
        if on_client is not None:
            on_client(to_client)
        if self.client.ended:
            return to_client, []
        to_server = self.c2s()
        self.log.append(("client", self.bodies[-1]))
        self.server_events += to_server
        return to_client, to_server

    def run(self, steps: int = 500) -> None:
        """Server message, client reply, ... until the client has nothing more to send."""
        for _ in range(steps):
            self.step()
            if self.client.ended:
                return
        raise AssertionError("the session did not end")
