"""Credentials and challenges as model objects: ``Cred`` in SyncHdr, ``Chal`` in a Status.

OMA-TS-DM_Protocol §2.4.3: "The authentication on the application layer is accomplished by
using the Cred element in SyncHdr and the Status command associated with SyncHdr."
OMA-TS-DM_RepPro 4.1.1.2 (Chal): "When using syncml:auth-md5 or syncml:auth-MAC, the Meta
Format for the NextNonce element MUST be specified and it MUST be b64." OMA-TS-DM_Security
§5.1.3.1: with MD5 the user id goes in SyncHdr ``Source/LocName``.
"""

from __future__ import annotations

import base64
import dataclasses
from dataclasses import dataclass

from syncml_codec._paths import format_path
from syncml_codec.codes import StatusCode
from syncml_codec.errors import DecodeError
from syncml_codec.model import Chal, Cred, Meta, Status, SyncHdr, SyncML

from ._digest import (
    AUTH_BASIC,
    AUTH_MAC,
    AUTH_MD5,
    SCHEMES,
    Nonce,
    Scheme,
    b64decode_strict,
    basic_credentials,
    decode_basic,
    equal_digests,
    md5_digest,
    normalize_scheme,
)

__all__ = [
    "Challenge",
    "basic_cred",
    "challenge",
    "cred_for",
    "cred_scheme",
    "header_status",
    "md5_cred",
    "read_challenge",
    "verify_basic",
    "verify_md5",
    "with_credentials",
]

_CRED_PATH = "/SyncML/SyncHdr/Cred"


def basic_cred(username: str, password: str) -> Cred:
    """A Basic ``Cred``: Type ``syncml:auth-basic``, Format ``b64``, Data ``B64(user:password)``.

    Raises:
        TypeError, ValueError: see ``basic_credentials``.
    """
    return Cred(
        meta=Meta(type=AUTH_BASIC, format="b64"), data=basic_credentials(username, password)
    )


def md5_cred(username: str, password: str, nonce: Nonce) -> Cred:
    """An MD5 ``Cred``: Type ``syncml:auth-md5``, Format ``b64``, Data the digest.

    The user name itself travels in SyncHdr ``Source/LocName`` (see ``with_credentials``).
    """
    return Cred(meta=Meta(type=AUTH_MD5, format="b64"), data=md5_digest(username, password, nonce))


def with_credentials(
    header: SyncHdr, scheme: Scheme, username: str, password: str, nonce: Nonce | None = None
) -> SyncHdr:
    """A copy of ``header`` carrying credentials for ``scheme``.

    Basic and MD5 put a ``Cred`` in the header; MD5 and HMAC also set ``Source/LocName`` to the
    user name (OMA-TS-DM_Security §5.1.3.1, §5.1.4). HMAC puts nothing in ``Cred`` ("It is never
    put in Cred"): send ``hmac_header(...)`` over the serialized body as the HTTP header.

    Raises:
        ValueError: MD5 without a nonce.
    """
    source = header.source
    if scheme in (AUTH_MD5, AUTH_MAC):
        source = dataclasses.replace(source, loc_name=username)
    if scheme == AUTH_BASIC:
        cred: Cred | None = basic_cred(username, password)
    elif scheme == AUTH_MD5:
        if nonce is None:
            raise ValueError("MD5 credentials need the nonce the peer issued")
        cred = md5_cred(username, password, nonce)
    else:
        cred = None  # the nonce enters the x-syncml-hmac header, computed over the body
    return dataclasses.replace(header, source=source, cred=cred)


def cred_scheme(cred: Cred, xpath: str = _CRED_PATH) -> Scheme:
    """The scheme of a received ``Cred`` (no Meta or no Type: Basic).

    Raises:
        DecodeError: an unknown Type, a Format other than b64, or an HMAC type in Cred.
    """
    meta = cred.meta
    scheme = normalize_scheme(meta.type if meta is not None else None)
    if scheme is None:
        raise DecodeError(
            f"Cred Type {meta.type if meta else None!r} is not an OMA DM scheme; expected"
            f" {AUTH_BASIC} or {AUTH_MD5}",
            xpath=f"{xpath}/Meta/Type",
        )
    if scheme == AUTH_MAC:
        raise DecodeError(
            f"Cred Type {AUTH_MAC}: the HMAC travels in the x-syncml-hmac header, never in Cred",
            xpath=f"{xpath}/Meta/Type",
        )
    fmt = meta.format if meta is not None else None
    if fmt is not None and fmt.strip() != "b64":
        raise DecodeError(
            f"Cred Format {fmt!r}; expected b64 (OMA-TS-DM_RepPro 4.1.1.6)",
            xpath=f"{xpath}/Meta/Format",
        )
    return scheme


def verify_basic(cred: Cred, username: str, password: str) -> bool:
    """True when ``cred`` is Basic for exactly this user and password (constant time).

    Raises:
        DecodeError: the Cred is malformed (unknown Type, Data not base64, no ``:``).
    """
    if cred_scheme(cred) != AUTH_BASIC:
        return False
    user, secret = decode_basic(cred.data, f"{_CRED_PATH}/Data")
    expected = f"{username}:{password}".encode()
    return equal_digests(f"{user}:{secret}".encode(), expected) & (
        equal_digests(user.encode("utf-8"), username.encode("utf-8"))
    )


def verify_md5(cred: Cred, username: str, password: str, nonce: Nonce) -> bool:
    """True when ``cred`` is the MD5 digest for this user, password and nonce (constant time).

    ``username`` is the SyncHdr ``Source/LocName`` the caller read (OMA-TS-DM_Security §5.1.3.1).

    Raises:
        DecodeError: the Cred is malformed (unknown Type, Format not b64, Data not base64).
        TypeError: ``nonce`` is not a ``Nonce``.
    """
    expected = base64.b64decode(md5_digest(username, password, nonce))
    if cred_scheme(cred) != AUTH_MD5:
        return False
    received = b64decode_strict(cred.data, "MD5 digest", f"{_CRED_PATH}/Data")
    return equal_digests(received, expected)


