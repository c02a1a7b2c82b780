"""xsdata models of the bundled DTD-derived XSD (``schemas/syncml12.xsd`` with ``metinf12.xsd``).

Generated, not written: ``xsdata generate schemas/syncml12.xsd --package xsd_syncml
--structure-style single-package`` (xsdata 26.10, ``pip install xsdata[cli]``), so that every
sample message parses with them (the small-message benchmark, ``benchmarks/small.py``). The
hand-written ``_xsdata_models.py`` covers only the big-inventory workload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(kw_only=True)
class Cmd:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class CmdId:
    class Meta:
        name = "CmdID"
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class CmdRef:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class Correlator:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class Empty2:
    class Meta:
        name = "Empty"
        target_namespace = "SYNCML:SYNCML1.2"


@dataclass(kw_only=True)
class Lang:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class LocName:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class LocUri:
    class Meta:
        name = "LocURI"
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class MsgId:
    class Meta:
        name = "MsgID"
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class MsgRef:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class OpenData:
    class Meta:
        target_namespace = "SYNCML:SYNCML1.2"

    content: list[object] = field(
        default_factory=list,
        metadata={
            "type": "Wildcard",
            "namespace": "##any",
            "mixed": True,
        },
    )


@dataclass(kw_only=True)
class RespUri:
    class Meta:
        name = "RespURI"
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class SessionId:
    class Meta:
        name = "SessionID"
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class SourceRef:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class StatusData:
    class Meta:
        target_namespace = "SYNCML:SYNCML1.2"

    value: str = field(
        default="",
        metadata={
            "pattern": r"[0-9]+",
        },
    )
    schemas_microsoft_com_mobile_device_mdm_attributes: dict[str, str] = field(
        default_factory=dict,
        metadata={
            "type": "Attributes",
            "namespace": "http://schemas.microsoft.com/MobileDevice/MDM",
        },
    )


@dataclass(kw_only=True)
class TargetRef:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class VerDtd:
    class Meta:
        name = "VerDTD"
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class VerProto:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    value: str = field(default="")


@dataclass(kw_only=True)
class Emi:
    class Meta:
        name = "EMI"
        namespace = "syncml:metinf"

    value: str = field(default="")


@dataclass(kw_only=True)
class Empty1:
    class Meta:
        name = "Empty"
        target_namespace = "syncml:metinf"


class FormatType(Enum):
    B64 = "b64"
    BIN = "bin"
    BOOL = "bool"
    CHR = "chr"
    INT = "int"
    NODE = "node"
    NULL = "null"
    XML = "xml"
    DATE = "date"
    TIME = "time"
    FLOAT = "float"


@dataclass(kw_only=True)
class FreeId:
    class Meta:
        name = "FreeID"
        namespace = "syncml:metinf"

    value: str = field(default="")


@dataclass(kw_only=True)
class FreeMem:
    class Meta:
        namespace = "syncml:metinf"

    value: str = field(default="")


@dataclass(kw_only=True)
class Last:
    class Meta:
        namespace = "syncml:metinf"

    value: str = field(default="")


@dataclass(kw_only=True)
class Mark:
    class Meta:
        namespace = "syncml:metinf"

    value: str = field(default="")


@dataclass(kw_only=True)
class MaxMsgSize:
    class Meta:
        namespace = "syncml:metinf"

    value: str = field(default="")


@dataclass(kw_only=True)
class MaxObjSize:
    class Meta:
        namespace = "syncml:metinf"

    value: str = field(default="")


@dataclass(kw_only=True)
class Next:
    class Meta:
        namespace = "syncml:metinf"

    value: str = field(default="")


@dataclass(kw_only=True)
class NextNonce:
    class Meta:
        namespace = "syncml:metinf"

    value: str = field(default="")


@dataclass(kw_only=True)
class Size:
    class Meta:
        namespace = "syncml:metinf"

    value: str = field(default="")


@dataclass(kw_only=True)
class Type:
    class Meta:
        namespace = "syncml:metinf"

    value: str = field(default="")


@dataclass(kw_only=True)
class Version:
    class Meta:
        namespace = "syncml:metinf"

    value: str = field(default="")


@dataclass(kw_only=True)
class Archive(Empty2):
    class Meta:
        namespace = "SYNCML:SYNCML1.2"


@dataclass(kw_only=True)
class Final(Empty2):
    class Meta:
        namespace = "SYNCML:SYNCML1.2"


@dataclass(kw_only=True)
class MoreData(Empty2):
    class Meta:
        namespace = "SYNCML:SYNCML1.2"


@dataclass(kw_only=True)
class NoResp(Empty2):
    class Meta:
        namespace = "SYNCML:SYNCML1.2"


@dataclass(kw_only=True)
class SftDel(Empty2):
    class Meta:
        namespace = "SYNCML:SYNCML1.2"


@dataclass(kw_only=True)
class Source:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    loc_uri: LocUri = field(
        metadata={
            "name": "LocURI",
            "type": "Element",
        }
    )
    loc_name: LocName | None = field(
        default=None,
        metadata={
            "name": "LocName",
            "type": "Element",
        },
    )


@dataclass(kw_only=True)
class SourceParent:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    loc_uri: LocUri = field(
        metadata={
            "name": "LocURI",
            "type": "Element",
        }
    )


@dataclass(kw_only=True)
class Target:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    loc_uri: LocUri = field(
        metadata={
            "name": "LocURI",
            "type": "Element",
        }
    )
    loc_name: LocName | None = field(
        default=None,
        metadata={
            "name": "LocName",
            "type": "Element",
        },
    )


@dataclass(kw_only=True)
class TargetParent:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    loc_uri: LocUri = field(
        metadata={
            "name": "LocURI",
            "type": "Element",
        }
    )


@dataclass(kw_only=True)
class Anchor:
    class Meta:
        namespace = "syncml:metinf"

    last: Last | None = field(
        default=None,
        metadata={
            "name": "Last",
            "type": "Element",
        },
    )
    next: Next = field(
        metadata={
            "name": "Next",
            "type": "Element",
        }
    )


@dataclass(kw_only=True)
class FieldLevel(Empty1):
    class Meta:
        namespace = "syncml:metinf"


@dataclass(kw_only=True)
class Format:
    class Meta:
        namespace = "syncml:metinf"

    value: FormatType = field()


@dataclass(kw_only=True)
class SharedMem(Empty1):
    class Meta:
        namespace = "syncml:metinf"


@dataclass(kw_only=True)
class Mem:
    class Meta:
        namespace = "syncml:metinf"

    shared_mem: SharedMem | None = field(
        default=None,
        metadata={
            "name": "SharedMem",
            "type": "Element",
        },
    )
    free_mem: FreeMem = field(
        metadata={
            "name": "FreeMem",
            "type": "Element",
        }
    )
    free_id: FreeId = field(
        metadata={
            "name": "FreeID",
            "type": "Element",
        }
    )


@dataclass(kw_only=True)
class MetaType:
    class Meta:
        name = "Meta"
        namespace = "SYNCML:SYNCML1.2"

    field_level: list[FieldLevel] = field(
        default_factory=list,
        metadata={
            "name": "FieldLevel",
            "type": "Element",
            "namespace": "syncml:metinf",
        },
    )
    format: list[Format] = field(
        default_factory=list,
        metadata={
            "name": "Format",
            "type": "Element",
            "namespace": "syncml:metinf",
        },
    )
    type_value: list[Type] = field(
        default_factory=list,
        metadata={
            "name": "Type",
            "type": "Element",
            "namespace": "syncml:metinf",
        },
    )
    mark: list[Mark] = field(
        default_factory=list,
        metadata={
            "name": "Mark",
            "type": "Element",
            "namespace": "syncml:metinf",
        },
    )
    size: list[Size] = field(
        default_factory=list,
        metadata={
            "name": "Size",
            "type": "Element",
            "namespace": "syncml:metinf",
        },
    )
    anchor: list[Anchor] = field(
        default_factory=list,
        metadata={
            "name": "Anchor",
            "type": "Element",
            "namespace": "syncml:metinf",
        },
    )
    version: list[Version] = field(
        default_factory=list,
        metadata={
            "name": "Version",
            "type": "Element",
            "namespace": "syncml:metinf",
        },
    )
    next_nonce: list[NextNonce] = field(
        default_factory=list,
        metadata={
            "name": "NextNonce",
            "type": "Element",
            "namespace": "syncml:metinf",
        },
    )
    max_msg_size: list[MaxMsgSize] = field(
        default_factory=list,
        metadata={
            "name": "MaxMsgSize",
            "type": "Element",
            "namespace": "syncml:metinf",
        },
    )
    max_obj_size: list[MaxObjSize] = field(
        default_factory=list,
        metadata={
            "name": "MaxObjSize",
            "type": "Element",
            "namespace": "syncml:metinf",
        },
    )
    emi: list[Emi] = field(
        default_factory=list,
        metadata={
            "name": "EMI",
            "type": "Element",
            "namespace": "syncml:metinf",
        },
    )
    mem: list[Mem] = field(
        default_factory=list,
        metadata={
            "name": "Mem",
            "type": "Element",
            "namespace": "syncml:metinf",
        },
    )


@dataclass(kw_only=True)
class Chal:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    meta: MetaType = field(
        metadata={
            "name": "Meta",
            "type": "Element",
        }
    )


@dataclass(kw_only=True)
class Cred:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    meta: MetaType | None = field(
        default=None,
        metadata={
            "name": "Meta",
            "type": "Element",
        },
    )
    data: OpenData = field(
        metadata={
            "name": "Data",
            "type": "Element",
        }
    )


@dataclass(kw_only=True)
class Item:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    target: Target | None = field(
        default=None,
        metadata={
            "name": "Target",
            "type": "Element",
        },
    )
    source: Source | None = field(
        default=None,
        metadata={
            "name": "Source",
            "type": "Element",
        },
    )
    source_parent: SourceParent | None = field(
        default=None,
        metadata={
            "name": "SourceParent",
            "type": "Element",
        },
    )
    target_parent: TargetParent | None = field(
        default=None,
        metadata={
            "name": "TargetParent",
            "type": "Element",
        },
    )
    meta: MetaType | None = field(
        default=None,
        metadata={
            "name": "Meta",
            "type": "Element",
        },
    )
    data: OpenData | None = field(
        default=None,
        metadata={
            "name": "Data",
            "type": "Element",
        },
    )
    more_data: MoreData | None = field(
        default=None,
        metadata={
            "name": "MoreData",
            "type": "Element",
        },
    )


@dataclass(kw_only=True)
class Add:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    cmd_id: CmdId = field(
        metadata={
            "name": "CmdID",
            "type": "Element",
        }
    )
    no_resp: NoResp | None = field(
        default=None,
        metadata={
            "name": "NoResp",
            "type": "Element",
        },
    )
    cred: Cred | None = field(
        default=None,
        metadata={
            "name": "Cred",
            "type": "Element",
        },
    )
    meta: MetaType | None = field(
        default=None,
        metadata={
            "name": "Meta",
            "type": "Element",
        },
    )
    item: list[Item] = field(
        default_factory=list,
        metadata={
            "name": "Item",
            "type": "Element",
            "min_occurs": 1,
        },
    )


@dataclass(kw_only=True)
class Alert:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    cmd_id: CmdId = field(
        metadata={
            "name": "CmdID",
            "type": "Element",
        }
    )
    no_resp: NoResp | None = field(
        default=None,
        metadata={
            "name": "NoResp",
            "type": "Element",
        },
    )
    cred: Cred | None = field(
        default=None,
        metadata={
            "name": "Cred",
            "type": "Element",
        },
    )
    data: str | None = field(
        default=None,
        metadata={
            "name": "Data",
            "type": "Element",
            "pattern": r"[0-9]+",
        },
    )
    correlator: Correlator | None = field(
        default=None,
        metadata={
            "name": "Correlator",
            "type": "Element",
        },
    )
    item: list[Item] = field(
        default_factory=list,
        metadata={
            "name": "Item",
            "type": "Element",
        },
    )


@dataclass(kw_only=True)
class Copy:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    cmd_id: CmdId = field(
        metadata={
            "name": "CmdID",
            "type": "Element",
        }
    )
    no_resp: NoResp | None = field(
        default=None,
        metadata={
            "name": "NoResp",
            "type": "Element",
        },
    )
    cred: Cred | None = field(
        default=None,
        metadata={
            "name": "Cred",
            "type": "Element",
        },
    )
    meta: MetaType | None = field(
        default=None,
        metadata={
            "name": "Meta",
            "type": "Element",
        },
    )
    item: list[Item] = field(
        default_factory=list,
        metadata={
            "name": "Item",
            "type": "Element",
            "min_occurs": 1,
        },
    )


@dataclass(kw_only=True)
class Delete:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    cmd_id: CmdId = field(
        metadata={
            "name": "CmdID",
            "type": "Element",
        }
    )
    no_resp: NoResp | None = field(
        default=None,
        metadata={
            "name": "NoResp",
            "type": "Element",
        },
    )
    archive: Archive | None = field(
        default=None,
        metadata={
            "name": "Archive",
            "type": "Element",
        },
    )
    sft_del: SftDel | None = field(
        default=None,
        metadata={
            "name": "SftDel",
            "type": "Element",
        },
    )
    cred: Cred | None = field(
        default=None,
        metadata={
            "name": "Cred",
            "type": "Element",
        },
    )
    meta: MetaType | None = field(
        default=None,
        metadata={
            "name": "Meta",
            "type": "Element",
        },
    )
    item: list[Item] = field(
        default_factory=list,
        metadata={
            "name": "Item",
            "type": "Element",
            "min_occurs": 1,
        },
    )


@dataclass(kw_only=True)
class Exec:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    cmd_id: CmdId = field(
        metadata={
            "name": "CmdID",
            "type": "Element",
        }
    )
    no_resp: NoResp | None = field(
        default=None,
        metadata={
            "name": "NoResp",
            "type": "Element",
        },
    )
    cred: Cred | None = field(
        default=None,
        metadata={
            "name": "Cred",
            "type": "Element",
        },
    )
    meta: MetaType | None = field(
        default=None,
        metadata={
            "name": "Meta",
            "type": "Element",
        },
    )
    correlator: Correlator | None = field(
        default=None,
        metadata={
            "name": "Correlator",
            "type": "Element",
        },
    )
    item: Item = field(
        metadata={
            "name": "Item",
            "type": "Element",
        }
    )


@dataclass(kw_only=True)
class Get:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    cmd_id: CmdId = field(
        metadata={
            "name": "CmdID",
            "type": "Element",
        }
    )
    no_resp: NoResp | None = field(
        default=None,
        metadata={
            "name": "NoResp",
            "type": "Element",
        },
    )
    lang: Lang | None = field(
        default=None,
        metadata={
            "name": "Lang",
            "type": "Element",
        },
    )
    cred: Cred | None = field(
        default=None,
        metadata={
            "name": "Cred",
            "type": "Element",
        },
    )
    meta: MetaType | None = field(
        default=None,
        metadata={
            "name": "Meta",
            "type": "Element",
        },
    )
    item: list[Item] = field(
        default_factory=list,
        metadata={
            "name": "Item",
            "type": "Element",
            "min_occurs": 1,
        },
    )


@dataclass(kw_only=True)
class Replace:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    cmd_id: CmdId = field(
        metadata={
            "name": "CmdID",
            "type": "Element",
        }
    )
    no_resp: NoResp | None = field(
        default=None,
        metadata={
            "name": "NoResp",
            "type": "Element",
        },
    )
    cred: Cred | None = field(
        default=None,
        metadata={
            "name": "Cred",
            "type": "Element",
        },
    )
    meta: MetaType | None = field(
        default=None,
        metadata={
            "name": "Meta",
            "type": "Element",
        },
    )
    item: list[Item] = field(
        default_factory=list,
        metadata={
            "name": "Item",
            "type": "Element",
            "min_occurs": 1,
        },
    )


@dataclass(kw_only=True)
class Results:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    cmd_id: CmdId = field(
        metadata={
            "name": "CmdID",
            "type": "Element",
        }
    )
    msg_ref: MsgRef | None = field(
        default=None,
        metadata={
            "name": "MsgRef",
            "type": "Element",
        },
    )
    cmd_ref: CmdRef = field(
        metadata={
            "name": "CmdRef",
            "type": "Element",
        }
    )
    cmd: Cmd | None = field(
        default=None,
        metadata={
            "name": "Cmd",
            "type": "Element",
        },
    )
    meta: MetaType | None = field(
        default=None,
        metadata={
            "name": "Meta",
            "type": "Element",
        },
    )
    target_ref: TargetRef | None = field(
        default=None,
        metadata={
            "name": "TargetRef",
            "type": "Element",
        },
    )
    source_ref: SourceRef | None = field(
        default=None,
        metadata={
            "name": "SourceRef",
            "type": "Element",
        },
    )
    item: list[Item] = field(
        default_factory=list,
        metadata={
            "name": "Item",
            "type": "Element",
            "min_occurs": 1,
        },
    )


@dataclass(kw_only=True)
class Status:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    cmd_id: CmdId = field(
        metadata={
            "name": "CmdID",
            "type": "Element",
        }
    )
    msg_ref: MsgRef = field(
        metadata={
            "name": "MsgRef",
            "type": "Element",
        }
    )
    cmd_ref: CmdRef = field(
        metadata={
            "name": "CmdRef",
            "type": "Element",
        }
    )
    cmd: Cmd = field(
        metadata={
            "name": "Cmd",
            "type": "Element",
        }
    )
    target_ref: list[TargetRef] = field(
        default_factory=list,
        metadata={
            "name": "TargetRef",
            "type": "Element",
        },
    )
    source_ref: list[SourceRef] = field(
        default_factory=list,
        metadata={
            "name": "SourceRef",
            "type": "Element",
        },
    )
    cred: Cred | None = field(
        default=None,
        metadata={
            "name": "Cred",
            "type": "Element",
        },
    )
    chal: Chal | None = field(
        default=None,
        metadata={
            "name": "Chal",
            "type": "Element",
        },
    )
    data: StatusData = field(
        metadata={
            "name": "Data",
            "type": "Element",
        }
    )
    item: list[Item] = field(
        default_factory=list,
        metadata={
            "name": "Item",
            "type": "Element",
        },
    )


@dataclass(kw_only=True)
class SyncHdr:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    ver_dtd: VerDtd = field(
        metadata={
            "name": "VerDTD",
            "type": "Element",
        }
    )
    ver_proto: VerProto = field(
        metadata={
            "name": "VerProto",
            "type": "Element",
        }
    )
    session_id: SessionId = field(
        metadata={
            "name": "SessionID",
            "type": "Element",
        }
    )
    msg_id: MsgId = field(
        metadata={
            "name": "MsgID",
            "type": "Element",
        }
    )
    target: Target = field(
        metadata={
            "name": "Target",
            "type": "Element",
        }
    )
    source: Source = field(
        metadata={
            "name": "Source",
            "type": "Element",
        }
    )
    resp_uri: RespUri | None = field(
        default=None,
        metadata={
            "name": "RespURI",
            "type": "Element",
        },
    )
    no_resp: NoResp | None = field(
        default=None,
        metadata={
            "name": "NoResp",
            "type": "Element",
        },
    )
    cred: Cred | None = field(
        default=None,
        metadata={
            "name": "Cred",
            "type": "Element",
        },
    )
    meta: MetaType | None = field(
        default=None,
        metadata={
            "name": "Meta",
            "type": "Element",
        },
    )


@dataclass(kw_only=True)
class Atomic:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    cmd_id: CmdId = field(
        metadata={
            "name": "CmdID",
            "type": "Element",
        }
    )
    no_resp: NoResp | None = field(
        default=None,
        metadata={
            "name": "NoResp",
            "type": "Element",
        },
    )
    meta: MetaType | None = field(
        default=None,
        metadata={
            "name": "Meta",
            "type": "Element",
        },
    )
    add: list[Add] = field(
        default_factory=list,
        metadata={
            "name": "Add",
            "type": "Element",
        },
    )
    replace: list[Replace] = field(
        default_factory=list,
        metadata={
            "name": "Replace",
            "type": "Element",
        },
    )
    delete: list[Delete] = field(
        default_factory=list,
        metadata={
            "name": "Delete",
            "type": "Element",
        },
    )
    copy: list[Copy] = field(
        default_factory=list,
        metadata={
            "name": "Copy",
            "type": "Element",
        },
    )
    atomic: list[Atomic] = field(
        default_factory=list,
        metadata={
            "name": "Atomic",
            "type": "Element",
        },
    )
    sequence: list[Sequence] = field(
        default_factory=list,
        metadata={
            "name": "Sequence",
            "type": "Element",
        },
    )
    get: list[Get] = field(
        default_factory=list,
        metadata={
            "name": "Get",
            "type": "Element",
        },
    )
    exec: list[Exec] = field(
        default_factory=list,
        metadata={
            "name": "Exec",
            "type": "Element",
        },
    )
    alert: list[Alert] = field(
        default_factory=list,
        metadata={
            "name": "Alert",
            "type": "Element",
        },
    )


@dataclass(kw_only=True)
class Sequence:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    cmd_id: CmdId = field(
        metadata={
            "name": "CmdID",
            "type": "Element",
        }
    )
    no_resp: NoResp | None = field(
        default=None,
        metadata={
            "name": "NoResp",
            "type": "Element",
        },
    )
    meta: MetaType | None = field(
        default=None,
        metadata={
            "name": "Meta",
            "type": "Element",
        },
    )
    add: list[Add] = field(
        default_factory=list,
        metadata={
            "name": "Add",
            "type": "Element",
        },
    )
    replace: list[Replace] = field(
        default_factory=list,
        metadata={
            "name": "Replace",
            "type": "Element",
        },
    )
    delete: list[Delete] = field(
        default_factory=list,
        metadata={
            "name": "Delete",
            "type": "Element",
        },
    )
    copy: list[Copy] = field(
        default_factory=list,
        metadata={
            "name": "Copy",
            "type": "Element",
        },
    )
    atomic: list[Atomic] = field(
        default_factory=list,
        metadata={
            "name": "Atomic",
            "type": "Element",
        },
    )
    get: list[Get] = field(
        default_factory=list,
        metadata={
            "name": "Get",
            "type": "Element",
        },
    )
    alert: list[Alert] = field(
        default_factory=list,
        metadata={
            "name": "Alert",
            "type": "Element",
        },
    )
    exec: list[Exec] = field(
        default_factory=list,
        metadata={
            "name": "Exec",
            "type": "Element",
        },
    )


@dataclass(kw_only=True)
class SyncBody:
    class Meta:
        namespace = "SYNCML:SYNCML1.2"

    alert: list[Alert] = field(
        default_factory=list,
        metadata={
            "name": "Alert",
            "type": "Element",
        },
    )
    atomic: list[Atomic] = field(
        default_factory=list,
        metadata={
            "name": "Atomic",
            "type": "Element",
        },
    )
    copy: list[Copy] = field(
        default_factory=list,
        metadata={
            "name": "Copy",
            "type": "Element",
        },
    )
    exec: list[Exec] = field(
        default_factory=list,
        metadata={
            "name": "Exec",
            "type": "Element",
        },
    )
    get: list[Get] = field(
        default_factory=list,
        metadata={
            "name": "Get",
            "type": "Element",
        },
    )
    results: list[Results] = field(
        default_factory=list,
        metadata={
            "name": "Results",
            "type": "Element",
        },
    )
    sequence: list[Sequence] = field(
        default_factory=list,
        metadata={
            "name": "Sequence",
            "type": "Element",
        },
    )
    status: list[Status] = field(
        default_factory=list,
        metadata={
            "name": "Status",
            "type": "Element",
        },
    )
    add: list[Add] = field(
        default_factory=list,
        metadata={
            "name": "Add",
            "type": "Element",
        },
    )
    replace: list[Replace] = field(
        default_factory=list,
        metadata={
            "name": "Replace",
            "type": "Element",
        },
    )
    delete: list[Delete] = field(
        default_factory=list,
        metadata={
            "name": "Delete",
            "type": "Element",
        },
    )
    final: Final | None = field(
        default=None,
        metadata={
            "name": "Final",
            "type": "Element",
        },
    )
    schemas_microsoft_com_mobile_device_mdm_attributes: dict[str, str] = field(
        default_factory=dict,
        metadata={
            "type": "Attributes",
            "namespace": "http://schemas.microsoft.com/MobileDevice/MDM",
        },
    )


@dataclass(kw_only=True)
class SyncMl:
    class Meta:
        name = "SyncML"
        namespace = "SYNCML:SYNCML1.2"

    sync_hdr: SyncHdr = field(
        metadata={
            "name": "SyncHdr",
            "type": "Element",
        }
    )
    sync_body: SyncBody = field(
        metadata={
            "name": "SyncBody",
            "type": "Element",
        }
    )
