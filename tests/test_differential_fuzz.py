"""Differential fuzzing (issue 13): every entry point agrees with ``parse`` on mutated input.

The oracle is ``tests/fuzz/oracle.py``, shared with the atheris harness next to it: (a)
``parse`` == ``parse_exact``; (b) ``iter_items`` over bytes, a path and random chunks, and
``StreamParser`` fed random chunks, give parse's header, Items and commands or its error
class; (c) ``parse(serialize(m)) == m`` in XML and WBXML; (d) ``validate`` agrees with itself
with and without xmlschema. Inputs are the corpus messages, our samples and their WBXML forms,
mutated by Hypothesis-driven bytes, markup (whitespace, CDATA, comments, PIs) and tree
operations (delete, duplicate, reorder, move, wrap in Atomic/Sequence, deepen nesting).

Findings still open on main are named by ``oracle.known_issue``; every other discrepancy
fails here. The example count follows the Hypothesis profile (``ci``: 200 per test).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import syncml_codec as sc
from syncml_codec.parse import parse_exact

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))  # the oracle, as the harness imports it
import oracle

XML_SEEDS = oracle.seeds(wbxml=False)
WBXML_SEEDS = oracle.seeds(wbxml=True)


def _hold(data: bytes, rng: random.Random) -> None:
    """Run the oracle; a discrepancy fails unless it is a known open finding."""
    parsed = oracle.check_exact(data)
    try:
        oracle.check(data, rng)
    except oracle.Discrepancy as found:
        if oracle.known_issue(data, parsed, found) is None:
            raise


def test_seeds_cover_the_corpus_samples_and_wbxml() -> None:
    names = {name for name, _ in XML_SEEDS}
    assert {"01-device-unenrollment-request", "04-device-status-and-results"} <= names
    assert len(XML_SEEDS) >= 30
    assert len(WBXML_SEEDS) >= len(XML_SEEDS) * 3 // 4  # fragments of the spec have no WBXML form
    assert all(doc[:1] in (b"\x01", b"\x02", b"\x03") for _, doc in WBXML_SEEDS)


ALL_SEEDS = XML_SEEDS + [(f"wbxml-{name}", doc) for name, doc in WBXML_SEEDS]


@pytest.mark.parametrize(("name", "data"), ALL_SEEDS, ids=[name for name, _ in ALL_SEEDS])
def test_seeds_hold_every_equality(name: str, data: bytes) -> None:
    """Unmutated, no seed needs a known-issue excuse."""
    oracle.check(data, random.Random(name))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(XML_SEEDS), st.randoms(use_true_random=False), st.integers(1, 4))
def test_mutated_xml_holds_every_equality(
    seed: tuple[str, bytes], rng: random.Random, steps: int
) -> None:
    _hold(oracle.mutate(rng, seed[1], steps=steps), rng)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(XML_SEEDS), st.randoms(use_true_random=False), st.integers(0, 3))
def test_mutated_wbxml_holds_every_equality(
    seed: tuple[str, bytes], rng: random.Random, steps: int
) -> None:
    """Tree and markup mutations carried to WBXML, then (sometimes) WBXML byte noise."""
    data = oracle.to_wbxml(oracle.mutate(rng, seed[1], steps=steps))
    if data is None:
        data = dict(WBXML_SEEDS).get(seed[0], WBXML_SEEDS[0][1])
    for _ in range(rng.randint(0, 2)):
        data = oracle.mutate_bytes(rng, data)
    _hold(data, rng)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(XML_SEEDS), st.randoms(use_true_random=False))
def test_nesting_mutations_hold_every_equality(seed: tuple[str, bytes], rng: random.Random) -> None:
    """Only structure: wrap and deepen Atomic/Sequence around commands, duplicate subtrees."""
    data = seed[1]
    for _ in range(3):
        data = oracle.mutate_tree(rng, data) or data
    _hold(data, rng)


def test_the_oracle_catches_a_disagreement(monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle can fail: a parse_exact that drops the last diagnostic is caught."""
    data = dict(XML_SEEDS)["01-device-unenrollment-request"]

    def lossy(source: bytes, *, diagnostics: list[sc.Diagnostic]) -> sc.SyncML:
        found: list[sc.Diagnostic] = []
        message = parse_exact(source, diagnostics=found)
        diagnostics.extend(found[:-1])
        return message

    broken = data.replace(b"<CmdID>", b"<CmdID> ", 1)
    assert oracle.check_exact(broken)[2]  # parse reports the padded CmdID
    monkeypatch.setattr(oracle, "parse_exact", lossy)
    with pytest.raises(oracle.Discrepancy, match="parse_exact"):
        oracle.check_exact(broken)


