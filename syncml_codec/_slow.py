"""The builder's slow modes as small node objects beside its hot core (xsdata's SkipNode,
WildcardNode and WrapperNode idea): what happens where the table does not map one to one.

* ``BeforeRoot`` / ``AfterRoot``: no element is open yet (the first start tag is the root), or
  the root element has ended (another start tag is an error).
* ``SkipNode``: inside an element that is being skipped (unknown, a repeated singleton, markup
  inside a text-only leaf): its whole subtree is passed over; only depth is counted.
* ``RawDataNode``: inside ``<Data>`` that holds markup or CDATA: the content is re-serialized
  with its own prefixes and attribute order, and becomes the Data value when the Data ends.

* ``wrapper_node``: a ``<MetInf>`` wrapper inside ``<Meta>`` is a transparent frame on the
  builder's stack (kind ``TRANSPARENT``): its children belong to the enclosing Meta.

The builder hands each start/end/CDATA event to the current slow node, which says when it is
done; the node never touches the builder's hot state, only the shared ``texts`` list and the
callables the builder gives it (a depth check, the root's entry, a positioned error).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Final

from . import model
from ._table import ChildSpec
from .errors import DecodeError

__all__ = [
    "TRANSPARENT",
    "AfterRoot",
    "BeforeRoot",
    "RawDataNode",
    "SkipNode",
    "escape_text",
    "wrapper_node",
]

TRANSPARENT: Final = 5  #: a <MetInf> wrapper inside Meta: its children belong to the Meta

_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ESC_ATTR = str.maketrans(
    {"&": "&amp;", "<": "&lt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
)


def escape_text(text: str) -> str:
    """Text as element content in XML (``&``, ``<``, ``>`` and CR escaped)."""
    return text.translate(_ESC)


def wrapper_node(ns: str) -> ChildSpec:
    """The frame of a ``<MetInf>`` wrapper inside ``<Meta>`` (spec 1.4 puts the MetInf
    elements directly in Meta): entering it keeps the Meta's children and fields, leaving it
    builds nothing."""
    return ChildSpec("MetInf", "", TRANSPARENT, False, ns, -1, False)


class _Outside:
    """Shared by the two modes outside the root element: no text is held, CDATA cannot occur
    (expat reports it only inside an element), an end tag cannot either."""

    __slots__ = ("_error",)

    def __init__(self, error: Callable[[str], DecodeError]) -> None:
        self._error = error

    def end(self, name: str) -> bool:
        """An end tag outside the root element (only a broken driver sends one)."""
        raise self._error(f"end tag </{name}> outside the root element")

    def cdata_start(self) -> None:
        """Nothing to do."""

    def cdata_end(self) -> None:
        """Nothing to do."""

    def pending(self) -> int:
        """Characters held (none)."""
        return 0


class BeforeRoot(_Outside):
    """Before the root element: the first start tag enters the root (``enter``, which also
    leaves this mode)."""

    __slots__ = ("_enter",)

    def __init__(
        self, enter: Callable[[str, list[str]], None], error: Callable[[str], DecodeError]
    ) -> None:
        super().__init__(error)
        self._enter = enter

    def start(self, name: str, attrs: list[str]) -> None:
        """The root element's start tag."""
        self._enter(name, attrs)


class AfterRoot(_Outside):
    """After the root element: another start tag is a second root, an error."""

    __slots__ = ()

    def start(self, name: str, attrs: list[str]) -> None:
        """A second root element."""
        raise self._error(
            f"a second root element <{name}>; expected nothing after the root element"
        )


class SkipNode:
    """Passes over the subtree of one element; ``end`` is False when that element ends."""

    __slots__ = ("_check_depth", "_texts", "depth")

    def __init__(self, texts: list[str], check_depth: Callable[[int], None]) -> None:
        self._texts = texts
        self._check_depth = check_depth
        self.depth = 0

    def start(self, name: str, attrs: list[str]) -> None:
        """A start tag inside the skipped element."""
        self.depth += 1
        self._check_depth(self.depth)
        self._texts.clear()

    def end(self, name: str) -> bool:
        """An end tag: True while still inside, False for the skipped element's own end."""
        self._texts.clear()
        if self.depth:
            self.depth -= 1
            return True
        return False

    def cdata_start(self) -> None:
        """CDATA inside a skipped element: nothing to do."""

    def cdata_end(self) -> None:
        """CDATA inside a skipped element: nothing to do."""

    def pending(self) -> int:
        """Characters held (none: skipped text is dropped)."""
        return 0


