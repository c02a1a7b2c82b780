"""atheris harness: every entry point gets the fuzzer's bytes; only ``SyncMLError`` is expected.

Shape of google/oss-fuzz ``projects/lxml/fuzz_sax.py``: instrument the imports, feed the bytes,
return -1 for the expected error family (keeps those inputs out of the corpus) and let anything
else propagate as a crash. See README.md next to this file for the command line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import atheris

with atheris.instrument_imports():
    import syncml_codec
    from syncml_codec.errors import SyncMLError
    from syncml_codec.limits import Limits
    from syncml_codec.parse import parse, parse_fragment

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
    from syncml_codec._tree import parse_fast
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


def TestOneInput(data: bytes) -> int:
    """One fuzz input through every entry point."""
    rejected = 0
    for entry in ENTRY_POINTS:
        try:
            entry(data)
        except SyncMLError:
            rejected += 1
    return -1 if rejected == len(ENTRY_POINTS) else 0


def main() -> None:
    """Run the fuzzer (libFuzzer flags in sys.argv)."""
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
