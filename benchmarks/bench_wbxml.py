"""Throughput of the WBXML decoder versus pyexpat on the equivalent XML (same event handlers).

Run: PYTHONPATH=. python benchmarks/bench_wbxml.py [megabytes]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

from syncml_codec._wbxml import decode, wbxml_to_xml, xml_to_wbxml

M = 'xmlns="syncml:metinf"'


def make_xml(target_bytes: int) -> bytes:
    head = (
        '<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2'
        "</VerProto><SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>https://srv/dm"
        "</LocURI></Target><Source><LocURI>IMEI:1</LocURI></Source></SyncHdr><SyncBody>"
        "<Results><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef>"
    )
    parts = [head]
    size = len(head)
    i = 0
    while size < target_bytes:
        item = (
            f"<Item><Source><LocURI>./Vendor/MSFT/Inventory/App{i}/Version</LocURI></Source>"
            f"<Meta><Format {M}>chr</Format><Type {M}>text/plain</Type></Meta>"
            f"<Data>10.0.{i}.1 build of application number {i}</Data></Item>"
        )
        parts.append(item)
        size += len(item)
        i += 1
    parts.append("</Results><Final/></SyncBody></SyncML>")
    return "".join(parts).encode()


class Builder:
    """A minimal tree builder, standing in for the typed-model builder."""

    def __init__(self) -> None:
        self.stack: list[list[Any]] = [["#root", []]]

    def start(self, name: str, attrs: list[str]) -> None:
        node: list[Any] = [name, []]
        self.stack[-1][1].append(node)
        self.stack.append(node)

    def data(self, text: str) -> None:
        self.stack[-1][1].append(text)

    def opaque(self, payload: bytes) -> None:
        self.stack[-1][1].append(payload)

    def end(self, name: str) -> None:
        self.stack.pop()


class Null:
    def start(self, name: str, attrs: list[str]) -> None:
        pass

    def data(self, text: str) -> None:
        pass

    def opaque(self, payload: bytes) -> None:
        pass

    def end(self, name: str) -> None:
        pass


def expat_parse(xml: bytes, target: Builder | Null) -> None:
    p = expat.ParserCreate()
    p.ordered_attributes = True
    p.buffer_text = True
    p.StartElementHandler = target.start
    p.EndElementHandler = target.end
    p.CharacterDataHandler = target.data
    p.Parse(xml, True)


def best(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    mb = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    xml = make_xml(int(mb * 1_000_000))
    t_enc = best(lambda: xml_to_wbxml(xml), 3)
    wbxml = xml_to_wbxml(xml)
    lim = {"max_bytes": 1 << 30}
    rows = [
        ("wbxml decode, null target", len(wbxml), best(lambda: decode(wbxml, Null(), **lim))),
        ("expat parse, null target", len(xml), best(lambda: expat_parse(xml, Null()))),
        ("wbxml decode, tree builder", len(wbxml), best(lambda: decode(wbxml, Builder(), **lim))),
        ("expat parse, tree builder", len(xml), best(lambda: expat_parse(xml, Builder()))),
        ("xml_to_wbxml (expat + writer)", len(xml), t_enc),
        ("wbxml_to_xml", len(wbxml), best(lambda: wbxml_to_xml(wbxml, **lim), 3)),
    ]
    print(f"XML {len(xml) / 1e6:.1f} MB, WBXML {len(wbxml) / 1e6:.1f} MB")
    for label, size, t in rows:
        print(f"{label:32s} {t * 1000:8.1f} ms  {size / t / 1e6:7.1f} MB/s of its input")


if __name__ == "__main__":
    main()
