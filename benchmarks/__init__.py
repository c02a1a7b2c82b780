"""Benchmark suite for syncml-codec (STYLE.md §6 and B.10).

``python -m benchmarks`` runs every case in one process and prints ratio tables;
``python -m benchmarks.bench_parse -o out.json`` (and ``bench_serialize``, ``bench_stream``,
``bench_validate``) are pyperf runners for careful numbers. ``cases`` generates the workload;
``impls`` holds the baselines and the codec plug points; ``measure`` does timing and peak memory.
"""

from __future__ import annotations

__all__: list[str] = []
