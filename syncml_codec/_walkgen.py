"""Walkers generated from the element table: an ``xml.etree`` subtree in, a model object out.

Strategy: like the serializer's writers, each model class gets one Python function generated
from its ``ClassSpec`` and compiled once per (document namespace, limits): one branch per
field, tag strings as constants, nested classes inlined, objects built with ``object.__new__``
and one slot store per field (calling the class costs 3-4x as much on CPython 3.11, as
``type.__call__`` hands ``__init__`` its keywords as a dict). Two kinds:

* *whole* classes (``SyncHdr``, ``Item``, ``Meta``, ``Source``...): ``w_Item(el)`` builds an
  Item, its Source and Meta inlined, in one call. The tree engine (``_tree``) calls them on the
  finished children of the container level;
* *containers* (``SyncML``, ``SyncBody`` and the commands): ``w_Status(el, depth)`` reads its
  leaves (a Status or Alert code through the table's code cache), inlines its whole children
  and calls the function of each nested container (a choice of commands is one dict probe).
  ``Walkers.document`` reads a whole message this way, with no ``Builder`` call at all: the
  one-shot reading of a small message (``_tree.parse_whole``).

Invariants that keep it exact: a walker never reports a deviation. Whatever the
element-by-element path (``_builder``) would read differently or report raises ``Bail``:
attributes, text where only elements belong, whitespace around a value, markup in a leaf, an
unknown element, a field out of DTD order or repeated, a required field missing, a code that is
not a plain number, a text longer than ``max_text``, and nesting that could pass ``max_depth``
(checked conservatively per container). The differential tests hold every walker to the
builder (``tests/test_tree.py``, ``tests/test_tree_variations.py``, the fuzz oracle).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Final, NamedTuple
from xml.etree.ElementTree import Element

from . import model
from ._slow import TreeMarkup
from ._table import (
    CLASS_SPECS,
    CODE,
    COMMAND_CLASSES,
    DATA,
    FLAG,
    NODE,
    TEXT,
    ChildSpec,
    ClassSpec,
)
from .limits import Limits

__all__ = [
    "CHECKED",
    "CONTAINER",
    "LEAF",
    "LEAN",
    "LEAN_MARKUP",
    "PLAIN",
    "PLAIN_MARKUP",
    "WHOLE",
    "Bail",
    "Checks",
    "Entry",
    "Walkers",
    "walkers",
]


class Bail(Exception):
    """This message needs the element-by-element path (see the module docstring)."""


#: Classes read at container level (the tree engine hands their children to the builder).
_CONTAINERS: Final = frozenset((model.SyncML, model.SyncBody, *COMMAND_CLASSES))
CONTAINER, LEAF, WHOLE = 0, 1, 2

#: Tag -> (local name, kind, whole walker or None): what the tree engine meets at container level.
Entry = tuple[str, int, Callable[[Element], Any] | None]


class Walkers:
    """The walkers of one document namespace and set of limits, each kind compiled when it is
    first asked for (one kind takes about 60 ms to generate and compile)."""

    __slots__ = ("_doc_ns", "_kinds", "_limits", "_table")

    def __init__(self, doc_ns: str, limits: Limits) -> None:
        self._doc_ns, self._limits = doc_ns, limits
        self._kinds: dict[Checks, dict[str, Any]] = {}
        self._table: dict[str, Entry] | None = None

    def _kind(self, checks: Checks) -> dict[str, Any]:
        found = self._kinds.get(checks)
        if found is None:
            found = self._kinds[checks] = _namespace(self._doc_ns, self._limits, checks, False)
        return found

    @property
    def table(self) -> dict[str, Entry]:
        """Tag -> (local name, kind, whole walker): the tree engine's container level."""
        if self._table is None:
            wholes = _namespace(self._doc_ns, self._limits, CHECKED, True)
            self._table = _container_table(self._doc_ns, wholes)
        return self._table

    def document(self, checks: Checks) -> Callable[[Element, int], Any]:
        """The walker of a whole ``<SyncML>`` element (and its depth, 1): its ``SyncML``."""
        walker: Callable[[Element, int], Any] = self._kind(checks)["w_SyncML"]
        return walker


