"""validate reads through the one pipeline (issue 12 item 1): every source kind ``parse``
accepts gives the same findings, snippet files included; convert handles snippet files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import syncml_codec as sc
from syncml_codec.cli import main

SNIPPET = Path(__file__).parent / "data" / "snippets" / "admx_and_chr.xml"


def test_every_source_kind_gives_the_same_findings() -> None:
    data = SNIPPET.read_bytes()
    expected = sc.validate(data, profile="windows")
    assert [d.code for d in expected] == ["S115", "S118", "S117"]
    chunks = [data[i : i + 7] for i in range(0, len(data), 7)]
    for source in (SNIPPET, io.BytesIO(data), iter(chunks), data.decode("utf-8")):
        assert sc.validate(source, profile="windows") == expected


def test_a_str_that_looks_like_a_path_is_a_finding_not_an_exception() -> None:
    (d,) = sc.validate("profile.xml")
    assert (d.severity, d.code) == ("error", "XML001") and "pathlib.Path" in d.message


def test_convert_writes_a_snippet_as_xml_and_refuses_wbxml(tmp_path: Path) -> None:
    out_file = tmp_path / "out.xml"
    err = io.StringIO()
    assert main(["convert", "--to", "xml", str(SNIPPET), str(out_file)], stderr=err) == 0
    assert sc.parse_commands(out_file) == sc.parse_commands(SNIPPET)
    err = io.StringIO()
    code = main(["convert", "--to", "wbxml", str(SNIPPET), str(tmp_path / "o.wbxml")], stderr=err)
    assert code == 2 and "no WBXML form" in err.getvalue()


@pytest.mark.parametrize("command", ["inspect", "fmt"])
def test_reading_commands_fail_cleanly_on_a_broken_snippet(command: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<Replace><Item>\n</Replace>", "utf-8")
    err = io.StringIO()
    assert main([command, str(path)], stdout=io.StringIO(), stderr=err) == 1
    assert err.getvalue().startswith(f"{path}:2:3: error:") and "SyncBody" not in err.getvalue()