def test_the_mutators_reach_nesting_and_markup() -> None:
    """The tree mutator wraps commands in containers and deepens them; the markup mutator
    inserts comments, PIs, CDATA and Unicode whitespace."""
    rng = random.Random(13)
    base = dict(XML_SEEDS)["03-server-policies-and-inventory-request"]
    depths = set()
    for _ in range(60):
        data = base
        for _ in range(4):
            data = oracle.mutate_tree(rng, data) or data
        depths.add(data.count(b"<Atomic") + data.count(b"<Sequence"))
    assert max(depths) >= base.count(b"<Atomic") + base.count(b"<Sequence") + 2
    marked = [oracle.mutate_markup(rng, base) for _ in range(100)]
    for what in (b"<!-- c -->", b"<?pi x?>", b"<![CDATA[", b"\xe2\x80\x83"):
        assert sum(m.count(what) for m in marked) > 100 * base.count(what), what


_HDR = (
    "<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID>"
    "<MsgID>1</MsgID><Target><LocURI>a</LocURI></Target><Source><LocURI>b</LocURI></Source>"
    "</SyncHdr>"
)


def _msg(body: str) -> bytes:
    root = '<SyncML xmlns="SYNCML:SYNCML1.2">'
    return f"{root}{_HDR}<SyncBody>{body}<Final/></SyncBody></SyncML>".encode()


#: The smallest input of each finding the first fuzz runs made (tests/fuzz/README.md).
FINDINGS = [
    (
        "F1",  # no SyncHdr: parse assumes an empty one (P105), the streams hand out none
        b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data>'
        b"</Alert><Final/></SyncBody></SyncML>",
    ),
    (
        "F2",  # WBXML with an empty SessionID: validate(schema=True) raises EncodeError
        bytes.fromhex(
            "02a4016a006d6c7103312e3200017203444d2f312e320001255b033100016e57036100010167570362"
            "000101016b464b033100014f0331323031000101120101"
        ),
    ),
    (
        "F3",  # WBXML Atomic inside an Item: S104 error without schema, valid with it
        bytes.fromhex(
            "02a4016a006d6c7103312e3200017203444d2f312e32000165033100015b033100016e570361000101"
            "67570362000101016b534b03310001546e57032e2f61000101080101120101"
        ),
    ),
    (
        "F4",  # a SyncML element inside markup Data: valid without schema, XSD001 with it
        _msg(
            "<Replace><CmdID>1</CmdID><Item><Target><LocURI>./a</LocURI></Target>"
            "<Data><x><Atomic><CmdID>2</CmdID><y/></Atomic></x></Data></Item></Replace>"
        ),
    ),
    (
        "F5",  # EM SPACE in a namespace name: validate(schema=True) lets ValueError out
        '<SyncML xmlns:n="a\u2003b"><n:x/></SyncML>'.encode(),
    ),
]


@pytest.mark.parametrize(("code", "data"), FINDINGS, ids=[code for code, _ in FINDINGS])
def test_findings_stay_fixed(code: str, data: bytes) -> None:
    """Each finding of the first fuzz runs (F1-F5, tests/fuzz/README.md) holds every equality."""
    oracle.check(data, random.Random(0))
