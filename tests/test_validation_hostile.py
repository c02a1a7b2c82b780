"""validate() on hostile input: linear in nesting, only diagnostics escape, Limits hold in both
structural modes, and no scanner reads a DTD or runs before the limits are checked.

Time and memory budgets run in a fresh subprocess with generous bounds (never timings in the
test process itself).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap

import pytest

from syncml_codec import Limits, validate, validate_or_raise
from syncml_codec.errors import SchemaInvalid

HDR = (
    "<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID>"
    "<MsgID>1</MsgID><Target><LocURI>x</LocURI></Target><Source><LocURI>y</LocURI></Source>"
    "</SyncHdr>"
)
LEAF = (
    "<Replace><CmdID>999999</CmdID><Item><Target><LocURI>./a</LocURI></Target>"
    "<Data>1</Data></Item></Replace>"
)


def nested(kind: str, depth: int) -> bytes:
    """A message with ``depth`` containers of ``kind`` nested around one Replace."""
    body = LEAF
    for i in range(depth):
        body = f"<{kind}><CmdID>{i + 1}</CmdID>{body}</{kind}>"
    return (
        f'<SyncML xmlns="SYNCML:SYNCML1.2">{HDR}<SyncBody>{body}<Final/></SyncBody></SyncML>'
    ).encode()


def run_bounded(code: str, seconds: float, mib: int = 1024) -> str:
    """Run ``code`` in a fresh interpreter under an address-space limit and a time limit."""

    def limit() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (mib << 20, mib << 20))

    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=seconds,
        preexec_fn=limit,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.parametrize("kind", ["Atomic", "Sequence"])
def test_nesting_50_deep_is_linear(kind: str) -> None:
    # Today's main took ~9x per level (7 Atomics: ~29 s, 2 GB); 50 levels here, both modes,
    # both profiles, in well under the bound. Limits(max_depth=200) lets the depth through.
    out = run_bounded(
        f"""
        import sys
        sys.path[:0] = {sys.path!r}
        from test_validation_hostile import nested
        from syncml_codec import Limits, validate
        data = nested({kind!r}, 50)
        for schema in (False, True):
            for profile in ("oma", "windows"):
                d = validate(data, schema=schema, profile=profile, limits=Limits(max_depth=200))
                print(len(d), file=sys.stdout)
        """,
        seconds=60,
    )
    assert len(out.split()) == 4


@pytest.mark.parametrize("kind", ["Atomic", "Sequence"])
def test_nesting_findings_scale_with_depth(kind: str) -> None:
    # One membership finding per nested container: linear, and none lost.
    code = "DM220" if kind == "Atomic" else "DM221"
    for depth in (2, 10, 30):
        found = validate(nested(kind, depth), limits=Limits(max_depth=100))
        assert sum(d.code == code for d in found) == depth - 1


def test_deep_nesting_schema_mode_gives_a_limit_not_an_exception() -> None:
    # xmlschema's own nesting limit (~1,000 levels) raised XMLResourceExceeded out of
    # validate(schema=True) and validate_or_raise.
    data = nested("Sequence", 1100)
    lim = Limits(max_depth=5000)
    for schema in (False, True):
        found = validate(data, schema=schema, limits=lim)
        assert found
        assert any(d.severity == "error" for d in found)
    found = validate(data, schema=True, limits=lim)
    assert [d.code for d in found if d.code == "LIMIT"], found
    with pytest.raises(SchemaInvalid):
        validate_or_raise(data, schema=True, limits=lim)


def test_schema_mode_applies_limits_max_attributes() -> None:
    # 2,000 attributes: schema=True handed them all to xmlschema (one diagnostic each, past
    # max_diagnostics=1000); now the parser's max_attributes stops it first: one LIMIT.
    attrs = " ".join(f'a{i}="1"' for i in range(2_000))
    data = f'<SyncML xmlns="SYNCML:SYNCML1.2" {attrs}>{HDR}<SyncBody>{LEAF}</SyncBody></SyncML>'
    for schema in (False, True):
        found = validate(data.encode(), schema=schema)
        assert [d.code for d in found] == ["LIMIT"], found[:3]


def test_schema_mode_applies_max_bytes_and_max_diagnostics() -> None:
    data = nested("Atomic", 1)
    assert [d.code for d in validate(data, schema=True, limits=Limits(max_bytes=100))] == ["LIMIT"]
    # 40 unknown elements: 40 findings, capped at max_diagnostics in both modes.
    bogus = data.replace(b"<Final/>", b"<Bogus/>" * 40 + b"<Final/>")
    for schema in (False, True):
        assert len(validate(bogus, schema=schema)) >= 40
        assert len(validate(bogus, schema=schema, limits=Limits(max_diagnostics=5))) <= 5


def entity_bomb(references: int, value: int = 250) -> bytes:
    """An internal entity referenced ``references`` times from a root attribute."""
    refs = "&x;" * references
    return (
        f'<!DOCTYPE SyncML [<!ENTITY x "{"A" * value}">]>'
        f'<SyncML xmlns="SYNCML:SYNCML1.2" a="{refs}">{HDR}<SyncBody>{LEAF}</SyncBody></SyncML>'
    ).encode()


def test_entities_are_never_expanded_by_a_pre_scan() -> None:
    # A 3 MB message whose root attribute references a 250-character entity a million times:
    # the old prolog pre-scan expanded it (peak RSS +477 MiB measured) before the parser
    # refused the DOCTYPE. A refusal that expands nothing adds next to nothing.
    out = run_bounded(
        f"""
        import resource, sys
        sys.path[:0] = {sys.path!r}
        from test_validation_hostile import entity_bomb
        from syncml_codec import validate
        data = entity_bomb(1_000_000)
        validate(b"<Alert/>", schema=True)  # imports and the schema build before measuring
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for schema in (False, True):
            print(*[d.code for d in validate(data, schema=schema)])
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
        """,
        seconds=120,
        mib=1536,
    )
    *codes, growth_mib = out.split()
    assert codes == ["XML002", "XML002"]
    assert int(growth_mib) < 64


def test_limits_come_before_the_dtd_refusal_and_every_scan() -> None:
    data = entity_bomb(1000)
    for schema in (False, True):
        found = validate(data, schema=schema, limits=Limits(max_bytes=1000))
        assert [d.code for d in found] == ["LIMIT"]
