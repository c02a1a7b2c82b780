"""The builder's slow modes as small node objects beside its hot core (xsdata's SkipNode and
WildcardNode idea): what happens inside an element the table does not map one to one.

* ``SkipNode``: inside an element that is being skipped (unknown, a repeated singleton, markup
  inside a text-only leaf): its whole subtree is passed over; only depth is counted.
* ``RawDataNode``: inside ``<Data>`` that holds markup or CDATA: the content is re-serialized
  with its own prefixes and attribute order, and becomes the Data value when the Data ends.

(The third slow case, a ``<MetInf>`` wrapper inside ``<Meta>``, is a transparent node on the
builder's stack: its children belong to the Meta; see ``_builder.WRAPPER``.)

The builder hands each start/end/CDATA event to the current slow node, which says when it is
done; the node never touches the builder's hot state, only the shared ``texts`` list and a
depth check the builder gives it.
"""

from __future__ import annotations

from collections.abc import Callable

from . import model

__all__ = ["RawDataNode", "SkipNode", "escape_text"]

_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ESC_ATTR = str.maketrans(
    {"&": "&amp;", "<": "&lt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
)


def escape_text(text: str) -> str:
    """Text as element content in XML (``&``, ``<``, ``>`` and CR escaped)."""
    return text.translate(_ESC)


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
