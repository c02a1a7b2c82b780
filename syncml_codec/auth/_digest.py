"""The byte-level part of OMA DM authentication: nonces, digests, the HMAC header.

Formulas (OMA-TS-DM_Security §5.1.3.2 and §5.1.4; H = MD5, B64 = base64 encoding)::

    basic  = B64(username ":" password)
    md5    = B64(H(B64(H(username ":" password)) ":" nonce))
    mac    = B64(H(B64(H(username ":" password)) ":" nonce ":" B64(H(body))))

``nonce`` is the nonce's *decoded bytes*, never the base64 text that travels in ``NextNonce``
(Microsoft Learn, "Server requirements for using OMA DM to manage Windows devices": "The MD5
binary nonce is sent over XML B64 encoded format, but the octal form of the binary data should
be used when the service calculates the hash"). The ``Nonce`` type makes the other reading
impossible to write: every digest function takes a ``Nonce`` and nothing else. Inner digests
are raw 16-byte MD5 values base64-encoded, never hex; the MAC is the OMA formula above, not
RFC 2104 HMAC; ``body`` is the exact bytes sent or received, never a re-serialization.

Verification compares decoded digests with ``hmac.compare_digest`` (constant time). A value
that is not canonical base64 is a ``DecodeError`` naming the field, never a ``binascii`` error.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal, TypeAlias

from syncml_codec.errors import DecodeError, EncodeError

__all__ = [
    "APPAUTH_SCHEMES",
    "AUTH_BASIC",
    "AUTH_MAC",
    "AUTH_MD5",
    "HMAC_HEADER",
    "NONCE_BYTES",
    "SCHEMES",
    "HmacHeader",
    "Nonce",
    "Scheme",
    "b64decode_strict",
    "basic_credentials",
    "body_hash",
    "check_account",
    "decode_basic",
    "equal_digests",
    "format_hmac_header",
    "hmac_header",
    "hmac_mac",
    "mac_from_body_hash",
    "md5_digest",
    "normalize_scheme",
    "parse_hmac_header",
    "verify_hmac",
]

#: ``Meta/Type`` of Basic authentication (OMA-TS-DM_RepPro 4.1.1.6, the default Cred type).
AUTH_BASIC: Final = "syncml:auth-basic"
#: ``Meta/Type`` of MD5 digest authentication (OMA-TS-DM_Security §5.1.3.1).
AUTH_MD5: Final = "syncml:auth-md5"
#: ``Meta/Type`` of HMAC integrity authentication (OMA-TS-DM_Security §5.1.4).
AUTH_MAC: Final = "syncml:auth-MAC"
#: The HTTP header that carries the HMAC (OMA-TS-DM_Security §5.1.4).
HMAC_HEADER: Final = "x-syncml-hmac"

#: An application-layer authentication scheme, spelled as on the wire.
Scheme: TypeAlias = Literal["syncml:auth-basic", "syncml:auth-md5", "syncml:auth-MAC"]
SCHEMES: Final[tuple[Scheme, ...]] = (AUTH_BASIC, AUTH_MD5, AUTH_MAC)
_BY_LOWER: Final[dict[str, Scheme]] = {s.lower(): s for s in SCHEMES}

#: APPAUTH ``AAUTHTYPE`` (w7 APPLICATION CSP) and DMAcc ``AAuthType`` values -> scheme.
#: Microsoft Learn "w7 APPLICATION CSP": "BASIC - ... 'syncml:auth-basic'", "DIGEST - ...
#: 'syncml:auth-md5'"; HMAC is the OMA value (OMA-SUP-ac_w7_dm AAUTHTYPE list).
APPAUTH_SCHEMES: Final[Mapping[str, Scheme]] = MappingProxyType(
    {"BASIC": AUTH_BASIC, "DIGEST": AUTH_MD5, "HMAC": AUTH_MAC}
)

#: Nonce length drawn by ``Nonce.new``: "at least 128 bits (16 random octets)"
#: (OMA-TS-DM_Security §5.1.3.3).
NONCE_BYTES: Final = 16


def normalize_scheme(value: str | None) -> Scheme | None:
    """The canonical spelling of an authentication type, or None when it is not one.

    Trimmed and compared without case: devices send ``syncml:auth-MD5`` as well. A missing Type
    means Basic ("The default type is syncml:auth-basic", OMA-SyncML-RepPro Cred).
    """
    if value is None:
        return AUTH_BASIC
    return _BY_LOWER.get(value.strip().lower())


def b64decode_strict(text: str, what: str, xpath: str = "") -> bytes:
    """Decode canonical base64 (surrounding whitespace allowed), or raise ``DecodeError``.

    Canonical means: standard alphabet, padding present, no stray bits, so one digest has
    exactly one spelling and a truncated value never decodes to the same bytes.
    """
    value = text.strip()
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise DecodeError(f"{what} is not valid base64: {value[:40]!r}", xpath=xpath) from None
    if base64.b64encode(raw).decode("ascii") != value:
        raise DecodeError(f"{what} is not canonical base64: {value[:40]!r}", xpath=xpath)
    return raw


@dataclass(frozen=True, slots=True)
class Nonce:
    """A nonce as the bytes that enter the digest.

    ``Nonce.from_b64(text)`` reads the wire's ``NextNonce`` (always ``Format b64``,
    OMA-TS-DM_RepPro 4.1.1.2); ``.b64`` writes it; ``Nonce.new()`` draws a fresh one.

    Raises:
        TypeError: ``raw`` is not ``bytes``.
        ValueError: ``raw`` is empty.
    """

    raw: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.raw, bytes):
            raise TypeError(
                f"Nonce takes bytes, got {type(self.raw).__name__}; for the base64 text of a"
                " NextNonce use Nonce.from_b64(text)"
            )
        if not self.raw:
            raise ValueError("a nonce cannot be empty")

    @classmethod
    def from_b64(cls, text: str, *, xpath: str = "") -> Nonce:
        """Read a nonce from its base64 text (a ``NextNonce`` value, an AAUTHDATA value).

        Raises:
            DecodeError: the text is empty or not canonical base64.
        """
        if not isinstance(text, str):
            raise TypeError(f"Nonce.from_b64 takes str, got {type(text).__name__}")
        if not text.strip():
            raise DecodeError("NextNonce is empty; expected a base64 nonce", xpath=xpath)
        return cls(b64decode_strict(text, "NextNonce", xpath))

    @classmethod
    def new(cls, size: int = NONCE_BYTES) -> Nonce:
        """A fresh random nonce of ``size`` >= 16 bytes from ``secrets`` (OMA-TS-DM_Security
        §5.1.3.3: "at least 128 bits", "difficult to predict")."""
        if size < NONCE_BYTES:
            raise ValueError(f"a nonce needs at least {NONCE_BYTES} bytes, got size={size}")
        return cls(secrets.token_bytes(size))

    @property
    def b64(self) -> str:
        """The base64 text for ``NextNonce``."""
        return base64.b64encode(self.raw).decode("ascii")

    def __repr__(self) -> str:
        return f"Nonce.from_b64({self.b64!r})"


def _check_text(name: str, value: object) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str (it is encoded as UTF-8), got {type(value).__name__}")
    return value.encode("utf-8")


def _check_nonce(nonce: object) -> Nonce:
    if not isinstance(nonce, Nonce):
        raise TypeError(
            f"nonce must be a Nonce, got {type(nonce).__name__}: use Nonce.from_b64(next_nonce)"
            " for the wire's base64 text, Nonce(raw_bytes) for raw bytes"
        )
    return nonce


def check_account(scheme: object, nonce: object) -> None:
    """The checks ``ClientAuth`` and ``ServerAuth`` make when built: a known scheme, and a
    ``Nonce`` (or None) for the nonce."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    if nonce is not None:
        _check_nonce(nonce)


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data)


