"""atheris harness: every entry point gets the fuzzer's bytes; only ``SyncMLError`` is expected.

Shape of google/oss-fuzz ``projects/lxml/fuzz_sax.py``: instrument the imports, feed the bytes,
return -1 for the expected error family (keeps those inputs out of the corpus) and let anything
else propagate as a crash. Then the differential oracle of ``oracle.py`` (the four equalities
of issue 13, shared with ``tests/test_differential_fuzz.py``): a discrepancy is a crash unless
it is a finding still open on main (``SYNCML_FUZZ_KNOWN=1`` makes those crash too).

``SYNCML_FUZZ_WBXML=1`` is the WBXML mode: the WBXML entry points (``parse(format="wbxml")``,
``StreamParser.decode_wbxml``) join the others and the custom mutator works on the decoded
tree. ``--seeds DIR`` writes the seed corpus (XML, or its WBXML forms in WBXML mode) and exits.
See README.md next to this file for the command lines.
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import atheris

with atheris.instrument_imports():
    import syncml_codec
    from syncml_codec.errors import SyncMLError
    from syncml_codec.limits import Limits
    from syncml_codec.parse import parse, parse_fragment

import oracle
from wbxml_tools import wbxml_to_xml

WBXML = os.environ.get("SYNCML_FUZZ_WBXML") == "1"
#: Also crash on the open findings oracle.known_issue names (to reproduce them).
STRICT = os.environ.get("SYNCML_FUZZ_KNOWN") == "1"

# Small limits so the fuzzer reaches every limit check quickly.
_LIMITS = Limits(
    max_bytes=1 << 20,
    max_depth=24,
    max_text=4096,
    max_items=50,
    max_commands=50,
    max_attributes=8,
    max_attribute_length=256,
    max_diagnostics=4,
)


def _chunked(data: bytes) -> list[bytes]:
    """The stream path: the same bytes cut into 7-byte chunks (splits tokens and characters)."""
    return [data[i : i + 7] for i in range(0, len(data), 7)]


#: Every entry point the fuzzer drives; new ones (validate, stream, WBXML) are appended below.
ENTRY_POINTS: list[Callable[[bytes], Any]] = [
    lambda b: parse(b),
    lambda b: parse(b, strict=True),
    lambda b: parse(b, limits=_LIMITS),
    lambda b: parse(_chunked(b), limits=_LIMITS),
    lambda b: parse_fragment(b),
    lambda b: parse_fragment(b, strict=True, limits=_LIMITS),
    lambda b: parse_fragment(_chunked(b)),
]

_validate: Any = getattr(syncml_codec, "validate", None)
if _validate is not None:  # validate.py, when merged
    ENTRY_POINTS.append(lambda b: _validate(b))
_iter_items: Any = getattr(syncml_codec, "iter_items", None)
if _iter_items is not None:  # the streaming API, when merged
    ENTRY_POINTS.append(lambda b: list(_iter_items(_chunked(b))))
_stream_parser: Any = getattr(syncml_codec, "StreamParser", None)
if _stream_parser is not None:

    def _stream(b: bytes) -> Any:
        sp = _stream_parser()
        for chunk in _chunked(b):
            sp.feed(chunk)
        return sp.close()

    ENTRY_POINTS.append(_stream)


def _fast_agrees(b: bytes) -> None:
    """The fast path (``_tree``) accepts only what the exact path reads with no deviation, into
    the same objects; anything else is a crash (AssertionError is not a SyncMLError)."""
    from syncml_codec._fast import parse_fast
    from syncml_codec.parse import parse_exact

    for limits in (None, _LIMITS):
        fast = parse_fast([b], limits or syncml_codec.DEFAULT_LIMITS)
        if fast is None:
            continue
        diags: list[Any] = []
        try:
            exact = parse_exact(b, limits=limits, diagnostics=diags)
        except SyncMLError as exc:
            raise AssertionError(
                f"the fast path accepted what the exact path rejects: {exc}"
            ) from exc
        assert not diags, diags
        assert exact == fast
        assert syncml_codec.serialize(exact) == syncml_codec.serialize(fast)


ENTRY_POINTS.append(_fast_agrees)
if _iter_items is not None:  # whole bytes: the fast path, replayed on the exact one if needed
    ENTRY_POINTS.append(lambda b: list(_iter_items(b)))
    ENTRY_POINTS.append(lambda b: list(_iter_items(b, limits=_LIMITS, strict=True)))


if WBXML:
    ENTRY_POINTS.append(lambda b: parse(b, format="wbxml", limits=_LIMITS))
    ENTRY_POINTS.append(lambda b: _stream_parser().decode_wbxml(b))


def _differential(data: bytes) -> None:
    """The four equalities; a discrepancy is a crash unless it is a known open finding."""
    parsed = oracle.check_exact(data)
    try:
        oracle.check(data, random.Random(data))
    except oracle.Discrepancy as found:
        known = oracle.known_issue(data, parsed, found)
        if known is None or STRICT:
            raise AssertionError(f"{found} [{known or 'new'}]") from found


ENTRY_POINTS.append(_differential)


def TestOneInput(data: bytes) -> int:
    """One fuzz input through every entry point."""
    rejected = 0
    for entry in ENTRY_POINTS:
        try:
            entry(data)
        except SyncMLError:
            rejected += 1
    return -1 if rejected == len(ENTRY_POINTS) else 0


def _as_xml(data: bytes) -> bytes | None:
    """The input as XML for the tree mutator (WBXML decoded in WBXML mode)."""
    if not WBXML:
        return data
    try:
        return wbxml_to_xml(data).encode("utf-8")
    except (SyncMLError, ValueError):
        return None


def CustomMutator(data: bytes, max_size: int, seed: int) -> bytes:
    """Nesting-aware: half the time a tree mutation (wrap a command in Atomic/Sequence, deepen
    a container, duplicate/move/delete a subtree) or a markup insert, else libFuzzer's own."""
    rng = random.Random(seed)
    xml = _as_xml(data) if rng.random() < 0.5 else None
    if xml is not None:
        mutated = oracle.mutate_tree(rng, xml) if rng.random() < 0.7 else None
        mutated = mutated or oracle.mutate_markup(rng, xml)
        out = oracle.to_wbxml(mutated) if WBXML else mutated
        if out is not None and len(out) <= max_size:
            return out
    return bytes(atheris.Mutate(data, max_size))


def write_seeds(folder: Path) -> None:
    """The corpus, samples (and their WBXML forms in WBXML mode) as one file each."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, (name, data) in enumerate(oracle.seeds(wbxml=WBXML)):
        (folder / f"{i:03d}-{name}.{'wbxml' if WBXML else 'xml'}").write_bytes(data)


def main() -> None:
    """Run the fuzzer (libFuzzer flags in sys.argv), or write the seeds (``--seeds DIR``)."""
    if sys.argv[1:2] == ["--seeds"]:
        write_seeds(Path(sys.argv[2]))
        return
    depth = os.environ.get("SYNCML_FUZZ_DEPTH")
    if depth:  # container levels the mutator may add (validate is exponential on main)
        oracle.MAX_WRAPS = int(depth)
    atheris.Setup(sys.argv, TestOneInput, custom_mutator=CustomMutator)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
