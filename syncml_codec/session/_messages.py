"""Reading a received message: its wire format and what it holds for the session rules."""

from __future__ import annotations

from collections.abc import Iterator

from syncml_codec._wbxml import is_wbxml
from syncml_codec.codes import AlertCode
from syncml_codec.model import Alert, Command, Results, Status, SyncML

from .errors import ProtocolError
from .events import WireFormat

__all__ = [
    "CONTROL_ALERTS",
    "alert_code",
    "control_alerts",
    "header_status",
    "is_management",
    "management_commands",
    "positive",
    "wire_format",
]

#: The session-control alerts: next message (1222) and abort (1223).
CONTROL_ALERTS = (AlertCode.NEXT_MESSAGE, AlertCode.SESSION_ABORT)
_ANSWERS = (Status, Results)


def wire_format(data: bytes, content_type: str | None) -> WireFormat:
    """The format of received bytes: the content type when it names one, else sniffed."""
    if content_type is not None:
        lowered = content_type.lower()
        if "wbxml" in lowered:
            return "wbxml"
        if "xml" in lowered:
            return "xml"
    return "wbxml" if is_wbxml(data) else "xml"


def positive(text: str, what: str) -> int:
    """A MsgID or MsgRef as an int; a ProtocolError unless it is a positive integer."""
    value = text.strip()
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise ProtocolError(f"{what} {text!r} is not a positive integer ([MS-MDM] 2.2.3.6)")
    return int(value)


def alert_code(cmd: Command) -> int | None:
    """The code of an Alert (None for any other command)."""
    return int(cmd.data) if isinstance(cmd, Alert) and cmd.data is not None else None


def is_management(cmd: Command) -> bool:
    """A command that is not an answer (Status, Results)."""
    return not isinstance(cmd, _ANSWERS)


def management_commands(msg: SyncML) -> Iterator[Command]:
    """The top-level commands of ``msg`` that are not Status or Results."""
    return (c for c in msg.sync_body.commands if is_management(c))


def control_alerts(msg: SyncML) -> set[int]:
    """The session-control alert codes (1222, 1223) present at the top level of ``msg``."""
    return {code for c in msg.sync_body.commands if (code := alert_code(c)) in CONTROL_ALERTS}


def header_status(msg: SyncML) -> Status | None:
    """The Status for our SyncHdr in ``msg`` (CmdRef 0), if any."""
    for cmd in msg.sync_body.commands:
        if isinstance(cmd, Status) and cmd.cmd_ref == "0":
            return cmd
    return None
