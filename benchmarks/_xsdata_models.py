"""Minimal xsdata models for the benchmark package (only what the workload uses).

SyncML elements are in ``SYNCML:SYNCML1.2``; ``Format`` and ``Type`` inside ``Meta`` are in
``syncml:metinf`` (spec SYNCML-DM.md §1.1, §1.4). The Meta class is called ``MetInf`` here:
a module-level class named ``Meta`` would be shadowed by xsdata's inner ``class Meta``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "NS",
    "NS_METINF",
    "Item",
    "MetInf",
    "Results",
    "Source",
    "Status",
    "SyncBody",
    "SyncHdr",
    "SyncML",
    "Target",
]

NS = "SYNCML:SYNCML1.2"
NS_METINF = "syncml:metinf"


def _el(name: str, *, ns: str = NS, required: bool = False) -> dict[str, object]:
    return {"name": name, "type": "Element", "namespace": ns, "required": required}


@dataclass(slots=True, kw_only=True)
class Source:
    class Meta:
        name = "Source"
        namespace = NS

    loc_uri: str = field(metadata=_el("LocURI", required=True))
    loc_name: str | None = field(default=None, metadata=_el("LocName"))


@dataclass(slots=True, kw_only=True)
class Target:
    class Meta:
        name = "Target"
        namespace = NS

    loc_uri: str = field(metadata=_el("LocURI", required=True))
    loc_name: str | None = field(default=None, metadata=_el("LocName"))


@dataclass(slots=True, kw_only=True)
class MetInf:
    class Meta:
        name = "Meta"
        namespace = NS

    format: str | None = field(default=None, metadata=_el("Format", ns=NS_METINF))
    type_value: str | None = field(default=None, metadata=_el("Type", ns=NS_METINF))
    size: str | None = field(default=None, metadata=_el("Size", ns=NS_METINF))


@dataclass(slots=True, kw_only=True)
class Item:
    class Meta:
        name = "Item"
        namespace = NS

    target: Target | None = field(default=None, metadata=_el("Target"))
    source: Source | None = field(default=None, metadata=_el("Source"))
    meta: MetInf | None = field(default=None, metadata=_el("Meta"))
    data: str | None = field(default=None, metadata=_el("Data"))


@dataclass(slots=True, kw_only=True)
class Status:
    class Meta:
        name = "Status"
        namespace = NS

    cmd_id: str = field(metadata=_el("CmdID", required=True))
    msg_ref: str = field(metadata=_el("MsgRef", required=True))
    cmd_ref: str = field(metadata=_el("CmdRef", required=True))
    cmd: str = field(metadata=_el("Cmd", required=True))
    target_ref: list[str] = field(default_factory=list, metadata=_el("TargetRef"))
    source_ref: list[str] = field(default_factory=list, metadata=_el("SourceRef"))
    data: str = field(metadata=_el("Data", required=True))
    item: list[Item] = field(default_factory=list, metadata=_el("Item"))


@dataclass(slots=True, kw_only=True)
class Results:
    class Meta:
        name = "Results"
        namespace = NS

    cmd_id: str = field(metadata=_el("CmdID", required=True))
    msg_ref: str | None = field(default=None, metadata=_el("MsgRef"))
    cmd_ref: str = field(metadata=_el("CmdRef", required=True))
    meta: MetInf | None = field(default=None, metadata=_el("Meta"))
    target_ref: str | None = field(default=None, metadata=_el("TargetRef"))
    source_ref: str | None = field(default=None, metadata=_el("SourceRef"))
    item: list[Item] = field(default_factory=list, metadata=_el("Item"))


@dataclass(slots=True, kw_only=True)
class SyncHdr:
    class Meta:
        name = "SyncHdr"
        namespace = NS

    ver_dtd: str = field(metadata=_el("VerDTD", required=True))
    ver_proto: str = field(metadata=_el("VerProto", required=True))
    session_id: str = field(metadata=_el("SessionID", required=True))
    msg_id: str = field(metadata=_el("MsgID", required=True))
    target: Target = field(metadata=_el("Target", required=True))
    source: Source = field(metadata=_el("Source", required=True))


@dataclass(slots=True, kw_only=True)
class SyncBody:
    class Meta:
        name = "SyncBody"
        namespace = NS

    status: list[Status] = field(default_factory=list, metadata=_el("Status"))
    results: list[Results] = field(default_factory=list, metadata=_el("Results"))
    final: object | None = field(default=None, metadata=_el("Final"))


@dataclass(slots=True, kw_only=True)
class SyncML:
    class Meta:
        name = "SyncML"
        namespace = NS

    sync_hdr: SyncHdr = field(metadata=_el("SyncHdr", required=True))
    sync_body: SyncBody = field(metadata=_el("SyncBody", required=True))
