"""Typed dataclasses for the whole SyncML DM 1.2 message (SyncML RepPro
DTD 1.2 and MetInf DTD 1.2).

Every fact about an element is written once, in field metadata (``el("CmdID", nonempty=True)``:
name, occurrence, namespace, non-empty content, the version that added it; ``choice(...)``: the
commands a container's DTD lists) or in class variables (``XML_NAME``, ``XML_NS`` for a class in
its own namespace, ``XML_ANY_ORDER`` for children read in any order). ``_table`` compiles these
classes into the one element table that drives parsing, streaming, serializing and validation.
Field order within a class is the DTD child order, which is the order the serializer writes.

Values are kept as the strings the peer sent (CmdID, SessionID, MsgID, sizes: real devices send
"0", GUIDs and ``$CmdID$``); validation checks them, not the model. Status and alert codes are
open ``IntEnum`` values. ``Item.data`` is a ``str`` (escaped text), a ``CData`` (a CDATA section)
or an ``XmlData`` (markup kept as markup); all three compare equal to their text.

Classes are ``slots=True`` but not frozen: frozen dataclasses cost about 3x to construct,
and a device-info package builds hundreds of thousands of Items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar, Literal, TypeAlias, TypeVar, dataclass_transform, overload

from .codes import NS_METINF, AlertCode, StatusCode

__all__ = [
    "Add",
    "Alert",
    "Anchor",
    "Atomic",
    "CData",
    "Chal",
    "Command",
    "Copy",
    "Cred",
    "Delete",
    "Exec",
    "Get",
    "Item",
    "Mem",
    "Meta",
    "ModelObject",
    "Replace",
    "Results",
    "Sequence",
    "Source",
    "SourceParent",
    "Status",
    "SyncBody",
    "SyncHdr",
    "SyncML",
    "Target",
    "TargetParent",
    "XmlData",
]


class CData(str):
    """Data text that was (or is to be) written as a CDATA section.

    ``CData("<x/>") == "<x/>"``. A ``]]>`` inside is split over two sections on output.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"CData({str.__repr__(self)})"