def _tag(ns: str | None, doc_ns: str, name: str) -> str:
    return f"{{{ns or doc_ns}}}{name}"


def _literal(value: Any) -> str | None:
    """The source text of a default that can be a constant in generated code, else None."""
    if value is None or value is True or value is False or value == () or type(value) is str:
        return repr(value)
    return None


class Checks(NamedTuple):
    """The per-element checks of one kind of walker, as source templates ({} is the text)."""

    gap: str  #: the text is not all XML whitespace (text in element-only content)
    text: str  #: a TEXT value has whitespace around it, or is too long
    data: str  #: a DATA value is too long ("" for no check)
    markup: bool = False  #: a Data holding elements is read (``_slow.TreeMarkup``)
    attrs: bool = True  #: look for attributes (False: the message is known to have none)


# Whitespace: the ASCII characters ``isspace`` and ``strip()`` know beside XML whitespace (VT,
# FF, FS-US) are not XML 1.0 characters, so no parser hands them out, not even from a character
# reference; ``isascii`` keeps out the others (NBSP...). A TEXT value ``strip()`` changes has
# XML whitespace around it, or (bailing, so never wrong) a non-ASCII space the builder keeps.
#: Any input: ``max_text`` checked on every text.
CHECKED: Final = Checks(
    "{0} is not None and (len({0}) > MAXT or not ({0}.isspace() and {0}.isascii()))",
    "len({0}) > MAXT or {0}.strip() is not {0}",
    "len({0}) > MAXT",
)
#: An XML message no longer than ``max_text`` bytes: no text in it can be longer.
LEAN: Final = Checks(
    "{0} is not None and not ({0}.isspace() and {0}.isascii())", "{0}.strip() is not {0}", ""
)
#: The same, for a message that declares its namespace once (on the root): then the tree shows
#: the markup inside a Data as the parser's events do (``_slow.TreeMarkup``).
LEAN_MARKUP: Final = LEAN._replace(markup=True)
#: ``LEAN`` for a plain message (``_fast._plain_message``): ASCII bytes with no character
#: reference, so no text holds a non-ASCII space, and no attribute.
PLAIN: Final = LEAN._replace(gap="{0} is not None and not {0}.isspace()", attrs=False)
PLAIN_MARKUP: Final = PLAIN._replace(markup=True)


def _function_source(cs: ClassSpec, doc_ns: str, checks: Checks) -> str:
    """Source of ``w_<Name>(el0)`` (a whole class) or ``w_<Name>(el0, dd)`` (a container at
    element depth ``dd``, the root being 1): the object, or ``raise B``."""
    if cs.cls in _CONTAINERS:
        out = [f"def w_{cs.name}(el0, dd):", "    if dd > MAXD: raise B"]
    else:  # (no depth here: these never read markup, whatever the checks)
        out = [f"def w_{cs.name}(el0):"]
        checks = checks._replace(markup=False)
    _emit(cs, doc_ns, checks, 0, "    ", "r", out)
    out.append("    return r")
    return "\n".join(out) + "\n"


