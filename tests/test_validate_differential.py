"""The fast structural layer and xmlschema (the reference) give the same verdict.

Layer 1 only: ``validate()`` findings whose rule has ``layer == 1`` against
``_xsd.xsd_diagnostics`` on the same bytes. Inputs: every corpus file, every ``<SyncML>``
span of the SyncMLDotNet logs, and seeded random mutants (drop, duplicate, swap with the next
sibling, rename, replace text) of valid messages in both namespaces and of a fragment.

Known, documented exceptions (not generated here, so no test can hide them):
    * Prefixed extension attributes (``foo:bar="1"`` with a declared prefix) outside SyncBody
      and Status Data: the parser ignores them (it does not model attributes), the XSD rejects
      them. The schema allows only ``msft:*`` there and ``xsi:*`` anywhere.
    * WBXML: xmlschema reads XML only; ``validate(schema=True)`` serializes the model first.
"""

from __future__ import annotations

import copy
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from syncml_codec import RULES, validate
from syncml_codec._snippet import bare_commands, wrap
from syncml_codec._validate import xsd as _xsd
from syncml_codec.codes import NS_METINF, NS_SYNCML11, NS_SYNCML12

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
RICH = DATA / "validate" / "rich-valid.xml"
CONFIRM = CORPUS / "oma-spec" / "oma-dmpro-2-5-2-2-confirm-alert-1101.xml"
PKG1 = CORPUS / "oma-spec" / "oma-dmpro-2-6-1-1-pkg1-client-init-cred-maxmsgsize.xml"


def fast_invalid(data: bytes) -> bool:
    return any(d.severity == "error" and RULES[d.code].layer == 1 for d in validate(data))


def xsd_invalid(data: bytes) -> bool:
    # a namespace-less top-level command is a profile snippet file (CmdID optional): the
    # reference sees it in the same SyncBody wrapper validate() reads it in
    snippet = bare_commands(data)
    wrapped = wrap(data)[0]
    text = wrapped if snippet and isinstance(wrapped, bytes) else data
    return any(d.severity == "error" for d in _xsd.xsd_diagnostics(text, snippet=snippet))


def corpus_documents() -> list[tuple[str, bytes]]:
    docs = [(f.name, f.read_bytes()) for f in sorted(CORPUS.rglob("*.xml"))]
    for log in sorted(CORPUS.rglob("*.txt")):
        spans = re.finditer(rb"<SyncML.*?</SyncML>", log.read_bytes(), re.S)
        docs.extend((f"{log.name}#{i}", m.group(0)) for i, m in enumerate(spans))
    return docs


@pytest.mark.parametrize(("name", "data"), corpus_documents(), ids=lambda v: str(v)[:40])
def test_corpus_verdicts_agree(name: str, data: bytes) -> None:
    assert fast_invalid(data) == xsd_invalid(data), name


def test_corpus_has_log_spans() -> None:
    assert sum("#" in name for name, _ in corpus_documents()) >= 18


NAMES = [
    "CmdID",
    "MsgRef",
    "CmdRef",
    "Cmd",
    "Data",
    "Item",
    "Meta",
    "Target",
    "Source",
    "LocURI",
    "LocName",
    "Final",
    "Add",
    "Replace",
    "Get",
    "Status",
    "Results",
    "Exec",
    "Atomic",
    "Sequence",
    "Alert",
    "Delete",
    "Copy",
    "VerDTD",
    "VerProto",
    "SessionID",
    "MsgID",
    "NoResp",
    "Cred",
    "Chal",
    "Correlator",
    "TargetRef",
    "SourceRef",
    "MoreData",
    "Format",
    "Type",
    "Size",
    "Put",
    "Bogus",
]
TEXTS = ("", " 200 ", "abc", "12", "x y", "chr", "0")


def mutate(rng: random.Random, root: ET.Element) -> str:
    """Apply one random mutation to a random non-root element; return its name."""
    pairs = [(p, c) for p in root.iter() for c in p]
    parent, child = rng.choice(pairs)
    op = rng.choice(("drop", "duplicate", "swap", "rename", "text"))
    i = list(parent).index(child)
    if op == "drop":
        parent.remove(child)
    elif op == "duplicate":
        parent.insert(i + 1, copy.deepcopy(child))
    elif op == "swap" and i + 1 < len(parent):
        nxt = parent[i + 1]
        parent.remove(nxt)
        parent.insert(i, nxt)
    elif op == "rename":
        ns = child.tag[1:].partition("}")[0] if child.tag.startswith("{") else ""
        local = rng.choice(NAMES)
        child.tag = f"{{{ns}}}{local}" if ns else local
    elif op == "text":
        child.text = rng.choice(TEXTS)
    return op


def bases() -> list[tuple[str, bytes]]:
    rich = RICH.read_bytes()
    return [
        ("rich-1.2", rich),
        ("rich-1.1", rich.replace(NS_SYNCML12.encode(), NS_SYNCML11.encode())),
        ("pkg1", PKG1.read_bytes()),
        ("confirm-fragment", CONFIRM.read_bytes()),
    ]


@pytest.mark.parametrize(("base_name", "base"), bases(), ids=[b[0] for b in bases()])
def test_bases_are_valid(base_name: str, base: bytes) -> None:
    assert not fast_invalid(base)
    assert not xsd_invalid(base)


@pytest.mark.parametrize(("base_name", "base"), bases(), ids=[b[0] for b in bases()])
@pytest.mark.parametrize("seed", range(3))
def test_mutant_verdicts_agree(base_name: str, base: bytes, seed: int) -> None:
    ET.register_namespace("", NS_SYNCML11 if base_name == "rich-1.1" else NS_SYNCML12)
    ET.register_namespace("mi", NS_METINF)
    rng = random.Random(f"{base_name}-{seed}")
    disagreements = []
    invalid = 0
    for k in range(30):
        root = ET.fromstring(base)
        ops = [mutate(rng, root) for _ in range(rng.choice((1, 1, 2)))]
        data = ET.tostring(root, encoding="utf-8")
        fast, ref = fast_invalid(data), xsd_invalid(data)
        invalid += ref
        if fast != ref:
            disagreements.append((k, ops, fast, ref, data.decode()[:2000]))
    assert not disagreements, disagreements[0]
    assert invalid > 0  # the mutations do produce invalid documents
