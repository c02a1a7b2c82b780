"""The element table against the bundled XSDs: child order, cardinality, namespace, kind.

The table (``syncml_codec._table``, compiled from the field metadata of ``model.py``) is the one
truth every reader, writer and the structural validator use; the XSDs are the independent
transcription of the DTDs that ``validate(schema=True)`` uses. This test walks both, read with
xmlschema's own component API (no hand-written XSD reader), and requires them to agree in both
directions for EVERY element: the same children in the same order, the same min/max
occurrence, the same namespace, the same members in each command choice, the same kind of
content (text, EMPTY flag, element content, open Data, a code). So a model-order mistake
(Delete declaring SftDel before Archive) or a wrong occurrence cannot agree with itself.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from typing import Any

import pytest
import xmlschema
from xmlschema.validators import XsdElement, XsdGroup

from syncml_codec import _resources, model
from syncml_codec._table import (
    CLASS_SPECS,
    CODE,
    COMMAND_CLASSES,
    DATA,
    FLAG,
    NODE,
    TEXT,
    ChildSpec,
    ClassSpec,
    _compile_class,
)
from syncml_codec.codes import NS_METINF, NS_SYNCML11, NS_SYNCML12
from syncml_codec.model import Command, Cred, Item, Meta

SPECS = sorted(CLASS_SPECS.values(), key=lambda cs: cs.name)


@functools.cache
def schema(version: str) -> xmlschema.XMLSchema10:
    name = "syncml11.xsd" if version == "1.1" else "syncml12.xsd"
    return xmlschema.XMLSchema10(str(_resources.schema_path(name)))


def doc_ns(version: str) -> str:
    return NS_SYNCML11 if version == "1.1" else NS_SYNCML12


def global_element(cs: ClassSpec, version: str) -> XsdElement:
    ns = cs.ns or doc_ns(version)
    elem = schema(version).maps.elements.get(f"{{{ns}}}{cs.name}")
    assert elem is not None, f"{cs.name}: no global element in {{{ns}}} of the {version} XSD"
    return elem


def local(qname: str | None) -> str:
    assert qname
    return qname.rpartition("}")[2]


def namespace(qname: str | None) -> str:
    assert qname
    return qname[1:].partition("}")[0]


def particles(group: XsdGroup) -> Iterator[Any]:
    """The particles of a model group (elements and nested groups; the bundled XSDs put
    wildcards only inside Data, which is open content)."""
    yield from group


def kind_of(elem: XsdElement) -> int:
    """The table kind an XSD element declaration implies."""
    tp: Any = elem.type
    if tp.is_simple() or tp.has_simple_content():
        base = tp if tp.is_simple() else tp.content
        patterns = getattr(base, "patterns", None)
        return CODE if patterns is not None and patterns.regexps == ["[0-9]+"] else TEXT
    if tp.mixed:
        return DATA
    if tp.is_empty():
        return FLAG
    return NODE


def occurs(p: Any) -> tuple[int, int | None]:
    return p.min_occurs, p.max_occurs


def table_steps(cs: ClassSpec, version: str) -> list[list[ChildSpec]]:
    """The table's children of ``cs`` that exist in ``version``, in DTD order."""
    keep = ("1.1",) if version == "1.1" else ("1.1", "1.2")
    return [g for g in cs.fields if (g[0].since or "1.1") in keep]


def compare_class(cs: ClassSpec, version: str) -> None:
    elem = global_element(cs, version)
    content = getattr(elem.type, "content", None)
    assert isinstance(content, XsdGroup), f"{cs.name}: the XSD gives no element content"
    steps = table_steps(cs, version)
    if cs.any_order:
        # Any order (Meta): the XSD says a repeated choice; names, namespaces and "optional".
        assert content.model == "choice", cs.name
        assert occurs(content) == (0, None), cs.name
        members = {local(p.name): p for p in particles(content)}
        assert list(members) == [g[0].name for g in steps], cs.name
        for (child,) in steps:
            assert child.min_occurs == 0, f"{cs.name}/{child.name}: any-order child is required"
            check_element(cs, child, members[child.name], version, occurrence=False)
        return
    assert content.model == "sequence", cs.name
    xsd = list(particles(content))
    assert [describe(p) for p in xsd] == [describe_table(g) for g in steps], cs.name
    for group, p in zip(steps, xsd, strict=True):
        if len(group) > 1:
            assert isinstance(p, XsdGroup)
            check_choice(cs, group, p)
        else:
            assert isinstance(p, XsdElement)
            check_element(cs, group[0], p, version, occurrence=True)


def describe(p: XsdElement | XsdGroup) -> str:
    """One step of an XSD sequence as text: ``Name{min,max}`` or ``(A|B){min,max}``."""
    if isinstance(p, XsdGroup):
        names = sorted(local(e.name) for e in p)
        return f"({'|'.join(names)}){{{p.min_occurs},{p.max_occurs}}}"
    return f"{local(p.name)}{{{p.min_occurs},{p.max_occurs}}}"


def describe_table(group: list[ChildSpec]) -> str:
    """The same text for one table field."""
    head = group[0]
    if len(group) > 1:
        names = sorted(c.name for c in group if c.allowed)
        return f"({'|'.join(names)}){{{head.min_occurs},{head.max_occurs}}}"
    return f"{head.name}{{{head.min_occurs},{head.max_occurs}}}"


