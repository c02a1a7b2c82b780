"""Reply skeletons (syncml_codec.helpers.reply; spec §4.2 Status rules, §4.6 Atomic)."""

from __future__ import annotations

import pytest

from syncml_codec import (
    Add,
    Alert,
    AlertCode,
    Atomic,
    Chal,
    Command,
    EncodeError,
    Exec,
    Get,
    Item,
    Meta,
    Replace,
    Results,
    Sequence,
    Source,
    Status,
    StatusCode,
    SyncML,
    Target,
    parse,
    serialize,
)
from syncml_codec.helpers import (
    CmdIdAllocator,
    build_reply,
    is_empty_reply,
    iter_commands,
    new_message,
    next_msg_id,
    unenroll_exec,
    unenrollment_request,
)

DEV = "dev-1"
SRV = "https://mdm.example/omadm"


def _item(uri: str) -> Item:
    return Item(target=Target(loc_uri=uri))


def server_package() -> SyncML:
    """A server message: Get, Atomic (Add, Replace), Sequence (Get, Exec), Status, Results."""
    cmds: list[Command] = [
        Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data=StatusCode.OK),
        Get(cmd_id="2", items=(_item("./DevDetail/SwV"),)),
        Atomic(
            cmd_id="3",
            commands=(
                Add(cmd_id="4", items=(_item("./Vendor/MSFT/A"),)),
                Replace(cmd_id="5", items=(_item("./Vendor/MSFT/B"),)),
            ),
        ),
        Sequence(
            cmd_id="6",
            commands=(
                Get(cmd_id="7", items=(_item("./DevInfo/Mod"),)),
                Exec(cmd_id="8", items=(_item("./Vendor/MSFT/X/Exec"),)),
            ),
        ),
        Results(cmd_id="9", cmd_ref="2", items=(Item(data="x"),)),
    ]
    return new_message(cmds, session_id="7", msg_id="3", target=DEV, source=SRV)


def _statuses(msg: SyncML) -> list[Status]:
    return [c for c in msg.sync_body.commands if isinstance(c, Status)]


def test_header_is_swapped_and_counts_on() -> None:
    received = server_package()
    reply = build_reply(received)
    hdr = reply.sync_hdr
    # Each sender counts from 1: the server's reply to the client's 3rd message is its 3rd.
    assert (hdr.session_id, hdr.msg_id) == ("7", "3")
    assert (hdr.target.loc_uri, hdr.source.loc_uri) == (SRV, DEV)
    assert next_msg_id(received) == "4"
    assert build_reply(received, msg_id="1").sync_hdr.msg_id == "1"
    with pytest.raises(EncodeError, match="MsgID"):
        build_reply(received, msg_id="01")


def test_syncHdr_status_first_then_one_per_command_in_request_order() -> None:
    reply = build_reply(server_package())
    statuses = _statuses(reply)
    first = statuses[0]
    assert (first.cmd_ref, first.cmd, first.msg_ref) == ("0", "SyncHdr", "3")
    assert (first.target_ref, first.source_ref) == ((DEV,), (SRV,))
    assert reply.sync_body.commands[0] is first
    assert [(s.cmd_ref, s.cmd) for s in statuses[1:]] == [
        ("2", "Get"),
        ("3", "Atomic"),
        ("4", "Add"),
        ("5", "Replace"),
        ("6", "Sequence"),
        ("7", "Get"),
        ("8", "Exec"),
    ]  # no Status for the received Status, none for the 200 Results
    assert all(s.msg_ref == "3" for s in statuses)
    assert all(s.data == StatusCode.OK for s in statuses)


def test_cmd_ids_are_unique_and_allocated_in_order() -> None:
    reply = build_reply(
        server_package(), results={"2": [Item(data="10.0")]}, commands=[unenroll_exec("P")]
    )
    cmd_ids = [c.cmd_id for c in iter_commands(reply)]
    assert cmd_ids == [str(i) for i in range(1, len(cmd_ids) + 1)]


def test_results_status_only_when_not_200() -> None:
    received = server_package()
    reply = build_reply(received, statuses={"9": 500})
    assert [(s.cmd_ref, s.cmd, int(s.data)) for s in _statuses(reply)][-1] == ("9", "Results", 500)


def test_results_follow_the_status_of_their_get() -> None:
    reply = build_reply(
        server_package(),
        results={"2": [Item(source=Source(loc_uri="./DevDetail/SwV"), data="10.0")]},
        statuses=lambda c: 404 if c.cmd_id == "7" else None,
    )
    body = reply.sync_body.commands
    idx = next(i for i, c in enumerate(body) if isinstance(c, Status) and c.cmd_ref == "2")
    results = body[idx + 1]
    assert isinstance(results, Results)
    assert (results.cmd_ref, results.msg_ref, results.cmd) == ("2", "3", "Get")
    assert results.items[0].data == "10.0"
    assert sum(isinstance(c, Results) for c in body) == 1
    assert parse(serialize(reply)) == reply


def test_results_cmd_can_be_left_out() -> None:
    reply = build_reply(server_package(), results={"2": [Item(data="1")]}, results_cmd=False)
    (results,) = [c for c in reply.sync_body.commands if isinstance(c, Results)]
    assert results.cmd is None


def test_results_for_a_failed_get_or_a_non_get_raise() -> None:
    with pytest.raises(EncodeError, match="whose status is 404"):
        build_reply(server_package(), statuses={"2": 404}, results={"2": [Item(data="1")]})
    with pytest.raises(EncodeError, match="not Gets"):
        build_reply(server_package(), results={"8": [Item(data="1")]})
    with pytest.raises(EncodeError, match="at least one Item"):
        build_reply(server_package(), results={"2": []})


