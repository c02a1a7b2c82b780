"""What the writers may write: a model checked against the table, with paths a person can act on.

Strategy: the generated writers (``serialize``) trust the model and are fast; this module is the
slow, exact side. ``find_bad`` walks a model in document order, by the table, and reports the
first thing the DTD or the writers refuse: a required child missing (``None``), an identifier
left empty (``cmd_id=""``: ``nonempty``), too few children (a Get with no Item: ``min_occurs``)
or too many (``max_occurs``: Exec takes one Item), a value of the wrong type. ``outline_bad`` is
the cheap check ``serialize`` runs on every call: it looks at everything outside Items (headers,
commands, containers: O(commands), not O(Items)); text inside Items is checked only when the
written document shows an empty element (the serializer's cue). Both walk with an explicit
stack, so a model nested deeper than Python's recursion limit is reported, not crashed on.

Paths have the one form of ``_paths``: ``/SyncML/SyncBody/Replace[2]/Item[1]/Target/LocURI``,
each command counted among the same-named siblings of its own kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final, TypeAlias

from . import model
from ._paths import format_path
from ._table import CLASS_SPECS, CODE, COMMAND_CLASSES, DATA, FLAG, NODE, TEXT, ChildSpec, ClassSpec

__all__ = ["ITEM_NONEMPTY", "deepest", "find_bad", "find_text", "outline_bad"]

#: A path as a linked list, innermost step first: (parent steps, local name, 1-based index).
Steps: TypeAlias = "tuple[Steps, str, int] | None"

#: One value met on the walk: where it is, the field's spec, the value, whether the field is a
#: command choice, the depth of the value's element (the root's children: 2)
_Visit: TypeAlias = tuple[Steps, ChildSpec, object, bool, int]


class _NotASequence:
    """What a repeated field holds when it is not a tuple (reported, never descended into)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value


def _path(steps: Steps) -> str:
    pairs: list[tuple[str, int]] = []
    while steps is not None:
        steps, name, index = steps
        pairs.append((name, index))
    return format_path(reversed(pairs))


def _children(obj: object, cs: ClassSpec, steps: Steps, depth: int) -> Iterator[_Visit]:
    """Each value of each field of ``obj``, in DTD order, with its path steps.

    A repeated field that is not a tuple is yielded once, wrapped in ``_NotASequence``;
    ``None`` in a single field is yielded too (absent).
    """
    for group in cs.fields:
        head = group[0]
        value = getattr(obj, head.field, None)
        choice = len(group) > 1
        if not head.repeated:
            yield (steps, head.name, 1), head, value, choice, depth
            continue
        if not isinstance(value, (tuple, list)):
            yield (steps, head.name, 1), head, _NotASequence(value), choice, depth
            continue
        seen: dict[str, int] = {}
        for v in value:
            name = _name_in(group, v)
            seen[name] = index = seen.get(name, 0) + 1
            yield (steps, name, index), head, v, choice, depth


def _name_in(group: list[ChildSpec], value: object) -> str:
    """The element name a value of this field is written as (a command: its own kind)."""
    if len(group) > 1:
        spec = CLASS_SPECS.get(type(value))
        if spec is not None:
            return spec.name
    return group[0].name


def _walk(root: object) -> Iterator[_Visit]:
    """Every value in the model: depth-first, document order, with an explicit stack."""
    cs = CLASS_SPECS[type(root)]
    stack = [_children(root, cs, (None, cs.name, 1), 2)]
    while stack:
        for visit in stack[-1]:
            yield visit
            value = visit[2]
            spec = CLASS_SPECS.get(type(value))
            if spec is not None:
                stack.append(_children(value, spec, visit[0], len(stack) + 2))
                break
        else:
            stack.pop()


