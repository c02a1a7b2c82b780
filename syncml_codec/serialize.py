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
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeAlias

from . import model
from ._modelcheck import ITEM_NONEMPTY, deepest, find_bad, find_text, outline_bad
from ._table import CLASS_SPECS, CODE, DATA, FLAG, NODE, TEXT, ClassSpec
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

_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_DECL: Final = '<?xml version="1.0" encoding="UTF-8"?>\n'


class IllegalCharacter(ValueError):
    """A text holds a character XML 1.0 cannot carry (raised inside writers, then located)."""

    def __init__(self, char: str) -> None:
        super().__init__(char)
        self.char = char


def check_chars(s: str) -> None:
    """Raise IllegalCharacter for C0 controls (but tab, LF, CR), surrogates, U+FFFE/U+FFFF.

    ``str.isprintable()`` is one C pass and true for nearly every value; the regex (slow: a
    charset test per character) runs only for the rest (multi-line text, non-ASCII spaces).
    """
    if not s.isprintable():
        bad = _ILLEGAL.search(s)
        if bad is not None:
            raise IllegalCharacter(bad.group())


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


@dataclass(frozen=True, slots=True)
class Dialect:
    """The constants one output format uses; ``_generate`` writes the same walk for each.

    The tag functions get the element name, its namespace (None: the document's SyncML
    namespace) and whether that differs from the parent's (XML then declares it, WBXML switches
    code page).
    """

    open: Callable[[str, str | None, bool], str]
    close: Callable[[str, str | None, bool], str]
    empty: Callable[[str, str | None, bool], str]
    #: TEXT/DATA/CODE -> a template of the expression that writes a value: ``{first}`` where
    #: the value is evaluated first, ``{v}`` elsewhere, ``{obj}`` for the parent object; names
    #: from ``helpers``; no backslashes (it goes inside an f-string)
    conv: dict[int, str]
    helpers: dict[str, Any]
    pretty: bool = False
    #: constants around a TEXT or CODE value (WBXML: STR_I ... NUL), merged into the tags
    text_open: str = ""
    text_close: str = ""


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


class _Emitter:
    """Collects generated source. Appends of text with no statement between them are merged
    into one f-string (one ``out.append`` and one allocation instead of several)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.pending: list[tuple[bool, str]] = []  # (is an expression, text)
        self.level = 1

    def stmt(self, line: str, level: int) -> None:
        self.flush()
        self.lines.append("    " * level + line)

    def text(self, value: str, level: int) -> None:
        """Append a constant."""
        self._join(level)
        self.pending.append((False, value))

    def expr(self, src: str, level: int) -> None:
        """Append the value of a Python expression (no backslashes: f-string rules)."""
        self._join(level)
        self.pending.append((True, src))

    def _join(self, level: int) -> None:
        if self.pending and level != self.level:
            self.flush()
        self.level = level

    def flush(self) -> None:
        if not self.pending:
            return
        body = []
        for is_expr, text in self.pending:
            if is_expr:
                body.append("{" + text + "}")
            else:  # any character, control bytes of WBXML tokens included, as an escape
                escaped = text.encode("unicode_escape").decode("ascii").replace("'", "\\'")
                body.append(escaped.replace("{", "{{").replace("}", "}}"))
        self.lines.append("    " * self.level + f"a(f'{''.join(body)}')")
        self.pending = []


def _generate(cs: ClassSpec, d: Dialect) -> str:
    """Python source of the writer for one class in one dialect.

    Nested classes (Item's Source and Meta, Meta's Anchor...) are written inline, so one
    Item costs one function call; only the command choice dispatches through ``W``.
    """
    head = f"def w_{cs.name}(o, out, ind):" if d.pretty else f"def w_{cs.name}(o, out):"
    lines = [head, "    a = out.append"]
    em = _Emitter(lines)
    _body(cs, d, "o", 0, 1, em)
    em.flush()
    return "\n".join(lines)


def _body(cs: ClassSpec, d: Dialect, obj: str, depth: int, level: int, em: _Emitter) -> None:
    """Emit the statements that write object ``obj`` of class ``cs``.

    ``depth`` is the element depth below the function's root (for pretty indentation),
    ``level`` the Python block level of the emitted code.
    """

    def line(k: int, pieces: list[tuple[bool, str]], at: int) -> None:
        """One output line at element depth k: indentation, the pieces, a newline."""
        if d.pretty:
            em.expr("ind", at)
            if k:
                em.text("  " * k, at)
        for is_expr, piece in pieces:
            if is_expr:
                em.expr(piece, at)
            else:
                em.text(piece, at)
        if d.pretty:
            em.text("\n", at)

    line(depth, [(False, d.open(cs.name, cs.ns, cs.ns is not None))], level)
    for group in cs.fields:
        first = group[0]
        attr = first.field
        var = f"v{depth + 1}"
        if len(group) > 1:  # the command choice: one writer per command class
            em.stmt(f"for {var} in {obj}.{attr}:", level)
            child_ind = f", ind + {'  ' * (depth + 1)!r}" if d.pretty else ""
            em.stmt(f"W[{var}.__class__]({var}, out{child_ind})", level + 1)
            continue
        declare = first.ns != cs.ns  # MetInf children of Anchor/Mem inherit the namespace
        if first.kind == NODE:
            assert first.spec is not None
            if first.repeated:
                em.stmt(f"for {var} in {obj}.{attr}:", level)
                _body(first.spec, d, var, depth + 1, level + 1, em)
            elif first.required:
                em.stmt(f"{var} = {obj}.{attr}", level)
                _body(first.spec, d, var, depth + 1, level, em)
            else:
                em.stmt(f"{var} = {obj}.{attr}", level)
                em.stmt(f"if {var} is not None:", level)
                _body(first.spec, d, var, depth + 1, level + 1, em)
            continue
        if first.kind == FLAG:
            em.stmt(f"if {obj}.{attr}:", level)
            line(depth + 1, [(False, d.empty(first.name, first.ns, declare))], level + 1)
            continue
        template = d.conv[first.kind].replace("{obj}", obj)
        conv = template.replace("{first}", "t").replace("{v}", "t")
        around = first.kind in (TEXT, CODE)
        pieces: list[tuple[bool, str]] = [
            (False, d.open(first.name, first.ns, declare) + (d.text_open if around else "")),
            (True, conv),
            (False, (d.text_close if around else "") + d.close(first.name, first.ns, declare)),
        ]
        if first.repeated:
            em.stmt(f"for t in {obj}.{attr}:", level)
            line(depth + 1, pieces, level + 1)
        elif first.required:  # no statement: bind t where it is first evaluated, so appends merge
            bound = template.replace("{first}", f"(t := {obj}.{attr})").replace("{v}", "t")
            line(depth + 1, [pieces[0], (True, bound), pieces[2]], level)
        else:
            em.stmt(f"t = {obj}.{attr}", level)
            em.stmt("if t is not None:", level)
            line(depth + 1, pieces, level + 1)
    line(depth, [(False, d.close(cs.name, cs.ns, cs.ns is not None))], level)


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
    from ._wbxml_model import encode

    if type(obj) in CLASS_SPECS:
        _check_outline(obj)
    try:
        encoded: bytes = encode(obj)
    except RecursionError:
        raise EncodeError(_too_deep(obj)) from None
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
