"""A generated family of small adversarial inputs (each under 64 KB), for the budget test.

Every input is something a peer can post to a server: nesting of every container type at
depths 1-50, sibling repetition up to 10,000, WBXML string-table references, entity-bearing
prologs, long names and attribute floods. `family()` returns (name, bytes) pairs; the bytes are
deterministic, so a failure names an input that can be rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterator

NS = "SYNCML:SYNCML1.2"
LIMIT = 64 * 1024
DEPTHS = (1, 2, 3, 5, 8, 13, 21, 34, 50)

HDR = (
    "<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID>"
    "<MsgID>1</MsgID><Target><LocURI>dev</LocURI></Target><Source><LocURI>srv</LocURI></Source>"
    "</SyncHdr>"
)
ITEM = "<Item><Target><LocURI>./a</LocURI></Target><Data>1</Data></Item>"
REPLACE = f"<Replace><CmdID>9</CmdID>{ITEM}</Replace>"


def message(body: str, prolog: str = "", header: str = HDR) -> bytes:
    """A whole message around ``body`` (the SyncBody's content)."""
    text = f'{prolog}<SyncML xmlns="{NS}">{header}<SyncBody>{body}<Final/></SyncBody></SyncML>'
    return text.encode()


def _nested(kind: str, depth: int) -> str:
    inner = REPLACE
    for level in range(depth):
        inner = f"<{kind}><CmdID>{level + 1}</CmdID>{inner}</{kind}>"
    return inner


def _nesting() -> Iterator[tuple[str, bytes]]:
    for depth in DEPTHS:
        for kind in ("Atomic", "Sequence"):
            yield f"nested-{kind}-{depth}", message(_nested(kind, depth))
        mixed = REPLACE
        for level in range(depth):
            kind = ("Atomic", "Sequence")[level % 2]
            mixed = f"<{kind}><CmdID>{level + 1}</CmdID>{mixed}</{kind}>"
        yield f"nested-mixed-{depth}", message(mixed)
        markup = "<x>" * depth + "v" + "</x>" * depth
        data = f"<Item><Target><LocURI>./a</LocURI></Target><Data>{markup}</Data></Item>"
        yield f"nested-data-markup-{depth}", message(f"<Replace><CmdID>1</CmdID>{data}</Replace>")
        unknown = "<Bogus>" * depth + "</Bogus>" * depth
        yield f"nested-unknown-{depth}", message(unknown + REPLACE)
        items = "<Item>" * depth + "</Item>" * depth
        yield f"nested-item-{depth}", message(f"<Replace><CmdID>1</CmdID>{items}</Replace>")
        meta = "<Meta>" * depth + "</Meta>" * depth
        yield f"nested-meta-{depth}", message(f"<Get><CmdID>1</CmdID>{meta}{ITEM}</Get>")


def _fit(unit: str, count: int, room: int = LIMIT - 2_000) -> int:
    """``count``, or as many ``unit``s as fit in the room left under 64 KB."""
    return min(count, room // len(unit))


def _repetition() -> Iterator[tuple[str, bytes]]:
    status = (
        "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
        "<Data>200</Data></Status>"
    )
    body = f"<SyncBody>{REPLACE}</SyncBody>"
    for count in (10, 100, 1_000, 10_000):
        n = _fit("<Item/>", count)
        yield (
            f"repeat-empty-item-{n}",
            message(f"<Replace><CmdID>1</CmdID>{'<Item/>' * n}</Replace>"),
        )
        n = _fit("<X/>", count)
        yield f"repeat-unknown-{n}", message("<X/>" * n + REPLACE)
        n = _fit("<Final/>", count)
        yield f"repeat-final-{n}", message(REPLACE + "<Final/>" * n)
        n = _fit("<CmdID>1</CmdID>", count)
        yield f"repeat-cmdid-{n}", message(f"<Replace>{'<CmdID>1</CmdID>' * n}{ITEM}</Replace>")
        n = _fit(status, count)
        yield f"repeat-status-{n}", message(status * n)
        n = _fit(HDR, count)
        yield f"repeat-header-{n}", message(REPLACE, header=HDR * n)
        n = _fit(body, count)
        yield f"repeat-body-{n}", f'<SyncML xmlns="{NS}">{HDR}{body * n}</SyncML>'.encode()


def _prologs() -> Iterator[tuple[str, bytes]]:
    laugh = '<!ENTITY a "' + "x" * 250 + '">'
    refs = "&a;" * 12_000
    yield (
        "entity-internal-refs",
        message(REPLACE, prolog=f"<!DOCTYPE SyncML [{laugh}]>").replace(
            b"<Final/>", refs.encode() + b"<Final/>"
        ),
    )
    yield (
        "entity-in-root-attribute",
        (
            f'<!DOCTYPE SyncML [{laugh}]><SyncML xmlns="{NS}" a="{"&a;" * 12_000}">'
            f"{HDR}<SyncBody>{REPLACE}</SyncBody></SyncML>"
        ).encode(),
    )
    yield (
        "entity-xmlns",
        (
            f'<!DOCTYPE SyncML [<!ENTITY x "{NS}">]><SyncML xmlns="&x;">{HDR}<SyncBody>{REPLACE}'
            "</SyncBody></SyncML>"
        ).encode(),
    )
    billion = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    yield "entity-billion-laughs", message(REPLACE, prolog=f"<!DOCTYPE SyncML [{billion}]>")
    yield (
        "entity-external",
        message(
            REPLACE, prolog='<!DOCTYPE SyncML [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        ).replace(b"<Final/>", b"&e;<Final/>"),
    )
    yield (
        "entity-parameter",
        message(
            REPLACE, prolog='<!DOCTYPE SyncML [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">%p;]>'
        ),
    )
    yield (
        "doctype-external",
        message(REPLACE, prolog='<!DOCTYPE SyncML SYSTEM "http://127.0.0.1:9/syncml.dtd">'),
    )


def _names_and_attributes() -> Iterator[tuple[str, bytes]]:
    yield "long-element-name", message(f"<{'N' * 60_000}/>" + REPLACE)
    yield "long-unclosed-name", message(f"<{'N' * 60_000}" + REPLACE)
    yield "long-attribute-name", message(f'<Replace {"a" * 60_000}="1"><CmdID>1</CmdID></Replace>')
    yield "long-attribute-value", message(f'<Replace a="{"v" * 60_000}"><CmdID>1</CmdID></Replace>')
    attrs = " ".join(f'a{i}="1"' for i in range(6_000))
    yield "attribute-flood-command", message(f"<Replace {attrs}><CmdID>1</CmdID>{ITEM}</Replace>")
    yield (
        "attribute-flood-root",
        (f'<SyncML xmlns="{NS}" {attrs}>{HDR}<SyncBody>{REPLACE}</SyncBody></SyncML>').encode(),
    )
    prefixes = " ".join(f'xmlns:p{i}="urn:{i}"' for i in range(2_500))
    yield "namespace-flood", message(f"<Replace {prefixes}><CmdID>1</CmdID>{ITEM}</Replace>")
    yield (
        "long-locuri",
        message(
            f"<Replace><CmdID>1</CmdID><Item><Target><LocURI>./{'a/' * 30_000}</LocURI></Target>"
            "</Item></Replace>"
        ),
    )


def _mb_u_int32(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def _wbxml_str_t(entry_size: int, refs: int) -> bytes:
    """A WBXML Replace whose Data is ``refs`` STR_T references to one ``entry_size`` entry."""
    table = b"Z" * entry_size + b"\x00"
    body = (
        b"\x60"  # Replace, with content
        + b"\x4b\x03" + b"1\x00" + b"\x01"  # CmdID STR_I "1" END
        + b"\x54"  # Item
        + b"\x6e\x57\x03./a\x00\x01\x01"  # Target LocURI "./a" END END
        + b"\x4f"  # Data
        + (b"\x83\x00" * refs)  # STR_T 0, refs times
        + b"\x01\x01\x01"  # END Data, END Item, END Replace
    )  # fmt: skip
    return b"\x02\xa4\x01\x6a" + _mb_u_int32(len(table)) + table + body


def _wbxml() -> Iterator[tuple[str, bytes]]:
    yield "wbxml-str-t-wide", _wbxml_str_t(30_000, 10_000)
    yield "wbxml-str-t-many", _wbxml_str_t(1_000, 20_000)
    yield "wbxml-str-t-few", _wbxml_str_t(60_000, 2)
    deep = b"\x02\xa4\x01\x6a\x00" + b"\x48" * 20_000  # Atomic with content, never closed
    yield "wbxml-deep-open", deep


def family() -> list[tuple[str, bytes]]:
    """Every adversarial input, each under 64 KB."""
    out = [
        *_nesting(),
        *_repetition(),
        *_prologs(),
        *_names_and_attributes(),
        *_wbxml(),
    ]
    unique = list(dict(out).items())  # a capped count repeats an input: keep it once
    too_big = [name for name, data in unique if len(data) >= LIMIT]
    assert not too_big, too_big
    return unique
