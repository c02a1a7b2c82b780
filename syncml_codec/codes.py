"""Codes and names of SyncML DM 1.2: status codes, alert codes, namespaces, MetInf formats.

Status and alert codes are *open* ``IntEnum`` types: a code that is not listed (a vendor code, a
DS code, a typo) still converts, to a pseudo-member named ``CODE_<n>``, so it round-trips
(dnspython ``enum.py``). Meanings follow SyncML RepPro §10 and DM RepPro §4.2
(OMA-TS-DM_RepPro 4.2 alert codes; the status codes of SyncML RepPro section 10).
"""

from __future__ import annotations

import enum
from typing import Any, Final, Literal

__all__ = [
    "DM_ALERT_CODES",
    "METINF_FORMATS",
    "NS_METINF",
    "NS_MSFT",
    "NS_SYNCML11",
    "NS_SYNCML12",
    "AlertCode",
    "CommandName",
    "MetInfFormat",
    "StatusCode",
]

#: SyncML 1.2 namespace, upper case (OMA-TS-DM_RepPro 4; [MS-MDM] 2.2.4.1 "MUST be the string").
NS_SYNCML12: Final = "SYNCML:SYNCML1.2"
#: OMA DM 1.1.2 namespace, still used by many Microsoft CSP samples ([DMREP] 4, [L-STRUCT]).
NS_SYNCML11: Final = "SYNCML:SYNCML1.1"
#: MetInf namespace, lower case, declared on each MetInf element (OMA-TS-DM_RepPro 4).
NS_METINF: Final = "syncml:metinf"
#: Microsoft extension namespace, prefix ``msft`` on SyncBody ([MS-MDM] 2.2.4.3).
NS_MSFT: Final = "http://schemas.microsoft.com/MobileDevice/MDM"