def challenge(scheme: Scheme, nonce: Nonce | None = None) -> Chal:
    """A ``Chal`` for ``scheme``: Type, Format ``b64`` and, for MD5 and HMAC, ``NextNonce``.

    Raises:
        ValueError: MD5 or HMAC without a nonce (OMA-TS-DM_RepPro 4.1.1.2 requires NextNonce),
            or an unknown scheme.
        TypeError: ``nonce`` is not a ``Nonce``.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {AUTH_BASIC}, {AUTH_MD5}")
    if nonce is not None and not isinstance(nonce, Nonce):
        raise TypeError(f"nonce must be a Nonce, got {type(nonce).__name__}")
    if scheme != AUTH_BASIC and nonce is None:
        raise ValueError(f"a {scheme} challenge needs a NextNonce")
    next_nonce = nonce.b64 if nonce is not None else None
    return Chal(meta=Meta(type=scheme, format="b64", next_nonce=next_nonce))


@dataclass(frozen=True, slots=True)
class Challenge:
    """What a peer asked for in the Status for SyncHdr (see ``read_challenge``).

    Attributes:
        scheme: the authentication type to answer with.
        nonce: the NextNonce (None for Basic).
        status: the code of that Status: 401/407 = retry now with credentials; 212 = accepted,
            the nonce is for the next session; 200 = accepted, use the nonce in the next message.
    """

    scheme: Scheme
    nonce: Nonce | None
    status: StatusCode

    @property
    def must_retry(self) -> bool:
        """True for 401 and 407: resend package 1 with credentials (OMA-TS-DM_Protocol §2.4.1)."""
        return int(self.status) in (401, 407)


def header_status(message: SyncML) -> tuple[int, Status] | None:
    """The Status for SyncHdr (CmdRef 0 or Cmd SyncHdr) and its 1-based index among Statuses."""
    n = 0
    for cmd in message.sync_body.commands:
        if isinstance(cmd, Status):
            n += 1
            if cmd.cmd_ref.strip() == "0" or cmd.cmd.strip() == "SyncHdr":
                return n, cmd
    return None


def _at(xpath: str, tail: str) -> str:
    return f"{xpath}{tail}" if xpath else ""


def read_chal(chal: Chal, status: StatusCode, xpath: str = "") -> Challenge:
    """Read one ``Chal`` (the Status code says what it means); ``xpath`` is its path, if known.

    Raises:
        DecodeError: unknown Type, a Format other than b64, MD5/HMAC without NextNonce, or a
            NextNonce that is not base64.
    """
    meta = chal.meta
    scheme = normalize_scheme(meta.type)
    if scheme is None:
        raise DecodeError(
            f"Chal Type {meta.type!r} is not an OMA DM scheme;"
            f" expected {AUTH_BASIC}, {AUTH_MD5} or {AUTH_MAC}",
            xpath=_at(xpath, "/Meta/Type"),
        )
    if meta.format is not None and meta.format.strip() != "b64":
        raise DecodeError(
            f"Chal Format {meta.format!r}; expected b64 (OMA-TS-DM_RepPro 4.1.1.2)",
            xpath=_at(xpath, "/Meta/Format"),
        )
    if scheme == AUTH_BASIC:
        return Challenge(scheme=scheme, nonce=None, status=status)
    if meta.next_nonce is None:
        raise DecodeError(
            f"Chal {scheme} has no NextNonce; expected the nonce to answer with"
            " (OMA-TS-DM_RepPro 4.1.1.2)",
            xpath=_at(xpath, "/Meta"),
        )
    nonce = Nonce.from_b64(meta.next_nonce, xpath=_at(xpath, "/Meta/NextNonce"))
    return Challenge(scheme=scheme, nonce=nonce, status=status)


def read_challenge(message: SyncML) -> Challenge | None:
    """The challenge in the Status for SyncHdr of ``message``, or None when there is none.

    A client calls it on the server's reply: 401/407 means resend package 1 with credentials
    (``cred_for``); 212 with a Chal carries the nonce for the next session; 200 with a Chal the
    nonce for the next message (OMA-TS-DM_Protocol §2.4.1). A server calls it on the device's
    message: Windows sends the next server nonce this way in every session (Microsoft Learn,
    "Server requirements for using OMA DM to manage Windows devices").

    Raises:
        DecodeError: the Chal is malformed (see ``read_chal``), with its element path.
    """
    found = header_status(message)
    if found is None or found[1].chal is None:
        return None
    n, status = found
    xpath = format_path([("SyncML", 1), ("SyncBody", 1), ("Status", n), ("Chal", 1)])
    assert status.chal is not None
    return read_chal(status.chal, status.data, xpath)


def cred_for(challenge: Challenge, username: str, password: str) -> Cred:
    """The ``Cred`` that answers ``challenge`` (Basic or MD5).

    Put it in the SyncHdr with ``with_credentials`` (which also sets ``Source/LocName``).

    Raises:
        ValueError: an HMAC challenge (answer with the ``x-syncml-hmac`` header instead).
    """
    if challenge.scheme == AUTH_BASIC:
        return basic_cred(username, password)
    if challenge.scheme == AUTH_MD5 and challenge.nonce is not None:
        return md5_cred(username, password, challenge.nonce)
    raise ValueError(f"{challenge.scheme} is answered with the x-syncml-hmac header, not a Cred")
