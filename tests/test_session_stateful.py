"""Model-based tests: random command sequences, outcomes, losses, duplicates and aborts driven
through a ClientSession and a ServerSession that talk through bytes only. After every step both
sessions go through to_state -> JSON -> from_state, every message on the wire validates against
the one it answers, and the session invariants hold."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from session_wire import errors_of, one_command_per_message, reload

from syncml_codec import parse
from syncml_codec.helpers import AlertItem, generic_alert
from syncml_codec.helpers.message import CmdIdAllocator, iter_commands
from syncml_codec.model import (
    Add,
    Command,
    Delete,
    Exec,
    Get,
    Item,
    Replace,
    Source,
    Status,
    Target,
)
from syncml_codec.session import (
    ClientSession,
    CommandOutcome,
    CommandReceived,
    OutgoingMessage,
    ProtocolViolation,
    ServerSession,
    SessionEnded,
)

URI = "./Vendor/MSFT/Test/Node"
COMMANDS: dict[str, Callable[[], Command]] = {
    "Get": lambda: Get(cmd_id="1", items=(Item(target=Target(loc_uri=URI)),)),
    "Replace": lambda: Replace(cmd_id="1", items=(Item(target=Target(loc_uri=URI), data="v"),)),
    "Add": lambda: Add(cmd_id="1", items=(Item(target=Target(loc_uri=URI), data="v"),)),
    "Delete": lambda: Delete(cmd_id="1", items=(Item(target=Target(loc_uri=URI)),)),
    "Exec": lambda: Exec(cmd_id="1", items=(Item(target=Target(loc_uri=URI), data="x"),)),
}


class SessionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.client: ClientSession
        self.server: ServerSession
        self.flight: tuple[str, OutgoingMessage] | None = None
        self.speaker = "client"
        self.previous: bytes | None = None
        self.last_delivered: tuple[str, bytes] | None = None
        self.sent_ids: dict[str, int] = {"client": 0, "server": 0}
        self.server_handles: set[int] = set()
        self.outcomes: dict[str, list[int]] = {"client": [], "server": []}
        self.pending: list[str] = []
        self.plugins: dict[str, dict[str, Any]] = {}

    @initialize(
        fmt=st.sampled_from(["xml", "wbxml"]),
        alerts=st.integers(0, 2),
        split=st.sampled_from(["none", "client", "server"]),
    )
    def start(self, fmt: str, alerts: int, split: str) -> None:
        """``split``: which side sends its packages one command per message (1222 exchanges)."""
        self.plugins = {split: {"packer": one_command_per_message}} if split != "none" else {}
        self.client = ClientSession(
            device_id="dev-9",
            server_uri="https://mdm/x",
            format=fmt,  # type: ignore[arg-type]
            **self.plugins.get("client", {}),
        )
        self.server = ServerSession(**self.plugins.get("server", {}))
        items = [AlertItem(type="com.example/e", data=str(i)) for i in range(alerts)]
        self.client.start(alerts=items)

    def _persist(self) -> None:
        self.client = reload(self.client, **self.plugins.get("client", {}))
        self.server = reload(self.server, **self.plugins.get("server", {}))

    def _session(self, side: str) -> Any:
        return self.client if side == "client" else self.server

    def _over(self) -> bool:
        return self.client.ended and self.server.ended and self.flight is None

    # --- the application queues things -----------------------------------------------------

    @precondition(lambda self: not self.server.ended and not self.server.aborting)
    @rule(kind=st.sampled_from(sorted(COMMANDS)))
    def server_queues(self, kind: str) -> None:
        self._persist()
        self.server_handles.add(int(self.server.send(COMMANDS[kind]())))

    @precondition(lambda self: not self.client.ended and not self.client.aborting)
    @rule()
    def client_queues_an_alert(self) -> None:
        self._persist()
        alert = generic_alert(AlertItem(type="com.example/e", data="x"), ids=CmdIdAllocator())
        self.client.send(alert)

    @precondition(
        lambda self: self.speaker == "client" and bool(self.pending) and self.flight is None
    )
    @rule(code=st.sampled_from([200, 200, 404, 405, 500]))
    def client_responds(self, code: int) -> None:
        self._persist()
        cmd_id = self.pending.pop(0)
        cmd = next(c for c in iter_commands(self.client.received) if c.cmd_id == cmd_id)
        items = [Item(source=Source(loc_uri=URI), data="r")] if isinstance(cmd, Get) else []
        self.client.respond(cmd_id, code, items if code == 200 else [])

    @precondition(lambda self: self.flight is None and self.speaker == "client")
    @rule()
    def client_aborts(self) -> None:
        if not self.client.ended and not self.client.aborting:
            self.client.abort()

    # --- the wire -------------------------------------------------------------------------

    @precondition(lambda self: self.flight is None)
    @rule()
    def speak(self) -> None:
        self._persist()
        side = self.speaker
        msg = self._session(side).next_message()
        if side == "client":
            self.pending = []  # answered (by respond or the default 200)
        if msg is None:
            assert self._session(side).ended
            return
        assert errors_of(msg.body, self.previous) == []
        assert msg.msg_id == self.sent_ids[side] + 1  # MsgIDs per sender, +1 each
        self.sent_ids[side] = msg.msg_id
        self.previous = msg.body
        self._check_message(msg.body)
        self.flight = ("server" if side == "client" else "client", msg)

    def _check_message(self, body: bytes) -> None:
        message = parse(body)
        commands = message.sync_body.commands
        statuses = [c for c in commands if isinstance(c, Status)]
        if statuses:
            assert statuses[0].cmd_ref == "0" and commands[0] is statuses[0]
        ids = [c.cmd_id for c in iter_commands(message)]
        assert len(ids) == len(set(ids)) and "0" not in ids
        if message.sync_hdr.source.loc_uri == "dev-9":
            assert any(not isinstance(c, Status) or c.cmd_ref != "0" for c in commands)

    @precondition(lambda self: self.flight is not None)
    @rule()
    def deliver(self) -> None:
        self._persist()
        assert self.flight is not None
        to, msg = self.flight
        self.flight = None
        events = self._session(to).receive(msg.body, content_type=msg.content_type)
        self.last_delivered = (to, msg.body)
        self._record(to, events)
        self.speaker = to

    def _record(self, side: str, events: list[Any]) -> None:
        for event in events:
            if isinstance(event, CommandOutcome):
                self.outcomes[side].append(int(event.handle))
            if isinstance(event, CommandReceived) and side == "client":
                self.pending.append(event.cmd_id)
            assert not isinstance(event, ProtocolViolation), event

    @precondition(lambda self: self.flight is not None)
    @rule()
    def lose(self) -> None:
        """The message is lost; the client sends its last request again (HTTP retry)."""
        self._persist()
        assert self.flight is not None
        to, lost = self.flight
        if to == "server":
            again = self.client.last_message()
            assert again == lost
            return  # the same bytes are in flight again
        request = self.client.last_message()
        assert request is not None
        events = self.server.receive(request.body, content_type=request.content_type)
        assert [e.kind for e in events if isinstance(e, ProtocolViolation)] == ["replayed-msg-id"]
        assert len(events) == 1
        assert self.server.next_message() == lost  # the server answers the retry the same way

    @precondition(lambda self: self.flight is None and self.last_delivered is not None)
    @rule()
    def duplicate(self) -> None:
        """The last delivered message arrives a second time: an event, never a crash."""
        self._persist()
        assert self.last_delivered is not None
        to, body = self.last_delivered
        events = self._session(to).receive(body)
        assert len(events) == 1 and isinstance(events[0], ProtocolViolation)

    # --- invariants ------------------------------------------------------------------------

    @invariant()
    def state_survives_json(self) -> None:
        for session in (self.client, self.server):
            state = json.loads(json.dumps(session.to_state()))
            assert type(session).from_state(state).to_state() == state

    @invariant()
    def every_outcome_once(self) -> None:
        for side in ("client", "server"):
            assert len(self.outcomes[side]) == len(set(self.outcomes[side]))
        assert set(self.outcomes["server"]) <= self.server_handles

    @invariant()
    def normal_end_answers_everything(self) -> None:
        end = self.server.end
        if self._over() and end is not None and end.reason == "normal":
            sent = self.server_handles - {h for h, _ in self.server.queue if h is not None}
            assert sent <= set(self.outcomes["server"])
        if self.client.end is not None:
            assert isinstance(self.client.end, SessionEnded)


SessionMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=25, deadline=None)
TestSessionMachine = SessionMachine.TestCase
