"""``python -m benchmarks``: every case, every row, one table per case and size.

Columns: MB/s (package bytes / best time, for every case, so serialize and validate rows are
comparable with parse), items/s, ``x raw`` (speed relative to raw pyexpat at the same size,
measured in the same run: 0.30 means 30% of raw's throughput), one ``x<label>`` column per
named baseline of the case (same meaning), and peak RSS growth of one run in a fresh process.

Examples::

    python -m benchmarks --quick
    python -m benchmarks --sizes 1000,10000,100000 --json benchmarks/results/run.json
    python -m benchmarks --cases stream --sizes 1000 --memory-flat 1000,500000
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import importlib.metadata
import json
import os
import platform
import pyexpat
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .cases import DEFAULT_SEED, Workload
from .impls import CASES, IMPLS, Impl, impls_for
from .measure import MIB, measure_memory, time_round_robin

__all__ = ["Options", "Row", "machine_info", "main", "memory_flat", "run_size"]

#: Target for ``iter_items``: peak RSS growth at the large N minus growth at the small N.
FLAT_TARGET_MIB = 2.0
#: Name of the raw pyexpat row repeated in the stream/serialize/validate tables.
REFERENCE = "raw pyexpat (reference)"


@dataclass(slots=True)
class Options:
    """What ``run_size`` does (also built by the smoke test)."""

    cases: tuple[str, ...] = CASES
    min_runs: int = 3
    min_time: float = 1.0
    max_time: float = 60.0
    mem: bool = True
    impl_filter: str = ""
    serialize_max: int = 100_000
    validate_max: int = 10_000


@dataclass(slots=True)
class Row:
    """One implementation at one size."""

    case: str
    impl: str
    n: int
    nbytes: int
    status: str  # ok | unavailable | skipped | error
    note: str = ""
    label: str | None = None
    runs: int = 0
    best_s: float | None = None
    median_s: float | None = None
    mb_s: float | None = None
    items_s: float | None = None
    ratios: dict[str, float] = field(default_factory=dict)
    rss_growth_mib: float | None = None
    mem: dict[str, Any] | None = None


def _selected(impl: Impl, opts: Options) -> bool:
    return opts.impl_filter.lower() in impl.name.lower() or impl.label == "raw"


def _case_limit(case: str, opts: Options) -> int | None:
    return {"serialize": opts.serialize_max, "validate": opts.validate_max}.get(case)


def _set_ratios(case_rows: list[Row]) -> None:
    """Each row's speed relative to raw pyexpat and to every named baseline of its case."""
    raw_row = next((r for r in case_rows if r.label == "raw" and r.best_s), None)
    raw_best = raw_row.best_s if raw_row else None
    bases = [(r.label, r.best_s) for r in case_rows if r.label and r.best_s]
    for row in case_rows:
        if row.best_s is None:
            continue
        if raw_best is not None:
            row.ratios["raw"] = raw_best / row.best_s
        for label, best in bases:
            row.ratios[label] = best / row.best_s


def run_size(w: Workload, opts: Options) -> list[Row]:
    """All rows of all selected cases at one size (raw pyexpat is timed in every table)."""
    size = w.size
    rows: list[Row] = []
    raw = impls_for("parse")[0]
    assert raw.label == "raw"
    for case in opts.cases:
        limit = _case_limit(case, opts)
        case_rows: list[Row] = []
        calls = []
        candidates = impls_for(case)
        if case != "parse" and not (limit is not None and w.n > limit):
            # Raw pyexpat is timed in every table, interleaved with its rows, so that "x raw"
            # is a same-moment ratio even on a noisy machine.
            candidates = [raw, *candidates]
        for impl in candidates:
            if not _selected(impl, opts):
                continue
            name = impl.name if impl.case == case else REFERENCE
            row = Row(case, name, w.n, size, "ok", impl.note, impl.label)
            case_rows.append(row)
            if limit is not None and w.n > limit:
                row.status, row.note = "skipped", f"N > --{case}-max {limit}"
                continue
            why = impl.unavailable()
            if why is not None:
                row.status, row.note = "unavailable", why
                continue
            if impl.max_n is not None and w.n > impl.max_n:
                row.status, row.note = "skipped", f"N > {impl.max_n}: too slow at this size"
                continue
            try:
                arg = impl.prepare(w)
            except Exception as exc:
                row.status, row.note = "error", f"prepare: {type(exc).__name__}: {exc}"
                continue
            calls.append((name, impl.run, arg))
        timings, errors = time_round_robin(
            calls, min_runs=opts.min_runs, min_time=opts.min_time, max_time=opts.max_time
        )
        del calls
        for row in case_rows:
            if row.impl in errors:
                row.status, row.note = "error", errors[row.impl]
            if row.status != "ok":
                continue
            t = timings[row.impl]
            row.runs, row.best_s, row.median_s = len(t.times), t.best, t.median
            row.mb_s = size / t.best / 1e6
            row.items_s = w.n / t.best
        _set_ratios(case_rows)
        if opts.mem:
            for row in case_rows:
                if row.status == "ok" and row.impl != REFERENCE:
                    m = measure_memory(case, row.impl, w)
                    row.mem = m.to_json()
                    row.rss_growth_mib = None if m.error else round(m.growth_mib, 2)
        rows.extend(case_rows)
    return rows


