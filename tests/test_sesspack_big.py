"""A 5 MB base64 object (an app package) through both engines with 64 KiB messages: every
message within budget and valid against the one it answers, the receiving session persisted
before every message (the open object's spool stays a named file: the state stays small), and
the reassembled bytes hash equal to the original (hashlib over the decoded stream)."""

from __future__ import annotations

import base64
import hashlib
import json
import random
from pathlib import Path

import pytest
from session_wire import Talk

from syncml_codec import Item, Meta, Replace, StatusCode, Target
from syncml_codec.packing import pack
from syncml_codec.session import ClientSession, CommandOutcome, LargeObjectReceived, ServerSession

BUDGET = 65536
URI = "./Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/App/DownloadInstall"


@pytest.mark.parametrize("fmt", ["xml", "wbxml"])
def test_a_5_mb_object_reassembles_with_equal_hash(fmt: str, tmp_path: Path) -> None:
    # the receiver goes through to_state/from_state before every message; the sender, which
    # holds the object's rest in its queue, stays in memory (its state would carry 5 MB)
    raw = random.Random(5).randbytes(3_750_000)
    blob = base64.b64encode(raw).decode("ascii")  # 5,000,000 characters
    client = ClientSession(
        device_id="device-1",
        server_uri="https://mdm.example.com/omadm",
        format=fmt,  # type: ignore[arg-type]
        packer=pack,
        announce_max_msg_size=BUDGET,
        spool_dir=str(tmp_path),
    )
    talk = Talk(client, ServerSession(packer=pack), persist_server=False)
    talk.start()
    item = Item(target=Target(loc_uri=URI), meta=Meta(format="b64"), data=blob)
    handle = talk.server.send(Replace(cmd_id="1", items=(item,)))
    digest = hashlib.sha256()
    largest_state = 0
    for _ in range(200):
        to_client, _ = talk.step()
        largest_state = max(largest_state, len(json.dumps(talk.client.to_state())))
        for event in to_client:
            if isinstance(event, LargeObjectReceived):
                assert event.object.size == len(blob)
                for piece in event.object.iter_decoded():
                    digest.update(piece)
                event.object.close()
        if talk.client.ended:
            break
    assert digest.hexdigest() == hashlib.sha256(raw).hexdigest()
    server_msgs = [body for who, body in talk.log if who == "server"]
    assert len(server_msgs) > len(blob) // BUDGET
    assert max(len(body) for body in server_msgs) <= BUDGET
    assert largest_state < 20_000, "the state records the spool file, not the bytes"
    outcomes = [e for e in talk.server_events if isinstance(e, CommandOutcome)]
    assert [(e.handle, e.status) for e in outcomes if e.handle == handle] == [
        (handle, StatusCode.OK)
    ]
    assert list(tmp_path.iterdir()) == []
