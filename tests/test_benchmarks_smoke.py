"""Untimed smoke test for benchmarks/ (STYLE.md B.10): keeps the suite from rotting.

No timing assertions. Must pass whether or not the codec functions exist yet, and without the
``bench`` extra (rows needing lxml/xsdata/xmltodict/pyperf are then reported unavailable).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# benchmarks/ is importable through a folder that holds only a link to it: putting the checkout
# itself on sys.path would make CI's wheel run import the checkout's syncml_codec.
_LINKS = Path(tempfile.mkdtemp(prefix="syncml-bench-tests-"))
(_LINKS / "benchmarks").symlink_to(ROOT / "benchmarks", target_is_directory=True)
sys.path.insert(0, str(_LINKS))

import syncml_codec  # noqa: E402
from benchmarks import __main__ as cli  # noqa: E402
from benchmarks import cases, impls, measure  # noqa: E402

N = 50
S = "{SYNCML:SYNCML1.2}"
ROW_KEYS = {
    "case", "impl", "n", "nbytes", "status", "note", "label", "runs", "best_s", "median_s",
    "mb_s", "items_s", "ratios", "rss_growth_mib", "mem",
}  # fmt: skip
CODEC_FUNCS = ("parse", "iter_items", "serialize", "validate")


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCML_BENCH_CACHE", str(tmp_path / "cache"))


@pytest.fixture
def workload() -> cases.Workload:
    return cases.Workload(N)


def _quick() -> cli.Options:
    return cli.Options(min_runs=1, min_time=0.0, max_time=5.0, mem=False)


def test_generator_is_well_formed_and_has_n_items(workload: cases.Workload) -> None:
    root = ET.parse(workload.path).getroot()
    assert root.tag == S + "SyncML"
    results = root.findall(f"{S}SyncBody/{S}Results")
    assert len(results) == 1
    items = results[0].findall(f"{S}Item")
    assert len(items) == N
    got = [
        (
            it.findtext(f"{S}Source/{S}LocURI"),
            it.findtext(f"{S}Meta/{{syncml:metinf}}Format"),
            it.findtext(f"{S}Meta/{{syncml:metinf}}Type"),
            it.findtext(f"{S}Data"),
        )
        for it in items
    ]
    assert got == [tuple(s) for s in workload.specs]
    assert root.find(f"{S}SyncBody/{S}Status/{S}Cmd") is not None
    formats = {s.format for s in cases.generate_items(500)}
    assert formats == {"chr", "int", "b64", "bool", "node"}
    assert any("&" in s.data or "<" in s.data for s in cases.generate_items(500))


def test_generator_is_deterministic(tmp_path: Path) -> None:
    a = cases.write_package(tmp_path / "a.xml", 30, seed=7)
    b = cases.write_package(tmp_path / "b.xml", 30, seed=7)
    assert a == b
    assert (tmp_path / "a.xml").read_bytes() == (tmp_path / "b.xml").read_bytes()
    cases.write_package(tmp_path / "c.xml", 30, seed=8)
    assert (tmp_path / "c.xml").read_bytes() != (tmp_path / "a.xml").read_bytes()


def test_plain_writer_matches_generated_file(workload: cases.Workload) -> None:
    assert cases.render_package(workload.specs) == workload.data


def test_hand_tuned_extractors_agree(workload: cases.Workload) -> None:
    expected = [tuple(s) for s in workload.specs]
    assert impls.hand_extract(workload.data) == expected
    assert list(impls.hand_stream(workload.path, chunk=97)) == expected


def test_every_runner_produces_rows(workload: cases.Workload) -> None:
    rows = cli.run_size(workload, _quick())
    expected = {(i.case, i.name) for i in impls.IMPLS}
    expected |= {(c, cli.REFERENCE) for c in impls.CASES if c != "parse"}
    assert {(r.case, r.impl) for r in rows} == expected
    by_name = {r.impl: r for r in rows}
    for r in rows:
        assert set(asdict(r)) == ROW_KEYS
        assert r.status in {"ok", "unavailable", "skipped", "error"}, r
        assert r.status != "error", (r.impl, r.note)
        if r.status == "ok":
            assert r.best_s is not None
            assert r.best_s > 0
            assert r.mb_s is not None
            assert r.items_s is not None
            assert "raw" in r.ratios
        else:
            assert r.note
    for name in ("raw pyexpat (no handlers)", "etree.fromstring (C)",
                 "hand-tuned pyexpat extractor", "str.join + manual escape",
                 "hand-tuned pyexpat, 64K chunks", "etree.iterparse + remove"):  # fmt: skip
        assert by_name[name].status == "ok"
    for mod, name in (("lxml", "lxml.etree.fromstring"), ("xsdata", "xsdata XmlParser"),
                      ("xmltodict", "xmltodict.parse")):  # fmt: skip
        want = "ok" if importlib.util.find_spec(mod) else "unavailable"
        assert by_name[name].status == want
    for fn in CODEC_FUNCS:
        if impls.codec_function(fn) is None:
            assert any(impls.UNAVAILABLE_CODEC in r.note for r in rows if r.status != "ok")
    out = cli.render_table([r for r in rows if r.case == "parse"])
    assert "raw pyexpat" in out


def test_codec_rows_run_the_real_codec(workload: cases.Workload) -> None:
    """Every syncml_codec row runs the installed codec and reads the workload's N Items."""
    for fn in CODEC_FUNCS:
        assert impls.codec_function(fn) is getattr(syncml_codec, fn)
    rows = cli.run_size(workload, _quick())
    codec_rows = [r for r in rows if r.impl.startswith("syncml_codec.")]
    assert len(codec_rows) == sum(1 for i in impls.IMPLS if i.name.startswith("syncml_codec."))
    assert all(r.status == "ok" for r in codec_rows), [(r.impl, r.note) for r in codec_rows]
    items = list(syncml_codec.iter_items(workload.path))
    assert len(items) == N


