"""Client side: the credentials for each outgoing message, and the nonces the server hands out.

``ClientAuth`` keeps the scheme and the nonce to answer with. Before serializing a message it
gives the SyncHdr ``Cred`` (``credentials``) or the whole header (``prepare``, which also sets
``Source/LocName``); after serializing, the ``x-syncml-hmac`` header over the exact body bytes
(``headers``); on each server reply, ``observe`` takes the Chal of the Status for SyncHdr: a
401/407 means resend with the requested scheme and nonce, a 212 Chal is the nonce for the next
session, a 200 Chal (HMAC) the nonce for the next message (OMA-TS-DM_Protocol §2.4.1).
OMA-TS-DM_Security §5.1.3.4: "it is RECOMMENDED that client and Server use the latest received
nonce to build the content of the Cred element". The password is never part of the state.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Final, TypedDict

from syncml_codec.codes import StatusCode
from syncml_codec.errors import DecodeError
from syncml_codec.model import Chal, Cred, SyncHdr, SyncML

from ._cred import Challenge, basic_cred, md5_cred, read_chal, read_challenge, with_credentials
from ._digest import (
    AUTH_BASIC,
    AUTH_MAC,
    AUTH_MD5,
    HMAC_HEADER,
    SCHEMES,
    Nonce,
    Scheme,
    check_account,
    hmac_header,
)

__all__ = ["ClientAuth", "ClientAuthState"]

_STATE_VERSION: Final = 1


class ClientAuthState(TypedDict):
    """``ClientAuth.to_state()``: the scheme and the nonce (base64), never the password."""

    version: int
    scheme: str
    username: str
    nonce: str | None


class ClientAuth:
    """Credentials of one device account towards its server.

    Args:
        scheme: the scheme to start with (DMAcc ``AAuthPref``; a challenge may change it).
        username: the user name (APPAUTH ``AAUTHNAME``); MD5 and HMAC also put it in
            SyncHdr ``Source/LocName``.
        password: the secret (``AAUTHSECRET``).
        nonce: the nonce the server issued last (``AAUTHDATA``, ``Nonce.from_b64``).
    """

    def __init__(
        self, scheme: Scheme, username: str, password: str, *, nonce: Nonce | None = None
    ) -> None:
        check_account(scheme, nonce)
        self.scheme: Scheme = scheme
        self.username = username
        self.password = password
        self.nonce = nonce

    def credentials(self, header: SyncHdr) -> Cred | None:
        """The SyncHdr ``Cred`` for the next message (None for HMAC, or MD5 without a nonce)."""
        if self.scheme == AUTH_BASIC:
            return basic_cred(self.username, self.password)
        if self.scheme == AUTH_MD5 and self.nonce is not None:
            return md5_cred(self.username, self.password, self.nonce)
        return None

    def prepare(self, header: SyncHdr) -> SyncHdr:
        """``header`` with the credentials and, for MD5 and HMAC, ``Source/LocName``."""
        if self.scheme == AUTH_MD5 and self.nonce is None:
            source = dataclasses.replace(header.source, loc_name=self.username)
            return dataclasses.replace(header, source=source, cred=None)
        return with_credentials(header, self.scheme, self.username, self.password, self.nonce)

    def headers(self, header: SyncHdr, body: bytes) -> Mapping[str, str]:
        """``{"x-syncml-hmac": ...}`` over the exact ``body`` for HMAC with a nonce, else {}."""
        if self.scheme != AUTH_MAC or self.nonce is None:
            return {}
        return {HMAC_HEADER: hmac_header(self.username, self.password, self.nonce, body)}

    def challenged(self, status: int, chal: Chal | None) -> None:
        """Take the scheme and nonce of a ``Chal`` the server sent with ``status``.

        Raises:
            DecodeError: the Chal is malformed.
        """
        if chal is not None:
            self._take(read_chal(chal, StatusCode(int(status))))

    def observe(self, message: SyncML) -> Challenge | None:
        """Read the Chal of the server's Status for SyncHdr (if any) and keep its nonce.

        Raises:
            DecodeError: the Chal is malformed (with its element path).
        """
        found = read_challenge(message)
        if found is not None:
            self._take(found)
        return found

    def _take(self, found: Challenge) -> None:
        if found.must_retry:
            self.scheme = found.scheme  # "the authentication type is dependent on the challenge"
        if found.nonce is not None:
            self.nonce = found.nonce

    def to_state(self) -> ClientAuthState:
        """Scheme, user name and nonce as JSON values (the password stays with the caller)."""
        return ClientAuthState(
            version=_STATE_VERSION,
            scheme=self.scheme,
            username=self.username,
            nonce=self.nonce.b64 if self.nonce is not None else None,
        )

    @classmethod
    def from_state(cls, state: ClientAuthState, password: str) -> ClientAuth:
        """Rebuild from ``to_state()`` output and the password.

        Raises:
            DecodeError: the state is not one ``to_state`` wrote.
        """
        try:
            schemes = [s for s in SCHEMES if s == state["scheme"]]
            if state["version"] != _STATE_VERSION or not schemes:
                raise DecodeError(f"unsupported client auth state: {state!r}")
            nonce = state["nonce"]
            return cls(
                schemes[0],
                str(state["username"]),
                password,
                nonce=Nonce.from_b64(nonce) if nonce else None,
            )
        except (KeyError, TypeError) as exc:
            raise DecodeError(f"not a ClientAuth state: {exc!r}") from None
