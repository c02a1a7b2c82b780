"""Model -> XML bytes, walking the element table in DTD child order.

Strategy: at first use, one writer function per model class is *generated from the table*
(``_table.CLASS_SPECS``): each field becomes a constant open/close tag string and one append, so
the per-object cost is a few attribute loads and list appends, with no per-field dispatch or
name lookups at run time (msgspec/xsdata-style specialisation; no element is named here). A
compact and a pretty variant are generated from the same table walk. Text is escaped with
``str.replace`` only when the character occurs; illegal XML characters are looked for once,
over the finished document, and only then traced back to the field that holds them.

Output rules (OMA-TS-DM_RepPro 4, the SyncML and MetInf DTDs): the root carries
``xmlns="SYNCML:SYNCML1.2"`` (``SYNCML:SYNCML1.1`` when the header says ``DM/1.1``); every
MetInf element carries ``xmlns="syncml:metinf"``; children come in DTD order (Status included);
Data is written as it came: ``str`` escaped, ``CData`` as CDATA (a ``]]>`` inside is split),
``XmlData`` verbatim.
"""

from __future__ import annotations

import sys
from typing import Final, Literal, TypeAlias

from . import model
from ._modelcheck import ITEM_NONEMPTY, deepest, find_bad, find_text, outline_bad
from ._table import CLASS_SPECS, CODE, DATA, TEXT
from ._writegen import Dialect, IllegalCharacter, check_chars, compile_writers
from .codes import NS_SYNCML11, NS_SYNCML12
from .errors import EncodeError
from .model import ModelObject

__all__ = [
    "Dialect",
    "IllegalCharacter",
    "OutputFormat",
    "check_chars",
    "compile_writers",
    "find_bad",
    "serialize",
    "to_string",
]

_DECL: Final = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _esc(s: str) -> str:
    check_chars(s)
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    if "\r" in s:
        s = s.replace("\r", "&#13;")
    return s


def _data(v: str) -> str:
    cls = v.__class__
    if cls is str:
        return _esc(v)
    if cls is model.XmlData:
        check_chars(v)
        return v
    if cls is model.CData:
        check_chars(v)
        return "<![CDATA[" + v.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    if isinstance(v, str):
        return _esc(v)
    raise TypeError(f"Data must be str, CData or XmlData, not {cls.__name__}")


def _open(name: str, ns: str | None) -> str:
    return f'<{name} xmlns="{ns}">' if ns else f"<{name}>"


def _xml_dialect(pretty: bool) -> Dialect:
    return Dialect(
        open=lambda name, ns, declare: _open(name, ns if declare else None),
        close=lambda name, ns, declare: f"</{name}>",
        empty=lambda name, ns, declare: _open(name, ns if declare else None)[:-1] + "/>",
        conv={
            # inline fast path: most values are printable and need no escaping
            TEXT: '({v} if {first}.isprintable() and not ("&" in {v} or "<" in {v} or ">" in {v})'
            " else esc({v}))",
            DATA: "data({first})",
            CODE: "str(int({first}))",
        },
        helpers={"esc": _esc, "data": _data},
        pretty=pretty,
    )


_COMPACT: Final = compile_writers(_xml_dialect(False))
_PRETTY: Final = compile_writers(_xml_dialect(True))


def _root_ns(obj: object) -> str:
    cs = CLASS_SPECS[type(obj)]
    if cs.ns:
        return cs.ns
    if isinstance(obj, model.SyncML):
        hdr = obj.sync_hdr
        if getattr(hdr, "ver_proto", None) == "DM/1.1" or getattr(hdr, "ver_dtd", None) == "1.1":
            return NS_SYNCML11
    return NS_SYNCML12


#: How a ``nonempty`` element that Items hold looks in XML when left empty
#: (``<LocURI></LocURI>``): the cue to look inside Items, which ``outline_bad`` does not visit.
_EMPTY_MARKERS: Final = tuple(sorted(f"<{c.name}></{c.name}>" for c in ITEM_NONEMPTY))

#: What ``serialize`` writes: XML (``application/vnd.syncml.dm+xml``) or WBXML
#: (``application/vnd.syncml.dm+wbxml``).
OutputFormat: TypeAlias = Literal["xml", "wbxml"]


