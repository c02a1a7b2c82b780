"""Errors of the session engine, in the package's one ``SyncMLError`` tree.

``ProtocolError`` is the peer's fault (h11's ``RemoteProtocolError``): it carries the Status code
to send back. ``SessionStateError`` is the caller's fault: a call out of turn, or a state dict
that is not one ``to_state`` wrote (tampered, foreign, another version).
"""

from __future__ import annotations

from syncml_codec.codes import StatusCode
from syncml_codec.errors import SyncMLError

__all__ = ["ProtocolError", "SessionStateError"]


class ProtocolError(SyncMLError):
    """The peer broke a session rule we cannot step over; ``status`` is the code to answer.

    Attributes:
        status: the Status code for the offending message (400 for an unreadable message,
            for example; OMA-TS-DM_RepPro §10 / SyncML RepPro §10).
    """

    status: StatusCode

    def __init__(self, message: str, status: int = StatusCode.BAD_REQUEST) -> None:
        self.status = StatusCode(int(status))
        super().__init__(f"{message} (answer with Status {int(status)})")


class SessionStateError(SyncMLError):
    """A call the session cannot take in its current state, or a state dict it cannot load."""
