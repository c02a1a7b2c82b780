"""Property: for random command lists and MaxMsgSize values, a ServerSession and a ClientSession
with ``packing.pack`` as their packer talk through bytes (XML or WBXML) and

- every message is within the MaxMsgSize its receiver announced (measured on the bytes);
- every message validates against the one it answers (``Talk``, tests/session_wire.py);
- both sessions go through to_state -> JSON -> from_state before every message (``Wire``);
- every command gets exactly one outcome, every value arrives whole and in order (a large one
  as one ``LargeObject``), and every Get's Results reach the server, chunked or not.
"""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import event as note_event
from hypothesis import strategies as st
from session_wire import Talk

from syncml_codec import Get, Item, Meta, Replace, Source, StatusCode, Target, parse
from syncml_codec.packing import pack
from syncml_codec.session import (
    ClientSession,
    CommandOutcome,
    CommandReceived,
    Event,
    LargeObjectReceived,
    ResultsReceived,
    ServerSession,
)

SERVER = "https://mdm.example.com/omadm"
ALPHABET = "abcXYZ019+/=<&>é"  # markup characters and a two-byte one: sizes are on the bytes

values = st.builds(
    lambda pattern, n: (pattern * n)[:n],
    st.text(ALPHABET, min_size=1, max_size=8),
    st.integers(min_value=1, max_value=2500),
)
commands = st.lists(
    st.tuples(st.sampled_from(["replace", "get"]), values),
    min_size=1,
    max_size=12,
)


def _run(fmt: str, budget: int, plan: list[tuple[str, str]], spool: Path) -> None:
    server_budget = 2 * budget + 600  # the client's Statuses for a full message fit in one
    client = ClientSession(
        device_id="device-1",
        server_uri=SERVER,
        format=fmt,  # type: ignore[arg-type]
        packer=pack,
        announce_max_msg_size=budget,
        spool_dir=str(spool),
    )
    server = ServerSession(packer=pack, announce_max_msg_size=server_budget, spool_dir=str(spool))
    talk = Talk(client, server, continuation_ok=True)
    talk.start()
    sent: dict[int, tuple[str, str]] = {}
    for i, (kind, data) in enumerate(plan):
        uri = f"./Vendor/MSFT/Test/N{i}"
        cmd: Replace | Get
        if kind == "replace":
            cmd = Replace(cmd_id="1", items=(Item(target=Target(loc_uri=uri), data=data),))
        else:
            cmd = Get(cmd_id="1", items=(Item(target=Target(loc_uri=uri)),))
        sent[talk.server.send(cmd)] = (kind, data)
    values: list[str] = []
    uploads: dict[int, str] = {}

    def on_client(events: list[Event]) -> None:
        for event in events:
            if isinstance(event, CommandReceived) and isinstance(event.command, Replace):
                values.append(str(event.command.items[0].data))
            elif isinstance(event, CommandReceived) and isinstance(event.command, Get):
                uri = event.command.items[0].target
                assert uri is not None
                answer = plan[int(uri.loc_uri.rsplit("N", 1)[1])][1]
                meta = Meta(format="chr")
                item = Item(source=Source(loc_uri=uri.loc_uri), meta=meta, data=answer)
                talk.client.respond(event.cmd_id, StatusCode.OK, [item])
            elif isinstance(event, LargeObjectReceived):
                values.append(event.object.open().read().decode("utf-8"))
                event.object.close()

    for _ in range(1000):
        _, to_server = talk.step(on_client)
        for event in to_server:
            if isinstance(event, (CommandOutcome, ResultsReceived)) and event.items:
                uploads[event.handle] = str(event.items[0].data)
            elif isinstance(event, LargeObjectReceived):
                assert event.handle is not None
                uploads[event.handle] = event.object.open().read().decode("utf-8")
                event.object.close()
        if talk.client.ended:
            break
    assert talk.client.ended and talk.server.ended
    for who, body in talk.log:
        assert len(body) <= (budget if who == "server" else server_budget), (who, len(body))
    assert values == [data for kind, data in plan if kind == "replace"]
    outcomes = [e for e in talk.server_events if isinstance(e, CommandOutcome)]
    assert sorted(e.handle for e in outcomes) == sorted(sent)  # exactly one each
    assert {e.status for e in outcomes} == {StatusCode.OK}
    assert uploads == {h: data for h, (kind, data) in sent.items() if kind == "get"}
    assert list(spool.iterdir()) == []
    chunked = any(
        item.more_data
        for _, body in talk.log
        for cmd in parse(body).sync_body.commands
        for item in getattr(cmd, "items", ())
    )
    note_event(
        f"{'chunked' if chunked else 'whole'}, {min(len(talk.log) // 10 * 10, 50)}+ messages"
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    fmt=st.sampled_from(["xml", "wbxml"]),
    extra=st.integers(min_value=0, max_value=1500),
    plan=commands,
)
def test_both_engines_pack_within_every_budget(
    fmt: str, extra: int, plan: list[tuple[str, str]]
) -> None:
    # the smallest budget carries the envelope (with its Meta) and a chunk's Item markup
    budget = (1100 if fmt == "xml" else 450) + extra
    with TemporaryDirectory() as spool:
        _run(fmt, budget, plan, Path(spool))
