"""Shared driver for the pyperf runners (``python -m benchmarks.bench_<case> -o out.json``).

pyperf spawns worker processes that re-run the script; ``--items`` and ``--impls`` are
forwarded to them. Each worker loads the cached package (generated once by the first process),
prepares every row untimed, and registers one ``bench_func`` per available row named
``<case>/<impl>/N=<n>``. Unavailable rows are printed (to stderr, in the master only) and skipped.
"""

from __future__ import annotations

import sys
from typing import Any

from .cases import DEFAULT_SEED, Workload
from .impls import impls_for

__all__ = ["run_case"]


def _add_cmdline_args(cmd: list[str], args: Any) -> None:
    cmd.extend(["--items", args.items, "--impls", args.impls, "--seed", str(args.seed)])


def run_case(case: str, default_items: str = "10000") -> None:
    """Register and run every available row of ``case`` under pyperf."""
    import pyperf

    runner = pyperf.Runner(add_cmdline_args=_add_cmdline_args)
    runner.argparser.add_argument("--items", default=default_items,
                                  help=f"comma list of N (default {default_items})")  # fmt: skip
    runner.argparser.add_argument("--impls", default="",
                                  help="only rows whose name contains this")  # fmt: skip
    runner.argparser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = runner.parse_args()
    is_worker = bool(getattr(args, "worker", False))
    for n in (int(x) for x in args.items.split(",") if x):
        w = Workload(n, args.seed)
        w.path  # noqa: B018 - generate once, before workers start
        for impl in impls_for(case):
            if args.impls.lower() not in impl.name.lower():
                continue
            name = f"{case}/{impl.name}/N={n}"
            why = impl.unavailable()
            if why is not None:
                if not is_worker:
                    print(f"skip {name}: {why}", file=sys.stderr)
                continue
            runner.bench_func(name, impl.run, impl.prepare(w), metadata={"items": n})