def _emit(
    cs: ClassSpec, doc_ns: str, checks: Checks, d: int, ind: str, result: str, out: list[str]
) -> None:
    """Statements that build ``cs`` from element ``el{d}`` into variable ``result``.

    Order and repeats (the builder's P102/P106): ``o{d}`` holds the DTD rank of the last field
    seen; a field whose rank is below it is out of order. A field that may not repeat is seen
    already when its variable left its initial value (None, or False for a flag); with ranks
    that are all distinct, "rank not above the last" covers both in one comparison. A choice of
    commands (one field, one rank) is the last branch: one probe in ``CMD``.
    """
    el, c = f"el{d}", f"el{d + 1}"
    ranks = [group[0].order for group in cs.fields]
    out += [f"{ind}t = {el}.text", f"{ind}if {checks.gap.format('t')}: raise B"]
    defaults = _defaults(cs)
    for i, group in enumerate(cs.fields):
        if group[0].kind == FLAG:
            assert defaults.get(i) is False, (cs.name, group[0].name)
        out.append(f"{ind}v{d}_{i} = {'False' if group[0].kind == FLAG else 'None'}")
    if len(set(ranks)) > 1:
        out.append(f"{ind}o{d} = -1")
    out.append(f"{ind}for {c} in {el}:")
    if checks.attrs:
        out.append(f"{ind}    if {c}.keys(): raise B")
    out += [
        f"{ind}    t = {c}.tail",
        f"{ind}    if {checks.gap.format('t')}: raise B",
        f"{ind}    k = {c}.tag",
    ]
    sub = ind + "        "
    choice: tuple[int, ChildSpec] | None = None
    branch = "if"
    for i, group in enumerate(cs.fields):
        if len(group) > 1:  # a choice of commands
            assert choice is None, cs.name
            assert d == 0, cs.name
            choice = (i, group[0])
            continue
        f = group[0]
        out.append(f"{ind}    {branch} k == {_tag(f.ns, doc_ns, f.name)!r}:")
        branch = "elif"
        _emit_order(f, f"v{d}_{i}", f"o{d}", ranks, sub, out)
        _emit_field(cs, i, f, doc_ns, checks, d, f"v{d}_{i}", sub, out)
    if choice is None:
        out.append(f"{ind}    else: raise B")
    else:
        i, f = choice
        out += [f"{ind}    else:", f"{sub}w = CMD.get(k)", f"{sub}if w is None: raise B"]
        _emit_order(f, f"v{d}_{i}", f"o{d}", ranks, sub, out)
        out += [
            f"{sub}x = w({c}, dd + 1)",
            f"{sub}if v{d}_{i} is None: v{d}_{i} = [x]",
            f"{sub}else: v{d}_{i}.append(x)",
        ]
    _emit_object(cs, defaults, d, ind, result, out)


def _emit_order(
    f: ChildSpec, var: str, last: str, ranks: list[int], sub: str, out: list[str]
) -> None:
    """The order and repeat check of one field (see ``_emit``)."""
    ordered = len(set(ranks)) > 1
    repeat = [] if f.repeated else [var if f.kind == FLAG else f"{var} is not None"]
    if not ordered:
        checks = repeat
    elif ranks.count(f.order) == 1 and repeat:
        checks = [f"{last} >= {f.order}"]
    else:
        checks = [f"{last} > {f.order}", *repeat]
    if checks:
        out.append(f"{sub}if {' or '.join(checks)}: raise B")
    if ordered:
        out.append(f"{sub}{last} = {f.order}")