def _problem(head: ChildSpec, value: object, choice: bool) -> str | None:
    """What is wrong with one value of field ``head`` (None: nothing); ``choice``: the field
    is a command choice."""
    if isinstance(value, _NotASequence):
        return f"{head.field} must be a tuple, got {type(value.value).__name__}"
    if value is None:
        if head.min_occurs and head.kind != FLAG and not head.repeated:
            return f"{head.field} is required"
        return None
    if head.kind == NODE:
        if choice:
            if type(value) not in COMMAND_CLASSES:
                return f"{type(value).__name__} is not a command"
        elif type(value) is not head.cls:
            assert head.cls is not None
            return f"{head.field} must be a {head.cls.__name__}, got {type(value).__name__}"
        return None
    if head.kind in (TEXT, DATA):
        if not isinstance(value, str):
            return f"{head.field} must be a str, got {type(value).__name__} {value!r:.60}"
        if not value and head.nonempty:
            return f"{head.field} must not be empty"
    elif head.kind == CODE and (not isinstance(value, int) or isinstance(value, bool)):
        return f"{head.field} must be an int code, got {type(value).__name__} {value!r:.60}"
    return None


#: (class, field) whose DTD lower bound serialize does not enforce. A SyncBody with no
#: command breaks ``(command)+`` but is what minimal and received messages hold (``parse``
#: reads it without a deviation; ``validate`` reports it), so it is written as it is. Inside
#: commands and containers the bound holds: a Get with no Item is a bug in building it.
_UNBOUNDED_BELOW: Final = frozenset({(model.SyncBody, "commands")})


def _min(cs: ClassSpec, head: ChildSpec) -> int:
    return 0 if (cs.cls, head.field) in _UNBOUNDED_BELOW else head.min_occurs


def _count_problem(obj: object, cs: ClassSpec) -> str | None:
    """A repeated field (or command choice) of ``obj`` with too few or too many values."""
    for group in cs.fields:
        head = group[0]
        if not head.repeated:
            continue
        value = getattr(obj, head.field, None)
        if not isinstance(value, (tuple, list)):
            continue
        what = "command" if len(group) > 1 else head.name
        if len(value) < _min(cs, head):
            return f"{head.field} is empty: {cs.name} needs at least one {what}"
        if head.max_occurs is not None and len(value) > head.max_occurs:
            return (
                f"{head.field} holds {len(value)}: {cs.name} takes at most {head.max_occurs} {what}"
            )
    return None


def find_bad(obj: object, path: str | None = None) -> str | None:
    """The first thing (``"<path>: <reason>"``) the writers must not write, or None.

    Args:
        obj: a model object (a message or a fragment).
        path: the path to report ``obj`` itself at (default: ``/`` and its element name).
    """
    cs = CLASS_SPECS.get(type(obj))
    if cs is None:
        return f"{path or '/'}: {type(obj).__name__} is not a syncml_codec model object"
    root = f"/{cs.name}"
    found = _count_problem(obj, cs)
    if found:
        return f"{path or root}: {found}"
    for steps, head, value, choice, _ in _walk(obj):
        reason = _problem(head, value, choice)
        if reason is None and type(value) in CLASS_SPECS:
            reason = _count_problem(value, CLASS_SPECS[type(value)])
        if reason is not None:
            here = _path(steps)
            if path is not None:
                here = path + here[len(root) :]
            return f"{here}: {reason}"
    return None


def _needs_value(head: ChildSpec) -> bool:
    """A single child the DTD requires but the writers treat as optional (it has a model
    default, like ``SyncHdr.ver_dtd``): None would be left out silently."""
    return not head.repeated and head.min_occurs > 0 and head.kind != FLAG and not head.required


_Plan: TypeAlias = tuple[list[tuple[ChildSpec, int]], list[ChildSpec], list[ChildSpec]]


