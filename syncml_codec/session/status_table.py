"""The OMA DM status codes with their meanings, and what Windows means by them.

Meanings follow SyncML RepPro §10 / OMA-TS-DM_RepPro §4.1.6 per-command tables; the Windows
column is what Learn "OMA DM protocol support" (status codes table) and [MS-MDM] 2.2.6.1 say.
Windows reports a SyncML code as the HRESULT ``0x87D10000 + code`` (``StatusMeaning.hresult``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

__all__ = ["STATUS_MEANINGS", "StatusMeaning", "describe_status"]


@dataclass(frozen=True, slots=True)
class StatusMeaning:
    """One row of the table.

    Attributes:
        code: the status code.
        meaning: the RepPro name ("Command failed").
        windows: what Windows means by it, or "" when the docs say nothing special.
        dm: the OMA DM-specific use, or "".
    """

    code: int
    meaning: str
    windows: str = ""
    dm: str = ""

    @property
    def hresult(self) -> str:
        """The HRESULT Windows logs for this code (``0x87D1xxxx``)."""
        return f"0x{0x87D10000 + self.code:08X}"

    @property
    def success(self) -> bool:
        """True for 1xx and 2xx."""
        return 100 <= self.code < 300


_ROWS: Final = (
    StatusMeaning(101, "In progress"),
    StatusMeaning(200, "OK", "Completed", "after a SyncHdr Status with Cred: resend the same"),
    StatusMeaning(201, "Item added"),
    StatusMeaning(202, "Accepted for processing", "denotes an asynchronous operation"),
    StatusMeaning(203, "Non-authoritative response"),
    StatusMeaning(204, "No content", "", "also a Get on a node with no content"),
    StatusMeaning(205, "Reset content"),
    StatusMeaning(206, "Partial content"),
    StatusMeaning(207, "Conflict resolved with merge"),
    StatusMeaning(208, "Conflict resolved with client's command winning"),
    StatusMeaning(209, "Conflict resolved with duplicate"),
    StatusMeaning(210, "Delete without archive"),
    StatusMeaning(211, "Item not deleted"),
    StatusMeaning(212, "Authentication accepted", "normally seen only on SyncHdr"),
    StatusMeaning(213, "Chunked item accepted and buffered", "", "large-object chunk"),
    StatusMeaning(
        214,
        "Operation cancelled",
        "completed successfully, but no more commands will be processed",
    ),
    StatusMeaning(215, "Not executed", "", "skipped in a Sequence or after a UI cancel"),
    StatusMeaning(216, "Atomic roll back OK", "", "member of a failed Atomic rolled back"),
    StatusMeaning(300, "Multiple choices"),
    StatusMeaning(301, "Moved permanently"),
    StatusMeaning(302, "Found"),
    StatusMeaning(303, "See other"),
    StatusMeaning(304, "Not modified", "", "'No' to alert 1101"),
    StatusMeaning(305, "Use proxy"),
    StatusMeaning(
        400,
        "Bad request",
        "malformed SyncML, a non-command element in SyncBody/Atomic/Sequence, or no CmdID",
    ),
    StatusMeaning(401, "Invalid credentials", "must provide proper authentication", "with Chal"),
    StatusMeaning(402, "Payment required"),
    StatusMeaning(403, "Forbidden", "", "Copy target cannot be overwritten (non-ACL)"),
    StatusMeaning(404, "Not found", "the node does not exist"),
    StatusMeaning(
        405,
        "Command not allowed",
        "write to a read-only node; synctype scope mismatch",
        "Delete of a permanent node or the root",
    ),
    StatusMeaning(406, "Optional feature not supported", "unsupported property"),
    StatusMeaning(407, "Missing credentials", "", "authentication required; with Chal"),
    StatusMeaning(408, "Request timeout", "", "UI alert not answered in time"),
    StatusMeaning(409, "Conflict"),
    StatusMeaning(410, "Gone"),
    StatusMeaning(411, "Size required"),
    StatusMeaning(412, "Incomplete command", "", "Alert with wrong Item parameters"),
    StatusMeaning(413, "Request entity too large"),
    StatusMeaning(414, "URI too long", "", "see DevDetail/URI/Max*"),
    StatusMeaning(
        415,
        "Unsupported media type or format",
        "XML parsing or formatting error; unsupported generic alert Type",
    ),
    StatusMeaning(416, "Requested size too big", "", "the device cannot display it"),
    StatusMeaning(417, "Retry later"),
    StatusMeaning(418, "Already exists", "", "Add of an existing node"),
    StatusMeaning(419, "Conflict resolved with server data"),
    StatusMeaning(420, "Device full"),
    StatusMeaning(421, "Unknown search grammar"),
    StatusMeaning(422, "Bad CGI script"),
    StatusMeaning(423, "Soft-delete conflict"),
    StatusMeaning(424, "Size mismatch", "", "reassembled chunks do not match Size"),
    StatusMeaning(425, "Permission denied", "'Access denied' is translated to 425", "ACL"),
    StatusMeaning(426, "Partial item not accepted"),
    StatusMeaning(427, "Item not empty"),
    StatusMeaning(428, "Move failed"),
    StatusMeaning(500, "Command failed", "generic failure; nested Atomic; Get inside Atomic"),
    StatusMeaning(501, "Command not implemented"),
    StatusMeaning(502, "Bad gateway"),
    StatusMeaning(503, "Service unavailable", "", "retry after the RespURI time"),
    StatusMeaning(504, "Gateway timeout"),
    StatusMeaning(505, "DTD version not supported"),
    StatusMeaning(506, "Processing error"),
    StatusMeaning(507, "Atomic failed", "the parent of a nested Atomic"),
    StatusMeaning(508, "Refresh required"),
    StatusMeaning(509, "Reserved"),
    StatusMeaning(510, "Data store failure", "", "Copy and Exec"),
    StatusMeaning(511, "Server failure"),
    StatusMeaning(512, "Synchronization failed"),
    StatusMeaning(513, "Protocol version not supported"),
    StatusMeaning(514, "Operation cancelled"),
    StatusMeaning(516, "Atomic roll back failed"),
    StatusMeaning(517, "Atomic response too large to fit"),
)

#: Every status code of the table, by code.
STATUS_MEANINGS: Final[Mapping[int, StatusMeaning]] = MappingProxyType(
    {row.code: row for row in _ROWS}
)


def describe_status(code: int) -> StatusMeaning:
    """The table row for ``code``; an unlisted code gets its class name ("Unknown 4xx")."""
    found = STATUS_MEANINGS.get(int(code))
    if found is not None:
        return found
    return StatusMeaning(int(code), f"Unknown {int(code) // 100}xx status")
