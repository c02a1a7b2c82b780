"""Inject issue 14's regressions one at a time into a copy of the project and run the tests.

python tests/mutants/inject.py            # the relevant test files per mutant (a few minutes)
python tests/mutants/inject.py --full     # the whole suite per mutant (slow: ~2 min each alone)
python tests/mutants/inject.py --list     # the mutants, their files and their tests

Each mutant is a source patch: an exact text anchor in today's package code and its
replacement. The working tree is never touched: the project (package, schemas, tests,
pyproject) is copied into a temporary directory, the patch is applied to the copy, and pytest
runs with the copy as its current directory, so ``import syncml_codec`` imports the patched
copy (checked before every run). A baseline run of the same test files without any patch must
pass first, so that "killed" means the patch was caught, not that the copy was broken.

Exit status: 0 when every mutant is killed, 1 when any survives, 2 when the script itself
cannot run (a stale anchor, a failing baseline, a copy that imports the wrong package).
``tests/test_mutants_anchor.py`` checks in the normal suite that every anchor still matches
exactly once, so a change to the code that moves an anchor fails CI with the mutant's name.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MUTANTS", "ROOT", "Mutant", "main"]

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "syncml_codec"
_WBXML_TOOLS = ("wbxml2xml", "xml2wbxml")


@dataclass(frozen=True)
class Mutant:
    """One deliberate regression: replace ``anchor`` (exactly once) in ``path`` by ``new``."""

    name: str
    what: str
    path: str  # relative to the package directory
    anchor: str
    new: str
    tests: tuple[str, ...]
    hide_wbxml_tools: bool = False

    def apply(self, source: str) -> str:
        """``source`` with the patch applied; ValueError unless the anchor occurs exactly once."""
        count = source.count(self.anchor)
        if count != 1:
            raise ValueError(
                f"mutant {self.name}: anchor found {count} times in syncml_codec/{self.path},"
                " expected exactly once; update tests/mutants/inject.py to today's code"
            )
        return source.replace(self.anchor, self.new)


MUTANTS: tuple[Mutant, ...] = (
    Mutant(
        "1-fastpath-attribute-in-item",
        "the fast path's generated walker no longer refuses attributes inside a whole child"
        " (<LocURI x='1'> inside an Item)",
        "_walkgen.py",
        '    if checks.attrs:\n        out.append(f"{ind}    if {c}.keys(): raise B")\n',
        "",
        ("tests/test_reading_fastpath.py",),
    ),
    Mutant(
        "2-delete-sftdel-before-archive",
        "the model declares Delete's SftDel before Archive (parser, writer, validator follow it)",
        "model.py",
        '    archive: bool = el("Archive", occurs="?", default=False)\n'
        '    sft_del: bool = el("SftDel", occurs="?", default=False)\n',
        '    sft_del: bool = el("SftDel", occurs="?", default=False)\n'
        '    archive: bool = el("Archive", occurs="?", default=False)\n',
        ("tests/test_model_serialize.py", "tests/test_model_table_xsd.py"),
    ),
    Mutant(
        "3-serializer-no-gt-escape",
        "the serializer no longer escapes '>' in text (a LocURI with ']]>' is malformed XML)",
        "serialize.py",
        '    if ">" in s:\n        s = s.replace(">", "&gt;")\n',
        "",
        ("tests/test_serialize.py", "tests/test_model_serialize.py"),
    ),
    Mutant(
        "4-iter-items-drops-last-item",
        "iter_items drops the last Item of the piece that also carries End when Final is absent",
        "stream.py",
        "                    elif type(event) is End:\n",
        "                    elif type(event) is End:\n"
        "                        items = items if event.final else items[:-1]\n",
        ("tests/test_reading_fastpath.py",),
    ),
    Mutant(
        "5-cmdid-duplicates-across-containers",
        "CmdIDs of the members of one Atomic/Sequence are forgotten after it (duplicates across"
        " two containers go unreported)",
        "_validate/protocol.py",
        "            self.commands(cmd.commands, path, name)\n",
        "            saved = dict(self.cmd_ids)\n"
        "            self.commands(cmd.commands, path, name)\n"
        "            self.cmd_ids = saved\n",
        ("tests/test_validation_rules.py",),
    ),
    Mutant(
        "6-locuri-trailing-slash",
        "a trailing '/' in a LocURI is no longer flagged (DM224)",
        "_validate/protocol.py",
        '    if "//" in path or path.endswith("/"):\n',
        '    if "//" in path:\n',
        ("tests/test_validation_rules.py",),
    ),
    Mutant(
        "7-wbxml-token-swap",
        "WBXML code page 0 with Add (0x05) and Alert (0x06) swapped; libwbxml's tools hidden",
        "_wbxml/tokens.py",
        '    "Add", "Alert", "Archive",',
        '    "Alert", "Add", "Archive",',
        ("tests/test_wbxml_tables.py",),
        hide_wbxml_tools=True,
    ),
)


def _copy_project(dest: Path) -> None:
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
        ".hypothesis", "mutants", "site", "dist", "build", "*.egg-info",
    )  # fmt: skip
    for name in ("syncml_codec", "schemas", "tests"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)


def _path_without_wbxml_tools(scratch: Path) -> str:
    """A one-directory PATH that links every program on PATH except libwbxml's tools."""
    shadow = scratch / "bin"
    shadow.mkdir()
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        directory = Path(entry)
        if not directory.is_dir():
            continue
        for program in directory.iterdir():
            link = shadow / program.name
            if program.name in _WBXML_TOOLS or link.exists() or link.is_symlink():
                continue
            link.symlink_to(program)
    return str(shadow)


