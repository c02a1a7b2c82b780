"""What a consumer's type checker sees: exact types, required fields required, no ``Any``.

Runs mypy (--strict, as a consumer configures it, not with this project's settings) and, when
installed, pyright (strict) in subprocesses on the modules under ``tests/typing/``:

* ``quickstart.py``, the README quickstart with ``assert_type`` on what it builds and reads,
  must check clean, and under ``--disallow-any-expr`` no expression in it may be ``Any``;
* ``required_fields.py`` marks each call that must fail with ``# E: <word>``: the checker must
  report an error on exactly those lines, naming the field (``Get(items=())`` without
  ``cmd_id``, a SyncHdr without ``target``...);
* ``pyright --verifytypes``: every public symbol has a known type.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import syncml_codec

TYPING = Path(__file__).parent / "typing"
QUICKSTART = TYPING / "quickstart.py"
REQUIRED = TYPING / "required_fields.py"
#: verifytypes floor: every symbol known, at most this share ambiguous (an attribute whose type
#: is inferred from its assignment rather than declared)
MIN_COMPLETENESS = 0.99


def expected_errors(path: Path) -> dict[int, str]:
    """Line -> the word its ``# E:`` comment says the error must name."""
    out = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        marker = re.search(r"# E: (\w+)", line)
        if marker:
            out[number] = marker.group(1)
    return out


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=600, env=env, check=False
    )
    if proc.returncode not in (0, 1):
        raise AssertionError(f"{args[:3]} failed to run ({proc.returncode}):\n{proc.stderr}")
    return proc.stdout


def mypy(tmp_path: Path, *options: str, files: list[Path]) -> list[tuple[str, int, str]]:
    """(file name, line, message) of every mypy error, under a consumer's plain --strict."""
    pytest.importorskip("mypy")
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nstrict = True\n", encoding="utf-8")
    out = run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(config),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--no-error-summary",
            *options,
            *map(str, files),
        ],
        cwd=tmp_path,
    )
    errors = []
    for line in out.splitlines():
        found = re.match(r"(.+?):(\d+): error: (.*)", line)
        if found:
            errors.append((Path(found.group(1)).name, int(found.group(2)), found.group(3)))
    return errors


def pyright(cwd: Path, *options: str) -> dict[str, Any]:
    """pyright's JSON report (strict: the typing modules say ``# pyright: strict``)."""
    pytest.importorskip("pyright")
    # pyright finds the interpreter (and its site-packages) through VIRTUAL_ENV and PATH
    bindir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "VIRTUAL_ENV": sys.prefix,
        "PATH": bindir + os.pathsep + os.environ["PATH"],
    }
    out = run(
        [sys.executable, "-m", "pyright", "--outputjson", *options],
        cwd=cwd,
        env=env,
    )
    report: dict[str, Any] = json.loads(out)
    return report


def check_expected(errors: list[tuple[str, int, str]]) -> None:
    """Errors in required_fields.py fall on exactly the marked lines, each naming its word."""
    expected = expected_errors(REQUIRED)
    assert len(expected) >= 8
    by_line: dict[int, list[str]] = {}
    for name, line, message in errors:
        assert name == REQUIRED.name, (name, line, message)
        by_line.setdefault(line, []).append(message)
    assert sorted(by_line) == sorted(expected), by_line
    for line, word in expected.items():
        assert any(word in m for m in by_line[line]), (line, word, by_line[line])


def test_mypy_quickstart_is_exact(tmp_path: Path) -> None:
    assert mypy(tmp_path, "--disallow-any-expr", files=[QUICKSTART]) == []


def test_mypy_quickstart_catches_any(tmp_path: Path) -> None:
    """The check can fail: an expression of type Any in the consumer module is reported."""
    module = tmp_path / "loose.py"
    module.write_text(
        "from __future__ import annotations\nimport json\nimport syncml_codec as sc\n"
        'x = sc.Target(loc_uri=json.loads("1"))\n',
        encoding="utf-8",
    )
    errors = mypy(tmp_path, "--disallow-any-expr", files=[module])
    assert [(line, "Any" in message) for _, line, message in errors] == [(4, True)]


def test_mypy_required_fields_are_required(tmp_path: Path) -> None:
    check_expected(mypy(tmp_path, files=[REQUIRED]))


def test_pyright_strict(tmp_path: Path) -> None:
    report = pyright(tmp_path, str(QUICKSTART), str(REQUIRED))
    errors = [
        (Path(d["file"]).name, d["range"]["start"]["line"] + 1, d["message"])
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    check_expected(errors)
    assert report["summary"]["filesAnalyzed"] == 2


def test_pyright_verifytypes() -> None:
    # From the directory holding the imported package: pyright then reads that package (the
    # checkout under an editable install, whose site-packages holds only the schemas' copy).
    root = Path(syncml_codec.__file__).resolve().parent.parent
    report = pyright(root, "--verifytypes", "syncml_codec", "--ignoreexternal")
    completeness = report["typeCompleteness"]
    counts = completeness["exportedSymbolCounts"]
    assert counts["withKnownType"] > 500  # the package was found and read
    assert counts["withUnknownType"] == 0
    assert completeness["completenessScore"] >= MIN_COMPLETENESS