def check_choice(cs: ClassSpec, group: list[ChildSpec], p: XsdGroup) -> None:
    assert p.model == "choice", cs.name
    assert {c.name for c in group} == {c.XML_NAME for c in COMMAND_CLASSES}  # type: ignore[attr-defined]
    assert all(c.kind == NODE and c.repeated for c in group), cs.name
    assert len({(c.field, c.order, c.min_occurs, c.max_occurs) for c in group}) == 1, cs.name
    for member in p:
        assert isinstance(member, XsdElement)
        assert occurs(member) == (1, 1), f"{cs.name}: choice member {member.name} repeats alone"


def check_element(
    cs: ClassSpec, child: ChildSpec, p: Any, version: str, *, occurrence: bool
) -> None:
    where = f"{cs.name}/{child.name}"
    assert local(p.name) == child.name, where
    assert namespace(p.name) == (child.ns or doc_ns(version)), where
    if occurrence:
        assert occurs(p) == (child.min_occurs, child.max_occurs), where
    assert kind_of(p) == child.kind, where
    if child.kind == NODE:
        assert child.spec is not None
        assert p.ref is not None or p.is_global(), where
        assert child.spec.name == child.name, where


@pytest.mark.parametrize("version", ["1.2", "1.1"])
@pytest.mark.parametrize("cs", SPECS, ids=lambda cs: cs.name)
def test_table_class_matches_xsd(cs: ClassSpec, version: str) -> None:
    """Table -> XSD: every class's children, in order, with occurrence, ns, kind, choices."""
    if version == "1.1" and cs.name in ("SourceParent", "TargetParent"):
        assert all((g[0].since or "1.1") == "1.1" for g in cs.fields)
        assert schema("1.1").maps.elements.get(f"{{{NS_SYNCML11}}}{cs.name}") is None
        return
    compare_class(cs, version)


@pytest.mark.parametrize("version", ["1.2", "1.1"])
def test_every_xsd_element_is_in_the_table(version: str) -> None:
    """XSD -> table: every global element is a table class or a child name of one, and every
    element with element content is a table class (so nothing the XSD structures is missed)."""
    classes = {cs.name for cs in CLASS_SPECS.values()}
    children = {c.name for cs in CLASS_SPECS.values() for c in cs.children.values()}
    since_12 = {c.name for cs in CLASS_SPECS.values() for c in cs.children.values() if c.since}
    for qname, elem in schema(version).maps.elements.items():
        if namespace(qname) not in (doc_ns(version), NS_METINF):
            continue
        name = local(qname)
        assert name in classes | children, f"{qname}: in the XSD, not in the table"
        if kind_of(elem) == NODE:
            assert name in classes, f"{qname}: has element content but no table class"
        if version == "1.1":
            assert name not in since_12, f"{qname}: the table says it is new in 1.2"


def test_every_table_class_is_checked() -> None:
    """The classes this test walks are every model class with an XML_NAME, and back."""
    named = {
        c
        for c in vars(model).values()
        if isinstance(c, type) and dataclasses.is_dataclass(c) and hasattr(c, "XML_NAME")
    }
    assert named == set(CLASS_SPECS)


# --- the test can fail: a model with a wrong order or occurrence disagrees with the XSD -------
# (annotations name classes as model.py does: the table resolves them in model's namespace)


@model._element
class _DeleteSftDelFirst:
    """Delete with SftDel declared before Archive (issue 14, mutant 2)."""

    XML_NAME = "Delete"
    cmd_id: str = model.el("CmdID")
    no_resp: bool = model.el("NoResp", occurs="?", default=False)
    sft_del: bool = model.el("SftDel", occurs="?", default=False)
    archive: bool = model.el("Archive", occurs="?", default=False)
    cred: Cred | None = model.el("Cred", occurs="?", default=None)
    meta: Meta | None = model.el("Meta", occurs="?", default=None)
    items: tuple[Item, ...] = model.el("Item", occurs="+", default=())


@model._element
class _GetItemsOptional:
    """Get with ``Item*`` instead of ``Item+``."""

    XML_NAME = "Get"
    cmd_id: str = model.el("CmdID")
    no_resp: bool = model.el("NoResp", occurs="?", default=False)
    lang: str | None = model.el("Lang", occurs="?", default=None)
    cred: Cred | None = model.el("Cred", occurs="?", default=None)
    meta: Meta | None = model.el("Meta", occurs="?", default=None)
    items: tuple[Item, ...] = model.el("Item", occurs="*", default=())


@model._element
class _SequenceWithSequence:
    """Sequence whose choice lists Sequence (the DTD excludes it)."""

    XML_NAME = "Sequence"
    cmd_id: str = model.el("CmdID")
    no_resp: bool = model.el("NoResp", occurs="?", default=False)
    meta: Meta | None = model.el("Meta", occurs="?", default=None)
    commands: tuple[Command, ...] = model.choice(
        "Add",
        "Replace",
        "Delete",
        "Copy",
        "Atomic",
        "Sequence",
        "Get",
        "Alert",
        "Exec",
        occurs="+",
        default=(),
    )


@pytest.mark.parametrize("mutant", [_DeleteSftDelFirst, _GetItemsOptional, _SequenceWithSequence])
def test_mutated_model_disagrees_with_xsd(mutant: type) -> None:
    spec = _compile_class(mutant)
    for group in spec.fields:
        for child in group:
            if child.kind == NODE:
                assert child.cls is not None
                child.spec = CLASS_SPECS[child.cls]
    with pytest.raises(AssertionError):
        compare_class(spec, "1.2")
