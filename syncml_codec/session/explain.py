"""Replay a captured session and say, for every command each side sent, what became of it.

The messages are taken in order; who sent each one comes from its SyncHdr: a Source LocURI
that is an http(s) URL is the server (the device's is its DevId), and a message whose Source
equals an earlier message's Source comes from the same side. Each Status and Results is matched
to the command it answers by the other side's MsgID (MsgRef; a Results without MsgRef means 1,
[MS-MDM] 2.2.7.8) and CmdID (CmdRef). What is missing is reported: a command that no Status
answers (NoResp commands excepted), a Status or Results that answers nothing, a MsgID gap per
sender. A complete session ends with a package holding no commands, so nothing is left over.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from syncml_codec.helpers.message import iter_commands
from syncml_codec.model import Alert, Command, Item, Results, Status, SyncML

from .status_table import describe_status

__all__ = [
    "EXPLAIN_JSON_VERSION",
    "Answered",
    "Gap",
    "MessageInfo",
    "Report",
    "Stray",
    "explain_session",
    "render_json",
    "render_text",
]

#: Version of the ``--format json`` shape (docs/pages/session.md).
EXPLAIN_JSON_VERSION: Final = 1

Side = Literal["client", "server"]


@dataclass(slots=True, kw_only=True)
class Answered:
    """One command a side sent, with its outcome (None: never answered)."""

    sender: Side
    file: str
    msg_id: str
    cmd_id: str
    cmd: str
    detail: str
    needs_status: bool
    status: int | None = None
    answered_in: str | None = None
    results: list[Item] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class Stray:
    """A Status or Results that answers no command of the other side."""

    sender: Side
    file: str
    msg_id: str
    kind: str
    msg_ref: str
    cmd_ref: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Gap:
    """A MsgID out of sequence for one sender (expected ``expected``, got ``got``)."""

    sender: Side
    file: str
    expected: int
    got: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageInfo:
    """One message of the capture: who sent it, its MsgID, Final, and its SyncHdr's answer."""

    file: str
    sender: Side
    msg_id: str
    final: bool
    header_status: int | None


@dataclass(slots=True, kw_only=True)
class Report:
    """Everything ``explain_session`` found."""

    messages: list[MessageInfo] = field(default_factory=list)
    commands: list[Answered] = field(default_factory=list)
    strays: list[Stray] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)

    @property
    def unanswered(self) -> list[Answered]:
        """Commands that needed a Status and got none."""
        return [c for c in self.commands if c.needs_status and c.status is None]

    @property
    def ok(self) -> bool:
        """True when every command is answered and nothing is stray or out of sequence."""
        return not self.unanswered and not self.strays and not self.gaps


def _side(msg: SyncML, sources: dict[str, Side]) -> Side:
    source = msg.sync_hdr.source.loc_uri.strip()
    if source in sources:
        return sources[source]
    target = msg.sync_hdr.target.loc_uri.strip()
    if target in sources:
        side: Side = "server" if sources[target] == "client" else "client"
    else:
        side = "server" if source.lower().startswith(("http://", "https://")) else "client"
    sources[source] = side
    return side


def _detail(cmd: Command) -> str:
    if isinstance(cmd, Alert):
        return f"Alert {int(cmd.data)}" if cmd.data is not None else "Alert"
    uris = [
        i.target.loc_uri if i.target is not None else i.source.loc_uri if i.source else ""
        for i in getattr(cmd, "items", ())
    ]
    return ", ".join(u for u in uris if u)


class _Replay:
    def __init__(self) -> None:
        self.report = Report()
        self.sources: dict[str, Side] = {}
        self.last_id: dict[Side, int] = {}
        self.sent: dict[tuple[Side, str, str], list[Answered]] = {}

    def message(self, name: str, msg: SyncML) -> None:
        side = _side(msg, self.sources)
        other: Side = "server" if side == "client" else "client"
        hdr = msg.sync_hdr
        self._sequence(name, side, hdr.msg_id)
        header_code = None
        for cmd in msg.sync_body.commands:
            if isinstance(cmd, Status) and cmd.cmd_ref.strip() == "0":
                header_code = int(cmd.data)
            elif isinstance(cmd, (Status, Results)):
                self._answer(name, side, other, hdr.msg_id, cmd)
        for cmd in iter_commands(msg):
            if isinstance(cmd, (Status, Results)):
                continue
            entry = Answered(
                sender=side,
                file=name,
                msg_id=hdr.msg_id.strip(),
                cmd_id=cmd.cmd_id.strip(),
                cmd=type(cmd).XML_NAME,
                detail=_detail(cmd),
                needs_status=not getattr(cmd, "no_resp", False),
            )
            self.report.commands.append(entry)
            self.sent.setdefault((side, entry.msg_id, entry.cmd_id), []).append(entry)
        self.report.messages.append(
            MessageInfo(
                file=name,
                sender=side,
                msg_id=hdr.msg_id.strip(),
                final=msg.sync_body.final,
                header_status=header_code,
            )
        )

    def _sequence(self, name: str, side: Side, msg_id: str) -> None:
        expected = self.last_id.get(side, 0) + 1
        text = msg_id.strip()
        if not text.isdigit() or int(text) != expected:
            self.report.gaps.append(Gap(sender=side, file=name, expected=expected, got=msg_id))
        if text.isdigit():
            self.last_id[side] = int(text)

    def _answer(
        self, name: str, side: Side, other: Side, msg_id: str, cmd: Status | Results
    ) -> None:
        ref = (cmd.msg_ref or "1").strip()
        targets = self.sent.get((other, ref, cmd.cmd_ref.strip()), [])
        where = f"{side} MsgID {msg_id.strip()} ({name})"
        if isinstance(cmd, Status):
            target = next((t for t in targets if t.status is None), None)
            if target is not None:
                target.status, target.answered_in = int(cmd.data), where
                return
        elif targets:
            targets[0].results.extend(cmd.items)
            return
        self.report.strays.append(
            Stray(
                sender=side,
                file=name,
                msg_id=msg_id.strip(),
                kind=type(cmd).XML_NAME,
                msg_ref=ref,
                cmd_ref=cmd.cmd_ref,
            )
        )


