"""syncml-codec: a typed SyncML / OMA DM 1.2 codec.

The OMA DM / Windows MDM recipes (unenrollment, generic alerts, replies) live in
``syncml_codec.helpers``. Their old top-level names still import from here, without a warning,
for this release; they are not part of ``__all__``.
"""

from __future__ import annotations

from ._resources import SchemaNotFound
from ._source import SourceLike
from ._validate import PROFILES, RULES, Profile, Rule, validate, validate_or_raise
from ._version import __version__
from .codes import AlertCode, CommandName, StatusCode
from .diagnostics import JSON_VERSION, Diagnostic, Severity, render_github, render_json, render_text
from .errors import (
    DecodeError,
    EncodeError,
    ForbiddenConstruct,
    LimitExceeded,
    MalformedXML,
    Position,
    SchemaInvalid,
    SyncMLError,
    UnknownElement,
)
from .helpers import (  # old top-level names, kept importable for this release
    GENERIC_ALERT_CODES,  # noqa: F401
    MARK_LEVELS,  # noqa: F401
    PROBABLE_UNENROLLMENT,  # noqa: F401
    UNENROLLMENT_ALERT_TYPE,  # noqa: F401
    WINDOWS_ALERT_TYPES,  # noqa: F401
    AlertItem,  # noqa: F401
    AlertTypeInfo,  # noqa: F401
    CmdIdAllocator,  # noqa: F401
    DevInfo,  # noqa: F401
    GenericAlert,  # noqa: F401
    ResultsSpec,  # noqa: F401
    StatusSpec,  # noqa: F401
    UnenrollScope,  # noqa: F401
    WindowsAlertType,  # noqa: F401
    build_reply,  # noqa: F401
    find_unenroll_exec,  # noqa: F401
    find_unenrollment_request,  # noqa: F401
    generic_alert,  # noqa: F401
    generic_alerts,  # noqa: F401
    is_empty_reply,  # noqa: F401
    is_unenrollment_request,  # noqa: F401
    iter_commands,  # noqa: F401
    new_message,  # noqa: F401
    next_msg_id,  # noqa: F401
    normalize_alert_type,  # noqa: F401
    read_generic_alerts,  # noqa: F401
    renumber,  # noqa: F401
    unenroll_exec,  # noqa: F401
    unenroll_exec_uri,  # noqa: F401
    unenrollment_alert,  # noqa: F401
    unenrollment_request,  # noqa: F401
)
from .limits import DEFAULT_LIMITS, Limits
from .model import (
    Add,
    Alert,
    Anchor,
    Atomic,
    CData,
    Chal,
    Command,
    Copy,
    Cred,
    Delete,
    Exec,
    Get,
    Item,
    Mem,
    Meta,
    ModelObject,
    Replace,
    Results,
    Sequence,
    Source,
    SourceParent,
    Status,
    SyncBody,
    SyncHdr,
    SyncML,
    Target,
    TargetParent,
    XmlData,
)
from .parse import (
    CommandsResult,
    ParseResult,
    parse,
    parse_commands,
    parse_commands_with_diagnostics,
    parse_fragment,
    parse_tree,
    parse_with_diagnostics,
)
from .serialize import OutputFormat, serialize, to_string
from .stream import (
    CommandEnd,
    CommandInfo,
    CommandStart,
    End,
    Event,
    Header,
    ItemEvent,
    ItemStream,
    StreamParser,
    iter_items,
    iterparse,
)

__all__ = [
    "DEFAULT_LIMITS",
    "JSON_VERSION",
    "PROFILES",
    "RULES",
    "Add",
    "Alert",
    "AlertCode",
    "Anchor",
    "Atomic",
    "CData",
    "Chal",
    "Command",
    "CommandEnd",
    "CommandInfo",
    "CommandName",
    "CommandStart",
    "CommandsResult",
    "Copy",
    "Cred",
    "DecodeError",
    "Delete",
    "Diagnostic",
    "EncodeError",
    "End",
    "Event",
    "Exec",
    "ForbiddenConstruct",
    "Get",
    "Header",
    "Item",
    "ItemEvent",
    "ItemStream",
    "LimitExceeded",
    "Limits",
    "MalformedXML",
    "Mem",
    "Meta",
    "ModelObject",
    "OutputFormat",
    "ParseResult",
    "Position",
    "Profile",
    "Replace",
    "Results",
    "Rule",
    "SchemaInvalid",
    "SchemaNotFound",
    "Sequence",
    "Severity",
    "Source",
    "SourceLike",
    "SourceParent",
    "Status",
    "StatusCode",
    "StreamParser",
    "SyncBody",
    "SyncHdr",
    "SyncML",
    "SyncMLError",
    "Target",
    "TargetParent",
    "UnknownElement",
    "XmlData",
    "__version__",
    "iter_items",
    "iterparse",
    "parse",
    "parse_commands",
    "parse_commands_with_diagnostics",
    "parse_fragment",
    "parse_tree",
    "parse_with_diagnostics",
    "render_github",
    "render_json",
    "render_text",
    "serialize",
    "to_string",
    "validate",
    "validate_or_raise",
]
