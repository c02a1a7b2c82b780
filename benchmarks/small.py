"""The server's everyday case: per-message latency on small messages (issue 21).

``python -m benchmarks.small [--rounds 15] [--json out.json]``

Messages: the four bundled samples (``tests/data/samples``, 1.4-2.6 KB: an unenrollment
request, the server's Unenroll Exec, a policy and inventory request, the device's Statuses and
Results) and a message of one Item (a Results answering one Get, 0.7 KB).

Rows, each in microseconds per message (best of ``--loops`` calls, medians of ``--rounds``
interleaved rounds, every row timed in turn with the others in the same run):

- ``raw expat``: ``pyexpat.ParserCreate()`` and ``Parse(data, True)`` with no handlers: the
  floor every ratio is taken against (``x raw``: this row's time over raw expat's);
- ``ElementTree``: ``xml.etree.ElementTree.fromstring`` (a tree of untyped elements);
- ``xmltodict``: ``xmltodict.parse`` (untyped dicts);
- ``xsdata``: ``XmlParser().from_bytes`` into models that xsdata generated from the bundled XSD
  (``_xsdata_syncml12.py``), so every sample parses;
- ``parse``, ``parse_exact`` (the element-by-element path, for scale), ``validate`` with the
  Windows profile, ``serialize`` of the parsed message;
- ``server turn``: what an MDM server does per request: parse it, build the reply
  (``helpers.build_reply``: the Status for SyncHdr and one per command, plus one Get), and
  serialize the reply.

The summary takes the median over the four samples of each row's time, and gives the issue's
targets: ``parse`` at most 5x raw expat and at least 2.5x faster than xmltodict;
``validate(profile="windows")`` at most 12x raw expat. The one-Item message is shown beside
them, not in the medians (the issue's targets name the samples).
"""

from __future__ import annotations

import argparse
import json
import pyexpat
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["MESSAGES", "TARGETS", "main", "messages", "rows", "run", "summary"]

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "samples"
#: The one-Item message: a Results for one Get, as a device sends it.
ONE_ITEM = b"""<?xml version="1.0" encoding="UTF-8"?>
<SyncML xmlns="SYNCML:SYNCML1.2">
  <SyncHdr>
    <VerDTD>1.2</VerDTD>
    <VerProto>DM/1.2</VerProto>
    <SessionID>1</SessionID>
    <MsgID>2</MsgID>
    <Target><LocURI>https://mdm.example.com/omadm</LocURI></Target>
    <Source><LocURI>6F9619FF-8B86-D011-B42D-00CF4FC964FF</LocURI></Source>
  </SyncHdr>
  <SyncBody>
    <Results>
      <CmdID>1</CmdID>
      <MsgRef>1</MsgRef>
      <CmdRef>2</CmdRef>
      <Item>
        <Source><LocURI>./DevDetail/SwV</LocURI></Source>
        <Meta><Format xmlns="syncml:metinf">chr</Format></Meta>
        <Data>10.0.22631.4460</Data>
      </Item>
    </Results>
    <Final/>
  </SyncBody>
</SyncML>
"""
MESSAGES = ("01", "02", "03", "04", "one-item")
#: Row -> (target ratio, "max" or "min", what it is against); ratios in ``summary``.
TARGETS: dict[str, tuple[float, str, str]] = {
    "parse": (5.0, "max", "raw expat"),
    "parse vs xmltodict": (2.5, "min", "xmltodict's time over parse's"),
    "validate (windows)": (12.0, "max", "raw expat"),
}


def messages() -> dict[str, bytes]:
    """Message name -> bytes (the samples by their number, then the one-Item message)."""
    out = {path.name[:2]: path.read_bytes() for path in sorted(SAMPLES.glob("*.xml"))}
    out["one-item"] = ONE_ITEM
    return out


def _raw(data: bytes) -> None:
    pyexpat.ParserCreate().Parse(data, True)


def _xsdata() -> Callable[[bytes], Any] | None:
    try:
        from xsdata.formats.dataclass.parsers import XmlParser

        from ._xsdata_syncml12 import SyncMl
    except ImportError:
        return None
    parser = XmlParser()
    return lambda data: parser.from_bytes(data, SyncMl)


def _xmltodict() -> Callable[[bytes], Any] | None:
    try:
        import xmltodict
    except ImportError:
        return None
    parse: Callable[[bytes], Any] = xmltodict.parse
    return parse