class XmlData(str):
    """Data whose content is markup, kept verbatim (the inner XML of ``<Data>``).

    Used for embedded documents (``<Application .../>``, a DevInf) and for Data that mixes text
    and CDATA. The string *is* the markup: ``XmlData('<a b="1"/>')`` is written as is.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"XmlData({str.__repr__(self)})"


#: DTD occurrence of a child: exactly one, optional, any number, one or more.
Occurs: TypeAlias = Literal["1", "?", "*", "+"]

_T = TypeVar("_T")


@overload
def el(
    name: str,
    *,
    occurs: Occurs = "1",
    ns: str | None = None,
    data: bool = False,
    since: str | None = None,
    nonempty: bool = False,
    default: _T,
) -> _T: ...
@overload
def el(
    name: str,
    *,
    occurs: Occurs = "1",
    ns: str | None = None,
    data: bool = False,
    since: str | None = None,
    nonempty: bool = False,
    default_factory: Callable[[], _T],
) -> _T: ...
@overload
def el(
    name: str,
    *,
    occurs: Occurs = "1",
    ns: str | None = None,
    data: bool = False,
    since: str | None = None,
    nonempty: bool = False,
) -> Any: ...
def el(
    name: str,
    *,
    occurs: Occurs = "1",
    ns: str | None = None,
    data: bool = False,
    since: str | None = None,
    nonempty: bool = False,
    default: Any = MISSING,
    default_factory: Any = MISSING,
) -> Any:
    """A dataclass field mapped to the child element ``name`` (a field specifier, PEP 681).

    The DTD facts live here, apart from the Python default: ``occurs`` says how often the
    element may occur, whatever the constructor default (``ver_dtd`` is required by the DTD
    but defaults to ``"1.2"``; ``items`` is ``Item+`` but defaults to ``()`` so that a model can
    be built step by step; ``serialize`` refuses what the DTD does not allow).

    Args:
        name: the element's local name.
        occurs: DTD occurrence: ``"1"`` (default), ``"?"``, ``"*"`` or ``"+"``. A tuple field with
            ``"1"`` holds exactly one element (Exec's Item).
        ns: its namespace when it differs from the parent's (MetInf children).
        data: open content (``Data`` of Item/Cred): text, CDATA or markup, kept verbatim.
        since: the SyncML version that added the element (``"1.2"``), None if 1.1 had it.
        nonempty: an identifier or address that means nothing empty (CmdID, MsgID, LocURI...):
            ``serialize`` refuses ``""`` (the DTD's ``#PCDATA`` cannot say so).
        default: the constructor default (omit it and the field is required).
        default_factory: a callable giving the constructor default.
    """
    metadata: dict[str, object] = {
        "xml": name,
        "ns": ns,
        "data": data,
        "occurs": occurs,
        "since": since,
        "nonempty": nonempty,
    }
    if default_factory is not MISSING:
        return field(metadata=metadata, default_factory=default_factory)
    return field(metadata=metadata, default=default)


def choice(*members: str, occurs: Occurs, default: _T) -> _T:
    """A field holding a choice of commands (``(Add | Replace | ...)+``), in document order.

    Args:
        *members: the element names the DTD lists in this choice. Readers also accept the other
            commands there (validation reports them); ``serialize`` writes what it is given.
        occurs: DTD occurrence of the whole choice.
        default: the constructor default (``()``).
    """
    metadata: dict[str, object] = {"xml": "*commands", "ns": None, "data": False}
    metadata.update(occurs=occurs, since=None, nonempty=False, choice=members)
    result: _T = field(metadata=metadata, default=default)
    return result


@dataclass_transform(kw_only_default=True, field_specifiers=(el, choice))
def _element(cls: type[_T]) -> type[_T]:
    """Make ``cls`` a model class: a slotted keyword-only dataclass whose fields are ``el``s."""
    return dataclass(slots=True, kw_only=True)(cls)


# --- MetInf (MetInf DTD 1.2, [MET12]) -------------------------------------------------------------


@_element
class Anchor:
    """MetInf ``Anchor (Last?, Next)`` (DS)."""

    XML_NAME: ClassVar[str] = "Anchor"
    XML_NS: ClassVar[str | None] = NS_METINF
    last: str | None = el("Last", occurs="?", ns=NS_METINF, default=None)
    next: str = el("Next", ns=NS_METINF)


@_element
class Mem:
    """MetInf ``Mem (SharedMem?, FreeMem, FreeID)`` (DS)."""

    XML_NAME: ClassVar[str] = "Mem"
    XML_NS: ClassVar[str | None] = NS_METINF
    shared_mem: bool = el("SharedMem", occurs="?", ns=NS_METINF, default=False)
    free_mem: str = el("FreeMem", ns=NS_METINF)
    free_id: str = el("FreeID", ns=NS_METINF)


@_element
class Meta:
    """``Meta``: the MetInf elements, each in ``syncml:metinf``, in MetInf DTD order ([MET12]).

    Meta on a command applies to all its Items; an Item's own Meta overrides single fields
    ([MS-MDM] 2.2.5.3): see ``Meta.merged_with``.
    """

    XML_NAME: ClassVar[str] = "Meta"
    #: read in any order: MetInf DTD 1.2 says "the Microsoft examples use both Format-then-Type and
    #: Type-then-Format"; written in MetInf DTD order
    XML_ANY_ORDER: ClassVar[bool] = True
    field_level: bool = el("FieldLevel", occurs="?", ns=NS_METINF, default=False)
    format: str | None = el("Format", occurs="?", ns=NS_METINF, default=None)
    type: str | None = el("Type", occurs="?", ns=NS_METINF, default=None)
    mark: str | None = el("Mark", occurs="?", ns=NS_METINF, default=None)
    size: str | None = el("Size", occurs="?", ns=NS_METINF, default=None)
    anchor: Anchor | None = el("Anchor", occurs="?", ns=NS_METINF, default=None)
    version: str | None = el("Version", occurs="?", ns=NS_METINF, default=None)
    next_nonce: str | None = el("NextNonce", occurs="?", ns=NS_METINF, default=None)
    max_msg_size: str | None = el("MaxMsgSize", occurs="?", ns=NS_METINF, default=None)
    max_obj_size: str | None = el("MaxObjSize", occurs="?", ns=NS_METINF, default=None)
    emi: tuple[str, ...] = el("EMI", occurs="*", ns=NS_METINF, default=())
    mem: Mem | None = el("Mem", occurs="?", ns=NS_METINF, default=None)

    def merged_with(self, override: Meta | None) -> Meta:
        """Return this (command-level) Meta with the fields set in ``override`` replacing ours."""
        if override is None:
            return self
        values = {}
        for f in fields(self):
            name = f.name
            mine, theirs = getattr(self, name), getattr(override, name)
            values[name] = theirs if theirs not in (None, False, ()) else mine
        return Meta(**values)


# --- Common elements ([DTD12]) -------------------------------------------------------------


@_element
class Source:
    """``Source (LocURI, LocName?)``."""

    XML_NAME: ClassVar[str] = "Source"
    loc_uri: str = el("LocURI", nonempty=True)
    loc_name: str | None = el("LocName", occurs="?", default=None)


@_element
class Target:
    """``Target (LocURI, LocName?, Filter?)``; Filter is DS only and not modelled."""

    XML_NAME: ClassVar[str] = "Target"
    loc_uri: str = el("LocURI", nonempty=True)
    loc_name: str | None = el("LocName", occurs="?", default=None)


@_element
class SourceParent:
    """``SourceParent (LocURI)`` (DS 1.2 hierarchical sync)."""

    XML_NAME: ClassVar[str] = "SourceParent"
    loc_uri: str = el("LocURI", nonempty=True)


@_element
class TargetParent:
    """``TargetParent (LocURI)`` (DS 1.2 hierarchical sync)."""

    XML_NAME: ClassVar[str] = "TargetParent"
    loc_uri: str = el("LocURI", nonempty=True)


@_element
class Cred:
    """``Cred (Meta?, Data)``: only inside SyncHdr in DM ([DMREP] 4.1.1.6)."""

    XML_NAME: ClassVar[str] = "Cred"
    meta: Meta | None = el("Meta", occurs="?", default=None)
    data: str = el("Data", data=True)


@_element
class Chal:
    """``Chal (Meta)``: an authentication challenge inside Status ([DMREP] 4.1.1.2)."""

    XML_NAME: ClassVar[str] = "Chal"
    meta: Meta = el("Meta")


@_element
class Item:
    """``Item (Target?, Source?, SourceParent?, TargetParent?, Meta?, Data?, MoreData?)``.

    [MS-MDM] 2.2.5.2: "When Data is present in the Item it MUST be the last element" (apart
    from MoreData, which marks a large-object chunk).
    """

    XML_NAME: ClassVar[str] = "Item"
    target: Target | None = el("Target", occurs="?", default=None)
    source: Source | None = el("Source", occurs="?", default=None)
    source_parent: SourceParent | None = el("SourceParent", occurs="?", since="1.2", default=None)
    target_parent: TargetParent | None = el("TargetParent", occurs="?", since="1.2", default=None)
    meta: Meta | None = el("Meta", occurs="?", default=None)
    data: str | None = el("Data", occurs="?", data=True, default=None)
    more_data: bool = el("MoreData", occurs="?", default=False)


# --- Commands ([DTD12] "Commands") ---------------------------------------------------------


@_element
class _ItemCommand:
    """``(CmdID, NoResp?, Cred?, Meta?, Item+)``: the content model Add, Copy and Replace share."""

    cmd_id: str = el("CmdID", nonempty=True)
    no_resp: bool = el("NoResp", occurs="?", default=False)
    cred: Cred | None = el("Cred", occurs="?", default=None)
    meta: Meta | None = el("Meta", occurs="?", default=None)
    items: tuple[Item, ...] = el("Item", occurs="+", default=())


@_element
class Add(_ItemCommand):
    """``Add (CmdID, NoResp?, Cred?, Meta?, Item+)``."""

    XML_NAME: ClassVar[str] = "Add"


@_element
class Alert:
    """``Alert (CmdID, NoResp?, Cred?, Data?, Correlator?, Item*)``; Data is the alert code."""

    XML_NAME: ClassVar[str] = "Alert"
    cmd_id: str = el("CmdID", nonempty=True)
    no_resp: bool = el("NoResp", occurs="?", default=False)
    cred: Cred | None = el("Cred", occurs="?", default=None)
    data: AlertCode | None = el("Data", occurs="?", default=None)
    correlator: str | None = el("Correlator", occurs="?", since="1.2", default=None)
    items: tuple[Item, ...] = el("Item", occurs="*", default=())


@_element
class Copy(_ItemCommand):
    """``Copy (CmdID, NoResp?, Cred?, Meta?, Item+)`` (not supported by Windows)."""

    XML_NAME: ClassVar[str] = "Copy"


@_element
class Delete:
    """``Delete (CmdID, NoResp?, Archive?, SftDel?, Cred?, Meta?, Item+)``."""

    XML_NAME: ClassVar[str] = "Delete"
    cmd_id: str = el("CmdID", nonempty=True)
    no_resp: bool = el("NoResp", occurs="?", default=False)
    archive: bool = el("Archive", occurs="?", default=False)
    sft_del: bool = el("SftDel", occurs="?", default=False)
    cred: Cred | None = el("Cred", occurs="?", default=None)
    meta: Meta | None = el("Meta", occurs="?", default=None)
    items: tuple[Item, ...] = el("Item", occurs="+", default=())


@_element
class Exec:
    """``Exec (CmdID, NoResp?, Cred?, Meta?, Correlator?, Item)``: exactly one Item (DTD)."""

    XML_NAME: ClassVar[str] = "Exec"
    cmd_id: str = el("CmdID", nonempty=True)
    no_resp: bool = el("NoResp", occurs="?", default=False)
    cred: Cred | None = el("Cred", occurs="?", default=None)
    meta: Meta | None = el("Meta", occurs="?", default=None)
    correlator: str | None = el("Correlator", occurs="?", since="1.2", default=None)
    items: tuple[Item, ...] = el("Item", occurs="1", default=())


@_element
class Get:
    """``Get (CmdID, NoResp?, Lang?, Cred?, Meta?, Item+)``."""

    XML_NAME: ClassVar[str] = "Get"
    cmd_id: str = el("CmdID", nonempty=True)
    no_resp: bool = el("NoResp", occurs="?", default=False)
    lang: str | None = el("Lang", occurs="?", default=None)
    cred: Cred | None = el("Cred", occurs="?", default=None)
    meta: Meta | None = el("Meta", occurs="?", default=None)
    items: tuple[Item, ...] = el("Item", occurs="+", default=())


@_element
class Replace(_ItemCommand):
    """``Replace (CmdID, NoResp?, Cred?, Meta?, Item+)``."""

    XML_NAME: ClassVar[str] = "Replace"


@_element
class Results:
    """``Results (CmdID, MsgRef?, CmdRef, Cmd?, Meta?, TargetRef?, SourceRef?, Item+)``.

    ``Cmd`` is Windows' addition ([MS-MDM] 2.2.7.8 emits ``<Cmd>Get</Cmd>``); a missing MsgRef
    means "1".
    """

    XML_NAME: ClassVar[str] = "Results"
    cmd_id: str = el("CmdID", nonempty=True)
    msg_ref: str | None = el("MsgRef", occurs="?", nonempty=True, default=None)
    cmd_ref: str = el("CmdRef")
    cmd: str | None = el("Cmd", occurs="?", default=None)
    meta: Meta | None = el("Meta", occurs="?", default=None)
    target_ref: str | None = el("TargetRef", occurs="?", default=None)
    source_ref: str | None = el("SourceRef", occurs="?", default=None)
    items: tuple[Item, ...] = el("Item", occurs="+", default=())


@_element
class Status:
    """``Status (CmdID, MsgRef, CmdRef, Cmd, TargetRef*, SourceRef*, Cred?, Chal?, Data, Item*)``.

    Written in this DTD order; read in any order (the OMA examples put MsgRef first).
    ``data`` is the status code.
    """

    XML_NAME: ClassVar[str] = "Status"
    cmd_id: str = el("CmdID", nonempty=True)
    msg_ref: str = el("MsgRef", nonempty=True)
    cmd_ref: str = el("CmdRef")
    cmd: str = el("Cmd")
    target_ref: tuple[str, ...] = el("TargetRef", occurs="*", default=())
    source_ref: tuple[str, ...] = el("SourceRef", occurs="*", default=())
    cred: Cred | None = el("Cred", occurs="?", default=None)
    chal: Chal | None = el("Chal", occurs="?", default=None)
    data: StatusCode = el("Data")
    items: tuple[Item, ...] = el("Item", occurs="*", default=())


@_element
class _Container:
    """``(CmdID, NoResp?, Meta?, (command)+)``: the content model Atomic and Sequence share.

    Each declares its own ``commands`` choice, since their DTD lists differ.
    """

    cmd_id: str = el("CmdID", nonempty=True)
    no_resp: bool = el("NoResp", occurs="?", default=False)
    meta: Meta | None = el("Meta", occurs="?", default=None)


@_element
class Atomic(_Container):
    """``Atomic (CmdID, NoResp?, Meta?, (Add|Replace|Delete|Copy|Atomic|Sequence|Get|Exec|
    Alert)+)``.

    DM allows only Add, Alert, Delete, Copy, Replace inside; nested Atomic or Get gives 500
    ([DMREP] 4.1.6.3). The model keeps whatever was sent; validation reports it.
    """

    XML_NAME: ClassVar[str] = "Atomic"
    commands: tuple[Command, ...] = choice(
        "Add",
        "Replace",
        "Delete",
        "Copy",
        "Atomic",
        "Sequence",
        "Get",
        "Exec",
        "Alert",
        occurs="+",
        default=(),
    )


@_element
class Sequence(_Container):
    """``Sequence (CmdID, NoResp?, Meta?, (Add|Replace|Delete|Copy|Atomic|Get|Alert|Exec)+)``."""

    XML_NAME: ClassVar[str] = "Sequence"
    commands: tuple[Command, ...] = choice(
        "Add", "Replace", "Delete", "Copy", "Atomic", "Get", "Alert", "Exec", occurs="+", default=()
    )


#: Any SyncBody command, in document order.
Command: TypeAlias = (
    Add | Alert | Atomic | Copy | Delete | Exec | Get | Replace | Results | Sequence | Status
)


# --- Message containers ----------------------------------------------------------------------


@_element
class SyncHdr:
    """``SyncHdr (VerDTD, VerProto, SessionID, MsgID, Target, Source, RespURI?, NoResp?, Cred?,
    Meta?)``."""

    XML_NAME: ClassVar[str] = "SyncHdr"
    ver_dtd: str = el("VerDTD", default="1.2")
    ver_proto: str = el("VerProto", default="DM/1.2")
    session_id: str = el("SessionID", nonempty=True)
    msg_id: str = el("MsgID", nonempty=True)
    target: Target = el("Target")
    source: Source = el("Source")
    resp_uri: str | None = el("RespURI", occurs="?", default=None)
    no_resp: bool = el("NoResp", occurs="?", default=False)
    cred: Cred | None = el("Cred", occurs="?", default=None)
    meta: Meta | None = el("Meta", occurs="?", default=None)


@_element
class SyncBody:
    """``SyncBody ((command)+, Final?)``; ``commands`` keeps document order."""

    XML_NAME: ClassVar[str] = "SyncBody"
    commands: tuple[Command, ...] = choice(
        "Alert",
        "Atomic",
        "Copy",
        "Exec",
        "Get",
        "Results",
        "Sequence",
        "Status",
        "Add",
        "Replace",
        "Delete",
        occurs="+",
        default=(),
    )
    final: bool = el("Final", occurs="?", default=False)


@_element
class SyncML:
    """The root: ``SyncML (SyncHdr, SyncBody)``."""

    XML_NAME: ClassVar[str] = "SyncML"
    sync_hdr: SyncHdr = el("SyncHdr")
    sync_body: SyncBody = el("SyncBody")

    @property
    def header(self) -> SyncHdr:
        """Alias of ``sync_hdr``."""
        return self.sync_hdr

    @property
    def body(self) -> SyncBody:
        """Alias of ``sync_body``."""
        return self.sync_body


#: Any model object ``serialize`` writes: a whole message or a fragment (a command, an Item...).
ModelObject: TypeAlias = (
    SyncML
    | SyncHdr
    | SyncBody
    | Command
    | Item
    | Meta
    | Anchor
    | Mem
    | Source
    | Target
    | SourceParent
    | TargetParent
    | Cred
    | Chal
)