def _md5(data: bytes) -> bytes:
    return hashlib.md5(data, usedforsecurity=False).digest()


def _user_hash(username: str, password: str) -> bytes:
    """B64(H(username:password)): what a server may store instead of the password."""
    return _b64(_md5(_check_text("username", username) + b":" + _check_text("password", password)))


def basic_credentials(username: str, password: str) -> str:
    """``B64(username:password)``: the Data of a Basic ``Cred`` (OMA-TS-DM_RepPro 4.1.1.6).

    Raises:
        TypeError: username or password is not ``str``.
        ValueError: the user name contains ``:`` (the password may; the first ``:`` splits).
    """
    user = _check_text("username", username)
    if b":" in user:
        raise ValueError("a Basic user name cannot contain ':'")
    return _b64(user + b":" + _check_text("password", password)).decode("ascii")


def decode_basic(data: str, xpath: str = "") -> tuple[str, str]:
    """Split Basic credentials ``B64(username:password)`` into (username, password).

    Raises:
        DecodeError: empty, not base64, not UTF-8, or no ``:``.
    """
    if not data.strip():
        raise DecodeError("Basic credentials are empty", xpath=xpath)
    raw = b64decode_strict(data, "Basic credentials", xpath)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DecodeError("Basic credentials are not UTF-8 text", xpath=xpath) from None
    user, sep, password = text.partition(":")
    if not sep:
        raise DecodeError("Basic credentials have no ':' between user and password", xpath=xpath)
    return user, password


