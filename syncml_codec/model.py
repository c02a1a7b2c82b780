"""Typed dataclasses for the whole SyncML DM 1.2 message (spec file SYNCML-DM.md §1.2, §1.4).

Every XML name is written once, in field metadata (``el("CmdID")``); ``_table`` compiles these
classes into the one element table that drives parsing, streaming, serializing and validation.
Field order within a class is the DTD child order, which is the order the serializer writes.

Values are kept as the strings the peer sent (CmdID, SessionID, MsgID, sizes: real devices send
"0", GUIDs and ``$CmdID$``); validation checks them, not the model. Status and alert codes are
open ``IntEnum`` values. ``Item.data`` is a ``str`` (escaped text), a ``CData`` (a CDATA section)
or an ``XmlData`` (markup kept as markup); all three compare equal to their text.

Classes are ``slots=True`` but not frozen: frozen dataclasses cost about 3x to construct (STYLE.md),
and a device-info package builds hundreds of thousands of Items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias

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


def el(name: str, *, ns: str | None = None, data: bool = False, **kw: Any) -> Any:
    """A dataclass field mapped to the child element ``name``.

    Args:
        name: the element's local name.
        ns: its namespace when it differs from the parent's (MetInf children).
        data: open content (``Data`` of Item/Cred): text, CDATA or markup, kept verbatim.
        **kw: passed to ``dataclasses.field`` (``default``, ``default_factory``).
    """
    return field(metadata={"xml": name, "ns": ns, "data": data}, **kw)


# --- MetInf (spec §1.4, [MET12]) -------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Anchor:
    """MetInf ``Anchor (Last?, Next)`` (DS)."""

    XML_NAME: ClassVar[str] = "Anchor"
    last: str | None = el("Last", ns=NS_METINF, default=None)
    next: str = el("Next", ns=NS_METINF)


@dataclass(slots=True, kw_only=True)
class Mem:
    """MetInf ``Mem (SharedMem?, FreeMem, FreeID)`` (DS)."""

    XML_NAME: ClassVar[str] = "Mem"
    shared_mem: bool = el("SharedMem", ns=NS_METINF, default=False)
    free_mem: str = el("FreeMem", ns=NS_METINF)
    free_id: str = el("FreeID", ns=NS_METINF)


@dataclass(slots=True, kw_only=True)
class Meta:
    """``Meta``: the MetInf elements, each in ``syncml:metinf``, in MetInf DTD order (spec §1.4).

    Meta on a command applies to all its Items; an Item's own Meta overrides single fields
    ([MS-MDM] 2.2.5.3): see ``Meta.merged_with``.
    """

    XML_NAME: ClassVar[str] = "Meta"
    field_level: bool = el("FieldLevel", ns=NS_METINF, default=False)
    format: str | None = el("Format", ns=NS_METINF, default=None)
    type: str | None = el("Type", ns=NS_METINF, default=None)
    mark: str | None = el("Mark", ns=NS_METINF, default=None)
    size: str | None = el("Size", ns=NS_METINF, default=None)
    anchor: Anchor | None = el("Anchor", ns=NS_METINF, default=None)
    version: str | None = el("Version", ns=NS_METINF, default=None)
    next_nonce: str | None = el("NextNonce", ns=NS_METINF, default=None)
    max_msg_size: str | None = el("MaxMsgSize", ns=NS_METINF, default=None)
    max_obj_size: str | None = el("MaxObjSize", ns=NS_METINF, default=None)
    emi: tuple[str, ...] = el("EMI", ns=NS_METINF, default=())
    mem: Mem | None = el("Mem", ns=NS_METINF, default=None)

    def merged_with(self, override: Meta | None) -> Meta:
        """Return this (command-level) Meta with the fields set in ``override`` replacing ours."""
        if override is None:
            return self
        values = {}
        for name in self.__slots__:
            mine, theirs = getattr(self, name), getattr(override, name)
            values[name] = theirs if theirs not in (None, False, ()) else mine
        return Meta(**values)


# --- Common elements (spec §1.2) -------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Source:
    """``Source (LocURI, LocName?)``."""

    XML_NAME: ClassVar[str] = "Source"
    loc_uri: str = el("LocURI")
    loc_name: str | None = el("LocName", default=None)


@dataclass(slots=True, kw_only=True)
class Target:
    """``Target (LocURI, LocName?, Filter?)``; Filter is DS only and not modelled."""

    XML_NAME: ClassVar[str] = "Target"
    loc_uri: str = el("LocURI")
    loc_name: str | None = el("LocName", default=None)


@dataclass(slots=True, kw_only=True)
class SourceParent:
    """``SourceParent (LocURI)`` (DS 1.2 hierarchical sync)."""

    XML_NAME: ClassVar[str] = "SourceParent"
    loc_uri: str = el("LocURI")


@dataclass(slots=True, kw_only=True)
class TargetParent:
    """``TargetParent (LocURI)`` (DS 1.2 hierarchical sync)."""

    XML_NAME: ClassVar[str] = "TargetParent"
    loc_uri: str = el("LocURI")


@dataclass(slots=True, kw_only=True)
class Cred:
    """``Cred (Meta?, Data)``: only inside SyncHdr in DM ([DMREP] 4.1.1.6)."""

    XML_NAME: ClassVar[str] = "Cred"
    meta: Meta | None = el("Meta", default=None)
    data: str = el("Data", data=True)


@dataclass(slots=True, kw_only=True)
class Chal:
    """``Chal (Meta)``: an authentication challenge inside Status ([DMREP] 4.1.1.2)."""

    XML_NAME: ClassVar[str] = "Chal"
    meta: Meta = el("Meta")


@dataclass(slots=True, kw_only=True)
class Item:
    """``Item (Target?, Source?, SourceParent?, TargetParent?, Meta?, Data?, MoreData?)``.

    [MS-MDM] 2.2.5.2: "When Data is present in the Item it MUST be the last element" (apart
    from MoreData, which marks a large-object chunk).
    """

    XML_NAME: ClassVar[str] = "Item"
    target: Target | None = el("Target", default=None)
    source: Source | None = el("Source", default=None)
    source_parent: SourceParent | None = el("SourceParent", default=None)
    target_parent: TargetParent | None = el("TargetParent", default=None)
    meta: Meta | None = el("Meta", default=None)
    data: str | None = el("Data", data=True, default=None)
    more_data: bool = el("MoreData", default=False)


# --- Commands (spec §1.2 "Commands") ---------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class _ItemCommand:
    """``(CmdID, NoResp?, Cred?, Meta?, Item+)``: the content model Add, Copy and Replace share."""

    cmd_id: str = el("CmdID")
    no_resp: bool = el("NoResp", default=False)
    cred: Cred | None = el("Cred", default=None)
    meta: Meta | None = el("Meta", default=None)
    items: tuple[Item, ...] = el("Item", default=())


@dataclass(slots=True, kw_only=True)
class Add(_ItemCommand):
    """``Add (CmdID, NoResp?, Cred?, Meta?, Item+)``."""

    XML_NAME: ClassVar[str] = "Add"


@dataclass(slots=True, kw_only=True)
class Alert:
    """``Alert (CmdID, NoResp?, Cred?, Data?, Correlator?, Item*)``; Data is the alert code."""

    XML_NAME: ClassVar[str] = "Alert"
    cmd_id: str = el("CmdID")
    no_resp: bool = el("NoResp", default=False)
    cred: Cred | None = el("Cred", default=None)
    data: AlertCode | None = el("Data", default=None)
    correlator: str | None = el("Correlator", default=None)
    items: tuple[Item, ...] = el("Item", default=())


@dataclass(slots=True, kw_only=True)
class Copy(_ItemCommand):
    """``Copy (CmdID, NoResp?, Cred?, Meta?, Item+)`` (not supported by Windows)."""

    XML_NAME: ClassVar[str] = "Copy"


@dataclass(slots=True, kw_only=True)
class Delete:
    """``Delete (CmdID, NoResp?, Archive?, SftDel?, Cred?, Meta?, Item+)``."""

    XML_NAME: ClassVar[str] = "Delete"
    cmd_id: str = el("CmdID")
    no_resp: bool = el("NoResp", default=False)
    archive: bool = el("Archive", default=False)
    sft_del: bool = el("SftDel", default=False)
    cred: Cred | None = el("Cred", default=None)
    meta: Meta | None = el("Meta", default=None)
    items: tuple[Item, ...] = el("Item", default=())


@dataclass(slots=True, kw_only=True)
class Exec:
    """``Exec (CmdID, NoResp?, Cred?, Meta?, Correlator?, Item)``: exactly one Item (DTD)."""

    XML_NAME: ClassVar[str] = "Exec"
    cmd_id: str = el("CmdID")
    no_resp: bool = el("NoResp", default=False)
    cred: Cred | None = el("Cred", default=None)
    meta: Meta | None = el("Meta", default=None)
    correlator: str | None = el("Correlator", default=None)
    items: tuple[Item, ...] = el("Item", default=())


@dataclass(slots=True, kw_only=True)
class Get:
    """``Get (CmdID, NoResp?, Lang?, Cred?, Meta?, Item+)``."""

    XML_NAME: ClassVar[str] = "Get"
    cmd_id: str = el("CmdID")
    no_resp: bool = el("NoResp", default=False)
    lang: str | None = el("Lang", default=None)
    cred: Cred | None = el("Cred", default=None)
    meta: Meta | None = el("Meta", default=None)
    items: tuple[Item, ...] = el("Item", default=())


@dataclass(slots=True, kw_only=True)
class Replace(_ItemCommand):
    """``Replace (CmdID, NoResp?, Cred?, Meta?, Item+)``."""

    XML_NAME: ClassVar[str] = "Replace"


@dataclass(slots=True, kw_only=True)
class Results:
    """``Results (CmdID, MsgRef?, CmdRef, Cmd?, Meta?, TargetRef?, SourceRef?, Item+)``.

    ``Cmd`` is Windows' addition ([MS-MDM] 2.2.7.8 emits ``<Cmd>Get</Cmd>``); a missing MsgRef
    means "1".
    """

    XML_NAME: ClassVar[str] = "Results"
    cmd_id: str = el("CmdID")
    msg_ref: str | None = el("MsgRef", default=None)
    cmd_ref: str = el("CmdRef")
    cmd: str | None = el("Cmd", default=None)
    meta: Meta | None = el("Meta", default=None)
    target_ref: str | None = el("TargetRef", default=None)
    source_ref: str | None = el("SourceRef", default=None)
    items: tuple[Item, ...] = el("Item", default=())


@dataclass(slots=True, kw_only=True)
class Status:
    """``Status (CmdID, MsgRef, CmdRef, Cmd, TargetRef*, SourceRef*, Cred?, Chal?, Data, Item*)``.

    Written in this DTD order; read in any order (the OMA examples put MsgRef first).
    ``data`` is the status code.
    """

    XML_NAME: ClassVar[str] = "Status"
    cmd_id: str = el("CmdID")
    msg_ref: str = el("MsgRef")
    cmd_ref: str = el("CmdRef")
    cmd: str = el("Cmd")
    target_ref: tuple[str, ...] = el("TargetRef", default=())
    source_ref: tuple[str, ...] = el("SourceRef", default=())
    cred: Cred | None = el("Cred", default=None)
    chal: Chal | None = el("Chal", default=None)
    data: StatusCode = el("Data")
    items: tuple[Item, ...] = el("Item", default=())


@dataclass(slots=True, kw_only=True)
class _Container:
    """``(CmdID, NoResp?, Meta?, (command)+)``: the content model Atomic and Sequence share."""

    cmd_id: str = el("CmdID")
    no_resp: bool = el("NoResp", default=False)
    meta: Meta | None = el("Meta", default=None)
    commands: tuple[Command, ...] = el("*commands", default=())


@dataclass(slots=True, kw_only=True)
class Atomic(_Container):
    """``Atomic (CmdID, NoResp?, Meta?, (Add|Replace|Delete|Copy|Atomic|Sequence|Get|Exec|
    Alert)+)``.

    DM allows only Add, Alert, Delete, Copy, Replace inside; nested Atomic or Get gives 500
    ([DMREP] 4.1.6.3). The model keeps whatever was sent; validation reports it.
    """

    XML_NAME: ClassVar[str] = "Atomic"


@dataclass(slots=True, kw_only=True)
class Sequence(_Container):
    """``Sequence (CmdID, NoResp?, Meta?, (Add|Replace|Delete|Copy|Atomic|Get|Alert|Exec)+)``."""

    XML_NAME: ClassVar[str] = "Sequence"


#: Any SyncBody command, in document order.
Command: TypeAlias = (
    Add | Alert | Atomic | Copy | Delete | Exec | Get | Replace | Results | Sequence | Status
)


# --- Message containers ----------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class SyncHdr:
    """``SyncHdr (VerDTD, VerProto, SessionID, MsgID, Target, Source, RespURI?, NoResp?, Cred?,
    Meta?)``."""

    XML_NAME: ClassVar[str] = "SyncHdr"
    ver_dtd: str = el("VerDTD", default="1.2")
    ver_proto: str = el("VerProto", default="DM/1.2")
    session_id: str = el("SessionID")
    msg_id: str = el("MsgID")
    target: Target = el("Target")
    source: Source = el("Source")
    resp_uri: str | None = el("RespURI", default=None)
    no_resp: bool = el("NoResp", default=False)
    cred: Cred | None = el("Cred", default=None)
    meta: Meta | None = el("Meta", default=None)


@dataclass(slots=True, kw_only=True)
class SyncBody:
    """``SyncBody ((command)+, Final?)``; ``commands`` keeps document order."""

    XML_NAME: ClassVar[str] = "SyncBody"
    commands: tuple[Command, ...] = el("*commands", default=())
    final: bool = el("Final", default=False)


@dataclass(slots=True, kw_only=True)
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
