"""C304: is a value one the node allows? (DFFormat syntax and ``MSFT:AllowedValues``.)

Sources: OMA-TS-DM_TND "DFFormat" (``int`` is a signed 32-bit decimal, ``bool`` is ``true`` or
``false``); Microsoft Learn "Configuration service provider DDF files" (``MSFT:AllowedValues``
``ValueType``: ENUM, Range ``[min-max]`` with ``(-1)`` for negatives, RegEx, Flag, ADMX) and
"Understanding ADMX-backed policies" (the value of an ADMX-backed policy is ``<enabled/>`` or
``<disabled/>``, then ``<data id="..." value="..."/>`` elements).
"""

from __future__ import annotations

import functools
import re
from xml.parsers import expat

from .node import AllowedValues

__all__ = ["value_problem"]

_INT = re.compile(r"[+-]?[0-9]+\Z")
_RANGE = re.compile(r"\[\s*\(?(-?[0-9]+)\)?\s*-\s*\(?(-?[0-9]+)\)?\s*\]\Z")


def _int(text: str) -> int | None:
    t = text.strip()
    if _INT.match(t):
        return int(t)
    if t[:2].lower() == "0x":
        try:
            return int(t, 16)
        except ValueError:
            return None
    return None


@functools.lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _admx_problem(text: str) -> str | None:
    """What is wrong with ADMX-backed policy markup, or None."""
    seen: list[tuple[str, dict[str, str]]] = []
    depth = [0]

    def start(name: str, attrs: dict[str, str]) -> None:
        depth[0] += 1
        if depth[0] == 2:
            seen.append((name, attrs))

    def end(name: str) -> None:
        depth[0] -= 1

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end

    def refuse(*_: object) -> None:
        raise ValueError("a DTD or entity")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(f"<v>{text}</v>", True)
    except (expat.ExpatError, ValueError) as exc:
        return f"is not well-formed ADMX policy markup ({exc})"
    names = [n for n, _ in seen]
    if not names or names[0] not in ("enabled", "disabled"):
        return "must start with <enabled/> or <disabled/> (an ADMX-backed policy)"
    if names.count("enabled") + names.count("disabled") != 1:
        return "must have exactly one <enabled/> or <disabled/>"
    for name, attrs in seen[1:]:
        if name != "data":
            return f"has <{name}>; expected only <data id=... value=.../> after <{names[0]}/>"
        if "id" not in attrs:
            return "has a <data> element without an id attribute"
    return None


def _allowed_problem(allowed: AllowedValues, value: str) -> str | None:
    kind = allowed.kind.casefold()
    if kind == "enum" and allowed.values:
        if value in allowed.values:
            return None
        n = _int(value)
        if n is not None and any(_int(v) == n for v in allowed.values):
            return None
        shown = ", ".join(allowed.values[:12]) + (" ..." if len(allowed.values) > 12 else "")
        return f"is not one of the allowed values ({shown})"
    if kind == "range" and allowed.values:
        m = _RANGE.match(allowed.values[0].strip())
        if m is None:
            return None
        low, high = int(m.group(1)), int(m.group(2))
        n = _int(value)
        if n is None or not low <= n <= high:
            return f"is outside the allowed range {allowed.values[0].strip()}"
        return None
    if kind == "regex" and allowed.values:
        rx = _regex(allowed.values[0].strip())
        if rx is not None and rx.search(value) is None:
            return f"does not match the allowed pattern {allowed.values[0].strip()}"
        return None
    if kind == "flag" and allowed.values:
        n = _int(value)
        masks = [_int(v) for v in allowed.values]
        mask = 0
        for m2 in masks:
            mask |= m2 or 0
        if n is None or n < 0 or n & ~mask:
            return f"is not a combination of the allowed flags ({', '.join(allowed.values)})"
        return None
    if kind == "admx":
        return None if value in ("<enabled/>", "<disabled/>") else _admx_problem(value)
    return None


def value_problem(fmt: str, allowed: AllowedValues | None, value: str) -> str | None:
    """What is wrong with ``value`` for a node of DFFormat ``fmt``, or None.

    Returns:
        A phrase completing "the value 'x' ...", or None when the value is allowed.
    """
    text = value.strip()
    if allowed is not None and allowed.kind.casefold() == "enum" and text in allowed.values:
        return None  # listed by the DDF itself (some bool nodes list 0 and 1)
    if fmt == "int" and not _INT.match(text):
        return "is not an integer (DFFormat int)"
    if fmt == "bool" and text.casefold() not in ("true", "false"):
        return "is not true or false (DFFormat bool)"
    if allowed is None:
        return None
    return _allowed_problem(allowed, text)
