"""A sans-IO OMA DM session engine (the h11 of device management).

``ServerSession`` and ``ClientSession`` hold one session's state; the application moves bytes:
``receive(body)`` returns typed events, ``send(command)`` queues a command and returns a handle,
``next_message()`` gives the message to send (or None when the session is over), and
``to_state()`` / ``from_state()`` persist the whole session between HTTP requests. Policy comes
in through plug-ins (``plugins``): authentication, message packing, a clock. See
docs/pages/session.md.
"""

from __future__ import annotations

from .client import ClientSession
from .errors import ProtocolError, SessionStateError
from .events import (
    AuthChallenged,
    AuthFailed,
    ClientAlert,
    CommandOutcome,
    CommandReceived,
    EndReason,
    Event,
    Handle,
    LargeObjectDropped,
    LargeObjectReceived,
    MoreMessagesNeeded,
    OutgoingMessage,
    ProtocolViolation,
    ResultsReceived,
    SessionEnded,
    SessionStarted,
    UnenrollmentRequested,
    WireFormat,
)
from .plugins import (
    AuthDecision,
    ClientAuthenticator,
    Clock,
    NoAuth,
    Packer,
    ServerAuthenticator,
    SystemClock,
    single_message_packer,
)
from .server import ServerSession
from .status_table import STATUS_MEANINGS, StatusMeaning, describe_status

__all__ = [
    "STATUS_MEANINGS",
    "AuthChallenged",
    "AuthDecision",
    "AuthFailed",
    "ClientAlert",
    "ClientAuthenticator",
    "ClientSession",
    "Clock",
    "CommandOutcome",
    "CommandReceived",
    "EndReason",
    "Event",
    "Handle",
    "LargeObjectDropped",
    "LargeObjectReceived",
    "MoreMessagesNeeded",
    "NoAuth",
    "OutgoingMessage",
    "Packer",
    "ProtocolError",
    "ProtocolViolation",
    "ResultsReceived",
    "ServerAuthenticator",
    "ServerSession",
    "SessionEnded",
    "SessionStarted",
    "SessionStateError",
    "StatusMeaning",
    "SystemClock",
    "UnenrollmentRequested",
    "WireFormat",
    "describe_status",
    "single_message_packer",
]
