"""The writer generator: one Python function per model class, generated from the element table.

Shared by the XML writers (``serialize``) and the WBXML writer (``_wbxml.encode``); each gives a
``Dialect`` (its tag strings and value conversions) and gets one writer per model class.

Strategy: at first use, one writer function per model class is *generated from the table*
(``_table.CLASS_SPECS``): each field becomes a constant open/close tag string and one append, so
the per-object cost is a few attribute loads and list appends, with no per-field dispatch or
name lookups at run time (msgspec/xsdata-style specialisation; no element is named here).
Appends with no statement between them are merged into one f-string.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from ._table import CLASS_SPECS, CODE, FLAG, NODE, TEXT, ChildSpec, ClassSpec

__all__ = ["Dialect", "IllegalCharacter", "check_chars", "compile_writers"]

_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


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
    #: WBXML code pages: the writers keep the pending SWITCH_PAGE in ``sw`` (a parameter and
    #: the return value of each writer): set to ``S1`` (a helper) when an element with
    #: children in another namespace (Meta) opens, spent by the next tag, and after that
    #: element closes ``S0`` when a child switched (else nothing); a tag that may follow such
    #: an element spends it. So a switch comes only right before a tag of the other page.
    paged: bool = False


# Generated code for ``Dialect.paged``: the pending switch goes out before a tag (``_SPEND``,
# an f-string field; the append is followed by ``_SPENT``), is set when an element with children
# on the other page opens (``_ENTER``) and after it closes (``_LEAVE``).
_SPEND: Final = "sw"
_SPENT: Final = 'sw = ""'
_ENTER: Final = "sw = S1"
_LEAVE: Final = 'sw = "" if sw else S0'


class _Emitter:
    """Collects generated source. Appends of text with no statement between them are merged
    into one f-string (one ``out.append`` and one allocation instead of several)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.pending: list[tuple[bool, str]] = []  # (is an expression, text)
        self.after: list[str] = []  # statements that follow the pending append
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

    def after_append(self, line: str) -> None:
        """A statement to run right after the append that is being merged."""
        self.after.append(line)

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
        self.lines.extend("    " * self.level + line for line in self.after)
        self.pending = []
        self.after = []


def _generate(cs: ClassSpec, d: Dialect) -> str:
    """Python source of the writer for one class in one dialect.

    Nested classes (Item's Source and Meta, Meta's Anchor...) are written inline, so one
    Item costs one function call; only the command choice dispatches through ``W``.
    """
    extra = ", ind" if d.pretty else ', sw=""' if d.paged else ""
    lines = [f"def w_{cs.name}(o, out{extra}):", "    a = out.append"]
    em = _Emitter(lines)
    _body(cs, d, "o", 0, 1, em, may=True)
    if d.paged:
        em.stmt("return sw", 1)
    em.flush()
    return "\n".join(lines)


def _line(d: Dialect, em: _Emitter, k: int, pieces: list[tuple[bool, str]], at: int) -> None:
    """One output line at element depth k: indentation, the pieces, a newline."""
    if d.pretty:
        em.expr("ind", at)
        if k:
            em.text("  " * k, at)
    for is_expr, piece in pieces:
        if is_expr:
            em.expr(piece, at)
            if piece is _SPEND:
                em.after_append(_SPENT)
        else:
            em.text(piece, at)
    if d.pretty:
        em.text("\n", at)


def _tag(d: Dialect, tag: str, spend: bool) -> list[tuple[bool, str]]:
    """The pieces of a start (or empty) tag: in a paged dialect, the pending switch first
    when one may be pending (``spend``)."""
    return [(True, _SPEND), (False, tag)] if d.paged and spend else [(False, tag)]