def md5_digest(username: str, password: str, nonce: Nonce) -> str:
    """``B64(H(B64(H(username:password)):nonce))`` (OMA-TS-DM_Security §5.1.3.2).

    >>> md5_digest("Bruce2", "OhBehave", Nonce(b"Nonce"))
    'Zz6EivR3yeaaENcRN6lpAQ=='

    Raises:
        TypeError: ``nonce`` is not a ``Nonce`` (bytes and str are refused on purpose), or the
            user name or password is not ``str``.
    """
    raw = _check_nonce(nonce).raw
    return _b64(_md5(_user_hash(username, password) + b":" + raw)).decode("ascii")


def hmac_mac(username: str, password: str, nonce: Nonce, body: bytes) -> str:
    """``B64(H(B64(H(username:password)):nonce:B64(H(body))))`` (OMA-TS-DM_Security §5.1.4).

    ``body`` is the exact HTTP body (XML or WBXML) as sent or received.

    Raises:
        TypeError: ``nonce`` is not a ``Nonce``, ``body`` is not bytes, or the user name or
            password is not ``str``.
    """
    return mac_from_body_hash(username, password, nonce, body_hash(body))


def body_hash(body: bytes) -> bytes:
    """``B64(H(body))``: the part of the MAC that depends on the body (hashed once per body)."""
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise TypeError(f"body must be the exact bytes sent, got {type(body).__name__}")
    return _b64(_md5(bytes(body)))


def mac_from_body_hash(username: str, password: str, nonce: Nonce, hashed: bytes) -> str:
    """``hmac_mac`` given ``body_hash(body)``: one body hash serves several nonces."""
    raw = _check_nonce(nonce).raw
    return _b64(_md5(_user_hash(username, password) + b":" + raw + b":" + hashed)).decode("ascii")


@dataclass(frozen=True, slots=True)
class HmacHeader:
    """The parsed value of an ``x-syncml-hmac`` header.

    Attributes:
        username: the sender's user name; it must equal SyncHdr ``Source/LocName``.
        mac: the base64 MAC.
        algorithm: ``"MD5"`` (the only algorithm, and the default when absent).
    """

    username: str
    mac: str
    algorithm: str = "MD5"


_PARAM = re.compile(
    r"""\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s,"']*))\s*(?:,|$)"""
)


