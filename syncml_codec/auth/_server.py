"""Server side: accept, challenge or reject a received message (sans-IO, JSON-serialisable).

Strategy:
    ``ServerAuth`` holds the authentication state of one device account across sessions: the
    scheme, the nonce the device must use next, the nonces already used (replay defence), and
    for the current session whether it is authenticated and how many times it failed. It does
    no I/O: the caller passes each received message (and, for HMAC, the exact body bytes and
    the ``x-syncml-hmac`` value), gets an ``AuthDecision``, persists ``to_state()`` and builds
    the reply with ``AuthDecision.reply``. The password lookup is a callback, never stored.

Rules applied (OMA-TS-DM_Protocol §2.4.1, OMA-TS-DM_Security §5.1.3.3, §5.1.4):
    * no credentials: 407 with a Chal carrying the current nonce;
    * wrong credentials, an unknown user, a stale or already used nonce: 401 with a Chal and a
      *new* nonce ("if authentication fails, one more challenge, along with the supply of a new
      nonce, MUST be made"); after ``max_failures`` such failures in one session: reject (401
      with Chal; the caller ends the session);
    * Basic or MD5 accepted: 212 ("no further authentication is needed for the remainder of the
      DM session"); MD5 adds a Chal whose NextNonce is for the next session (the nonce is
      renewed every session, Microsoft Learn "Server requirements for using OMA DM to manage
      Windows devices");
    * HMAC: every message is verified and answered 200 with a Chal carrying a new nonce for the
      next message; the header user name must equal SyncHdr ``Source/LocName``;
    * after a failure the reply holds only Status commands (``AuthDecision.reply``).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias, TypedDict

from syncml_codec.codes import StatusCode
from syncml_codec.errors import DecodeError, EncodeError
from syncml_codec.helpers.message import CmdIdAllocator
from syncml_codec.helpers.reply import ResultsSpec, StatusSpec, build_reply
from syncml_codec.model import Chal, Command, Cred, SyncML

from ._cred import challenge, cred_scheme
from ._digest import (
    AUTH_BASIC,
    AUTH_MAC,
    AUTH_MD5,
    HMAC_HEADER,
    SCHEMES,
    Nonce,
    Scheme,
    b64decode_strict,
    body_hash,
    check_account,
    decode_basic,
    equal_digests,
    mac_from_body_hash,
    md5_digest,
    parse_hmac_header,
)

__all__ = ["AuthDecision", "AuthState", "Outcome", "PasswordLookup", "ServerAuth"]

#: What to do with a received message.
Outcome: TypeAlias = Literal["accept", "challenge", "reject"]
#: Returns the password of a user name, or None for an unknown user.
PasswordLookup: TypeAlias = Callable[[str], str | None]

_STATE_VERSION: Final = 1
_DUMMY: Final = "\x00unknown-user\x00"  # verified against, so unknown users cost the same


class AuthState(TypedDict):
    """``ServerAuth.to_state()``: plain JSON values only (str, int, bool, list, None)."""

    version: int
    scheme: str
    nonce: str | None
    session_id: str | None
    session_nonce: str | None
    used: list[str]
    authenticated: bool
    username: str | None
    failures: int
    challenges: int


@dataclass(frozen=True, slots=True)
class AuthDecision:
    """The outcome for one received message.

    Attributes:
        outcome: ``"accept"``, ``"challenge"`` (send the Chal, expect a retry) or ``"reject"``
            (send the Status and end the session).
        status: the code for the Status for SyncHdr (212, 200, 401 or 407).
        chal: the ``Chal`` for that Status, or None.
        username: the authenticated user name (accept only).
        reason: why, for logs ("wrong credentials", "nonce already used"...).
    """

    outcome: Outcome
    status: int = StatusCode.OK
    chal: Chal | None = None
    username: str | None = None
    reason: str = ""

    @property
    def accepted(self) -> bool:
        """True when the message is authenticated."""
        return self.outcome == "accept"

    def reply(
        self,
        received: SyncML,
        *,
        msg_id: str | None = None,
        statuses: StatusSpec | None = None,
        results: ResultsSpec | None = None,
        commands: Sequence[Command] = (),
        ids: CmdIdAllocator | None = None,
    ) -> SyncML:
        """The reply to ``received`` with this decision in the Status for SyncHdr.

        Accepted: ``build_reply`` with ``statuses``, ``results`` and ``commands`` as given.
        Otherwise the reply "contains only Status commands", one per received command, each
        carrying this decision's code (OMA-TS-DM_Protocol §2.4.1), so ``statuses``,
        ``results`` and ``commands`` must be empty.

        Raises:
            EncodeError: commands, statuses or results for a failed authentication, or what
                ``build_reply`` raises.
        """
        if self.accepted:
            return build_reply(
                received,
                msg_id=msg_id,
                statuses=statuses,
                results=results,
                header_status=self.status,
                chal=self.chal,
                commands=commands,
                ids=ids,
            )
        if commands or statuses or results:
            raise EncodeError(
                "after an authentication failure the reply holds only Status commands"
                " (OMA-TS-DM_Protocol §2.4.1); leave commands, statuses and results empty"
            )
        code = int(self.status)
        return build_reply(
            received,
            msg_id=msg_id,
            statuses=lambda _cmd: code,
            header_status=code,
            chal=self.chal,
            ids=ids,
        )


class ServerAuth:
    """Decides accept / challenge / reject for received messages of one device account.

    >>> auth = ServerAuth("syncml:auth-md5", {"dev": "secret"}.get, nonce=Nonce(b"n" * 16))
    >>> # decision = auth.check(message); reply = decision.reply(message); save auth.to_state()

    Args:
        scheme: the scheme this server requires.
        lookup: user name -> password, or None for an unknown user.
        nonce: the nonce the device holds for us (provisioned or sent in the last Chal); a
            fresh one is drawn when None (the first message is then challenged).
        max_failures: the failed attempt that reaches this count in one session is rejected.
            The default 2 gives a first failure (a stale nonce, say) "one more challenge, along
            with the supply of a new nonce" (OMA-TS-DM_Security §5.1.3.3); the second ends it.
        remember: how many used nonces are kept for replay detection.
    """

    authenticated: bool
    failures: int
    challenges: int

    def __init__(
        self,
        scheme: Scheme,
        lookup: PasswordLookup,
        *,
        nonce: Nonce | None = None,
        max_failures: int = 2,
        remember: int = 64,
    ) -> None:
        check_account(scheme, nonce)
        self.scheme: Scheme = scheme
        self.lookup = lookup
        self.max_failures = max_failures
        self.remember = remember
        self.nonce: Nonce = nonce if nonce is not None else Nonce.new()
        self.used: list[str] = []
        self.session_id: str | None = None
        self.session_nonce: Nonce | None = None
        self.authenticated = False
        self.username: str | None = None
        self.failures = 0
        self.challenges = 0

    # -- state -------------------------------------------------------------------------------

    def new_session(self, session_id: str | None = None) -> None:
        """Forget the per-session state (``check`` does this when the SessionID changes)."""
        self.session_id = session_id
        self.session_nonce = None
        self.authenticated = False
        self.username = None
        self.failures = 0
        self.challenges = 0

    def to_state(self) -> AuthState:
        """The whole state as JSON-serialisable values (nonces as base64)."""
        return AuthState(
            version=_STATE_VERSION,
            scheme=self.scheme,
            nonce=self.nonce.b64,
            session_id=self.session_id,
            session_nonce=self.session_nonce.b64 if self.session_nonce else None,
            used=list(self.used),
            authenticated=self.authenticated,
            username=self.username,
            failures=self.failures,
            challenges=self.challenges,
        )

    @classmethod
    def from_state(
        cls, state: AuthState, lookup: PasswordLookup, *, max_failures: int = 2, remember: int = 64
    ) -> ServerAuth:
        """Rebuild a ``ServerAuth`` from ``to_state()`` output (after ``json.loads``).

        Raises:
            DecodeError: the state is not one ``to_state`` wrote.
        """
        try:
            schemes = [s for s in SCHEMES if s == state["scheme"]]
            if state["version"] != _STATE_VERSION or not schemes:
                raise DecodeError(f"unsupported auth state version/scheme: {state!r}")
            nonce = state["nonce"]
            auth = cls(
                schemes[0],
                lookup,
                nonce=Nonce.from_b64(nonce) if nonce else None,
                max_failures=max_failures,
                remember=remember,
            )
            auth.used = [Nonce.from_b64(u).b64 for u in state["used"]]
            auth.session_id = state["session_id"]
            sn = state["session_nonce"]
            auth.session_nonce = Nonce.from_b64(sn) if sn else None
            auth.authenticated = bool(state["authenticated"])
            auth.username = state["username"]
            auth.failures = int(state["failures"])
            auth.challenges = int(state["challenges"])
        except DecodeError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise DecodeError(f"not a ServerAuth state: {exc!r}") from None
        return auth

    # -- decisions ---------------------------------------------------------------------------

    def authenticate(
        self, message: SyncML, headers: Mapping[str, str], body: bytes
    ) -> AuthDecision:
        """``check`` with the ``x-syncml-hmac`` value looked up in ``headers`` (any case).

        The call shape of a session engine's server authenticator plug-in.
        """
        value = next((v for k, v in headers.items() if k.lower() == HMAC_HEADER), None)
        return self.check(message, body=body, hmac_header=value)

    def check(
        self, message: SyncML, *, body: bytes | None = None, hmac_header: str | None = None
    ) -> AuthDecision:
        """Decide for one received message and update the state.

        Args:
            message: the parsed message.
            body: the exact received bytes (required for HMAC).
            hmac_header: the ``x-syncml-hmac`` header value, None when absent (HMAC).

        Raises:
            TypeError: HMAC without ``body``.
        """
        hdr = message.sync_hdr
        if hdr.session_id != self.session_id:
            self.new_session(hdr.session_id)
        if self.scheme == AUTH_MAC:
            if body is None:
                raise TypeError("HMAC verification needs body=, the exact received bytes")
            return self._check_mac(message, body, hmac_header)
        cred = hdr.cred
        if self.authenticated and cred is None:
            return self._decision("accept", StatusCode.OK, None, "session already authenticated")
        if cred is None:
            return self._missing()
        nonce = self.session_nonce if self.authenticated else self.nonce
        user, reason = self._verify_cred(message, cred, nonce)
        if user is None:
            return self._failed(reason)
        if self.authenticated:
            return self._decision("accept", StatusCode.OK, None, "same credentials again")
        self.authenticated, self.username = True, user
        self.session_nonce = self.nonce
        self._rotate()
        chal = challenge(AUTH_MD5, self.nonce) if self.scheme == AUTH_MD5 else None
        return self._decision("accept", StatusCode.AUTHENTICATION_ACCEPTED, chal, "accepted")

    def _check_mac(self, message: SyncML, body: bytes, value: str | None) -> AuthDecision:
        if value is None:
            return self._missing()
        try:
            header = parse_hmac_header(value)
        except DecodeError as exc:
            return self._failed(exc.message)
        loc_name = message.sync_hdr.source.loc_name
        if loc_name is None or loc_name != header.username:
            return self._failed("the x-syncml-hmac username differs from SyncHdr Source/LocName")
        password = self.lookup(header.username)
        secret = _DUMMY if password is None else password
        received = b64decode_strict(header.mac, "x-syncml-hmac mac")
        hashed = body_hash(body)  # once: the replay check below reuses it for every old nonce

        def mac_for(nonce: Nonce) -> str:
            return mac_from_body_hash(header.username, secret, nonce, hashed)

        expected = base64.b64decode(mac_for(self.nonce))
        if password is None or not equal_digests(received, expected):
            return self._failed(self._why(received, mac_for))
        self.authenticated, self.username = True, header.username
        self._rotate()
        return self._decision("accept", StatusCode.OK, challenge(AUTH_MAC, self.nonce), "accepted")

    def _verify_cred(
        self, message: SyncML, cred: Cred, nonce: Nonce | None
    ) -> tuple[str | None, str]:
        """(user name, "") when ``cred`` verifies, else (None, why)."""
        try:
            scheme = cred_scheme(cred)
            if scheme != self.scheme:
                return None, f"credentials of type {scheme}; this server requires {self.scheme}"
            if scheme == AUTH_BASIC:
                user, given = decode_basic(cred.data, "/SyncML/SyncHdr/Cred/Data")
                password = self.lookup(user)
                secret = _DUMMY if password is None else password
                ok = equal_digests(given.encode("utf-8"), secret.encode("utf-8"))
                return (user, "") if ok and password is not None else (None, "wrong credentials")
            loc_name = message.sync_hdr.source.loc_name
            if not loc_name:
                return None, "MD5 credentials without SyncHdr Source/LocName (the user name)"
            user = loc_name
            received = b64decode_strict(cred.data, "MD5 digest", "/SyncML/SyncHdr/Cred/Data")
        except DecodeError as exc:
            return None, exc.message
        password = self.lookup(user)
        secret = _DUMMY if password is None else password
        assert nonce is not None
        expected = base64.b64decode(md5_digest(user, secret, nonce))
        if password is not None and equal_digests(received, expected):
            return user, ""
        return None, self._why(received, lambda old: md5_digest(user, secret, old))

    def _why(self, received: bytes, digest_for: Callable[[Nonce], str]) -> str:
        """Tell a replayed (already used) nonce from plain wrong credentials, for the log."""
        for b64 in self.used:
            if equal_digests(received, base64.b64decode(digest_for(Nonce.from_b64(b64)))):
                return "replayed credentials: the nonce was already used"
        return "wrong credentials (user, password or nonce)"

    def _rotate(self) -> None:
        """Retire the current nonce and draw the next one."""
        self.used.append(self.nonce.b64)
        del self.used[: -self.remember]
        self.nonce = Nonce.new()

    def _missing(self) -> AuthDecision:
        self.challenges += 1
        outcome: Outcome = "reject" if self.challenges > self.max_failures + 1 else "challenge"
        return self._decision(
            outcome, StatusCode.MISSING_CREDENTIALS, self._chal(outcome), "no credentials"
        )

    def _failed(self, reason: str) -> AuthDecision:
        self.failures += 1
        self.challenges += 1
        self.authenticated = False
        self._rotate()  # "one more challenge, along with the supply of a new nonce"
        outcome: Outcome = "reject" if self.failures >= self.max_failures else "challenge"
        return self._decision(outcome, StatusCode.INVALID_CREDENTIALS, self._chal(outcome), reason)

    def _chal(self, outcome: Outcome) -> Chal:
        """The challenge for a 401/407: every such Status carries one (OMA-TS-DM_Protocol
        2.4.1; rule DM264), a rejection's too, though the session ends after it."""
        return challenge(self.scheme, None if self.scheme == AUTH_BASIC else self.nonce)

    def _decision(
        self, outcome: Outcome, status: StatusCode, chal: Chal | None, reason: str
    ) -> AuthDecision:
        user = self.username if outcome == "accept" else None
        return AuthDecision(outcome=outcome, status=status, chal=chal, username=user, reason=reason)
