"""The validate report: one truth in every format, equal to the exit code.

Every CLI case below is rendered in every format; the JSON is checked against the shipped JSON
Schema, SARIF against the OASIS SARIF 2.1.0 schema (tests/data/sarif, see its NOTICE), JUnit is
read back by junitparser (an independent JUnit XML reader). In each, the counts and rule ids
must equal the diagnostics of the same run, and the verdict must equal the exit code.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import junitparser
import pytest

from syncml_codec import validate
from syncml_codec.cli import main
from syncml_codec.report import GITHUB_ANNOTATION_CAP, report_schema

DATA = Path(__file__).parent / "data"
RICH = DATA / "validate" / "rich-valid.xml"
SAMPLES = DATA / "samples"
PKG2 = DATA / "corpus" / "oma-spec" / "oma-dmpro-2-6-1-2-pkg2-server-status-sequence-confirm.xml"
CONFIRM = DATA / "corpus" / "oma-spec" / "oma-dmpro-2-5-2-2-confirm-alert-1101.xml"  # S115 warning
SARIF_SCHEMA = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["validate", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _cases(tmp: Path) -> dict[str, list[str]]:
    """Every shape of run the report must describe: valid, invalid, unreadable, empty..."""
    empty = tmp / "empty"
    empty.mkdir()
    upper = tmp / "upper"
    upper.mkdir()
    (upper / "MSG.XML").write_bytes(RICH.read_bytes())
    broken = tmp / "broken"
    broken.mkdir()
    (broken / "gone.xml").symlink_to(tmp / "nowhere.xml")
    (broken / "ok.xml").write_bytes(RICH.read_bytes())
    return {
        "valid": [str(RICH)],
        "samples": [str(SAMPLES)],
        "invalid": [str(RICH), str(PKG2)],
        "missing": [str(RICH), str(tmp / "nope.xml")],
        "empty-dir": [str(empty)],
        "upper-suffix": [str(upper)],
        "warning": [str(CONFIRM)],
        "warning-strict": ["--profile", "windows", "--strict", str(CONFIRM)],
        "broken-link": [str(broken)],
        "not-xml": [str(Path(__file__))],
    }


@pytest.fixture
def cases(tmp_path: Path) -> dict[str, list[str]]:
    return _cases(tmp_path)


CASE_NAMES = [
    "valid",
    "samples",
    "invalid",
    "missing",
    "empty-dir",
    "upper-suffix",
    "warning",
    "warning-strict",
    "broken-link",
    "not-xml",
]


def _json(args: list[str]) -> tuple[int, dict[str, Any]]:
    code, out, _ = run("--format", "json", *args)
    return code, json.loads(out)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_json_report_is_schema_valid_and_agrees_with_exit_code(
    name: str, cases: dict[str, list[str]]
) -> None:
    code, doc = _json(cases[name])
    jsonschema.validate(doc, report_schema())
    assert doc["exit_code"] == code
    assert doc["verdict"] == ("valid", "invalid", "error")[code]
    files = doc["files"]
    assert doc["summary"]["files"] == len(files)
    for outcome in ("valid", "invalid", "unreadable"):
        assert doc["summary"][outcome] == sum(f["outcome"] == outcome for f in files)
    assert all(f["valid"] == (f["outcome"] == "valid") for f in files)
    severities = Counter(d["severity"] for f in files for d in f["diagnostics"])
    assert doc["summary"]["errors"] == severities["error"]
    assert doc["summary"]["warnings"] == severities["warning"]


def test_json_report_cases_have_the_expected_verdicts(cases: dict[str, list[str]]) -> None:
    expected = {
        "valid": 0,
        "samples": 0,
        "invalid": 1,
        "missing": 2,
        "empty-dir": 2,
        "upper-suffix": 0,
        "warning": 0,
        "warning-strict": 1,
        "broken-link": 2,
        "not-xml": 1,
    }
    got = {name: _json(args)[0] for name, args in cases.items()}
    assert got == expected


def test_json_report_names_every_input_and_the_options(cases: dict[str, list[str]]) -> None:
    _, doc = _json(cases["missing"])
    assert [f["outcome"] for f in doc["files"]] == ["valid", "unreadable"]
    assert doc["files"][1]["error"] == "no such file or directory"
    _, doc = _json(cases["warning-strict"])
    assert doc["options"]["strict"] is True
    assert doc["options"]["profile"] == "windows"
    assert doc["files"][0]["outcome"] == "invalid"  # only a warning, but strict
    assert doc["tool"]["name"] == "syncml-codec"
    _, doc = _json(cases["empty-dir"])
    assert doc["files"] == []
    assert doc["problems"] == [
        f"{cases['empty-dir'][0]}: no *.xml or *.wbxml file in this directory"
    ]
    _, doc = _json(cases["broken-link"])
    assert [(Path(f["path"]).name, f["outcome"]) for f in doc["files"]] == [
        ("gone.xml", "unreadable"),
        ("ok.xml", "valid"),
    ]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(extra=1),
        lambda d: d.update(verdict="maybe"),
        lambda d: d["files"][0].update(outcome="fine"),
        lambda d: d["files"][0]["diagnostics"][0].pop("code"),
        lambda d: d["summary"].pop("unreadable"),
        lambda d: d["options"].update(colour=True),
    ],
)
def test_report_schema_rejects_wrong_documents(mutate: Callable[[dict[str, Any]], None]) -> None:
    _, doc = _json([str(PKG2)])
    jsonschema.validate(doc, report_schema())
    mutate(doc)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, report_schema())


@pytest.mark.parametrize("name", CASE_NAMES)
def test_sarif_is_valid_and_counts_equal_the_diagnostics(
    name: str, cases: dict[str, list[str]]
) -> None:
    code, doc = _json(cases[name])
    sarif_code, out, _ = run("--format", "sarif", *cases[name])
    assert sarif_code == code
    log = json.loads(out)
    jsonschema.validate(log, SARIF_SCHEMA)
    (sarif_run,) = log["runs"]
    expected = Counter(d["code"] for f in doc["files"] for d in f["diagnostics"])
    expected.update("IO" for f in doc["files"] if f["outcome"] == "unreadable")
    assert Counter(r["ruleId"] for r in sarif_run["results"]) == expected
    rules = [r["id"] for r in sarif_run["tool"]["driver"]["rules"]]
    assert sorted(rules) == sorted(expected)
    for result in sarif_run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
    assert sarif_run["invocations"][0]["exitCode"] == code


def test_sarif_locations_carry_line_column_and_path() -> None:
    _, out, _ = run("--format", "sarif", str(PKG2))
    results = json.loads(out)["runs"][0]["results"]
    result = next(r for r in results if r["ruleId"] == "S102")
    loc = result["locations"][0]
    assert loc["physicalLocation"]["region"] == {"startLine": 24, "startColumn": 8}
    assert loc["logicalLocations"][0]["fullyQualifiedName"].startswith("/SyncML/")
    assert result["level"] == "error"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_junit_is_read_by_junitparser_with_the_same_counts(
    name: str, cases: dict[str, list[str]], tmp_path: Path
) -> None:
    code, doc = _json(cases[name])
    junit_code, out, _ = run("--format", "junit", *cases[name])
    assert junit_code == code
    path = tmp_path / "junit.xml"
    path.write_text(out, encoding="utf-8")
    xml = junitparser.JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert len(suites) == 1
    suite = suites[0]
    summary = doc["summary"]
    assert suite.failures == summary["invalid"]
    assert suite.errors == summary["unreadable"] + len(doc["problems"])
    cases_read = list(suite)
    assert len(cases_read) == len(doc["files"]) + len(doc["problems"])
    by_name = {c.name: c for c in cases_read}
    for f in doc["files"]:
        case = by_name[f["path"]]
        kinds = {type(r).__name__ for r in case.result}
        if f["outcome"] == "invalid":
            assert kinds == {"Failure"}
            failing = {d["code"] for d in f["diagnostics"] if d["severity"] == "error"}
            if doc["options"]["strict"]:
                failing |= {d["code"] for d in f["diagnostics"] if d["severity"] == "warning"}
            assert case.result[0].type in failing
        elif f["outcome"] == "unreadable":
            assert kinds == {"Error"}
        else:
            assert kinds == set()


def test_github_annotations_are_capped_with_a_summary(tmp_path: Path) -> None:
    for i in range(GITHUB_ANNOTATION_CAP + 5):
        (tmp_path / f"bad{i:02}.xml").write_bytes(PKG2.read_bytes())
    code, out, _ = run("--format", "github", str(tmp_path))
    assert code == 1
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert len(errors) == GITHUB_ANNOTATION_CAP
    _, doc = _json([str(tmp_path)])
    total = sum(1 for f in doc["files"] for d in f["diagnostics"] if d["severity"] == "error")
    assert f"({total - GITHUB_ANNOTATION_CAP} error" in out
    assert "annotation(s) not written: GitHub shows at most 10 per severity" in out
    per_rule = Counter(d["code"] for f in doc["files"] for d in f["diagnostics"])
    for code_, n in per_rule.items():
        assert f"  {code_}: {n}\n" in out


def test_github_step_summary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run("--format", "github", str(PKG2))
    text = summary.read_text("utf-8")
    assert text.startswith("### syncml-codec validate: invalid")
    assert "| S102 |" in text


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_is_cleared_before_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    for i in range(25):
        (tmp_path / f"m{i:02}.xml").write_bytes((PKG2 if i == 12 else RICH).read_bytes())
    out, err = TTY(), TTY()
    code = main(["validate", str(tmp_path)], stdout=out, stderr=err)
    assert code == 1
    # the terminal sees stderr and stdout interleaved; each finding must follow a clear
    assert "checked 12/25" in err.getvalue()
    assert err.getvalue().count("\r\x1b[K") >= 2  # cleared before the finding and at the end
    assert out.getvalue().startswith(str(tmp_path / "m12.xml"))
    assert "\r" not in out.getvalue()


def test_progress_off_when_stderr_is_not_a_tty(tmp_path: Path) -> None:
    for i in range(25):
        (tmp_path / f"m{i:02}.xml").write_bytes(RICH.read_bytes())
    code, _, err = run(str(tmp_path))
    assert code == 0
    assert "\r" not in err
    assert err == "25 file(s) checked, 0 invalid: valid\n"


def test_rules_lists_and_explains() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["rules"], stdout=out, stderr=err) == 0
    assert "DM224" in out.getvalue()
    out = io.StringIO()
    assert main(["rules", "dm224"], stdout=out, stderr=err) == 0
    assert out.getvalue().startswith("DM224: ")
    assert "source:" in out.getvalue()
    err = io.StringIO()
    assert main(["rules", "DM999"], stdout=io.StringIO(), stderr=err) == 2
    assert "unknown rule code 'DM999'" in err.getvalue()


def test_schema_flag_without_xmlschema_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "xmlschema", None)  # import xmlschema -> ImportError
    code, out, err = run("--schema", str(RICH))
    assert code == 2
    assert "needs the xmlschema package" in err
    assert "Traceback" not in err + out


def test_validate_from_a_zip_import(tmp_path: Path) -> None:
    """The package imported from a zip (a zipapp) still finds its bundled XSDs."""
    import syncml_codec

    pkg = Path(syncml_codec.__file__).parent
    schemas = pkg / "schemas"
    if not schemas.is_dir():
        schemas = pkg.parent / "schemas"
    archive = tmp_path / "app.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in pkg.rglob("*.py"):
            zf.write(f, f"syncml_codec/{f.relative_to(pkg)}")
        zf.write(pkg / "py.typed", "syncml_codec/py.typed")
        for f in schemas.iterdir():
            zf.write(f, f"syncml_codec/schemas/{f.name}")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import syncml_codec as s;"
        "assert s.__file__.startswith(sys.argv[1]), s.__file__;"
        "d = s.validate(open(sys.argv[2], 'rb').read(), schema=True);"
        "print(len([x for x in d if x.severity == 'error']))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [sys.executable, "-I", "-c", code, str(archive), str(PKG2)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    expected = sum(d.severity == "error" for d in validate(PKG2.read_bytes(), schema=True))
    assert int(proc.stdout) == expected > 0