def _emit_field(
    cs: ClassSpec,
    i: int,
    f: ChildSpec,
    doc_ns: str,
    checks: Checks,
    d: int,
    var: str,
    sub: str,
    out: list[str],
) -> None:
    """Statements that read child ``el{d + 1}`` into field variable ``var`` (a repeated
    field's value goes through ``x`` onto its list)."""
    c = f"el{d + 1}"
    target = "x" if f.repeated else var
    if f.kind == NODE and f.cls in _CONTAINERS:
        assert d == 0, (cs.name, f.name)  # a container is never inside an inlined class
        out.append(f"{sub}{target} = w_{f.name}({c}, dd + 1)")
    elif f.kind == NODE:
        assert f.spec is not None
        _emit(f.spec, doc_ns, checks, d + 1, sub, target, out)
    elif f.kind == DATA and checks.markup:
        # the builder's stack holds dd + d nodes inside this Data: its elements may nest
        # max_depth - (dd + d) levels deep
        out += [
            f"{sub}if len({c}):",
            f"{sub}    x = markup({c}, MAXDEPTH - dd - {d})",
            f"{sub}    if x is None: raise B",
            f"{sub}else:",
            f"{sub}    x = {c}.text",
            f"{sub}    if x is None: x = ''",
        ]
        if checks.data:
            out.append(f"{sub}    elif {checks.data.format('x')}: raise B")
        if not f.repeated:
            out.append(f"{sub}{var} = x")
    elif f.kind in (TEXT, DATA):
        check = (checks.text if f.kind == TEXT else checks.data).format("x")
        out += [f"{sub}if len({c}): raise B", f"{sub}x = {c}.text", f"{sub}if x is None: x = ''"]
        if check:
            out.append(f"{sub}elif {check}: raise B")
        if not f.repeated:
            out.append(f"{sub}{var} = x")
    elif f.kind == FLAG:
        out += [
            f"{sub}if len({c}): raise B",
            f"{sub}x = {c}.text",
            f"{sub}if {checks.gap.format('x')}: raise B",
            f"{sub}{target} = True",
        ]
    else:  # CODE: the table's cache (text -> member) first, as the builder reads it
        assert f.kind == CODE, (cs.name, f.name)
        assert not f.repeated, (cs.name, f.name)
        out += [
            f"{sub}if len({c}): raise B",
            f"{sub}x = {c}.text",
            f"{sub}{var} = K_{cs.name}_{i}.get(x) if x is not None else None",
            f"{sub}if {var} is None: {var} = code(F_{cs.name}_{i}, x)",
        ]
    if f.repeated:
        out += [f"{sub}if {var} is None: {var} = [x]", f"{sub}else: {var}.append(x)"]


def _emit_object(
    cs: ClassSpec, defaults: dict[int, Any], d: int, ind: str, result: str, out: list[str]
) -> None:
    """The required-field checks, the defaults, and the object built from the variables."""
    fields = [group[0] for group in cs.fields]
    for i, f in enumerate(fields):
        if f.required:
            assert f.kind != FLAG, (cs.name, f.name)
            assert not f.repeated, (cs.name, f.name)
            out.append(f"{ind}if v{d}_{i} is None: raise B")
    args = []
    for i, f in enumerate(fields):
        var = f"v{d}_{i}"
        default = _literal(defaults.get(i)) or f"D_{cs.name}_{i}"
        if f.repeated:
            out.append(f"{ind}{var} = {default} if {var} is None else tuple({var})")
        elif f.kind != FLAG and default != "None":
            out.append(f"{ind}if {var} is None: {var} = {default}")
        args.append(f"{f.field}={var}")
    # _compile checks that __init__ would do nothing more than these stores.
    out.append(f"{ind}{result} = r{d} = N(C_{cs.name})")
    out += [f"{ind}r{d}.{a}" for a in args]


def _defaults(cs: ClassSpec) -> dict[int, Any]:
    """Field position -> its default (fields with no default are absent)."""
    out: dict[int, Any] = {}
    by_name = {f.name: f for f in dataclasses.fields(cs.cls)}
    for i, group in enumerate(cs.fields):
        f = by_name[group[0].field]
        # a factory's value would be shared by every object a walker builds
        assert f.default_factory is dataclasses.MISSING, (cs.name, f.name)
        if f.default is not dataclasses.MISSING:
            out[i] = f.default
    return out


def _code(child: ChildSpec, text: str | None) -> Any:
    """A code the cache does not hold yet: a plain number as the builder reads it, else the
    builder must read it (whitespace, a sign, no digits...)."""
    if text is None or not text.isdigit() or not text.isascii() or len(text) > 9:
        raise Bail(f"the code {text!r}")
    assert child.convert is not None
    value = child.convert(int(text))
    if len(child.cache) < 512:
        child.cache[text] = value
    return value


def _node_depth(cs: ClassSpec) -> int:
    """Levels of nodes a whole class holds, itself included (Item > Meta > Mem: 3)."""
    inner = [_node_depth(g[0].spec) for g in cs.fields if g[0].kind == NODE and g[0].spec]
    return 1 + max(inner, default=0)