def _fmt(x: float | None, spec: str) -> str:
    if x is None:
        width = spec.split(".")[0].rstrip(",")
        return format("-", ">" + width) if width else "-"
    return format(x, spec)


def render_table(rows: Sequence[Row]) -> str:
    """One text table for the rows of one case at one size."""
    if not rows:
        return ""
    first = rows[0]
    labels = ["raw"] + [r.label for r in rows if r.label and r.label != "raw" and r.best_s]
    labels = list(dict.fromkeys(labels))
    title = f"== {first.case}  N={first.n:,}  ({first.nbytes / MIB:.1f} MiB) =="
    width = max(len(r.impl) for r in rows) + 2
    head = f"{'implementation':<{width}}{'MB/s':>9}{'items/s':>12}"
    head += "".join(f"{'x' + lab:>11}" for lab in labels) + f"{'+RSS MiB':>10}{'runs':>6}"
    lines = [title, head]
    for r in rows:
        if r.status != "ok":
            lines.append(f"{r.impl:<{width}}  [{r.status}] {r.note}")
            continue
        line = f"{r.impl:<{width}}{_fmt(r.mb_s, '9.1f')}{_fmt(r.items_s, '12,.0f')}"
        line += "".join(f"{_fmt(r.ratios.get(lab), '11.3f')}" for lab in labels)
        line += f"{_fmt(r.rss_growth_mib, '10.1f')}{r.runs:>6}"
        if r.note:
            line += f"  ({r.note})"
        lines.append(line)
    return "\n".join(lines)


