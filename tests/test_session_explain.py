"""``syncml-codec session explain``: the [MS-MDM] section 4 example, sessions our engines wrote
(XML and WBXML), and captures with holes in them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from session_wire import Wire

from syncml_codec.cli import main
from syncml_codec.model import Get, Item, Target
from syncml_codec.session import (
    STATUS_MEANINGS,
    ClientSession,
    CommandReceived,
    ServerSession,
    describe_status,
)

MSMDM = Path(__file__).parent / "data" / "session" / "ms-mdm-4"
FILES = [str(MSMDM / n) for n in ("1-client.xml", "2-server.xml", "3-client.xml")]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["session", "explain", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_msmdm_example_leaves_the_client_package_1_unanswered() -> None:
    code, text, _ = run(*FILES)
    assert code == 1
    lines = text.splitlines()
    assert "client MsgID 1 Alert CmdID 2 [Alert 1224]: NO STATUS" in lines[0]
    assert "client MsgID 1 Replace CmdID 3" in lines[1] and lines[1].endswith("NO STATUS")
    assert "server MsgID 1 Get CmdID 4 [./DevDetail/SwV]: 200 OK" in lines[2]
    assert "Results: ./DevDetail/SwV = '[software version returned here]'" in lines[3]
    assert "server MsgID 1 Get CmdID 5 [./ DevDetail/HwV]: 200 OK" in lines[4]
    assert lines[-1].startswith("4 command(s), 2 answered, 2 without Status, 0 stray")


def test_msmdm_example_json() -> None:
    code, text, _ = run("--format", "json", *FILES)
    doc = json.loads(text)
    assert code == 1 and doc["version"] == 1
    assert [m["sender"] for m in doc["messages"]] == ["client", "server", "client"]
    assert [m["header_status"] for m in doc["messages"]] == [None, 200, 200]
    answered = {(c["sender"], c["cmd_id"]): c["status"] for c in doc["commands"]}
    assert answered == {
        ("client", "2"): None,
        ("client", "3"): None,
        ("server", "4"): 200,
        ("server", "5"): 200,
    }
    get5 = next(c for c in doc["commands"] if c["cmd_id"] == "5")
    assert get5["meaning"] == "OK" and get5["windows"] == "Completed"
    assert get5["results"] == [
        {"source": "./DevDetail/HwV", "target": None, "data": "[hardware version returned here]"}
    ]
    assert doc["summary"] == {
        "commands": 4,
        "answered": 2,
        "unanswered": 2,
        "strays": 0,
        "gaps": 0,
        "ok": False,
    }


def _engine_session(fmt: str) -> list[bytes]:
    wire = Wire(
        ClientSession(device_id="dev-1", server_uri="https://mdm.example/x", format=fmt),  # type: ignore[arg-type]
        ServerSession(),
    )
    wire.client.start()
    wire.c2s()
    wire.server.send(Get(cmd_id="1", items=(Item(target=Target(loc_uri="./DevDetail/SwV")),)))
    for event in wire.s2c():
        if isinstance(event, CommandReceived):
            wire.client.respond(event.cmd_id, 404)
    wire.c2s()
    wire.s2c()
    return wire.bodies


@pytest.mark.parametrize("fmt", ["xml", "wbxml"])
def test_engine_sessions_are_fully_answered(tmp_path: Path, fmt: str) -> None:
    paths = []
    for n, body in enumerate(_engine_session(fmt)):
        path = tmp_path / f"{n}.{fmt}"
        path.write_bytes(body)
        paths.append(str(path))
    code, text, _ = run(*paths)
    assert code == 0, text
    assert "server MsgID 1 Get CmdID 4 [./DevDetail/SwV]: 404 Not found; Windows: the node" in text


def test_holes_are_reported(tmp_path: Path) -> None:
    bodies = _engine_session("xml")
    del bodies[1]  # the server's MsgID 1 is lost from the capture
    paths = []
    for n, body in enumerate(bodies):
        (tmp_path / f"{n}.xml").write_bytes(body)
        paths.append(str(tmp_path / f"{n}.xml"))
    code, text, _ = run("--format", "json", *paths)
    doc = json.loads(text)
    assert code == 1
    assert doc["gaps"] == [{"file": paths[2], "sender": "server", "expected": 1, "got": "2"}]
    assert [(s["kind"], s["msg_ref"], s["cmd_ref"]) for s in doc["strays"]] == [
        ("Status", "1", "4")
    ]
    assert [c["cmd"] for c in doc["commands"] if c["status"] is None] == ["Alert", "Replace"]


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<SyncML><SyncHdr>")
    code, _, err = run(FILES[0], str(bad))
    assert code == 2 and "bad.xml" in err
    assert run(str(tmp_path / "missing.xml"))[0] == 2


def test_status_table_covers_the_oma_codes_and_windows_meanings() -> None:
    assert set(range(200, 217)) <= set(STATUS_MEANINGS)
    assert set(range(400, 429)) <= set(STATUS_MEANINGS)
    assert {500, 507, 516, 517} <= set(STATUS_MEANINGS)
    assert describe_status(425).windows == "'Access denied' is translated to 425"
    assert describe_status(517).hresult == "0x87D10205"
    assert describe_status(599).meaning == "Unknown 5xx status"
