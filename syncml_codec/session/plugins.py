"""Plug-ins, not policy: authentication, message packing and a clock, as ``typing.Protocol``.

The engine calls these at fixed points and never decides the policy itself:

- ``ServerAuthenticator.authenticate`` for every received message (server side): accept,
  challenge (401/407 with Chal, OMA-TS-DM_Security §5.3) or reject, as a
  ``syncml_codec.auth.AuthDecision``. ``syncml_codec.auth.ServerAuth`` is one, for Basic, MD5
  and HMAC.
- ``ClientAuthenticator`` for every outgoing message (client side): the SyncHdr to send (with
  ``Cred`` and, for MD5 and HMAC, ``Source/LocName``) before serializing, then extra HTTP
  headers (``x-syncml-hmac``) computed over the exact body bytes, and ``challenged`` whenever
  the server's Status for SyncHdr carries a ``Chal`` (401/407, and the next nonce with 212 or an
  HMAC 200). ``syncml_codec.auth.ClientAuth`` is one.
- ``Packer.pack``: how one package becomes messages within the peer's MaxMsgSize
  (OMA-TS-DM_Protocol §8.7 "Multiple messages in package"); ``syncml_codec.packing`` (its own
  issue) provides one. The default, ``single_message_packer``, sends each package as one message.
- ``Clock.now`` for timeouts (``SystemClock`` by default; tests pass a fake).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Literal, Protocol

from syncml_codec.auth import AuthDecision
from syncml_codec.model import Chal, Command, SyncBody, SyncHdr, SyncML

__all__ = [
    "AuthDecision",
    "ClientAuthenticator",
    "Clock",
    "NoAuth",
    "Packer",
    "ServerAuthenticator",
    "SystemClock",
    "single_message_packer",
]


class ServerAuthenticator(Protocol):
    """Server side: judge each received message (OMA-TS-DM_Security §5)."""

    def authenticate(
        self, message: SyncML, headers: Mapping[str, str], body: bytes
    ) -> AuthDecision:
        """Decide about ``message``; ``headers`` hold ``x-syncml-hmac``, ``body`` the raw bytes."""
        ...


class ClientAuthenticator(Protocol):
    """Client side: credentials for each outgoing message (OMA-TS-DM_Security §5)."""

    def prepare(self, header: SyncHdr) -> SyncHdr:
        """The header of the message about to be serialized, with its credentials."""
        ...

    def headers(self, header: SyncHdr, body: bytes) -> Mapping[str, str]:
        """Extra HTTP headers for the exact ``body`` bytes (``x-syncml-hmac``), or {}."""
        ...

    def challenged(self, status: int, chal: Chal | None) -> None:
        """The server's Status for SyncHdr carried ``chal``: take its scheme and nonce."""
        ...


class NoAuth:
    """The default for both sides: no credentials, every message accepted."""

    def authenticate(
        self, message: SyncML, headers: Mapping[str, str], body: bytes
    ) -> AuthDecision:
        """Accept every message with 200."""
        return AuthDecision(outcome="accept", reason="no authentication configured")

    def prepare(self, header: SyncHdr) -> SyncHdr:
        """The header unchanged: no Cred."""
        return header

    def headers(self, header: SyncHdr, body: bytes) -> Mapping[str, str]:
        """No extra header."""
        return {}

    def challenged(self, status: int, chal: Chal | None) -> None:
        """Nothing to remember."""


class Packer(Protocol):
    """Turns one package into messages (the hook ``syncml_codec.packing.pack`` plugs into).

    Contract: ``statuses`` (the SyncHdr Status first, then Statuses and Results in request
    order) and ``commands`` arrive with CmdIDs unique across both sequences; a packer keeps
    every CmdID as given, puts the Statuses first, never splits a command, and returns at
    least one message. The engine sends the first message and keeps whatever did not fit in
    it for the next one (after the peer's Alert 1222); it sets MsgID and Final itself.

    Large objects: a message may end with a chunk (one Item with MoreData) of a command or
    Results; the engine queues the rest of that Item's Data as the same command with MoreData
    set and no ``Meta/Size``, and expects the packer to go on cutting it from the first message
    of the next call (``syncml_codec.packing.pack`` does; OMA-TS-DM_Protocol §8.7 "Large object
    handling"). When a first message would carry only the Statuses it owes while the peer
    only asked for more (1222), the engine marks the next entry the same way (MoreData, with
    Size) and packs again: the packer must start cutting it in that first message.
    """

    def __call__(
        self,
        header: SyncHdr,
        statuses: Sequence[Command],
        commands: Sequence[Command],
        *,
        max_msg_size: int,
        max_obj_size: int | None = None,
        format: Literal["xml", "wbxml"] = "xml",
    ) -> list[SyncML]:
        """Pack ``statuses`` then ``commands`` into messages of at most ``max_msg_size`` bytes."""
        ...


def single_message_packer(
    header: SyncHdr,
    statuses: Sequence[Command],
    commands: Sequence[Command],
    *,
    max_msg_size: int,
    max_obj_size: int | None = None,
    format: Literal["xml", "wbxml"] = "xml",
) -> list[SyncML]:
    """The default packer: the whole package in one message, whatever its size."""
    body = SyncBody(commands=(*statuses, *commands), final=True)
    return [SyncML(sync_hdr=header, sync_body=body)]


class Clock(Protocol):
    """A source of time in seconds (monotonic is fine): used for session timeouts."""

    def now(self) -> float:
        """The current time in seconds."""
        ...


class SystemClock:
    """``time.time()``: wall-clock seconds, comparable across processes (state is persisted)."""

    def now(self) -> float:
        """The current wall-clock time in seconds."""
        return time.time()