def test_unknown_cmd_ids_and_bad_codes_raise() -> None:
    with pytest.raises(EncodeError, match="CmdID"):
        build_reply(server_package(), statuses={"99": 200})
    with pytest.raises(EncodeError, match="3-digit"):
        build_reply(server_package(), statuses={"2": 42})
    with pytest.raises(EncodeError, match="3-digit"):
        build_reply(server_package(), header_status=True)


def test_atomic_failure_gives_507_216_and_the_members_code() -> None:
    reply = build_reply(server_package(), statuses={"5": 404})
    codes = {s.cmd_ref: int(s.data) for s in _statuses(reply)}
    assert codes["3"] == 507
    assert codes["4"] == 216
    assert codes["5"] == 404
    assert codes["6"] == codes["7"] == codes["8"] == 200  # the Sequence is untouched


def test_nested_atomic_failure_rolls_back_the_whole_tree() -> None:
    inner = Atomic(cmd_id="3", commands=(Add(cmd_id="4", items=(_item("./a"),)),))
    outer = Atomic(
        cmd_id="1",
        commands=(Replace(cmd_id="2", items=(_item("./b"),)), inner),
    )
    received = new_message([outer], session_id="1", target=DEV, source=SRV)
    reply = build_reply(received, statuses={"3": 500, "1": 500})
    codes = {s.cmd_ref: int(s.data) for s in _statuses(reply)}
    # the caller's own failure code for the Atomic is kept; Windows: inner 500, parent 507
    assert codes == {"0": 200, "1": 500, "2": 216, "3": 500, "4": 216}
    reply = build_reply(received, statuses={"4": 418})
    codes = {s.cmd_ref: int(s.data) for s in _statuses(reply)}
    assert codes == {"0": 200, "1": 507, "2": 216, "3": 507, "4": 418}


def test_results_of_a_rolled_back_get_are_dropped() -> None:
    atomic = Atomic(
        cmd_id="1",
        commands=(Get(cmd_id="2", items=(_item("./a"),)), Add(cmd_id="3", items=(_item("./b"),))),
    )
    received = new_message([atomic], session_id="1", target=DEV, source=SRV)
    reply = build_reply(received, statuses={"3": 418}, results={"2": [Item(data="x")]})
    assert not any(isinstance(c, Results) for c in reply.sync_body.commands)


def test_no_resp_suppresses_statuses() -> None:
    received = new_message(
        [Replace(cmd_id="1", no_resp=True, items=(_item("./a"),)), Get(cmd_id="2")],
        session_id="1",
        target=DEV,
        source=SRV,
    )
    assert [s.cmd_ref for s in _statuses(build_reply(received))] == ["0", "2"]


def test_server_reply_to_the_unenrollment_package() -> None:
    pkg1 = unenrollment_request(DEV, SRV, include_session_alert=True)
    reply = build_reply(pkg1, msg_id="1", commands=[unenroll_exec("Contoso")])
    assert [type(c).__name__ for c in reply.sync_body.commands] == [
        "Status",
        "Status",
        "Status",
        "Status",
        "Exec",
    ]
    assert parse(serialize(reply)) == reply


def test_header_no_resp_suppresses_every_status() -> None:
    received = server_package()
    received.sync_hdr.no_resp = True
    reply = build_reply(received, commands=[unenroll_exec("P")])
    assert [type(c).__name__ for c in reply.sync_body.commands] == ["Exec"]


def test_mapping_applies_to_every_command_with_a_repeated_cmd_id() -> None:
    # The seed repeats CmdID 2: a mapping hits both commands, a callback can tell them apart.
    received = server_package()
    body = received.sync_body
    cmds = (
        Alert(cmd_id="2", data=AlertCode.GENERIC_ALERT, items=(Item(meta=Meta(type="t")),)),
        Replace(cmd_id="2", items=(_item("./a"),)),
    )
    received = SyncML(sync_hdr=received.sync_hdr, sync_body=type(body)(commands=cmds))
    by_id = build_reply(received, statuses={"2": 202})
    assert [int(s.data) for s in _statuses(by_id)[1:]] == [202, 202]
    by_cmd = build_reply(received, statuses=lambda c: 202 if isinstance(c, Alert) else None)
    assert [int(s.data) for s in _statuses(by_cmd)[1:]] == [202, 200]


def test_is_empty_reply() -> None:
    pkg = unenrollment_request(DEV, SRV)
    server_final_only = build_reply(pkg, msg_id="1")  # Status for SyncHdr, Alert, Replace
    assert not is_empty_reply(server_final_only)
    closing = new_message(
        [Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data=StatusCode.OK)],
        session_id="1",
        msg_id="2",
        target=DEV,
        source=SRV,
    )
    client_reply = build_reply(closing, msg_id="2")
    assert is_empty_reply(client_reply)  # MUST NOT be sent (spec §4.2 "End of session")
    assert not is_empty_reply(build_reply(closing, header_status=401, chal=Chal(meta=Meta())))
    assert not is_empty_reply(build_reply(closing, header_status=407))
    with_alert = build_reply(
        closing, commands=[Alert(cmd_id="x", data=AlertCode.CLIENT_EVENT)], ids=CmdIdAllocator()
    )
    assert not is_empty_reply(with_alert)