def parse_hmac_header(value: str) -> HmacHeader:
    """Parse ``algorithm=MD5, username="Bruce1", mac=...`` (OMA-TS-DM_Security §5.1.4).

    Tolerant of spacing, of key case, of double, single or no quotes and of a leading
    ``x-syncml-hmac:``; unknown parameters are ignored. Strict about what matters: username and
    mac must be present and non-empty, the mac must be base64, no parameter may repeat, and
    the algorithm (optional, default MD5) must be MD5.

    Raises:
        DecodeError: with a message naming what is missing or wrong.
    """
    if not isinstance(value, str):
        raise TypeError(f"the header value must be str, got {type(value).__name__}")
    text = value.strip()
    if text.lower().startswith(HMAC_HEADER + ":"):
        text = text[len(HMAC_HEADER) + 1 :].strip()
    params: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        m = _PARAM.match(text, pos)
        if m is None or m.end() == pos:
            raise DecodeError(
                f"{HMAC_HEADER}: cannot read a key=value parameter at character {pos + 1}"
                f' of {text!r}; expected algorithm=MD5, username="...", mac=...'
            )
        key = m.group(1).lower()
        if key in params:
            raise DecodeError(f"{HMAC_HEADER}: parameter {key!r} appears twice")
        params[key] = next(g for g in m.group(2, 3, 4) if g is not None)
        pos = m.end()
    missing = [k for k in ("username", "mac") if not params.get(k)]
    if missing:
        raise DecodeError(
            f"{HMAC_HEADER}: {' and '.join(missing)} missing or empty in {text!r};"
            ' expected algorithm=MD5, username="...", mac=...'
        )
    algorithm = params.get("algorithm", "MD5")
    if algorithm.upper() != "MD5":
        raise DecodeError(f"{HMAC_HEADER}: algorithm {algorithm!r} is not supported; expected MD5")
    b64decode_strict(params["mac"], f"{HMAC_HEADER} mac")
    return HmacHeader(username=params["username"], mac=params["mac"], algorithm="MD5")


def format_hmac_header(username: str, mac: str, *, algorithm: str = "MD5") -> str:
    """The ``x-syncml-hmac`` header value: ``algorithm=MD5, username="...", mac=...``.

    Raises:
        EncodeError: the user name is empty or holds ``"`` or a line break, or the mac is empty.
    """
    if not username or any(c in username for c in '"\r\n'):
        raise EncodeError(f"cannot write user name {username!r} in {HMAC_HEADER}")
    if not mac:
        raise EncodeError(f"{HMAC_HEADER} needs a mac")
    return f'algorithm={algorithm}, username="{username}", mac={mac}'


def hmac_header(username: str, password: str, nonce: Nonce, body: bytes) -> str:
    """The complete ``x-syncml-hmac`` value for sending ``body`` (``hmac_mac`` + format)."""
    return format_hmac_header(username, hmac_mac(username, password, nonce, body))


def equal_digests(received: bytes, expected: bytes) -> bool:
    """Constant-time comparison of two decoded digests."""
    return hmac.compare_digest(received, expected)


def verify_hmac(
    header: HmacHeader | str, body: bytes, username: str, password: str, nonce: Nonce
) -> bool:
    """True when ``header`` is the MAC of ``body`` for this user, password and nonce.

    The header's user name must equal ``username`` (the SyncHdr ``Source/LocName`` the caller
    read, OMA-TS-DM_Security §5.1.4). Comparison is in constant time.

    Raises:
        DecodeError: the header value is malformed (see ``parse_hmac_header``).
    """
    parsed = parse_hmac_header(header) if isinstance(header, str) else header
    expected = base64.b64decode(hmac_mac(username, password, nonce, body))
    received = b64decode_strict(parsed.mac, f"{HMAC_HEADER} mac")
    same_user = hmac.compare_digest(parsed.username.encode("utf-8"), username.encode("utf-8"))
    return equal_digests(received, expected) & same_user
