"""Model -> XML bytes, walking the element table in DTD child order.

Strategy: at first use, one writer function per model class is *generated from the table*
(``_table.CLASS_SPECS``): each field becomes a constant open/close tag string and one append, so
the per-object cost is a few attribute loads and list appends, with no per-field dispatch or
name lookups at run time (msgspec/xsdata-style specialisation; no element is named here). A
compact and a pretty variant are generated from the same table walk. Text is escaped with
``str.replace`` only when the character occurs; illegal XML characters are looked for once,
over the finished document, and only then traced back to the field that holds them.

Output rules (spec file §1.1, §1.2, §6): the root carries ``xmlns="SYNCML:SYNCML1.2"``
(``SYNCML:SYNCML1.1`` when the header says ``DM/1.1``); every MetInf element carries
``xmlns="syncml:metinf"``; children come in DTD order (Status included); Data is written as it
came: ``str`` escaped, ``CData`` as CDATA (a ``]]>`` inside is split), ``XmlData`` verbatim.
"""

from __future__ import annotations

from typing import Any, Final

from . import model
from ._table import CLASS_SPECS, CODE, DATA, NODE, TEXT
from ._writegen import Dialect, IllegalCharacter, check_chars, compile_writers
from .codes import NS_SYNCML11, NS_SYNCML12
from .errors import EncodeError

__all__ = [
    "Dialect",
    "IllegalCharacter",
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


def to_string(obj: object, *, pretty: bool = False, xml_declaration: bool = False) -> str:
    """Serialize a message or any model object to an XML ``str`` (see ``serialize``)."""
    writers = _PRETTY if pretty else _COMPACT
    writer = writers.get(type(obj))
    if writer is None:
        raise EncodeError(
            f"cannot serialize a {type(obj).__name__}: expected a syncml_codec"
            " model object (SyncML, SyncHdr, a command, Item, Meta...)"
        )
    out: list[str] = []
    try:
        if pretty:
            writer(obj, out, "")
        else:
            writer(obj, out)
    except IllegalCharacter as exc:
        raise EncodeError(
            f"character {exc.char!r} (U+{ord(exc.char):04X}) cannot be"
            f" written in XML 1.0; found in {_find_text(obj, exc.char)}"
        ) from None
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        raise EncodeError(_explain(obj, exc)) from None
    name = CLASS_SPECS[type(obj)].name
    out[0] = (
        out[0].replace(f"<{name}", f'<{name} xmlns="{_root_ns(obj)}"', 1)
        if f"<{name} xmlns=" not in out[0]
        else out[0]
    )
    text = "".join(out)
    return _DECL + text if xml_declaration else text


def serialize(
    obj: object, *, pretty: bool = False, xml_declaration: bool = False, format: str = "xml"
) -> bytes:
    """Serialize a message or any model object to UTF-8 XML bytes (or WBXML).

    Args:
        obj: a ``SyncML`` message or any model object (a fragment: command, Item, Meta...).
        pretty: indent with two spaces per level (Data content is never re-indented).
        xml_declaration: start with ``<?xml version="1.0" encoding="UTF-8"?>``.
        format: "xml" (default) or "wbxml" (``application/vnd.syncml.dm+wbxml``).

    Raises:
        EncodeError: the object is not a model object, a field holds the wrong type, or a
            text holds a character XML 1.0 cannot carry.
    """
    if format == "wbxml":
        from ._wbxml import encode

        try:
            encoded: bytes = encode(obj)
        except EncodeError:
            to_string(obj)  # the XML writers walk the same table: their error names the field
            raise
        return encoded
    if format != "xml":
        raise EncodeError(f"unknown format {format!r}; expected 'xml' or 'wbxml'")
    return to_string(obj, pretty=pretty, xml_declaration=xml_declaration).encode("utf-8")


def _explain(obj: object, exc: Exception) -> str:
    """Find the field that made a writer fail, for an error a person can act on."""
    path = find_bad(obj, "/" + CLASS_SPECS[type(obj)].name)
    return f"cannot serialize {path}" if path else f"cannot serialize: {exc}"


def find_bad(obj: object, path: str) -> str | None:
    """The first field (as a path and reason) that a writer cannot write, or None."""
    cs = CLASS_SPECS.get(type(obj))
    if cs is None:
        return f"{path}: {type(obj).__name__} is not a syncml_codec model object"
    for group in cs.fields:
        head = group[0]
        value: Any = getattr(obj, head.field, None)
        if head.repeated and not isinstance(value, (tuple, list)):
            return f"{path}/{head.field}: expected a tuple, got {type(value).__name__}"
        values: tuple[Any, ...] | list[Any] = value if head.repeated else (value,)
        for i, v in enumerate(values):
            here = f"{path}/{head.name}" + (f"[{i + 1}]" if head.repeated else "")
            if v is None:
                if head.required and not head.repeated:
                    return f"{here}: {head.field} is required"
                continue
            if head.kind == NODE or len(group) > 1:
                found = find_bad(v, here)
                if found:
                    return found
            elif head.kind in (TEXT, DATA) and not isinstance(v, str):
                return f"{here}: {head.field} must be a str, got {type(v).__name__} {v!r}"
            elif head.kind == CODE and not isinstance(v, int):
                return f"{here}: {head.field} must be an int code, got {type(v).__name__} {v!r}"
    return None


def _find_text(obj: object, char: str, path: str = "") -> str:
    cs = CLASS_SPECS.get(type(obj))
    path = path or "/" + (cs.name if cs else "?")
    if cs is None:
        return path
    for group in cs.fields:
        head = group[0]
        value: Any = getattr(obj, head.field, None)
        values: tuple[Any, ...] = tuple(value or ()) if head.repeated else (value,)
        for i, v in enumerate(values):
            here = f"{path}/{head.name}" + (f"[{i + 1}]" if head.repeated else "")
            if isinstance(v, str) and char in v:
                return here
            if v is not None and type(v) in CLASS_SPECS:
                found = _find_text(v, char, here)
                if found != here:
                    return found
    return path