def _outline_plans() -> dict[type, _Plan]:
    """Per class outside Items: (repeated fields to count, single fields that must hold a
    value (``nonempty``, or DTD-required with a model default), node fields to descend), for
    the classes that hold, at any depth, something the writers would write silently: a count
    out of bounds, an empty identifier, a missing VerDTD, a non-command among commands. (What
    makes a writer fail, a None in a required field or a wrong type, is explained after the
    failure.)"""
    outline = [cs for cls, cs in CLASS_SPECS.items() if cls is not model.Item]
    relevant = {
        cs.cls
        for cs in outline
        if any(
            (g[0].repeated and (g[0].min_occurs or g[0].max_occurs is not None))
            or g[0].nonempty
            or _needs_value(g[0])
            for g in cs.fields
        )
    }
    changed = True
    while changed:
        changed = False
        for cs in outline:
            below = {c.cls for c in cs.children.values() if c.kind == NODE}
            if cs.cls not in relevant and below & relevant:
                relevant.add(cs.cls)
                changed = True
    plans = {}
    for cs in outline:
        if cs.cls in relevant:
            counted = [(g[0], _min(cs, g[0])) for g in cs.fields if g[0].repeated]
            singles = [
                g[0]
                for g in cs.fields
                if not g[0].repeated and (g[0].nonempty or _needs_value(g[0]))
            ]
            nodes = [
                g[0]
                for g in cs.fields
                if len(g) > 1 or (g[0].kind == NODE and g[0].cls in relevant and not g[0].repeated)
            ]
            plans[cs.cls] = (counted, singles, nodes)
    return plans


_COMMANDS: Final = frozenset(COMMAND_CLASSES)
_PLANS: Final = _outline_plans()


def _item_nonempty() -> list[ChildSpec]:
    """The ``nonempty`` children of Item and of the classes below it (Target's LocURI...)."""
    seen: set[type] = set()
    todo: list[type] = [model.Item]
    out: dict[str, ChildSpec] = {}
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for child in CLASS_SPECS[cls].children.values():
            if child.nonempty:
                out.setdefault(child.name, child)
            if child.cls is not None:
                todo.append(child.cls)
    return list(out.values())


#: The ``nonempty`` elements inside Items: what ``outline_bad`` leaves to the written output.
ITEM_NONEMPTY: Final = _item_nonempty()


def outline_bad(obj: object) -> bool:
    """True when the model may have a problem outside its Items (``find_bad`` then says which).

    Visits headers, commands and containers, not Items (only their count): O(commands).
    """
    stack = [obj]
    while stack:
        o = stack.pop()
        plan = _PLANS.get(type(o))
        if plan is None:  # nothing to check below it, or not a model object (the writer says)
            continue
        counted, singles, nodes = plan
        for head, low in counted:
            value = getattr(o, head.field)
            if not isinstance(value, (tuple, list)) or len(value) < low:
                return True
            if head.max_occurs is not None and len(value) > head.max_occurs:
                return True
        for head in singles:
            value = getattr(o, head.field)
            if (value is None and head.min_occurs) or (value == "" and head.nonempty):
                return True
        for head in nodes:
            value = getattr(o, head.field)
            if head.repeated:  # the command choice (its count is checked above)
                for command in value:
                    if type(command) not in _COMMANDS:
                        return True
                    stack.append(command)
            elif value is not None:
                stack.append(value)
            elif head.min_occurs:
                return True
    return False


def find_text(obj: object, char: str) -> str:
    """The path of the first text that holds ``char`` (or of ``obj`` when none does)."""
    for steps, _, value, _, _ in _walk(obj):
        if isinstance(value, str) and char in value:
            return _path(steps)
    cs = CLASS_SPECS.get(type(obj))
    return "/" + (cs.name if cs else type(obj).__name__)


def deepest(obj: object) -> tuple[int, str]:
    """The depth (in elements, the root is 1) and path of the most deeply nested element."""
    best: tuple[int, Steps] = (1, None)
    for steps, _, value, _, depth in _walk(obj):
        if value is not None and depth > best[0]:
            best = (depth, steps)
    if best[1] is None:
        return 1, find_text(obj, "\x00")
    return best[0], _path(best[1])