def explain_session(messages: Sequence[tuple[str, SyncML]]) -> Report:
    """Replay ``messages`` (name, parsed message) in order and report every command's outcome."""
    replay = _Replay()
    for name, msg in messages:
        replay.message(name, msg)
    return replay.report


def _item_text(item: Item) -> str:
    where = item.source.loc_uri if item.source else item.target.loc_uri if item.target else ""
    return f"{where} = {str(item.data or '')!r}" if where else repr(str(item.data or ""))


def render_text(report: Report) -> str:
    """The report for people: one line per command, then what is missing, then a summary."""
    lines = []
    for c in report.commands:
        head = f"{c.sender} MsgID {c.msg_id} {c.cmd} CmdID {c.cmd_id}"
        head += f" [{c.detail}]" if c.detail else ""
        if c.status is None:
            tail = "NO STATUS" if c.needs_status else "no Status expected (NoResp)"
        else:
            meaning = describe_status(c.status)
            windows = f"; Windows: {meaning.windows}" if meaning.windows else ""
            tail = f"{c.status} {meaning.meaning}{windows} - in {c.answered_in}"
        lines.append(f"{c.file}: {head}: {tail}")
        lines.extend(f"    Results: {_item_text(i)}" for i in c.results)
    lines.extend(
        f"{s.file}: {s.sender} MsgID {s.msg_id} {s.kind} for MsgRef {s.msg_ref} CmdRef"
        f" {s.cmd_ref} answers no command"
        for s in report.strays
    )
    lines.extend(
        f"{g.file}: {g.sender} MsgID {g.got!r}, expected {g.expected}" for g in report.gaps
    )
    answered = sum(1 for c in report.commands if c.status is not None)
    lines.append(
        f"{len(report.commands)} command(s), {answered} answered,"
        f" {len(report.unanswered)} without Status, {len(report.strays)} stray answer(s),"
        f" {len(report.gaps)} MsgID gap(s)"
    )
    return "\n".join(lines) + "\n"


def _json_command(c: Answered) -> dict[str, Any]:
    meaning = describe_status(c.status) if c.status is not None else None
    return {
        "file": c.file,
        "sender": c.sender,
        "msg_id": c.msg_id,
        "cmd_id": c.cmd_id,
        "cmd": c.cmd,
        "detail": c.detail,
        "needs_status": c.needs_status,
        "status": c.status,
        "meaning": meaning.meaning if meaning else None,
        "windows": meaning.windows if meaning else None,
        "answered_in": c.answered_in,
        "results": [
            {
                "source": i.source.loc_uri if i.source else None,
                "target": i.target.loc_uri if i.target else None,
                "data": None if i.data is None else str(i.data),
            }
            for i in c.results
        ],
    }


def render_json(report: Report) -> str:
    """The report as one JSON document (shape ``EXPLAIN_JSON_VERSION``, docs/pages/session.md)."""
    doc = {
        "version": EXPLAIN_JSON_VERSION,
        "messages": [
            {
                "file": m.file,
                "sender": m.sender,
                "msg_id": m.msg_id,
                "final": m.final,
                "header_status": m.header_status,
            }
            for m in report.messages
        ],
        "commands": [_json_command(c) for c in report.commands],
        "strays": [
            {
                "file": s.file,
                "sender": s.sender,
                "msg_id": s.msg_id,
                "kind": s.kind,
                "msg_ref": s.msg_ref,
                "cmd_ref": s.cmd_ref,
            }
            for s in report.strays
        ],
        "gaps": [
            {"file": g.file, "sender": g.sender, "expected": g.expected, "got": g.got}
            for g in report.gaps
        ],
        "summary": {
            "commands": len(report.commands),
            "answered": sum(1 for c in report.commands if c.status is not None),
            "unanswered": len(report.unanswered),
            "strays": len(report.strays),
            "gaps": len(report.gaps),
            "ok": report.ok,
        },
    }
    return json.dumps(doc, indent=2) + "\n"
