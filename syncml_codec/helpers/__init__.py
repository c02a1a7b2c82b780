"""OMA DM / Windows MDM recipes built from model objects (never touch XML).

- ``message``: ``CmdIdAllocator`` (one per message), ``new_message``, ``renumber``.
- ``alerts``: generic alerts 1226 / client events 1224, ``GenericAlert`` records, the
  ``WindowsAlertType`` registry (OMA-TS-DM_Protocol 2.3.7; Learn "OMA DM protocol support").
- ``unenroll``: unenrollment package 1, the DMClient Unenroll Exec, recognisers ([L-UNENR]).
- ``reply``: response skeletons that follow the Status rules of §4.2.
"""

from __future__ import annotations

from .alerts import (
    GENERIC_ALERT_CODES,
    MARK_LEVELS,
    WINDOWS_ALERT_TYPES,
    AlertItem,
    AlertTypeInfo,
    GenericAlert,
    WindowsAlertType,
    generic_alert,
    generic_alerts,
    normalize_alert_type,
    read_generic_alerts,
)
from .message import CmdIdAllocator, iter_commands, new_message, renumber
from .reply import ResultsSpec, StatusSpec, build_reply, is_empty_reply, next_msg_id
from .unenroll import (
    PROBABLE_UNENROLLMENT,
    UNENROLLMENT_ALERT_TYPE,
    DevInfo,
    UnenrollScope,
    find_unenroll_exec,
    find_unenrollment_request,
    is_unenrollment_request,
    unenroll_exec,
    unenroll_exec_uri,
    unenrollment_alert,
    unenrollment_request,
)

__all__ = [
    "GENERIC_ALERT_CODES",
    "MARK_LEVELS",
    "PROBABLE_UNENROLLMENT",
    "UNENROLLMENT_ALERT_TYPE",
    "WINDOWS_ALERT_TYPES",
    "AlertItem",
    "AlertTypeInfo",
    "CmdIdAllocator",
    "DevInfo",
    "GenericAlert",
    "ResultsSpec",
    "StatusSpec",
    "UnenrollScope",
    "WindowsAlertType",
    "build_reply",
    "find_unenroll_exec",
    "find_unenrollment_request",
    "generic_alert",
    "generic_alerts",
    "is_empty_reply",
    "is_unenrollment_request",
    "iter_commands",
    "new_message",
    "next_msg_id",
    "normalize_alert_type",
    "read_generic_alerts",
    "renumber",
    "unenroll_exec",
    "unenroll_exec_uri",
    "unenrollment_alert",
    "unenrollment_request",
]
