"""Every entry point stays within a budget on small hostile input (the README's promise).

For each input of the adversarial family (tests/adversarial.py: all under 64 KB) and each entry
point (parse, parse_fragment, iter_items, StreamParser, validate in both schema modes and both
profiles, serialize of what parse returned), one fresh subprocess per entry point runs every
input with the default Limits and measures CPU time per call. The bounds are generous against
the target (1 s of work per call): a call over 2 s CPU fails, the whole process must stay under
256 MB peak RSS (VmHWM, imports and xmlschema's schema build included) with a 1 GiB address-space
cap, and nothing but SyncMLError may escape.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from adversarial import family

CPU_BOUND_S = 2.0
RSS_BOUND_MIB = 256

ENTRY_POINTS = [
    "parse",
    "parse_fragment",
    "iter_items",
    "stream_parser",
    "validate-oma",
    "validate-windows",
    "validate-schema-oma",
    "validate-schema-windows",
    "serialize",
]

CHILD = r"""
import json, resource, signal, sys, time
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
import syncml_codec as sc

class Overrun(BaseException):
    pass

def on_alarm(signum, frame):
    raise Overrun()

signal.signal(signal.SIGPROF, on_alarm)
entry, folder = sys.argv[1], Path(sys.argv[2])

def call(data):
    if entry == "parse":
        return sc.parse(data)
    if entry == "parse_fragment":
        return sc.parse_fragment(data)
    if entry == "iter_items":
        return sum(1 for _ in sc.iter_items(data))
    if entry == "stream_parser":
        p = sc.StreamParser()
        events = []
        for i in range(0, len(data), 4096):
            events += p.feed(data[i : i + 4096])
        return events + p.close()
    if entry == "serialize":
        try:
            message = sc.parse(data)
        except sc.SyncMLError:
            return None
        return sc.serialize(message)
    _, *rest = entry.split("-")
    schema = rest[0] == "schema"
    profile = rest[-1]
    return sc.validate(data, schema=schema, profile=profile)

results = {}
for path in sorted(folder.iterdir()):
    data = path.read_bytes()
    signal.setitimer(signal.ITIMER_PROF, 10.0)
    t0 = time.process_time()
    outcome = "ok"
    try:
        call(data)
    except sc.SyncMLError:
        outcome = "SyncMLError"
    except Overrun:
        outcome = "overrun: over 10 s CPU"
    except BaseException as exc:
        outcome = f"escaped: {type(exc).__name__}: {str(exc)[:200]}"
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    results[path.name] = [outcome, time.process_time() - t0]
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        hwm_kib = int(line.split()[1])
print(json.dumps({"results": results, "hwm_kib": hwm_kib}))
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("adversarial")
    for name, data in family():
        (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_entry_point_within_budget(entry: str, inputs: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, entry, str(inputs)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    results: dict[str, list[object]] = report["results"]
    assert len(results) == len(family())
    escaped = {n: r[0] for n, r in results.items() if r[0] not in ("ok", "SyncMLError")}
    assert escaped == {}, escaped
    slow = {n: round(float(r[1]), 2) for n, r in results.items() if float(r[1]) > CPU_BOUND_S}  # type: ignore[arg-type]
    assert slow == {}, slow
    assert report["hwm_kib"] / 1024 < RSS_BOUND_MIB, report["hwm_kib"]


def test_family_covers_every_shape() -> None:
    names = [n for n, _ in family()]
    for prefix in ("nested-Atomic-50", "nested-Sequence-50", "repeat-", "entity-", "long-",
                   "attribute-flood", "wbxml-str-t"):  # fmt: skip
        assert any(n.startswith(prefix) for n in names), prefix
    assert all(len(d) < 64 * 1024 for _, d in family())