def _server_turn(data: bytes) -> bytes:
    """Parse the request, answer every command with a Status and ask for one node."""
    from syncml_codec import Get, Item, Target, parse, serialize
    from syncml_codec.helpers import build_reply

    request = parse(data)
    get = Get(cmd_id="1", items=(Item(target=Target(loc_uri="./DevDetail/SwV")),))
    return serialize(build_reply(request, commands=(get,)))


def rows() -> dict[str, tuple[Callable[[Any], Any], str]]:
    """Row name -> (function, what it takes: "bytes" or "message"); rows whose peer is not
    installed (``pip install -e '.[bench]'``) are left out."""
    from syncml_codec import parse, serialize, validate
    from syncml_codec.parse import parse_exact

    out: dict[str, tuple[Callable[[Any], Any], str]] = {
        "raw expat": (_raw, "bytes"),
        "ElementTree": (ET.fromstring, "bytes"),
    }
    for name, peer in (("xmltodict", _xmltodict()), ("xsdata", _xsdata())):
        if peer is not None:
            out[name] = (peer, "bytes")
    out["parse"] = (parse, "bytes")
    out["parse_exact"] = (parse_exact, "bytes")
    out["validate (windows)"] = (lambda data: validate(data, profile="windows"), "bytes")
    out["serialize"] = (serialize, "message")
    out["server turn"] = (_server_turn, "bytes")
    return out


def _best(fn: Callable[[Any], Any], arg: Any, loops: int) -> float:
    """Microseconds per call: the best of three batches of ``loops`` calls."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(loops):
            fn(arg)
        best = min(best, time.perf_counter() - start)
    return best / loops * 1e6


def run(rounds: int = 15, loops: int = 50) -> dict[str, dict[str, float]]:
    """Row -> message -> microseconds (median of ``rounds`` interleaved rounds)."""
    from syncml_codec import parse

    msgs = messages()
    parsed = {name: parse(data) for name, data in msgs.items()}
    table = rows()
    times: dict[str, dict[str, list[float]]] = {r: {m: [] for m in msgs} for r in table}
    for _ in range(rounds):
        for name, data in msgs.items():
            for row, (fn, takes) in table.items():
                arg = parsed[name] if takes == "message" else data
                times[row][name].append(_best(fn, arg, loops))
    return {r: {m: statistics.median(v) for m, v in per.items()} for r, per in times.items()}


def summary(result: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Medians over the four samples, ratios to raw expat, and the targets (met or not)."""
    samples = [m for m in MESSAGES if m != "one-item"]
    med = {r: statistics.median(per[m] for m in samples) for r, per in result.items()}
    raw = med["raw expat"]
    ratios = {r: t / raw for r, t in med.items()}
    checks: dict[str, dict[str, Any]] = {}
    for name, (target, kind, against) in TARGETS.items():
        if name == "parse vs xmltodict":
            if "xmltodict" not in med:
                continue
            value = med["xmltodict"] / med["parse"]
        else:
            value = ratios[name]
        met = value <= target if kind == "max" else value >= target
        checks[name] = {"value": round(value, 2), "target": target, "kind": kind, "met": met}
        checks[name]["against"] = against
    return {"median_us": med, "x_raw": ratios, "targets": checks}


def render(result: dict[str, dict[str, float]], summ: dict[str, Any]) -> str:
    head = ["row", *MESSAGES, "median (samples)", "x raw"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row, per in result.items():
        cells = [f"{per[m]:.1f}" for m in MESSAGES]
        cells += [f"{summ['median_us'][row]:.1f}", f"{summ['x_raw'][row]:.2f}"]
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    lines.append("")
    for name, check in summ["targets"].items():
        sign = "<=" if check["kind"] == "max" else ">="
        verdict = "met" if check["met"] else "NOT met"
        lines.append(
            f"{name}: {check['value']} ({check['against']}), target {sign} {check['target']}:"
            f" {verdict}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.small", description=__doc__)
    p.add_argument("--rounds", type=int, default=15, help="interleaved rounds (median)")
    p.add_argument("--loops", type=int, default=50, help="calls per timed batch")
    p.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = p.parse_args(argv)
    result = run(args.rounds, args.loops)
    summ = summary(result)
    print(render(result, summ))
    if args.json is not None:
        doc = {"us_per_message": result, **summ}
        args.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