class RawDataNode:
    """Re-serializes the content of one ``<Data>`` that holds markup or CDATA.

    ``end`` is False when the Data itself ends; the Data's value is then the only entry of the
    shared ``texts`` list. The value: text and CDATA sections only, the text as any XML parser
    reports it (``<Data>\\n  <![CDATA[<enabled/>]]>\\n</Data>`` holds ``"\\n  <enabled/>\\n"``),
    as ``CData`` so it is written back as CDATA; with element markup, the inner XML verbatim
    (``XmlData``), its CDATA sections as written, so that re-parsing it gives the same
    elements, texts and tails.
    """

    __slots__ = (
        "_check_attrs",
        "_check_depth",
        "_in_cdata",
        "_markup",
        "_names",
        "_open_tag",
        "_pieces",
        "_texts",
        "depth",
    )

    def __init__(
        self,
        texts: list[str],
        check_depth: Callable[[int], None],
        check_attrs: Callable[[list[str]], None],
    ) -> None:
        self._texts = texts
        self._check_depth = check_depth
        self._check_attrs = check_attrs
        self._markup: list[str] = []  # the re-serialized content
        self._names: list[str] = []  # the open elements inside the Data
        self._pieces: list[str | None] = []  # the text pieces; None for element markup
        self._open_tag = False  # the last start tag still lacks its closing ">"
        self._in_cdata = False
        self.depth = 0

    def _flush(self) -> None:
        markup = self._markup
        if self._open_tag:
            markup.append(">")
            self._open_tag = False
        texts = self._texts
        if texts:
            text = "".join(texts)
            texts.clear()
            markup.append(text if self._in_cdata else text.translate(_ESC))
            self._pieces.append(text)

    def start(self, name: str, attrs: list[str]) -> None:
        """A start tag inside the Data."""
        self._names.append(name)
        self._pieces.append(None)
        self._flush()
        self.depth += 1
        self._check_depth(self.depth)
        if attrs:
            self._check_attrs(attrs)
            pairs = [
                f' {attrs[i]}="{attrs[i + 1].translate(_ESC_ATTR)}"'
                for i in range(0, len(attrs), 2)
            ]
            self._markup.append("<" + name + "".join(pairs))
        else:
            self._markup.append("<" + name)
        self._open_tag = True

    def end(self, name: str) -> bool:
        """An end tag: True inside the Data; False when the Data ends (its value is set)."""
        if not self.depth:
            self._finish()
            return False
        self.depth -= 1
        inner = self._names.pop()
        if self._open_tag and not self._texts:
            self._markup.append("/>")
            self._open_tag = False
        else:
            self._flush()
            self._markup.append(f"</{inner}>")
        return True

    def _finish(self) -> None:
        self._flush()
        if None in self._pieces:
            value: str = model.XmlData("".join(self._markup))
        else:
            value = model.CData("".join(self._pieces))  # type: ignore[arg-type]
        self._texts.append(value)

    def cdata_start(self) -> None:
        """A CDATA section opens."""
        self._flush()
        self._markup.append("<![CDATA[")
        self._in_cdata = True

    def cdata_end(self) -> None:
        """A CDATA section closes."""
        self._flush()
        self._markup.append("]]>")
        self._in_cdata = False

    def pending(self) -> int:
        """Characters held so far (for the ``max_text`` check on chunked input)."""
        return sum(map(len, self._markup))


#: Per thread: ``flag`` is set when ``TreeMarkup`` met a name outside ``_MARKUP_NAMES`` once
#: that set is full. ``_fast`` then drops the parser that read it: the names inside a Data are
#: any names, and a reused parser's name cache must hold a bounded set of them.
NEW_NAMES: Final = threading.local()
_MARKUP_NAMES: set[str] = set()  # the element and attribute names of markup read so far
_MAX_MARKUP_NAMES: Final = 512


class TreeMarkup:
    """The value of a ``<Data>`` that holds elements, written from an ``xml.etree`` subtree
    exactly as ``RawDataNode`` writes it from parser events (the fast path's walkers call it).

    Exact only for what the tree shows as the events do: elements in the document's default
    namespace, declared nowhere inside (the caller checks that the document declares it once),
    attributes with no prefix. Anything else, and every limit ``RawDataNode`` checks
    (``max_depth``, ``max_attributes``, ``max_attribute_length``, ``max_text``), returns None:
    the exact path reads it.
    """

    __slots__ = ("_max_attr_len", "_max_attrs", "_max_text", "_prefix")

    def __init__(self, doc_ns: str, limits: Any) -> None:
        self._prefix = f"{{{doc_ns}}}"
        self._max_attrs = limits.max_attributes
        self._max_attr_len = limits.max_attribute_length
        self._max_text = limits.max_text

    def __call__(self, data: Any, room: int) -> str | None:
        """The ``XmlData`` of element ``data``; ``room``: how deep the elements inside may
        nest before the builder's ``max_depth``. Sets ``NEW_NAMES.flag`` for this thread (see
        there)."""
        out: list[str] = []
        text = data.text
        if text:
            out.append(text.translate(_ESC))
        try:
            for child in data:
                self._write(child, out, room - 1)
        except _Inexact:
            return None
        value = "".join(out)
        return None if len(value) > self._max_text else model.XmlData(value)

    def _write(self, el: Any, out: list[str], room: int) -> None:
        tag: str = el.tag
        if room < 0 or not tag.startswith(self._prefix):
            raise _Inexact
        name = tag[len(self._prefix) :]
        if name not in _MARKUP_NAMES:
            _learn(name)
        attrs = el.items()
        head = "<" + name
        if attrs:
            if len(attrs) > self._max_attrs:
                raise _Inexact
            for key, value in attrs:
                if key[0] == "{" or len(value) > self._max_attr_len:
                    raise _Inexact
                if key not in _MARKUP_NAMES:
                    _learn(key)
                head += f' {key}="{value.translate(_ESC_ATTR)}"'
        text = el.text
        if text or len(el):
            out.append(head + ">")
            if text:
                out.append(text.translate(_ESC))
            for child in el:
                self._write(child, out, room - 1)
            out.append(f"</{name}>")
        else:
            out.append(head + "/>")
        tail = el.tail
        if tail:
            out.append(tail.translate(_ESC))


def _learn(name: str) -> None:
    """A name of markup not seen before: kept while the set has room (names of at most 64
    characters: the set holds 32 KiB at most), else flagged."""
    if len(_MARKUP_NAMES) < _MAX_MARKUP_NAMES and len(name) <= 64:
        _MARKUP_NAMES.add(name)
    else:
        NEW_NAMES.flag = True


class _Inexact(Exception):
    """The subtree holds what ``TreeMarkup`` cannot write as ``RawDataNode`` would."""
