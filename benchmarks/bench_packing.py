"""pyperf runner for the packing case: ``python -m benchmarks.bench_packing -o out.json``.

The rows and their workload live in ``packing_workload.py``. Options: ``--items N,...`` and
``--impls SUBSTRING``. pyperf re-runs this file as a script in its workers, hence the
absolute import and the sys.path line.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._pyperf import run_case

__all__: list[str] = []

if __name__ == "__main__":
    run_case("packing", default_items="10000")
