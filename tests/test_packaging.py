"""Packaging: the wheel carries the XSDs, py.typed and the console script; installed code finds
the schemas through importlib.resources (STYLE.md B.2)."""

from __future__ import annotations

import importlib.resources
import importlib.util
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

import syncml_codec
from syncml_codec._resources import schema_root

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = {"syncml12.xsd", "syncml11.xsd", "metinf12.xsd"}


def test_schemas_are_found() -> None:
    assert {p.name for p in schema_root().iterdir()} >= SCHEMAS


@pytest.mark.skipif(
    not os.environ.get("SYNCML_EXPECT_INSTALLED"),
    reason="only in CI's second run, against the installed wheel",
)
def test_running_against_the_installed_wheel() -> None:
    assert "site-packages" in str(Path(syncml_codec.__file__).resolve())
    assert not Path.cwd().resolve().is_relative_to(ROOT), "run the wheel tests outside the checkout"
    packaged = importlib.resources.files("syncml_codec") / "schemas"
    assert packaged.is_dir()
    assert {p.name for p in packaged.iterdir()} >= SCHEMAS
    assert (importlib.resources.files("syncml_codec") / "py.typed").is_file()


@pytest.mark.skipif(
    not os.environ.get("SYNCML_EXPECT_INSTALLED"),
    reason="only in CI's second run, against the installed wheel",
)
def test_subprocesses_import_the_installed_wheel_too() -> None:
    """The CLI, memory and pyperf tests start Pythons of their own: they must see the wheel."""
    if importlib.util.find_spec("benchmarks") is None:  # the smoke test usually links it
        links = Path(tempfile.mkdtemp(prefix="syncml-bench-pkg-"))
        (links / "benchmarks").symlink_to(ROOT / "benchmarks", target_is_directory=True)
        sys.path.insert(0, str(links))
    from benchmarks import measure

    probe = "import syncml_codec, sys; print(syncml_codec.__file__)"
    for env in (None, measure.child_env()):
        proc = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
        )
        assert "site-packages" in proc.stdout, (env and env.get("PYTHONPATH"), proc.stdout)
    proc = subprocess.run(
        [sys.executable, "-m", "syncml_codec", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert syncml_codec.__version__ in proc.stdout


@pytest.mark.skipif(
    importlib.util.find_spec("hatchling") is None
    or importlib.util.find_spec("build") is None
    or not (ROOT / "pyproject.toml").is_file(),
    reason="needs the test extra (build, hatchling) and a source checkout",
)
def test_wheel_contents(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("syncml_codec-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"syncml_codec/schemas/{n}" for n in SCHEMAS} <= names
    assert "syncml_codec/py.typed" in names
    assert "syncml_codec/__main__.py" in names
    meta = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    entry_points = zipfile.ZipFile(wheel).read(meta).decode()
    assert "syncml-codec = syncml_codec.cli:main" in entry_points
    assert not any(n.startswith("tests/") for n in names)


def test_version_is_exported() -> None:
    assert syncml_codec.__version__.count(".") == 2
