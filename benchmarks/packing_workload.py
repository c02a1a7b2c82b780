"""Rows of the ``packing`` case, its pyperf runner, and the large-object memory check.

Rows (registered in ``impls.IMPLS`` by ``packing_impls``):

- ``syncml_codec.pack (64 KB, xml|wbxml)``: the workload's N Items as N one-Item ``Replace``
  commands, packed into messages of at most 64 KiB (``items/s`` = commands per second; its
  inverse is the time per command).
- ``Reassembler: b64 object, spooled``: the receive side of one large object whose base64 Data
  is as long as the workload package (so MB/s is object MB/s): the chunked 64 KiB messages are
  written to disk once (the sender's side, untimed); a run parses each message, feeds it to a
  ``Reassembler`` (spooling past 1 MiB) and hashes the decoded object, which must equal the
  payload's SHA-256. The ``+RSS`` column is the receive side's peak RSS growth.

``large_object_flat(low, high)`` measures that receive side for two object sizes given in MiB
of base64 text (1 and 50 by default), each in a fresh process (VmHWM, as ``measure`` does), and
says whether the growth stays under ``FLAT_TARGET_MIB`` above the small one:
``python -m benchmarks --cases packing --sizes 1000 --large-object 1,50``.

Run alone under pyperf: ``python -m benchmarks.bench_packing -o out.json``.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.cases import Workload, cache_dir

__all__ = ["FLAT_TARGET_MIB", "MSG_SIZE", "large_object_flat", "packing_impls", "render_flat"]

#: Message budget of every row: 64 KiB.
MSG_SIZE = 64 * 1024
#: The issue's bound: receive-side peak RSS growth of the 50 MiB object above the 1 MiB one.
FLAT_TARGET_MIB = 16.0
_URI = "./Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/%7B1803A630%7D/DownloadInstall"


def _codec() -> Any:
    import syncml_codec
    import syncml_codec.packing

    return syncml_codec


def _parse(data: bytes) -> Any:
    from syncml_codec.parse import parse  # the module's, not a stand-in on the package

    return parse(data)


def _serialize(message: Any) -> bytes:
    from syncml_codec.serialize import serialize

    return serialize(message)


def _header() -> Any:
    sc = _codec()
    return sc.SyncHdr(
        session_id="1",
        msg_id="1",
        target=sc.Target(loc_uri="{6f1e8d7a-3c2b-4a59-9e0d-5b7c8a9f1e23}"),
        source=sc.Source(loc_uri="https://mdm.example.com/omadm"),
    )


def _hdr_status() -> Any:
    sc = _codec()
    return sc.Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data=sc.StatusCode(200))


# --- pack: N Replace commands into 64 KiB messages ----------------------------------------------


def _replaces(w: Workload) -> list[Any]:
    sc = _codec()
    return [
        sc.Replace(
            cmd_id=str(i + 2),
            items=(
                sc.Item(
                    target=sc.Target(loc_uri=s.loc_uri),
                    meta=sc.Meta(format=s.format, type=s.type),
                    data=s.data,
                ),
            ),
        )
        for i, s in enumerate(w.specs)
    ]


def _pack(fmt: str) -> Callable[[list[Any]], int]:
    def run(commands: list[Any]) -> int:
        sc = _codec()
        messages = sc.packing.pack(
            _header(), [_hdr_status()], commands, max_msg_size=MSG_SIZE, format=fmt
        )
        return len(messages)

    return run


# --- receive: one large object in 64 KiB messages, reassembled with spooling --------------------


def write_object_messages(b64_size: int, seed: int = 1) -> tuple[list[Path], str]:
    """The chunked messages of one b64 object of ``b64_size`` characters, on disk (cached).

    Returns:
        The message files in order and the SHA-256 (hex) of the decoded payload.
    """
    directory = cache_dir() / f"large-object-{b64_size}-{seed}"
    done = directory / "sha256"
    if not done.exists():
        sc = _codec()
        directory.mkdir(parents=True, exist_ok=True)
        payload = random.Random(seed).randbytes(b64_size // 4 * 3)
        text = base64.b64encode(payload).decode()
        item = sc.Item(
            target=sc.Target(loc_uri=_URI),
            meta=sc.Meta(format="b64", type="application/x-msi"),
            data=text,
        )
        messages = sc.packing.pack(
            _header(), [_hdr_status()], [sc.Add(cmd_id="2", items=(item,))], max_msg_size=MSG_SIZE
        )
        for i, m in enumerate(messages):
            (directory / f"{i:06d}.xml").write_bytes(_serialize(m))
        done.write_text(hashlib.sha256(payload).hexdigest())
        del payload, text, item, messages
    paths = sorted(directory.glob("*.xml"))
    return paths, done.read_text()


def receive(paths: list[Path]) -> str:
    """Parse each message, reassemble, hash the decoded object; the SHA-256 (hex)."""
    sc = _codec()
    r = sc.packing.Reassembler()
    digest = hashlib.sha256()
    for path in paths:
        got = r.feed(_parse(path.read_bytes()))
        for c in got.commands:
            if isinstance(c, sc.packing.LargeObject):
                for piece in c.iter_decoded():
                    digest.update(piece)
                c.close()
            elif isinstance(c, sc.Add):  # small enough for one message: not chunked
                digest.update(base64.b64decode(c.items[0].data))
    return digest.hexdigest()


def _prepare_object(w: Workload) -> tuple[list[Path], str]:
    return write_object_messages(w.size // 4 * 4)


def _receive_checked(arg: tuple[list[Path], str]) -> str:
    paths, expected = arg
    got = receive(paths)
    if got != expected:
        raise AssertionError(f"reassembled object SHA-256 {got} != payload {expected}")
    return got


def packing_impls(impl: Any) -> tuple[Any, ...]:
    """The rows of the packing case, built with ``impls.Impl`` (passed in: no import cycle)."""
    return (
        impl("packing", "syncml_codec.pack (64 KB, xml)", _replaces, _pack("xml"),
             codec=("serialize",), note="N Replace commands; items/s = commands/s"),
        impl("packing", "syncml_codec.pack (64 KB, wbxml)", _replaces, _pack("wbxml"),
             codec=("serialize",)),
        impl("packing", "Reassembler: b64 object, spooled", _prepare_object, _receive_checked,
             codec=("parse",), note="one object as large as the package; receive side"),
    )  # fmt: skip


# --- large-object memory: 1 MiB vs 50 MiB, fresh processes --------------------------------------


def _child(argv: list[str]) -> None:
    """Inside the fresh process: list the messages, reset HWM, receive, print JSON."""
    from benchmarks._proc import _reset_hwm, read_status_kib

    paths, expected = write_object_messages(int(argv[0]))  # cached by the parent
    _parse(paths[0].read_bytes())  # warm the parser (imports, generated code) before the mark
    gc.collect()
    reset = _reset_hwm()
    baseline = read_status_kib("VmRSS")
    got = receive(paths)
    hwm = read_status_kib("VmHWM")
    print(json.dumps({"baseline": baseline, "hwm": hwm, "reset": reset, "ok": got == expected}))


def _measure(b64_size: int) -> dict[str, Any]:
    write_object_messages(b64_size)  # the sender's side, in this process
    root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    code = "import sys; from benchmarks.packing_workload import _child; _child(sys.argv[1:])"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(b64_size)],
        capture_output=True, text=True, env=env, timeout=1800, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        return {"error": tail[0]}
    doc: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    doc["growth_mib"] = round((doc["hwm"] - doc["baseline"]) / 1024, 3)
    return doc


def large_object_flat(low_mib: float = 1, high_mib: float = 50) -> dict[str, Any]:
    """Receive-side peak RSS growth for two object sizes (MiB of base64 text), and the delta."""
    sizes = [int(x * 1024 * 1024) // 4 * 4 for x in (low_mib, high_mib)]
    low, high = (_measure(s) for s in sizes)
    doc: dict[str, Any] = {"low_mib": low_mib, "high_mib": high_mib, "low": low, "high": high}
    if "error" in low or "error" in high:
        doc.update(status="error", note=low.get("error") or high.get("error"))
        return doc
    delta = high["growth_mib"] - low["growth_mib"]
    hashes_ok = bool(low["ok"] and high["ok"])
    doc.update(status="ok", delta_mib=round(delta, 3), hashes_equal=hashes_ok,
               flat=delta < FLAT_TARGET_MIB and hashes_ok)  # fmt: skip
    return doc


def render_flat(doc: dict[str, Any]) -> str:
    """Text for ``large_object_flat``."""
    head = (
        f"== large object receive side (Reassembler, spooled): {doc['low_mib']} MiB vs"
        f" {doc['high_mib']} MiB of b64 Data (target: delta < {FLAT_TARGET_MIB} MiB) =="
    )
    if doc["status"] != "ok":
        return f"{head}\n  [{doc['status']}] {doc['note']}"
    verdict = "flat" if doc["flat"] else "NOT flat"
    return (
        f"{head}\n  peak RSS growth {doc['low']['growth_mib']:.2f} MiB ->"
        f" {doc['high']['growth_mib']:.2f} MiB, delta {doc['delta_mib']:.2f} MiB,"
        f" SHA-256 equal: {doc['hashes_equal']}; {verdict}"
    )