def _namespace(doc_ns: str, limits: Limits, checks: Checks, engine: bool) -> dict[str, Any]:
    """The namespace holding one kind of walker (``w_<Name>``): for the tree ``engine``, the
    whole classes'; else the containers' (the whole classes inlined in them), and ``CMD``."""
    max_text, max_depth = limits.max_text, limits.max_depth
    wholes = [cs for cls, cs in CLASS_SPECS.items() if cls not in _CONTAINERS]
    # A container at depth dd may hold whole classes this many levels deep: past max_depth
    # the builder raises, so a walker hands such a message over (conservatively) before.
    deepest = max(_node_depth(cs) for cs in wholes)
    namespace: dict[str, Any] = {
        "N": object.__new__,
        "B": Bail,
        "MAXT": max_text,
        "MAXD": max_depth - deepest,
        "MAXDEPTH": max_depth,
        "code": _code,
        "markup": TreeMarkup(doc_ns, limits),
    }
    for cs in CLASS_SPECS.values():
        fields = dataclasses.fields(cs.cls)
        assert not hasattr(cs.cls, "__post_init__"), cs.name
        assert all(f.init for f in fields), cs.name
        assert len(fields) == len(cs.fields), f"{cs.name}: a field no element sets"
        namespace[f"C_{cs.name}"] = cs.cls
        for i, value in _defaults(cs).items():
            namespace[f"D_{cs.name}_{i}"] = value
        for i, group in enumerate(cs.fields):
            if group[0].kind == CODE:
                namespace[f"K_{cs.name}_{i}"] = group[0].cache
                namespace[f"F_{cs.name}_{i}"] = group[0]
        if (cs.cls in _CONTAINERS) is not engine:
            source = _function_source(cs, doc_ns, checks)
            exec(source, namespace)  # noqa: S102 - generated from our own table
    if not engine:
        namespace["CMD"] = {
            _tag(None, doc_ns, cls.XML_NAME): namespace[f"w_{cls.XML_NAME}"]  # type: ignore[attr-defined]
            for cls in COMMAND_CLASSES
        }
    return namespace


def _container_table(doc_ns: str, namespace: dict[str, Any]) -> dict[str, Entry]:
    """Tag -> (local name, kind, whole walker) for every element met at container level."""
    table: dict[str, Entry] = {}
    seen: dict[str, Entry] = {}
    for cls in _CONTAINERS:
        for child in CLASS_SPECS[cls].children.values():
            if child.leaf:
                entry: Entry = (child.name, LEAF, None)
            elif child.cls in _CONTAINERS:
                entry = (child.name, CONTAINER, None)
            else:
                assert child.spec is not None
                entry = (child.name, WHOLE, namespace[f"w_{child.spec.name}"])
            tag = _tag(child.ns, doc_ns, child.name)
            if seen.setdefault(tag, entry) != entry:  # one name, two meanings: never here
                table.pop(tag, None)
                continue
            table[tag] = entry
    table[_tag(None, doc_ns, "SyncML")] = ("SyncML", CONTAINER, None)  # the root (only there)
    return table


_COMPILED: dict[tuple[str, int, int, int, int], Walkers] = {}
_LAST: list[tuple[str, Limits, Walkers]] = []  # the last one asked for (hashing Limits: 1 us)


def walkers(doc_ns: str, limits: Limits) -> Walkers:
    """The walkers for one document namespace and set of limits (compiled once, cached by
    the limits the generated code holds: two ``Limits`` that differ in others share them)."""
    last = _LAST[-1] if _LAST else None
    if last is not None and last[1] is limits and last[0] == doc_ns:
        return last[2]
    key = (
        doc_ns,
        limits.max_text,
        limits.max_depth,
        limits.max_attributes,
        limits.max_attribute_length,
    )
    found = _COMPILED.get(key)
    if found is None:
        if len(_COMPILED) > 16:
            _COMPILED.clear()
        found = _COMPILED[key] = Walkers(doc_ns, limits)
    _LAST[:] = [(doc_ns, limits, found)]
    return found
