"""Response skeletons: the Status (and Results) a received message calls for.

Status rules (OMA-TS-DM_RepPro 4.1.5.1, [MS-MDM] 2.2.6.1): "exactly one Status per command
(1:1), in request order"; "A Status on a container (Atomic or Sequence) covers only the
container"; "Status for SyncHdr: CmdRef = 0, Cmd = SyncHdr, and it is the first Status in the
SyncBody"; "A Status MUST NOT be sent for Results when the code would be 200 ([DMREP] 4.1.5.1)";
"Results come after the Status of the same command ([DMREP] 4.1.6.12)". In a failed Atomic "a
failing member returns its own failure code, the Atomic returns 507, and the other members
return 216" ([DMREP] 4.1.6.3). At the end of a session a client reply holding only the SyncHdr
Status "MUST NOT be sent" (Learn "OMA DM protocol support"); see ``is_empty_reply``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from syncml_codec.codes import CommandName, StatusCode
from syncml_codec.errors import EncodeError
from syncml_codec.model import (
    Atomic,
    Chal,
    Command,
    Get,
    Item,
    Results,
    Source,
    Status,
    SyncBody,
    SyncHdr,
    SyncML,
    Target,
)
from syncml_codec.model import Sequence as SequenceCmd

from .message import CmdIdAllocator, check_msg_id, check_unique_cmd_ids, renumber

__all__ = [
    "ResultsSpec",
    "StatusSpec",
    "build_reply",
    "is_empty_reply",
    "next_msg_id",
]

#: Status codes per received command: a mapping CmdID -> code, or a callback that gets the
#: command and returns a code (None = 200). A mapping applies to every command with that CmdID
#: (published messages repeat CmdIDs); use a callback to tell such commands apart.
StatusSpec = Mapping[str, int] | Callable[[Command], int | None]

#: Results per received Get: a mapping CmdID -> Items, or a callback returning Items or None.
ResultsSpec = Mapping[str, Sequence[Item]] | Callable[[Get], Sequence[Item] | None]


def _received_msg_id(received: SyncML) -> int:
    text = received.sync_hdr.msg_id.strip()
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise EncodeError(
            f"the received MsgID {received.sync_hdr.msg_id!r} is not a positive number;"
            " pass msg_id="
        )
    return int(text)


def next_msg_id(received: SyncML) -> str:
    """The received MsgID + 1, as a string: a client's reply in a plain alternation.

    Each sender counts its own MsgIDs from 1 (OMA-TS-DM_Protocol 2.3; [MS-MDM] 2.2.3.6), and
    published sessions go client 1, server 1, client 2, server 2. So the server's reply to
    the client's n-th message is its own n-th (``build_reply``'s default: the received MsgID),
    and the client's reply to the server's n-th message is its (n+1)-th: this function.
    """
    return str(_received_msg_id(received) + 1)


def _code(value: int, where: str) -> StatusCode:
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= int(value) <= 999:
        raise EncodeError(f"status code for {where} must be a 3-digit integer, got {value!r}")
    return StatusCode(int(value))


def _failed(code: StatusCode) -> bool:
    return int(code) >= 300


def _rolled_back(code: StatusCode) -> bool:
    """Success codes that become 216 when their Atomic fails (215/216 stay as they are)."""
    return 200 <= int(code) < 300 and int(code) not in (215, 216)


@dataclass(slots=True)
class _Node:
    """One received command with the code its Status will carry."""

    command: Command
    code: StatusCode
    own_code: StatusCode
    children: list[_Node] = field(default_factory=list)


class _Planner:
    def __init__(
        self, statuses: StatusSpec | None, results: ResultsSpec | None, ids: CmdIdAllocator
    ) -> None:
        self.statuses = statuses
        self.results = results
        self.ids = ids
        self.seen_ids: set[str] = set()
        self.get_ids: set[str] = set()

    def code_for(self, cmd: Command) -> StatusCode:
        self.seen_ids.add(cmd.cmd_id)
        where = f"{type(cmd).XML_NAME} {cmd.cmd_id}"
        if self.statuses is None:
            return StatusCode.OK
        if callable(self.statuses):
            value = self.statuses(cmd)
            return StatusCode.OK if value is None else _code(value, where)
        if cmd.cmd_id in self.statuses:
            return _code(self.statuses[cmd.cmd_id], where)
        return StatusCode.OK

    def plan(self, cmd: Command) -> _Node | None:
        if isinstance(cmd, Status):
            return None  # "Status on a Status is permitted", never required: none is sent
        if isinstance(cmd, Get):
            self.get_ids.add(cmd.cmd_id)
        code = self.code_for(cmd)
        node = _Node(cmd, code, code)
        if isinstance(cmd, (Atomic, SequenceCmd)):
            node.children = [n for c in cmd.commands if (n := self.plan(c)) is not None]
        if isinstance(cmd, Atomic) and any(_subtree_failed(n) for n in node.children):
            # §4.6: "A failing member returns its own failure code, the Atomic returns 507,
            # and the other members return 216 (rolled back)".
            if not _failed(node.code):
                node.code = StatusCode.ATOMIC_FAILED
            for child in node.children:
                _roll_back(child)
        return node

    def emit(self, node: _Node, msg_ref: str, results_cmd: bool, out: list[Command]) -> None:
        cmd = node.command
        skip = isinstance(cmd, Results) and node.code == StatusCode.OK  # [DMREP] 4.1.5.1
        if not skip and not getattr(cmd, "no_resp", False):
            out.append(
                Status(
                    cmd_id=self.ids.next(),
                    msg_ref=msg_ref,
                    cmd_ref=cmd.cmd_id,
                    cmd=type(cmd).XML_NAME,
                    data=node.code,
                )
            )
        if isinstance(cmd, Get):
            items = self._results_for(cmd)
            if items is not None:
                if node.own_code != StatusCode.OK:
                    raise EncodeError(
                        f"Results were supplied for Get {cmd.cmd_id}, whose status is"
                        f" {int(node.own_code)}; Results go with a successful (200) Get"
                    )
                if node.code == StatusCode.OK:  # not rolled back by a failed Atomic
                    if not items:
                        raise EncodeError(f"Results for Get {cmd.cmd_id} need at least one Item")
                    out.append(
                        Results(
                            cmd_id=self.ids.next(),
                            msg_ref=msg_ref,
                            cmd_ref=cmd.cmd_id,
                            cmd=CommandName.GET.value if results_cmd else None,
                            items=tuple(items),
                        )
                    )
        for child in node.children:
            self.emit(child, msg_ref, results_cmd, out)

    def _results_for(self, get: Get) -> Sequence[Item] | None:
        if self.results is None:
            return None
        if callable(self.results):
            return self.results(get)
        return self.results.get(get.cmd_id)

    def check_keys(self) -> None:
        if isinstance(self.statuses, Mapping):
            unknown = sorted(set(self.statuses) - self.seen_ids)
            if unknown:
                raise EncodeError(
                    f"status codes given for CmdID(s) {', '.join(unknown)}, which the received"
                    " message does not have (or that are Status commands)"
                )
        if isinstance(self.results, Mapping):
            unknown = sorted(set(self.results) - self.get_ids)
            if unknown:
                raise EncodeError(
                    f"results given for CmdID(s) {', '.join(unknown)}, which are not Gets in"
                    " the received message"
                )


def _require_message(received: object) -> None:
    """Untyped callers pass the raw bytes; say what to do instead of an AttributeError."""
    if not isinstance(received, SyncML):
        hint = " (parse it first: build_reply(parse(data)))"
        raise EncodeError(
            "build_reply needs the received message as a SyncML object, got"
            f" {type(received).__name__}{hint if isinstance(received, (bytes, str)) else ''}"
        )


def _check_keys(what: str, spec: object) -> None:
    """Mapping keys are CmdIDs, which are strings in the model (``"2"``, not ``2``)."""
    if isinstance(spec, Mapping):
        for key in spec:
            if not isinstance(key, str):
                raise EncodeError(
                    f"{what} keys are CmdID strings, got {type(key).__name__} {key!r};"
                    f" write {str(key)!r}"
                )


def _subtree_failed(node: _Node) -> bool:
    return _failed(node.code) or any(_subtree_failed(c) for c in node.children)


def _roll_back(node: _Node) -> None:
    if _rolled_back(node.code):
        node.code = StatusCode.ATOMIC_ROLL_BACK_OK
    for child in node.children:
        _roll_back(child)


def build_reply(
    received: SyncML,
    *,
    msg_id: str | None = None,
    statuses: StatusSpec | None = None,
    results: ResultsSpec | None = None,
    header_status: int = StatusCode.OK,
    chal: Chal | None = None,
    commands: Sequence[Command] = (),
    final: bool = True,
    results_cmd: bool = True,
    ids: CmdIdAllocator | None = None,
) -> SyncML:
    """Build the reply to ``received``: header, Statuses, Results, then ``commands``.

    Header: same SessionID; MsgID ``msg_id`` or, by default, the received MsgID: each sender
    counts its own MsgIDs from 1 (OMA-TS-DM_Protocol 2.3), so in a plain alternation a
    server's n-th reply answers the client's n-th message. A client answering the server's
    n-th message sends its (n+1)-th: pass ``msg_id=next_msg_id(received)``, or your own
    counter. Target = the received Source LocURI, Source = the received Target LocURI.

    Body, in this order (CmdIDs from ``ids``, a fresh allocator by default):

    1. The Status for the SyncHdr: CmdRef ``0``, Cmd ``SyncHdr``, MsgRef = received MsgID,
       TargetRef/SourceRef = the received Target/Source LocURIs, code ``header_status``, and
       ``chal`` for a 401/407 challenge ([MS-MDM] 2.2.3, §4.3).
    2. One Status per received command, in request order; a container's Status comes before
       its members' ([MS-MDM] 2.2.3). Codes come from ``statuses`` (default 200). No Status for a
       received Results whose code is 200 ([DMREP] 4.1.5.1), for a received Status, or for a
       command with NoResp. In an Atomic with a failed member (code >= 300, at any depth) the
       Atomic gets 507 (unless given a failure code itself), the failing member keeps its
       code, and the other members' success codes become 216 (OMA-TS-DM_RepPro 4.1.6.3).
    3. For a Get with Results in ``results``: a Results right after that Get's Status
       ([DMREP] 4.1.6.12) with ``Cmd`` ``Get`` (Windows writes it, [MS-MDM] 2.2.7.8;
       ``results_cmd=False`` leaves it out). Results of a Get rolled back by its Atomic are
       dropped.
    4. ``commands`` (the reply's own commands), renumbered from the same allocator.

    When the received header has NoResp, no Status is written at all. Before sending a
    *client* reply, check ``is_empty_reply``: a message with only a successful SyncHdr Status
    MUST NOT be sent ([MS-MDM] 2.2.3 "End of session").

    Raises:
        EncodeError: ``received`` is not a parsed ``SyncML`` message, a bad code, codes or
            results keyed by something other than CmdID strings or by CmdIDs the message does
            not have, Results for a Get whose code is not 200, or a received MsgID that is not
            a number (when ``msg_id`` is not given).
    """
    _require_message(received)
    _check_keys("statuses", statuses)
    _check_keys("results", results)
    ids = ids or CmdIdAllocator()
    hdr = received.sync_hdr
    new_msg_id = check_msg_id(msg_id) if msg_id is not None else str(_received_msg_id(received))
    msg_ref = hdr.msg_id
    planner = _Planner(statuses, results, ids)
    nodes = [n for c in received.sync_body.commands if (n := planner.plan(c)) is not None]
    planner.check_keys()
    out: list[Command] = []
    if not hdr.no_resp:
        out.append(
            Status(
                cmd_id=ids.next(),
                msg_ref=msg_ref,
                cmd_ref="0",
                cmd=CommandName.SYNC_HDR.value,
                target_ref=(hdr.target.loc_uri,),
                source_ref=(hdr.source.loc_uri,),
                chal=chal,
                data=_code(header_status, "SyncHdr"),
            )
        )
        for node in nodes:
            planner.emit(node, msg_ref, results_cmd, out)
    out.extend(renumber(c, ids) for c in commands)
    check_unique_cmd_ids(out)
    return SyncML(
        sync_hdr=SyncHdr(
            ver_dtd=hdr.ver_dtd,
            ver_proto=hdr.ver_proto,
            session_id=hdr.session_id,
            msg_id=new_msg_id,
            target=Target(loc_uri=hdr.source.loc_uri, loc_name=hdr.source.loc_name),
            source=Source(loc_uri=hdr.target.loc_uri, loc_name=hdr.target.loc_name),
        ),
        sync_body=SyncBody(commands=tuple(out), final=final),
    )


def is_empty_reply(message: SyncML) -> bool:
    """True when ``message`` holds nothing but a successful SyncHdr Status (or nothing at all).

    Spec §4.2 "End of session": "when the server's package holds no management commands or
    challenge, the client's reply would contain only the SyncHdr Status. That message MUST NOT
    be sent, and the session ends" ([DMPRO] §2.3; [MS-MDM] 2.2.6.1). A client checks this on
    the output of ``build_reply`` and ends the session instead of sending. (A server must
    answer every client package, so this check is for client replies.)
    """
    for cmd in message.sync_body.commands:
        if not isinstance(cmd, Status) or cmd.cmd != CommandName.SYNC_HDR.value:
            return False
        if not 200 <= int(cmd.data) < 300 or cmd.chal is not None:
            return False
    return True