class _OpenIntEnum(enum.IntEnum):
    """An IntEnum that keeps values it does not list, as ``CODE_<n>`` pseudo-members."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            member = int.__new__(cls, value)
            member._name_ = f"CODE_{value}"
            member._value_ = value
            return member
        return None


class StatusCode(_OpenIntEnum):
    """Status codes of SyncML RepPro §10 (OMA-TS-DM_RepPro 6)."""

    IN_PROGRESS = 101  #: RepPro §10.1.
    OK = 200  #: Completed. After a SyncHdr Status with Cred: resend the same credentials.
    ITEM_ADDED = 201  #: DS.
    ACCEPTED_FOR_PROCESSING = 202  #: Asynchronous Exec or Alert; generic alerts may get it.
    NON_AUTHORITATIVE_RESPONSE = 203  #: RepPro §10.2.
    NO_CONTENT = 204  #: Also a Get on a node with no content.
    RESET_CONTENT = 205  #: DS.
    PARTIAL_CONTENT = 206  #: DS.
    CONFLICT_RESOLVED_WITH_MERGE = 207  #: DS.
    CONFLICT_RESOLVED_CLIENT_WINNING = 208  #: DS.
    CONFLICT_RESOLVED_WITH_DUPLICATE = 209  #: DS.
    DELETE_WITHOUT_ARCHIVE = 210  #: DS.
    ITEM_NOT_DELETED = 211  #: DS.
    AUTHENTICATION_ACCEPTED = 212  #: No further authentication this session.
    CHUNKED_ITEM_ACCEPTED = 213  #: Large-object chunk buffered ([DMPRO] §2.2).
    OPERATION_CANCELLED = 214  #: UI cancel.
    NOT_EXECUTED = 215  #: Skipped inside a Sequence or after a UI cancel.
    ATOMIC_ROLL_BACK_OK = 216  #: Member of a failed Atomic rolled back ([DMREP] 4.1.6.3).
    MULTIPLE_CHOICES = 300  #: RepPro §10.3.
    MOVED_PERMANENTLY = 301  #: RepPro §10.3.
    FOUND = 302  #: RepPro §10.3.
    SEE_OTHER = 303  #: RepPro §10.3.
    NOT_MODIFIED = 304  #: DM: "No" to alert 1101.
    USE_PROXY = 305  #: RepPro §10.3.
    BAD_REQUEST = 400  #: Malformed SyncML; missing CmdID (Windows).
    INVALID_CREDENTIALS = 401  #: Unauthorized; the response carries Chal.
    PAYMENT_REQUIRED = 402  #: RepPro §10.4.
    FORBIDDEN = 403  #: RepPro §10.4.
    NOT_FOUND = 404  #: The node does not exist.
    COMMAND_NOT_ALLOWED = 405  #: Write to a read-only node; Windows synctype scope mismatch.
    OPTIONAL_FEATURE_NOT_SUPPORTED = 406  #: Unsupported UI alerts, properties.
    MISSING_CREDENTIALS = 407  #: Authentication required; the response carries Chal.
    REQUEST_TIMEOUT = 408  #: UI alert not answered in time.
    CONFLICT = 409  #: RepPro §10.4.
    GONE = 410  #: RepPro §10.4.
    SIZE_REQUIRED = 411  #: RepPro §10.4.
    INCOMPLETE_COMMAND = 412  #: Alert with wrong Item parameters; generic-alert error.
    REQUEST_ENTITY_TOO_LARGE = 413  #: RepPro §10.4.
    URI_TOO_LONG = 414  #: See DevDetail/URI/Max*.
    UNSUPPORTED_MEDIA_TYPE = 415  #: Unsupported Type/Format; Windows XML errors.
    REQUESTED_SIZE_TOO_BIG = 416  #: DM UI: the device cannot display it.
    RETRY_LATER = 417  #: RepPro §10.4.
    ALREADY_EXISTS = 418  #: Add of an existing node.
    CONFLICT_RESOLVED_WITH_SERVER_DATA = 419  #: DS.
    DEVICE_FULL = 420  #: RepPro §10.4.
    UNKNOWN_SEARCH_GRAMMAR = 421  #: DS.
    BAD_CGI_SCRIPT = 422  #: DS.
    SOFT_DELETE_CONFLICT = 423  #: DS.
    SIZE_MISMATCH = 424  #: Reassembled chunks do not match Size ([DMPRO] §2.2).
    PERMISSION_DENIED = 425  #: ACL; Windows "Access denied".
    PARTIAL_ITEM_NOT_ACCEPTED = 426  #: RepPro §10.4.
    ITEM_NOT_EMPTY = 427  #: DS.
    MOVE_FAILED = 428  #: DS.
    COMMAND_FAILED = 500  #: Generic failure; nested Atomic; Get inside Atomic.
    COMMAND_NOT_IMPLEMENTED = 501  #: RepPro §10.5.
    BAD_GATEWAY = 502  #: RepPro §10.5.
    SERVICE_UNAVAILABLE = 503  #: Retry after the RespURI time.
    GATEWAY_TIMEOUT = 504  #: RepPro §10.5.
    DTD_VERSION_NOT_SUPPORTED = 505  #: RepPro §10.5.
    PROCESSING_ERROR = 506  #: RepPro §10.5.
    ATOMIC_FAILED = 507  #: One command in an Atomic failed ([DMREP] 4.1.6.3).
    REFRESH_REQUIRED = 508  #: DS.
    RESERVED = 509  #: RepPro §10.5.
    DATA_STORE_FAILURE = 510  #: DM Copy and Exec.
    SERVER_FAILURE = 511  #: RepPro §10.5.
    SYNCHRONIZATION_FAILED = 512  #: RepPro §10.5.
    PROTOCOL_VERSION_NOT_SUPPORTED = 513  #: RepPro §10.5.
    OPERATION_CANCELLED_514 = 514  #: RepPro §10.5.
    ATOMIC_ROLL_BACK_FAILED = 516  #: [DMREP] 4.1.6.3.
    ATOMIC_RESPONSE_TOO_LARGE = 517  #: Atomic statuses would not fit one message.

    @property
    def is_success(self) -> bool:
        """True for the 1xx and 2xx classes."""
        return 100 <= self < 300


class AlertCode(_OpenIntEnum):
    """Alert codes valid in OMA DM ([DMREP] §4.2)."""

    DISPLAY = 1100  #: UI: show text (server to client only).
    CONFIRM_OR_REJECT = 1101  #: UI: yes 200, no 304, cancel 214.
    TEXT_INPUT = 1102  #: UI: text comes back in the Status Item.
    SINGLE_CHOICE = 1103  #: UI: one choice.
    MULTIPLE_CHOICE = 1104  #: UI: several choices.
    SERVER_INITIATED_MGMT = 1200  #: Package 1 after a notification.
    CLIENT_INITIATED_MGMT = 1201  #: Package 1 for other triggers.
    NEXT_MESSAGE = 1222  #: Ask for the next message of a multi-message package.
    SESSION_ABORT = 1223  #: Either side; the sender must include Final.
    CLIENT_EVENT = 1224  #: Client event; each Item has Meta Type and Format.
    NO_END_OF_DATA = 1225  #: A chunked object was interrupted.
    GENERIC_ALERT = 1226  #: Client-generated alert ([DMPRO] §2.3.7).

    @property
    def is_ui(self) -> bool:
        """True for the user-interaction alerts 1100-1104 ([DMPRO] §2.5)."""
        return 1100 <= self <= 1104


#: "Only the alert codes listed in this section are valid in OMA DM" ([DMREP] §4.2).
DM_ALERT_CODES: Final = frozenset(int(c) for c in AlertCode)


class CommandName(enum.StrEnum):
    """Element names of the SyncML commands (the values of ``Status/Cmd``)."""

    ADD = "Add"
    ALERT = "Alert"
    ATOMIC = "Atomic"
    COPY = "Copy"
    DELETE = "Delete"
    EXEC = "Exec"
    GET = "Get"
    REPLACE = "Replace"
    RESULTS = "Results"
    SEQUENCE = "Sequence"
    STATUS = "Status"
    SYNC_HDR = "SyncHdr"


#: MetInf ``Format`` values ([XSD05] enumeration, default ``chr``) plus the DM TND node formats.
MetInfFormat = Literal[
    "b64", "bin", "bool", "chr", "int", "node", "null", "xml", "date", "time", "float"
]
METINF_FORMATS: Final = frozenset(
    ("b64", "bin", "bool", "chr", "int", "node", "null", "xml", "date", "time", "float")
)
