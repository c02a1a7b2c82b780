"""The element table: compiled once from ``model.py``, it drives every reader and writer.

Strategy: every XML name lives in exactly one place, the field metadata of ``model.py``. At
import, ``compile_table()`` turns each model class into a ``ClassSpec`` holding

* ``children``: local element name -> ``ChildSpec`` (field, kind, repeated, class, namespace,
  DTD position), keyed *per parent* because ``Data``, ``Meta`` or ``Source`` mean different things
  under different parents;
* ``fields``: the ``ChildSpec`` list in DTD order, which the serializer and the structural
  validator walk.

Invariants: a lookup costs one dict probe per element; specs are never mutated after
compilation; the builder, the stream parser, the serializer, the WBXML codec and the validator
all read this table and never name an element themselves.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from . import model
from .codes import NS_METINF, AlertCode, StatusCode

__all__ = [
    "CLASS_SPECS",
    "CODE",
    "COMMAND_CLASSES",
    "DATA",
    "FLAG",
    "NODE",
    "TEXT",
    "ChildSpec",
    "ClassSpec",
    "all_element_names",
    "spec_for",
]

# Kinds of child element.
TEXT: Final = 0  #: #PCDATA kept as a string (whitespace around it is a deviation).
NODE: Final = 1  #: A nested model class.
FLAG: Final = 2  #: An EMPTY element, a bool field (Final, MoreData, NoResp...).
DATA: Final = 3  #: Open content (Item/Cred Data): text, CDATA or markup, kept verbatim.
CODE: Final = 4  #: A status or alert code (Status/Alert Data), an open IntEnum.


@dataclass(slots=True, eq=False)
class ChildSpec:
    """How one child element maps to one field of its parent class."""

    name: str  #: local element name
    field: str  #: Python attribute on the parent
    kind: int  #: TEXT, NODE, FLAG, DATA or CODE
    repeated: bool  #: the field is a tuple
    ns: str | None  #: required namespace, or None for "the document's SyncML namespace"
    order: int  #: DTD position within the parent (children in one choice share it)
    required: bool  #: DTD says exactly-one / one-or-more
    cls: type | None = None  #: NODE: the model class
    spec: ClassSpec | None = None  #: NODE: its ClassSpec (filled in after all classes exist)
    convert: Callable[[int], Any] | None = None  #: CODE: StatusCode or AlertCode
    leaf: bool = False  #: TEXT, FLAG, DATA or CODE: no model children
    counted: bool = False  #: an Item or a command (counted against Limits)
    xmlns: list[str] | None = None  #: the attribute list of its own namespace declaration
    cache: dict[str, Any] = dataclasses.field(default_factory=dict)  #: CODE: text -> member

    def __post_init__(self) -> None:
        self.leaf = self.kind != NODE
        self.counted = self.cls is model.Item or self.cls in COMMAND_CLASSES
        if self.ns:
            self.xmlns = ["xmlns", self.ns]


@dataclass(slots=True, eq=False)
class ClassSpec:
    """One model class: its element name, children by name, and fields in DTD order."""

    cls: type
    name: str
    ns: str | None
    children: dict[str, ChildSpec]
    fields: list[list[ChildSpec]]  #: DTD order; a choice field has one ChildSpec per class
    repeated: tuple[str, ...]  #: fields built as lists, frozen to tuples at the end
    required: tuple[ChildSpec, ...]  #: fields with no default (must be present)
    fixups: bool = False  #: repeated or required is not empty (the builder has work at the end)

    def __post_init__(self) -> None:
        self.fixups = bool(self.repeated or self.required)


COMMAND_CLASSES: Final[tuple[type, ...]] = (
    model.Add,
    model.Alert,
    model.Atomic,
    model.Copy,
    model.Delete,
    model.Exec,
    model.Get,
    model.Replace,
    model.Results,
    model.Sequence,
    model.Status,
)

_CLASSES: Final[tuple[type, ...]] = (
    model.SyncML,
    model.SyncHdr,
    model.SyncBody,
    *COMMAND_CLASSES,
    model.Item,
    model.Meta,
    model.Anchor,
    model.Mem,
    model.Source,
    model.Target,
    model.SourceParent,
    model.TargetParent,
    model.Cred,
    model.Chal,
)


def _unwrap(tp: Any) -> tuple[Any, bool]:
    """Return (element type, repeated) for a field annotation, dropping ``| None``."""
    origin = typing.get_origin(tp)
    if origin is tuple:
        return typing.get_args(tp)[0], True
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], False
    return tp, False


def _compile_class(cls: type) -> ClassSpec:
    hints = typing.get_type_hints(cls, vars(model))
    children: dict[str, ChildSpec] = {}
    fields: list[list[ChildSpec]] = []
    own_ns = NS_METINF if cls in (model.Anchor, model.Mem) else None
    # MetInf children of Meta: emit in MetInf DTD order, accept any order (spec 1.4: "the
    # Microsoft examples use both Format-then-Type and Type-then-Format").
    any_order = cls is model.Meta
    for position, f in enumerate(dataclasses.fields(cls)):
        order = 0 if any_order else position
        xml_name: str = f.metadata["xml"]
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        tp, repeated = _unwrap(hints[f.name])
        ns = f.metadata["ns"] or own_ns
        group: list[ChildSpec] = []
        if xml_name.startswith("*"):  # a choice of commands, kept in document order
            for sub in COMMAND_CLASSES:
                name = sub.XML_NAME  # type: ignore[attr-defined]
                group.append(ChildSpec(name, f.name, NODE, True, None, order, False, sub))
        else:
            if f.metadata["data"]:
                kind = DATA
            elif tp is bool:
                kind = FLAG
            elif tp in (StatusCode, AlertCode):
                kind = CODE
            elif tp is str:
                kind = TEXT
            else:
                kind = NODE
            spec = ChildSpec(xml_name, f.name, kind, repeated, ns, order, required)
            if kind == NODE:
                spec.cls = tp
            elif kind == CODE:
                spec.convert = tp
            group.append(spec)
        for spec in group:
            children[spec.name] = spec
        fields.append(group)
    repeated_fields = tuple(dict.fromkeys(s.field for g in fields for s in g if s.repeated))
    required_fields = tuple(g[0] for g in fields if g[0].required)
    xml_name_of_class: str = cls.XML_NAME  # type: ignore[attr-defined]
    return ClassSpec(
        cls, xml_name_of_class, own_ns, children, fields, repeated_fields, required_fields
    )


def _compile() -> dict[type, ClassSpec]:
    specs = {cls: _compile_class(cls) for cls in _CLASSES}
    for cs in specs.values():
        for group in cs.fields:
            for child in group:
                if child.kind == NODE:
                    assert child.cls is not None
                    child.spec = specs[child.cls]
                    child.counted = child.cls is model.Item or child.cls in COMMAND_CLASSES
    return specs


#: Model class -> its compiled spec, built once at import.
CLASS_SPECS: Final = _compile()


def spec_for(obj_or_cls: object) -> ClassSpec:
    """Return the ClassSpec of a model class or instance (KeyError if not a model class)."""
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    return CLASS_SPECS[cls]


def all_element_names() -> dict[str, set[str]]:
    """Namespace key ("syncml" or NS_METINF) -> every element name the model knows."""
    out: dict[str, set[str]] = {"syncml": set(), NS_METINF: set()}
    for cs in CLASS_SPECS.values():
        out[cs.ns or "syncml"].add(cs.name)
        for child in cs.children.values():
            out[child.ns or "syncml"].add(child.name)
    return out