def test_size_limits_mark_rows_skipped(workload: cases.Workload) -> None:
    opts = _quick()
    opts.cases = ("validate",)
    opts.validate_max = N - 1
    rows = cli.run_size(workload, opts)
    assert rows
    assert all(r.status == "skipped" for r in rows)


def test_memory_is_measured_in_a_fresh_process(workload: cases.Workload) -> None:
    m = measure.measure_memory("stream", "hand-tuned pyexpat, 64K chunks", workload)
    assert m.error is None
    assert m.baseline_kib > 0
    assert m.hwm_reset  # Linux: /proc/self/clear_refs resets VmHWM, so the peak is this run's
    assert m.hwm_kib >= m.baseline_kib
    flat = cli.memory_flat(20, 40)
    assert {d["impl"] for d in flat} == {i.name for i in impls.impls_for("stream")}
    assert "N=20" in cli.render_flat(flat)


def test_cli_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    rc = cli.main(["--sizes", str(N), "--no-mem", "--min-runs", "1", "--min-time", "0",
                   "--json", str(out)])  # fmt: skip
    assert rc == 0
    doc = json.loads(out.read_text())
    assert set(doc["machine"]) >= {"python", "expat", "cpu_count"}
    assert doc["results"]
    assert all(set(r) == ROW_KEYS for r in doc["results"])
    assert "== parse  N=50" in capsys.readouterr().out


@pytest.mark.skipif(importlib.util.find_spec("pyperf") is None, reason="pyperf not installed")
@pytest.mark.parametrize("case", impls.CASES)
def test_pyperf_runner_single_value(case: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", f"benchmarks.bench_{case}", "--items", "20",
         "--debug-single-value", "--impls", "pyexpat" if case in {"parse", "stream"} else ""],
        capture_output=True, text=True, timeout=300, check=False, env=measure.child_env(),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert f"{case}/" in proc.stdout


def test_small_message_group_runs_every_row(tmp_path: Path) -> None:
    """``python -m benchmarks.small`` (issue 21): every row times every message, the peers
    parse every sample (xsdata's models are generated from the bundled XSD), the server turn
    answers each request, and the JSON carries the issue's targets."""
    from benchmarks import small

    messages = small.messages()
    assert list(messages) == list(small.MESSAGES)
    rows = small.rows()
    for fn, takes in rows.values():
        for data in messages.values():
            fn(syncml_codec.parse(data) if takes == "message" else data)  # raises if it cannot
    for data in messages.values():
        reply = syncml_codec.parse(small._server_turn(data))
        first, *_, last = reply.sync_body.commands
        assert isinstance(first, syncml_codec.Status) and first.cmd == "SyncHdr"
        assert isinstance(last, syncml_codec.Get)
    out = tmp_path / "small.json"
    assert small.main(["--rounds", "1", "--loops", "1", "--json", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc["us_per_message"]) == set(rows)
    for per in doc["us_per_message"].values():
        assert set(per) == set(small.MESSAGES) and all(t > 0 for t in per.values())
    assert {"parse", "validate (windows)"} <= set(doc["targets"])
