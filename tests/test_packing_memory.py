"""Reassembly memory stays flat in the object's size (spooling), checked in fresh processes.

The chunked messages of a 1 MiB and a 16 MiB base64 object are written here (the sender's side);
a fresh child process per object then parses them one by one, feeds a Reassembler and hashes the
decoded object, reporting its peak RSS growth (VmHWM after resetting the high-water mark, as
STYLE.md says: ru_maxrss would carry this parent's high-water mark). Holding the object in memory
would cost at least 15 MiB more for the larger one (its text once, and again as bytes); the
bound is generous (8 MiB) because the machine is shared. No timings.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from syncml_codec import Add, Item, Meta, Source, Status, StatusCode, SyncHdr, Target, serialize
from syncml_codec.packing import pack

HDR = SyncHdr(
    session_id="1",
    msg_id="1",
    target=Target(loc_uri="https://mdm.example.com/omadm"),
    source=Source(loc_uri="{6f1e8d7a-3c2b-4a59-9e0d-5b7c8a9f1e23}"),
)

CHILD = r"""
import hashlib, json, sys
from pathlib import Path
from syncml_codec import parse
from syncml_codec.packing import LargeObject, Reassembler

def hwm_reset():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False

def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])

paths = sorted(Path(sys.argv[1]).glob("*.xml"))
parse(paths[0].read_bytes())  # imports and generated code, before the mark
reset = hwm_reset()
base = status("VmRSS")
r = Reassembler()
digest = hashlib.sha256()
objects = 0
for p in paths:
    for c in r.feed(parse(p.read_bytes())).commands:
        if isinstance(c, LargeObject):
            objects += 1
            for piece in c.iter_decoded():
                digest.update(piece)
            c.close()
print(json.dumps({"growth_kib": status("VmHWM") - base, "reset": reset,
                  "sha256": digest.hexdigest(), "objects": objects, "messages": len(paths)}))
"""


def _write(directory: Path, b64_size: int) -> str:
    payload = random.Random(b64_size).randbytes(b64_size // 4 * 3)
    item = Item(
        target=Target(loc_uri="./Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/x/DownloadInstall"),
        meta=Meta(format="b64", type="application/x-msi"),
        data=base64.b64encode(payload).decode(),
    )
    hdr_status = Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data=StatusCode(200))
    messages = pack(HDR, [hdr_status], [Add(cmd_id="2", items=(item,))], max_msg_size=64 * 1024)
    directory.mkdir()
    for i, m in enumerate(messages):
        (directory / f"{i:05d}.xml").write_bytes(serialize(m))
    return hashlib.sha256(payload).hexdigest()


def _receive(directory: Path) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(directory)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    doc: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return doc


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_reassembly_memory_is_flat_in_the_object_size(tmp_path: Path) -> None:
    results = {}
    for mib in (1, 16):
        directory = tmp_path / f"{mib}mib"
        expected = _write(directory, mib * 1024 * 1024)
        got = _receive(directory)
        assert got["sha256"] == expected
        assert got["objects"] == 1
        assert isinstance(got["messages"], int) and got["messages"] >= mib * 16
        results[mib] = got
    small, large = results[1]["growth_kib"], results[16]["growth_kib"]
    assert isinstance(small, int) and isinstance(large, int)
    assert large - small < 8 * 1024, (small, large)
