"""Timing (best of k, round-robin) and peak memory (VmHWM in a fresh process).

Timing: every row of a table is timed in the same process, interleaved round-robin so that
drift on a noisy 2-core machine hits all rows alike; a row keeps running until it has at least
``min_runs`` runs and ``min_time`` seconds in total (capped by ``max_runs`` and ``max_time``).
The best run is reported. ``gc.collect()`` runs between runs, outside the timer; the previous
result is dropped before the timer starts, so freeing a big tree is never timed.

Memory (STYLE.md top): ``ru_maxrss`` carries the forking parent's high-water mark across exec,
so each measurement runs in a fresh ``subprocess.run([sys.executable, "-c", ...])`` that reads
``/proc/self/status``. After imports and ``prepare`` (input bytes loaded, model built) the child
resets the high-water mark (``5`` to ``/proc/self/clear_refs``) where the kernel allows it, reads
``VmRSS``, runs once, and reports ``VmHWM - VmRSS``.
"""

from __future__ import annotations

import atexit
import functools
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._proc import _reset_hwm, read_status_kib
from .cases import Workload

__all__ = [
    "MemResult",
    "Timing",
    "measure_memory",
    "read_status_kib",
    "time_round_robin",
]

MIB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent


@dataclass(slots=True)
class Timing:
    """Runs of one row."""

    times: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        s = sorted(self.times)
        return s[len(s) // 2]

    @property
    def total(self) -> float:
        return sum(self.times)


def time_round_robin(
    calls: Sequence[tuple[str, Callable[[Any], Any], Any]],
    *,
    min_runs: int = 3,
    min_time: float = 1.0,
    max_runs: int = 2000,
    max_time: float = 60.0,
) -> tuple[dict[str, Timing], dict[str, str]]:
    """Time ``fn(arg)`` for every ``(key, fn, arg)``, interleaved.

    Returns the runs per key and, per key whose warm-up raised, the error text (that row is
    then not timed). The first call of each row is a warm-up (lazy imports, xsdata's class
    context, schema caches); it counts as a run only when it took at least ``min_time``.
    """
    timings = {key: Timing() for key, _, _ in calls}
    errors: dict[str, str] = {}
    clock = time.perf_counter
    for key, fn, arg in calls:
        gc.collect()
        t0 = clock()
        try:
            result = fn(arg)
        except Exception as exc:
            errors[key] = f"{type(exc).__name__}: {exc}"
            continue
        dt = clock() - t0
        del result
        if dt >= min_time:
            timings[key].times.append(dt)

    def needs_more(t: Timing) -> bool:
        n = len(t.times)
        if n < min_runs:
            return not (n >= 1 and t.total >= max_time)
        return t.total < min_time and n < max_runs

    pending = [c for c in calls if c[0] not in errors]
    while pending:
        for key, fn, arg in pending:
            result = None
            gc.collect()
            t0 = clock()
            result = fn(arg)
            timings[key].times.append(clock() - t0)
            del result
        pending = [c for c in pending if needs_more(timings[c[0]])]
    return timings, errors


@dataclass(slots=True)
class MemResult:
    """Peak RSS growth of one run in a fresh process."""

    baseline_kib: int
    hwm_kib: int
    hwm_reset: bool
    error: str | None = None

    @property
    def growth_mib(self) -> float:
        return (self.hwm_kib - self.baseline_kib) / 1024

    def to_json(self) -> dict[str, Any]:
        return {
            "baseline_rss_kib": self.baseline_kib,
            "hwm_kib": self.hwm_kib,
            "growth_mib": round(self.growth_mib, 3),
            "hwm_reset": self.hwm_reset,
            "error": self.error,
        }


def _child(argv: list[str]) -> None:
    """Entry point inside the fresh process: prepare, reset HWM, run once, print JSON."""
    from .impls import find_impl

    case, name, n, seed, directory = argv
    impl = find_impl(case, name)
    arg = impl.prepare(Workload(int(n), int(seed), Path(directory)))
    gc.collect()
    reset = _reset_hwm()
    baseline = read_status_kib("VmRSS")
    result = impl.run(arg)
    hwm = read_status_kib("VmHWM")
    del result
    print(json.dumps({"baseline": baseline, "hwm": hwm, "reset": reset}))


_CHILD_CODE = "import sys; from benchmarks.measure import _child; _child(sys.argv[1:])"


def child_env() -> dict[str, str]:
    """The environment for a child process that imports ``benchmarks``.

    Its ``PYTHONPATH`` holds a folder with only a link to ``benchmarks/``, then the folder the
    parent imported ``syncml_codec`` from: the child measures the same codec as the parent (the
    installed wheel in CI's wheel run), never the checkout's by accident.
    """
    import syncml_codec

    links = _links_dir()
    codec_home = str(Path(syncml_codec.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(links), codec_home, env.get("PYTHONPATH")) if p
    )
    return env


@functools.cache
def _links_dir() -> Path:
    links = Path(tempfile.mkdtemp(prefix="syncml-bench-"))
    atexit.register(shutil.rmtree, links, ignore_errors=True)
    (links / "benchmarks").symlink_to(ROOT / "benchmarks", target_is_directory=True)
    return links


def measure_memory(case: str, name: str, w: Workload, timeout: float = 1800) -> MemResult:
    """Peak RSS growth of one ``run`` of row ``case/name`` on ``w``, in a fresh process."""
    w.path  # noqa: B018 - generate the package here, not inside the measured child
    env = child_env()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD_CODE, case, name, str(w.n), str(w.seed), str(w.directory)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        return MemResult(0, 0, False, error=tail[0])
    doc = json.loads(proc.stdout.strip().splitlines()[-1])
    return MemResult(int(doc["baseline"]), int(doc["hwm"]), bool(doc["reset"]))
