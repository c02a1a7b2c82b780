"""Profile snippet files (issue 15 item 3): ``validate`` recognises top-level commands with no
SyncML root by itself and checks them as commands, each with its own lines, CmdID optional."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

import syncml_codec as sc
from syncml_codec.cli import main
from syncml_codec.errors import SchemaInvalid
from syncml_codec.report import report_schema

SNIPPETS = Path(__file__).parent / "data" / "snippets"
PROFILE = SNIPPETS / "admx_and_chr.xml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def line_of(text: str, needle: str, nth: int = 1) -> int:
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


def codes(diags: list[sc.Diagnostic]) -> list[str]:
    return [d.code for d in diags]


def test_documented_layout_is_valid_for_windows_with_located_warnings() -> None:
    text = PROFILE.read_text("utf-8")
    diags = sc.validate(PROFILE, profile="windows", csp=True)
    assert not [d for d in diags if d.severity == "error"], diags
    s117 = [d for d in diags if d.code == "S117"]
    assert [(d.line, d.xpath) for d in s117] == [
        (line_of(text, "<Target>"), "/Replace[1]/Item[1]/Target")
    ]
    s118 = [d for d in diags if d.code == "S118"]
    assert [(d.line, d.xpath) for d in s118] == [
        (line_of(text, "<Format>chr"), "/Replace[1]/Item[1]/Meta/Format")
    ]
    # no DM201: the server assigns CmdIDs to a stored profile
    assert "DM201" not in codes(diags) and "S105" not in codes(diags)


def test_cli_validate_directory_of_snippets_exits_0(tmp_path: Path) -> None:
    for f in SNIPPETS.glob("*.xml"):
        shutil.copy(f, tmp_path / f.name)
    code, out, err = run("validate", "--profile", "windows", "--csp", str(tmp_path))
    assert code == 0, out + err
    assert "2 file(s) checked, 0 invalid" in err
    assert f"{tmp_path / 'admx_and_chr.xml'}:" in out and "[S117]" in out


def test_cli_points_at_the_real_fault_with_its_line(tmp_path: Path) -> None:
    text = PROFILE.read_text("utf-8").replace("<Data>8</Data>", "<Data>eight</Data>")
    (tmp_path / "good.xml").write_bytes((SNIPPETS / "camera.xml").read_bytes())
    (tmp_path / "bad.xml").write_text(text, "utf-8")
    code, out, _err = run("validate", "--profile", "windows", "--csp", str(tmp_path))
    assert code == 1
    errors = [line for line in out.splitlines() if ": error:" in line]
    want = f"{tmp_path / 'bad.xml'}:{line_of(text, '<Data>eight')}:"
    assert len(errors) == 1 and errors[0].startswith(want), out
    assert "[C304]" in errors[0] and "/Replace[3]/Item[1]/Data" in errors[0]


def test_structural_fault_in_a_later_command_is_located() -> None:
    text = PROFILE.read_text("utf-8")
    bad = text.replace("<Data>8</Data>", "<Data>8</Data><Bogus/>")
    diags = sc.validate(bad, profile="windows")
    (found,) = [d for d in diags if d.severity == "error"]
    assert (found.code, found.line, found.xpath) == (
        "S104",
        line_of(bad, "<Bogus/>"),
        "/Replace[3]/Item[1]/Bogus",
    )


def test_cmd_id_optional_but_empty_or_duplicate_reported() -> None:
    # two commands on one line: columns are the file's own, not the wrapper's
    text = (
        "<Get><Item><Target><LocURI>./DevInfo/Mod</LocURI></Target></Item></Get>"
        "<Get><CmdID></CmdID><Item><Target><LocURI>./DevInfo/Man</LocURI></Target></Item></Get>"
        "\n<Get><CmdID>4</CmdID><Item><Target><LocURI>./DevInfo/Lang</LocURI></Target></Item></Get>"
        "\n<Get><CmdID>4</CmdID><Item><Target><LocURI>./DevInfo/DmV</LocURI></Target></Item></Get>"
    )
    diags = [d for d in sc.validate(text) if d.severity == "error"]
    assert [(d.code, d.line, d.xpath) for d in diags] == [
        ("DM201", 1, "/Get[2]"),
        ("DM202", 3, "/Get[4]/CmdID"),
    ]
    assert diags[0].column == text.index("<Get><CmdID></CmdID>") + 1


def test_schema_layer_agrees_on_snippets() -> None:
    diags = sc.validate(PROFILE, profile="windows", schema=True)
    assert not [d for d in diags if d.severity == "error"], diags
    bad = PROFILE.read_text("utf-8").replace("<Data>8</Data>", "<Data>8</Data><Bogus/>")
    errors = [d for d in sc.validate(bad, profile="windows", schema=True) if d.severity == "error"]
    assert [(d.line, d.xpath) for d in errors] == [
        (line_of(bad, "<Bogus/>"), "/Replace[3]/Item[1]/Bogus")
    ]


def test_csp_rules_apply_to_each_command_with_its_line() -> None:
    text = PROFILE.read_text("utf-8").replace(
        "Config/Browser/HomePages", "Config/Browser/NoSuchPolicy"
    )
    diags = [d for d in sc.validate(text, profile="windows", csp=True) if d.code.startswith("C")]
    assert diags and {d.line for d in diags} == {line_of(text, "NoSuchPolicy")}
    assert diags[0].xpath.startswith("/Replace[2]/Item[1]/Target/LocURI")


def test_validate_or_raise_on_a_bad_snippet() -> None:
    text = PROFILE.read_text("utf-8").replace("<Replace>", "<Replace><CmdID>0</CmdID>", 1)
    with pytest.raises(SchemaInvalid) as info:
        sc.validate_or_raise(text, profile="windows")
    assert str(info.value).startswith(f"{line_of(text, '<CmdID>0')}:10: error: CmdID is")
    found = [d for d in info.value.diagnostics if isinstance(d, sc.Diagnostic)]
    assert [d.code for d in found if d.severity == "error"] == ["DM203"]


def test_unclosed_command_is_reported_in_the_files_terms() -> None:
    diags = sc.validate("<Replace>\n  <Item>\n")
    (d,) = diags
    assert d.severity == "error" and "SyncBody" not in d.message + d.xpath


def test_inspect_and_fmt_work_on_snippets() -> None:
    code, out, _ = run("inspect", str(PROFILE))
    assert code == 0
    assert out.startswith("3 command(s)") and out.count("Replace") == 3
    code, out, err = run("fmt", str(PROFILE))
    assert code == 0
    # the comment is reported as dropped, nothing else
    assert "comment" in err and "unknown element" not in err
    again = sc.parse_commands(out)
    assert again == sc.parse_commands(PROFILE)


def test_json_report_records_select_ignore_and_csp(tmp_path: Path) -> None:
    code, out, _ = run(
        "validate", "--profile", "windows", "--format", "json", "--os-build", "10.0.22631",
        "--select", "S1,C3", "--ignore", "S118", str(PROFILE),
    )  # fmt: skip
    doc = json.loads(out)
    jsonschema.validate(doc, report_schema())
    assert code == 0
    opts = doc["options"]
    assert (opts["select"], opts["ignore"]) == (["S1", "C3"], ["S118"])
    assert (opts["csp"], opts["ddf"], opts["os_build"]) == (True, None, "10.0.22631")
    found = {d["code"] for f in doc["files"] for d in f["diagnostics"]}
    assert found and all(c.startswith(("S1", "C3")) and c != "S118" for c in found)


def test_unknown_select_code_exits_2() -> None:
    code, out, err = run("validate", "--select", "DM2,ZZ1", str(PROFILE))
    assert code == 2 and out == ""
    assert "'ZZ1'" in err and "select" in err


def test_which_documents_are_snippet_files() -> None:
    get = "<Get{ns}><Item><Target><LocURI>./DevInfo/Mod</LocURI></Target></Item></Get>"
    bare, declared = get.format(ns=""), get.format(ns=' xmlns="SYNCML:SYNCML1.2"')
    # the documented layout: no namespace, CmdID left to the server
    assert [d.code for d in sc.validate(bare)] == ["S115"]
    # a single command that declares its namespace is a message fragment: CmdID required
    assert [d.code for d in sc.validate(declared)] == ["S105"]
    # several declared commands are a snippet file again (XML allows one root only)
    assert sc.validate(declared + "\n" + declared) == []


def test_s115_names_the_first_command_without_a_namespace() -> None:
    get = "<Get{ns}><Item><Target><LocURI>./DevInfo/Mod</LocURI></Target></Item></Get>\n"
    text = get.format(ns=' xmlns="SYNCML:SYNCML1.2"') + get.format(ns="") + get.format(ns="")
    (d,) = sc.validate(text)
    assert (d.code, d.line, d.column, d.xpath) == ("S115", 2, 1, "/Get[2]")
