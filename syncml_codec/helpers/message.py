"""Message plumbing shared by the helpers: one CmdID allocator, renumbering, a message envelope.

Every helper that creates commands takes its CmdIDs from a ``CmdIdAllocator`` so that a message
built from several recipes still has unique CmdIDs (OMA-TS-DM_RepPro 4.1.1.3, [MS-MDM]
2.2.3.2): CmdID is unique within a message, and never ``"0"``.

Layout note: lists one ``helpers/unenroll.py``. The recipes are split by concern
(``message`` envelope and CmdIDs, ``alerts`` generic alerts, ``unenroll`` the unenrollment
recipes, ``reply`` response skeletons) because generic alerts and replies are useful without
unenrollment; all of them only build model objects and never touch XML.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence

from syncml_codec.errors import EncodeError
from syncml_codec.model import Atomic, Command, Source, SyncBody, SyncHdr, SyncML, Target
from syncml_codec.model import Sequence as SequenceCmd

__all__ = [
    "CmdIdAllocator",
    "check_msg_id",
    "check_session_id",
    "check_unique_cmd_ids",
    "iter_commands",
    "new_message",
    "renumber",
]


class CmdIdAllocator:
    """Hands out CmdIDs ``"1"``, ``"2"``, ... for one message ([MS-MDM] 2.2.3: unique, never "0").

    One allocator is used for a whole message; pass it to every helper that creates commands.

    >>> ids = CmdIdAllocator()
    >>> ids.next(), ids.next()
    ('1', '2')
    """

    __slots__ = ("_next",)

    def __init__(self, start: int = 1) -> None:
        """Start at ``start`` (>= 1: CmdID "0" is forbidden, OMA-TS-DM_RepPro 4.1.1.3)."""
        if start < 1:
            raise EncodeError(f"CmdIDs start at 1 (CmdID '0' is forbidden), got start={start}")
        self._next = start

    def next(self) -> str:
        """Return the next unused CmdID as a string."""
        value = self._next
        self._next += 1
        return str(value)

    @property
    def issued(self) -> int:
        """How many CmdIDs were handed out so far (when started at 1)."""
        return self._next - 1

    def __iter__(self) -> Iterator[str]:
        """Iterate over fresh CmdIDs forever."""
        while True:
            yield self.next()


def renumber(command: Command, ids: CmdIdAllocator) -> Command:
    """Return a copy of ``command`` (and its Atomic/Sequence members) with CmdIDs from ``ids``.

    Containers are numbered before their members, in document order.
    """
    new_id = ids.next()
    if isinstance(command, (Atomic, SequenceCmd)):
        members = tuple(renumber(c, ids) for c in command.commands)
        return dataclasses.replace(command, cmd_id=new_id, commands=members)
    return dataclasses.replace(command, cmd_id=new_id)


def iter_commands(obj: object) -> Iterator[Command]:
    """Yield every command in ``obj``, depth first in document order, containers first.

    ``obj`` may be a ``SyncML`` message, a ``SyncBody``, one command, or an iterable of
    commands. Members of Atomic and Sequence are yielded after their container.
    """
    if isinstance(obj, SyncML):
        yield from iter_commands(obj.sync_body.commands)
        return
    if isinstance(obj, SyncBody):
        yield from iter_commands(obj.commands)
        return
    if isinstance(obj, (Atomic, SequenceCmd)):
        yield obj
        yield from iter_commands(obj.commands)
        return
    if isinstance(obj, (str, bytes)) or not isinstance(obj, Iterable):
        if hasattr(obj, "cmd_id"):
            yield obj  # type: ignore[misc]
        return
    for cmd in obj:
        yield from iter_commands(cmd)


def _require(name: str, value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise EncodeError(f"{name} must be a non-empty string, got {value!r}")
    if value != value.strip():
        raise EncodeError(f"{name} must not start or end with whitespace, got {value!r}")
    return value


def check_session_id(session_id: str) -> str:
    """Check a SessionID: non-empty, no surrounding whitespace, at most 4 bytes in UTF-8.

    [MS-MDM] 2.2.3: "Opaque, at most 4 bytes ([MS-MDM])"; [XSD05] ``SessionID`` is
    ``xs:string maxLength 4``.
    """
    _require("SessionID", session_id)
    if len(session_id.encode("utf-8")) > 4:
        raise EncodeError(
            f"SessionID {session_id!r} is longer than 4 bytes ([MS-MDM]: at most 4 bytes)"
        )
    return session_id


def check_msg_id(msg_id: str) -> str:
    """Check a MsgID: a positive decimal integer without leading zeros ([MS-MDM] 2.2.3)."""
    _require("MsgID", msg_id)
    if not msg_id.isascii() or not msg_id.isdigit() or msg_id.startswith("0"):
        raise EncodeError(f"MsgID must be a positive integer such as '1', got {msg_id!r}")
    return msg_id


def new_message(
    commands: Sequence[Command],
    *,
    session_id: str,
    msg_id: str = "1",
    target: str,
    source: str,
    final: bool = True,
    ids: CmdIdAllocator | None = None,
) -> SyncML:
    """Wrap ``commands`` in a complete SyncML DM 1.2 message.

    The header carries VerDTD ``1.2`` and VerProto ``DM/1.2`` (OMA-TS-DM_RepPro 4). When ``ids`` is
    given, every command (and container member) is renumbered from it; otherwise the commands
    keep their CmdIDs, which must then be unique (checked).

    Args:
        commands: the SyncBody commands, in order.
        session_id: SessionID (at most 4 bytes, [MS-MDM] 2.2.3).
        msg_id: MsgID of this message for this sender (starts at 1, [MS-MDM] 2.2.3).
        target: Target LocURI of the header (the recipient).
        source: Source LocURI of the header (the sender).
        final: whether to close the package with ``<Final/>``.
        ids: an allocator to renumber the commands with.

    Raises:
        EncodeError: empty URIs, a bad SessionID or MsgID, or duplicate CmdIDs.
    """
    check_session_id(session_id)
    check_msg_id(msg_id)
    _require("Target LocURI", target)
    _require("Source LocURI", source)
    cmds = tuple(renumber(c, ids) for c in commands) if ids is not None else tuple(commands)
    check_unique_cmd_ids(cmds)
    return SyncML(
        sync_hdr=SyncHdr(
            session_id=session_id,
            msg_id=msg_id,
            target=Target(loc_uri=target),
            source=Source(loc_uri=source),
        ),
        sync_body=SyncBody(commands=cmds, final=final),
    )


def check_unique_cmd_ids(commands: Iterable[Command]) -> None:
    """Raise ``EncodeError`` when two commands (members included) share a CmdID, or one is "0".

    [MS-MDM] 2.2.3: "CmdID: unique within a message, never '0'".
    """
    seen: set[str] = set()
    for cmd in iter_commands(commands):
        if cmd.cmd_id in seen:
            raise EncodeError(f"CmdID {cmd.cmd_id!r} is used twice in one message ([MS-MDM] 2.2.3)")
        if cmd.cmd_id.strip() == "0":
            raise EncodeError("CmdID '0' is forbidden ([MS-MDM] 2.2.3)")
        seen.add(cmd.cmd_id)