def memory_flat(low: int, high: int, seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """Peak RSS growth of every available stream row at N=low and N=high (fresh processes)."""
    out: list[dict[str, Any]] = []
    for impl in impls_for("stream"):
        why = impl.unavailable()
        doc: dict[str, Any] = {"impl": impl.name, "low_n": low, "high_n": high}
        if why is not None:
            doc.update(status="unavailable", note=why)
            out.append(doc)
            continue
        m_low = measure_memory("stream", impl.name, Workload(low, seed))
        m_high = measure_memory("stream", impl.name, Workload(high, seed))
        err = m_low.error or m_high.error
        if err:
            doc.update(status="error", note=err)
        else:
            delta = m_high.growth_mib - m_low.growth_mib
            doc.update(
                status="ok", low=m_low.to_json(), high=m_high.to_json(),
                delta_mib=round(delta, 3), flat=delta <= FLAT_TARGET_MIB,
            )  # fmt: skip
        out.append(doc)
    return out


def render_flat(docs: Sequence[dict[str, Any]]) -> str:
    """Text table for ``memory_flat``."""
    if not docs:
        return ""
    low, high = docs[0]["low_n"], docs[0]["high_n"]
    lines = [
        f"== stream peak RSS growth, N={low:,} vs N={high:,} (target: delta <= "
        f"{FLAT_TARGET_MIB} MiB) ==",
        f"{'implementation':<34}{'low MiB':>9}{'high MiB':>10}{'delta':>8}  verdict",
    ]
    for d in docs:
        if d["status"] != "ok":
            lines.append(f"{d['impl']:<34}  [{d['status']}] {d['note']}")
            continue
        verdict = "flat" if d["flat"] else "NOT flat"
        lines.append(
            f"{d['impl']:<34}{d['low']['growth_mib']:>9.2f}{d['high']['growth_mib']:>10.2f}"
            f"{d['delta_mib']:>8.2f}  {verdict}"
        )
    return "\n".join(lines)


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        if dist == "syncml-codec":  # running from a checkout
            try:
                return str(importlib.import_module("syncml_codec").__version__)
            except (ImportError, AttributeError):
                return None
        return None


def machine_info() -> dict[str, Any]:
    """Python, expat, CPU and library versions for the JSON document."""
    return {
        "python": sys.version,
        "implementation": platform.python_implementation(),
        "expat": pyexpat.EXPAT_VERSION,
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "libraries": {
            d: _version(d)
            for d in ("syncml-codec", "lxml", "xsdata", "xmltodict", "xmlschema", "defusedxml")
        },
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default=None, help="comma list of N (default 1000,10000,100000)")
    p.add_argument("--quick", action="store_true",
                   help="sizes 1000,10000, fewer runs, no memory column")  # fmt: skip
    p.add_argument("--json", type=Path, default=None, help="write one JSON document here")
    p.add_argument("--cases", default=",".join(CASES), help="comma list of " + ",".join(CASES))
    p.add_argument("--impls", default="", help="only rows whose name contains this (raw stays)")
    p.add_argument("--no-mem", action="store_true", help="skip the peak-RSS subprocesses")
    p.add_argument("--memory-flat", default=None, metavar="LOW,HIGH",
                   help="also measure stream peak RSS at two sizes, e.g. 1000,500000")  # fmt: skip
    p.add_argument("--large-object", default=None, metavar="LOW,HIGH",
                   help="large-object receive peak RSS at two MiB sizes, e.g. 1,50")  # fmt: skip
    p.add_argument("--serialize-max", type=int, default=100_000)
    p.add_argument("--validate-max", type=int, default=10_000)
    p.add_argument("--min-runs", type=int, default=None)
    p.add_argument("--min-time", type=float, default=None)
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point."""
    args = _parser().parse_args(argv)
    sizes_text = args.sizes or ("1000,10000" if args.quick else "1000,10000,100000")
    sizes = [int(s.replace("_", "")) for s in sizes_text.split(",") if s]
    cases = tuple(c for c in args.cases.split(",") if c)
    unknown = set(cases) - set(CASES)
    if unknown:
        print(f"unknown case(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    opts = Options(
        cases=cases,
        min_runs=args.min_runs or (1 if args.quick else 3),
        min_time=args.min_time if args.min_time is not None else (0.2 if args.quick else 1.0),
        max_time=15.0 if args.quick else 60.0,
        mem=not (args.no_mem or args.quick),
        impl_filter=args.impls,
        serialize_max=args.serialize_max,
        validate_max=args.validate_max,
    )
    info = machine_info()
    print(f"python {platform.python_version()}, {info['expat']}, {info['cpu_count']} CPUs; "
          f"ratios are speed relative to the column's row (>1 = faster)", flush=True)  # fmt: skip
    all_rows: list[Row] = []
    for n in sizes:
        w = Workload(n, args.seed)
        w.path  # noqa: B018 - generate before timing
        rows = run_size(w, opts)
        all_rows.extend(rows)
        for case in cases:
            print()
            print(render_table([r for r in rows if r.case == case]), flush=True)
            wbxml = w.path.with_suffix(".wbxml")
            if case == "wbxml" and wbxml.exists():
                print(f"WBXML size: {wbxml.stat().st_size / w.size:.3f} of the XML size")
        w.__dict__.pop("data", None)
        w.__dict__.pop("specs", None)
    flat: list[dict[str, Any]] | None = None
    if args.memory_flat:
        low, high = (int(x) for x in args.memory_flat.split(","))
        flat = memory_flat(low, high, args.seed)
        print()
        print(render_flat(flat))
    large = None
    if args.large_object:
        from .packing_workload import large_object_flat
        from .packing_workload import render_flat as render_large

        large = large_object_flat(*(float(x) for x in args.large_object.split(",")))
        print()
        print(render_large(large))
    if args.json is not None:
        doc = {
            "machine": info,
            "options": asdict(opts) | {"sizes": sizes, "seed": args.seed},
            "impls": [{"case": i.case, "name": i.name, "label": i.label} for i in IMPLS],
            "results": [asdict(r) for r in all_rows],
            "memory_flat": flat,
            "large_object": large,
            "notes": {
                "ratios": "best time of the column's row / best time of this row (>1 = faster)",
                "mb_s": "package bytes / best time (also for serialize and validate rows)",
                "rss_growth_mib": "VmHWM - VmRSS around one run in a fresh process",
            },
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
