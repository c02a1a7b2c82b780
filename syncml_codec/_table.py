"""The element table: compiled once from ``model.py``, it drives every reader and writer.

Strategy: every XML name lives in exactly one place, the field metadata of ``model.py``. At
import, ``compile_table()`` turns each model class into a ``ClassSpec`` holding

* ``children``: local element name -> ``ChildSpec`` (field, kind, repeated, class, namespace,
  DTD position, occurrence), keyed *per parent* because ``Data``, ``Meta`` or ``Source`` mean
  different things under different parents;
* ``fields``: the ``ChildSpec`` list in DTD order, which the serializer and the structural
  validator walk;
* ``ns`` (a class in its own namespace) and ``any_order`` (children read in any order).

The table is the whole truth about the DTD: occurrence (``min_occurs``/``max_occurs``, declared
in the model apart from the Python default; ``required`` adds "no default to read in its
place"), namespace, any-order, the commands
a container's choice lists (``allowed``) and the version that added an element (``since``).
The bundled XSDs are checked against it by tests (``tests/test_model_table_xsd.py``), in both
directions; no reader consults them to learn structure.

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
from .codes import AlertCode, StatusCode

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
    #: readers must find it: a single child the DTD requires (``min_occurs`` 1) with no model
    #: default to read in its place. ``SyncHdr.ver_dtd`` has ``min_occurs`` 1 but is not
    #: ``required``: a missing VerDTD reads as "1.2" and validation reports it from the input.
    required: bool
    cls: type | None = None  #: NODE: the model class
    spec: ClassSpec | None = None  #: NODE: its ClassSpec (filled in after all classes exist)
    convert: Callable[[int], Any] | None = None  #: CODE: StatusCode or AlertCode
    leaf: bool = False  #: TEXT, FLAG, DATA or CODE: no model children
    counted: bool = False  #: an Item or a command (counted against Limits)
    xmlns: list[str] | None = None  #: the attribute list of its own namespace declaration
    cache: dict[str, Any] = dataclasses.field(default_factory=dict)  #: CODE: text -> member
    #: DTD lower bound (for a choice member: of the whole choice, which its members share)
    min_occurs: int = 1
    max_occurs: int | None = 1  #: DTD upper bound, None for unbounded (choice: of the choice)
    #: the DTD lists it here; False for a command that readers accept in a container whose
    #: choice does not list it (Status inside Atomic), for validation to report
    allowed: bool = True
    since: str | None = None  #: the SyncML version that added it ("1.2"), None if 1.1 had it
    nonempty: bool = False  #: TEXT that means nothing empty (CmdID, MsgID, LocURI): not ""

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
    required: tuple[ChildSpec, ...]  #: the ``required`` children (must be present)
    fixups: bool = False  #: repeated or required is not empty (the builder has work at the end)
    any_order: bool = False  #: children are read in any order (Meta), written in DTD order

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


#: DTD occurrence indicator -> (min_occurs, max_occurs)
_OCCURS: Final[dict[str, tuple[int, int | None]]] = {
    "1": (1, 1),
    "?": (0, 1),
    "*": (0, None),
    "+": (1, None),
}


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


def _kind(f: dataclasses.Field[Any], tp: Any) -> int:
    if f.metadata["data"]:
        return DATA
    if tp is bool:
        return FLAG
    if tp in (StatusCode, AlertCode):
        return CODE
    return TEXT if tp is str else NODE


def _group(
    f: dataclasses.Field[Any], hint: Any, position: int, own_ns: str | None
) -> list[ChildSpec]:
    """The ChildSpecs of one field: one, or one per command class for a choice."""
    low, high = _OCCURS[f.metadata["occurs"]]
    members: tuple[str, ...] | None = f.metadata.get("choice")
    if members is not None:  # a choice of commands, kept in document order
        return [
            ChildSpec(
                sub.XML_NAME,  # type: ignore[attr-defined]
                f.name,
                NODE,
                True,
                None,
                position,
                False,
                sub,
                min_occurs=low,
                max_occurs=high,
                allowed=sub.XML_NAME in members,  # type: ignore[attr-defined]
            )
            for sub in COMMAND_CLASSES
        ]
    tp, repeated = _unwrap(hint)
    kind = _kind(f, tp)
    if kind == FLAG and low:
        raise TypeError(f"{f.name}: an EMPTY flag cannot be required")
    spec = ChildSpec(
        f.metadata["xml"],
        f.name,
        kind,
        repeated,
        f.metadata["ns"] or own_ns,
        position,
        low > 0 and not repeated and f.default is dataclasses.MISSING,
        tp if kind == NODE else None,
        convert=tp if kind == CODE else None,
        min_occurs=low,
        max_occurs=high,
        since=f.metadata["since"],
        nonempty=f.metadata["nonempty"],
    )
    if high != 1 and not repeated:
        raise TypeError(f"{f.name}: occurs {f.metadata['occurs']!r} needs a tuple field")
    return [spec]


def _compile_class(cls: type) -> ClassSpec:
    hints = typing.get_type_hints(cls, vars(model))
    own_ns: str | None = getattr(cls, "XML_NS", None)
    any_order: bool = getattr(cls, "XML_ANY_ORDER", False)
    fields = [
        _group(f, hints[f.name], 0 if any_order else position, own_ns)
        for position, f in enumerate(dataclasses.fields(cls))
    ]
    children = {spec.name: spec for group in fields for spec in group}
    repeated_fields = tuple(dict.fromkeys(s.field for g in fields for s in g if s.repeated))
    required_fields = tuple(g[0] for g in fields if g[0].required)
    xml_name_of_class: str = cls.XML_NAME  # type: ignore[attr-defined]
    return ClassSpec(
        cls,
        xml_name_of_class,
        own_ns,
        children,
        fields,
        repeated_fields,
        required_fields,
        any_order=any_order,
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