def _env(path: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSAFEPATH", "PYTHONPATH")}
    if path is not None:
        env["PATH"] = path
    return env


def _imported_from(copy: Path, env: dict[str, str]) -> Path:
    out = subprocess.run(
        [sys.executable, "-c", "import syncml_codec; print(syncml_codec.__file__)"],
        cwd=copy, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return Path(out.stdout.strip()).resolve()


def _pytest(copy: Path, tests: tuple[str, ...], env: dict[str, str]) -> int:
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests]
    return subprocess.run(cmd, cwd=copy, env=env, capture_output=True, check=False).returncode


def _run(mutant: Mutant | None, tests: tuple[str, ...], scratch: Path, hide: bool) -> int:
    """Pytest's exit code over ``tests`` in a fresh copy with ``mutant`` applied (or none)."""
    copy = Path(tempfile.mkdtemp(prefix="copy-", dir=scratch))
    _copy_project(copy)
    if mutant is not None:
        target = copy / "syncml_codec" / mutant.path
        target.write_text(mutant.apply(target.read_text("utf-8")), "utf-8")
    env = _env(_path_without_wbxml_tools(copy) if hide else None)
    where = _imported_from(copy, env)
    if not where.is_relative_to(copy.resolve()):
        raise SystemExit(f"error: the copy imports {where}, not its own package; nothing tested")
    if hide and any(shutil.which(t, path=env["PATH"]) for t in _WBXML_TOOLS):
        raise SystemExit("error: libwbxml's tools are still on PATH")
    try:
        return _pytest(copy, tests, env)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Run every mutant (or those named) and print killed/survived; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("names", nargs="*", help="mutant names or numbers (default: all)")
    parser.add_argument("--full", action="store_true", help="run the whole suite per mutant")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTANTS if not args.names or any(m.name.startswith(n) for n in args.names)]
    if args.list:
        for m in chosen:
            print(f"{m.name}: {m.what}\n    syncml_codec/{m.path}; tests: {' '.join(m.tests)}")
        return 0
    for m in chosen:  # a stale anchor fails before any copy is made
        try:
            m.apply((PACKAGE / m.path).read_text("utf-8"))
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    everything = ("tests",)
    with tempfile.TemporaryDirectory(prefix="syncml-mutants-") as tmp:
        scratch = Path(tmp)
        baseline = (
            everything if args.full else tuple(dict.fromkeys(t for m in chosen for t in m.tests))
        )
        rc = _run(None, baseline, scratch, hide=any(m.hide_wbxml_tools for m in chosen))
        if rc != 0:
            print(f"error: the unpatched copy fails its tests (pytest exit {rc})", file=sys.stderr)
            return 2
        print(f"baseline: {len(baseline)} test path(s) pass on the unpatched copy")
        survivors = 0
        for m in chosen:
            began = time.monotonic()
            rc = _run(m, everything if args.full else m.tests, scratch, m.hide_wbxml_tools)
            if rc not in (0, 1, 2):  # 1: a test failed; 2: collection failed (import error)
                print(f"error: {m.name}: pytest exit {rc}", file=sys.stderr)
                return 2
            verdict = "SURVIVED" if rc == 0 else "killed"
            survivors += rc == 0
            took = time.monotonic() - began
            ran = "the whole suite" if args.full else " ".join(m.tests)
            print(f"{m.name:<38} {verdict:<8} {took:5.1f}s  {ran}", flush=True)
        print(f"{len(chosen) - survivors} of {len(chosen)} killed")
        return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
