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

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from . import model
from ._table import CLASS_SPECS, CODE, DATA, FLAG, NODE, TEXT, ClassSpec
from .codes import NS_SYNCML11, NS_SYNCML12
from .errors import EncodeError

__all__ = ["Dialect", "compile_writers", "find_bad", "serialize", "to_string"]

_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_DECL: Final = '<?xml version="1.0" encoding="UTF-8"?>\n'
_INDENT: Final = "  "


def _esc(s: str) -> str:
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
        return v
    if cls is model.CData:
        return "<![CDATA[" + v.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    if isinstance(v, str):
        return _esc(v)
    raise TypeError(f"Data must be str, CData or XmlData, not {cls.__name__}")


def _open(name: str, ns: str | None) -> str:
    return f'<{name} xmlns="{ns}">' if ns else f"<{name}>"


@dataclass(frozen=True, slots=True)
class Dialect:
    """The constants one output format uses; ``_generate`` writes the same walk for each.

    The tag functions get the element name, its namespace (None: the document's SyncML
    namespace) and whether that differs from the parent's (XML then declares it, WBXML switches
    code page).
    """

    open: Callable[[str, str | None, bool], bytes | str]
    close: Callable[[str, str | None, bool], bytes | str]
    empty: Callable[[str, str | None, bool], bytes | str]
    conv: dict[int, str]  #: TEXT/DATA/CODE -> expression of ``v`` (names from ``helpers``)
    helpers: dict[str, Any]
    pretty: bool = False


def _xml_dialect(pretty: bool) -> Dialect:
    return Dialect(
        open=lambda name, ns, declare: _open(name, ns if declare else None),
        close=lambda name, ns, declare: f"</{name}>",
        empty=lambda name, ns, declare: _open(name, ns if declare else None)[:-1] + "/>",
        conv={TEXT: "esc(v)", DATA: "data(v)", CODE: "str(int(v))"},
        helpers={"esc": _esc, "data": _data},
        pretty=pretty,
    )


def _generate(cs: ClassSpec, d: Dialect) -> str:
    """Python source of the writer for one class in one dialect."""
    pretty = d.pretty
    lines = [f"def w_{cs.name}(o, out, ind):" if pretty else f"def w_{cs.name}(o, out):"]
    emit = lines.append
    pre = "ind + " if pretty else ""
    sub = "ind + '  ' + " if pretty else ""
    nl = r" + '\n'" if pretty else ""
    child_ind = ", ind + '  '" if pretty else ""
    emit(f"    out.append({pre}{d.open(cs.name, cs.ns, cs.ns is not None)!r}{nl})")
    for group in cs.fields:
        head = group[0]
        attr = head.field
        if len(group) > 1 or head.name.startswith("*"):  # the command choice
            emit(f"    for v in o.{attr}:")
            emit(f"        W[v.__class__](v, out{child_ind})")
            continue
        declare = head.ns != cs.ns  # MetInf children of Anchor/Mem inherit the namespace
        if head.kind == NODE:
            call = f"W[{head.cls.__name__}](v, out{child_ind})"  # type: ignore[union-attr]
            if head.repeated:
                emit(f"    for v in o.{attr}:")
                emit(f"        {call}")
            elif head.required:
                emit(f"    v = o.{attr}")
                emit(f"    {call}")
            else:
                emit(f"    v = o.{attr}")
                emit("    if v is not None:")
                emit(f"        {call}")
            continue
        if head.kind == FLAG:
            emit(f"    if o.{attr}:")
            emit(f"        out.append({sub}{d.empty(head.name, head.ns, declare)!r}{nl})")
            continue
        piece = (
            f"{sub}{d.open(head.name, head.ns, declare)!r} + {d.conv[head.kind]}"
            f" + {d.close(head.name, head.ns, declare)!r}{nl}"
        )
        if head.repeated:
            emit(f"    for v in o.{attr}:")
            emit(f"        out.append({piece})")
        elif head.required:
            emit(f"    v = o.{attr}")
            emit(f"    out.append({piece})")
        else:
            emit(f"    v = o.{attr}")
            emit("    if v is not None:")
            emit(f"        out.append({piece})")
    emit(f"    out.append({pre}{d.close(cs.name, cs.ns, cs.ns is not None)!r}{nl})")
    return "\n".join(lines)


def compile_writers(d: Dialect) -> dict[type, Callable[..., None]]:
    """One generated writer function per model class, for one dialect."""
    writers: dict[type, Callable[..., None]] = {}
    namespace: dict[str, Any] = {"W": writers, **d.helpers}
    namespace.update({cls.__name__: cls for cls in CLASS_SPECS})
    for cls, cs in CLASS_SPECS.items():
        exec(_generate(cs, d), namespace)  # noqa: S102 - source generated from our own table
        writers[cls] = namespace[f"w_{cs.name}"]
    return writers


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
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        raise EncodeError(_explain(obj, exc)) from None
    name = CLASS_SPECS[type(obj)].name
    out[0] = (
        out[0].replace(f"<{name}", f'<{name} xmlns="{_root_ns(obj)}"', 1)
        if f"<{name} xmlns=" not in out[0]
        else out[0]
    )
    text = "".join(out)
    bad = _ILLEGAL.search(text)
    if bad is not None:
        raise EncodeError(
            f"character {bad.group()!r} (U+{ord(bad.group()):04X}) cannot be"
            f" written in XML 1.0; found in {_find_text(obj, bad.group())}"
        )
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
        from ._wbxml_model import encode

        encoded: bytes = encode(obj)
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