def to_string(obj: ModelObject, *, pretty: bool = False, xml_declaration: bool = False) -> str:
    """Serialize a message or any model object to an XML ``str`` (see ``serialize``)."""
    writers = _PRETTY if pretty else _COMPACT
    writer = writers.get(type(obj))
    if writer is None:
        raise EncodeError(
            f"cannot serialize a {type(obj).__name__}: expected a syncml_codec"
            " model object (SyncML, SyncHdr, a command, Item, Meta...)"
        )
    _check_outline(obj)
    out: list[str] = []
    try:
        if pretty:
            writer(obj, out, "")
        else:
            writer(obj, out)
    except IllegalCharacter as exc:
        raise EncodeError(
            f"character {exc.char!r} (U+{ord(exc.char):04X}) cannot be"
            f" written in XML 1.0; found in {find_text(obj, exc.char)}"
        ) from None
    except RecursionError:
        raise EncodeError(_too_deep(obj)) from None
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        raise EncodeError(_explain(obj, exc)) from None
    name = CLASS_SPECS[type(obj)].name
    out[0] = (
        out[0].replace(f"<{name}", f'<{name} xmlns="{_root_ns(obj)}"', 1)
        if f"<{name} xmlns=" not in out[0]
        else out[0]
    )
    text = "".join(out)
    if any(marker in text for marker in _EMPTY_MARKERS):  # an identifier written empty
        _check_all(obj)
    return _DECL + text if xml_declaration else text


def serialize(
    obj: ModelObject,
    *,
    pretty: bool = False,
    xml_declaration: bool = False,
    format: OutputFormat = "xml",
) -> bytes:
    """Serialize a message or any model object to UTF-8 XML bytes (or WBXML).

    What the DTD does not allow is refused, not written: a required element missing or empty
    (``cmd_id=""``, a SyncHdr without ``target``), a command without its required Item
    (``Get(cmd_id="1")``), more children than allowed (an Exec with two Items).

    Args:
        obj: a ``SyncML`` message or any model object (a fragment: command, Item, Meta...).
        pretty: indent with two spaces per level (Data content is never re-indented; XML only).
        xml_declaration: start with ``<?xml version="1.0" encoding="UTF-8"?>`` (XML only).
        format: "xml" (default) or "wbxml" (``application/vnd.syncml.dm+wbxml``).

    Raises:
        EncodeError: the object is not a model object, a field holds the wrong type or breaks
            the DTD (the message gives its path, e.g. ``/SyncML/SyncBody/Replace[2]/CmdID``),
            a text holds a character XML 1.0 cannot carry, or the model nests too deeply to
            write.
    """
    if format == "wbxml":
        return _wbxml(obj)
    if format != "xml":
        raise EncodeError(f"unknown format {format!r}; expected 'xml' or 'wbxml'")
    return to_string(obj, pretty=pretty, xml_declaration=xml_declaration).encode("utf-8")


def _wbxml(obj: ModelObject) -> bytes:
    from ._wbxml import encode

    if type(obj) in CLASS_SPECS:
        _check_outline(obj)
    try:
        encoded: bytes = encode(obj)
    except RecursionError:
        raise EncodeError(_too_deep(obj)) from None
    except EncodeError:
        _check_all(obj)  # the table walk names the field, where it can
        raise
    if b"\x03\x00" in encoded:  # an empty inline string: maybe a required text left empty
        _check_all(obj)
    return encoded


def _check_outline(obj: object) -> None:
    """Refuse a model whose headers or commands break the DTD (cheap: Items are not visited)."""
    if outline_bad(obj):
        _check_all(obj)


def _check_all(obj: object) -> None:
    """Refuse a model that breaks the DTD anywhere, naming the first place."""
    found = find_bad(obj)
    if found is not None:
        raise EncodeError(f"cannot serialize {found}")


def _explain(obj: object, exc: Exception) -> str:
    """Find the field that made a writer fail, for an error a person can act on."""
    path = find_bad(obj)
    return f"cannot serialize {path}" if path else f"cannot serialize: {exc}"


def _too_deep(obj: object) -> str:
    depth, path = deepest(obj)
    return (
        f"cannot serialize: the model nests {depth} elements deep (at {path}), deeper than the"
        f" writers can go under Python's recursion limit ({sys.getrecursionlimit()})"
    )