def _body(
    cs: ClassSpec, d: Dialect, obj: str, depth: int, level: int, em: _Emitter, may: bool
) -> bool:
    """Emit the statements that write object ``obj`` of class ``cs``; return whether a page
    switch may be pending after it (``may``: before it; see ``Dialect.paged``).

    ``depth`` is the element depth below the function's root (for pretty indentation),
    ``level`` the Python block level of the emitted code.
    """
    declare = cs.ns is not None  # XML declares the namespace; WBXML is on another page
    opening = _tag(d, d.open(cs.name, cs.ns, declare), may or declare)
    other_page = d.paged and any(g[0].ns != cs.ns for g in cs.fields if g[0].ns is not None)
    _line(d, em, depth, opening, level)
    if other_page:
        em.stmt(_ENTER, level)
    may = other_page
    for group in cs.fields:
        first = group[0]
        var = f"v{depth + 1}"
        if len(group) > 1:  # the command choice: one writer per command class
            em.stmt(f"for {var} in {obj}.{first.field}:", level)
            child_ind = f", ind + {'  ' * (depth + 1)!r}" if d.pretty else ""
            call = f"W[{var}.__class__]({var}, out{child_ind}"
            em.stmt(f"sw = {call}, sw)" if d.paged else f"{call})", level + 1)
            may = True
        elif first.kind == NODE:
            may = _node(first, d, obj, depth, level, em, may)
        else:
            may = _leaf(first, cs, d, obj, depth, level, em, may)
    _line(d, em, depth, [(False, d.close(cs.name, cs.ns, declare))], level)
    if other_page:
        em.stmt(_LEAVE, level)
    return may or other_page


def _node(
    first: ChildSpec, d: Dialect, obj: str, depth: int, level: int, em: _Emitter, may: bool
) -> bool:
    """A nested model object, written inline (repeated, required or optional)."""
    assert first.spec is not None
    var = f"v{depth + 1}"
    if first.repeated:
        em.stmt(f"for {var} in {obj}.{first.field}:", level)
        # a later round may start where an earlier one left a switch pending
        after = _body(first.spec, d, var, depth + 1, level + 1, em, may or _pends(first.spec))
        return may or after
    em.stmt(f"{var} = {obj}.{first.field}", level)
    if first.required:
        return _body(first.spec, d, var, depth + 1, level, em, may)
    em.stmt(f"if {var} is not None:", level)
    return _body(first.spec, d, var, depth + 1, level + 1, em, may) or may


def _pends(cs: ClassSpec) -> bool:
    """Whether writing a ``cs`` may leave a page switch pending (it holds a Meta, a command)."""
    for group in cs.fields:
        first = group[0]
        if len(group) > 1 or (first.ns is not None and first.ns != cs.ns):
            return True
        if first.kind == NODE and first.spec is not None and _pends(first.spec):
            return True
    return False


def _leaf(
    first: ChildSpec,
    cs: ClassSpec,
    d: Dialect,
    obj: str,
    depth: int,
    level: int,
    em: _Emitter,
    may: bool,
) -> bool:
    """A text, data, code or flag child: one line, maybe in a loop or behind a test."""
    attr = first.field
    declare = first.ns != cs.ns  # MetInf children of Anchor/Mem inherit the namespace
    spend = may or declare
    if first.kind == FLAG:
        em.stmt(f"if {obj}.{attr}:", level)
        _line(d, em, depth + 1, _tag(d, d.empty(first.name, first.ns, declare), spend), level + 1)
        return may
    template = d.conv[first.kind].replace("{obj}", obj)
    conv = template.replace("{first}", "t").replace("{v}", "t")
    around = first.kind in (TEXT, CODE)
    opening = d.open(first.name, first.ns, declare) + (d.text_open if around else "")
    closing = (d.text_close if around else "") + d.close(first.name, first.ns, declare)
    if first.repeated:
        em.stmt(f"for t in {obj}.{attr}:", level)
        _line(
            d, em, depth + 1, [*_tag(d, opening, spend), (True, conv), (False, closing)], level + 1
        )
        return may
    if first.required:  # no statement: bind t where it is first evaluated, so appends merge
        bound = template.replace("{first}", f"(t := {obj}.{attr})").replace("{v}", "t")
        _line(d, em, depth + 1, [*_tag(d, opening, spend), (True, bound), (False, closing)], level)
        return False
    em.stmt(f"t = {obj}.{attr}", level)
    em.stmt("if t is not None:", level)
    _line(d, em, depth + 1, [*_tag(d, opening, spend), (True, conv), (False, closing)], level + 1)
    return may


def compile_writers(d: Dialect) -> dict[type, Callable[..., None]]:
    """One generated writer function per model class, for one dialect."""
    writers: dict[type, Callable[..., None]] = {}
    namespace: dict[str, Any] = {"W": writers, **d.helpers}
    namespace.update({cls.__name__: cls for cls in CLASS_SPECS})
    for cls, cs in CLASS_SPECS.items():
        exec(_generate(cs, d), namespace)  # noqa: S102 - source generated from our own table
        writers[cls] = namespace[f"w_{cs.name}"]
    return writers
