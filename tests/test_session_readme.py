"""The README's minimal server handler (also in docs/pages/session.md) runs against a
ClientSession."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from syncml_codec.model import Get, Item, Source
from syncml_codec.session import ClientSession, CommandReceived, SessionEnded

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## OMA DM sessions (a sans-IO engine)"


def _handler_block(text: str, heading: str) -> str:
    section = text.split(heading, 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None
    return match.group(1)


def test_handler_is_short_and_the_same_in_both_documents() -> None:
    readme = _handler_block((ROOT / "README.md").read_text("utf-8"), HEADING)
    docs = _handler_block(
        (ROOT / "docs" / "pages" / "session.md").read_text("utf-8"), "## A minimal"
    )
    assert readme == docs
    assert len(readme.strip().splitlines()) < 30


@pytest.mark.parametrize("fmt", ["xml", "wbxml"])
def test_handler_serves_a_client_session(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = _handler_block((ROOT / "README.md").read_text("utf-8"), HEADING)
    namespace: dict[str, Any] = {}
    exec(compile(code, "README.md handler", "exec"), namespace)
    handle_post = namespace["handle_post"]
    client = ClientSession(device_id="dev-1", server_uri="https://mdm/x", format=fmt)  # type: ignore[arg-type]
    client.start(dev_info={"Man": "Contoso"})
    ended = []
    while (msg := client.next_message()) is not None:
        response = handle_post(msg.body, msg.content_type)
        assert response is not None  # the server answers every client package
        for event in client.receive(response[0], content_type=response[1]):
            if isinstance(event, CommandReceived) and isinstance(event.command, Get):
                item = Item(source=Source(loc_uri="./DevDetail/SwV"), data="10.0.26100")
                client.respond(event.cmd_id, 200, [item])
            ended += [event] if isinstance(event, SessionEnded) else []
    assert ended == [SessionEnded(reason="normal", by="peer")]
    out = capsys.readouterr().out
    assert "dev-1: Get -> 200 ['10.0.26100']" in out
    assert len(namespace["store"]) == 1
