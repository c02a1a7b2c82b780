"""OMA DM application-layer authentication: Basic, MD5 digest, HMAC, nonces and challenges.

Import it as ``syncml_codec.auth``. The byte-level formulas (``md5_digest``, ``hmac_mac``) take
a ``Nonce`` only, so the decoded nonce bytes, never their base64 text, enter the digest
(OMA-TS-DM_Security §5.1.3.2, §5.1.4). ``Cred`` and ``Chal`` are built and read as model
objects (OMA-TS-DM_Protocol §2.4); ``ServerAuth`` decides accept / challenge / reject for a
received message and ``ClientAuth`` keeps a device's credentials and nonces;
``check_message`` holds the rules DM260-DM269. See docs/pages/auth.md.
"""

from __future__ import annotations

from ._client import ClientAuth, ClientAuthState
from ._cred import (
    Challenge,
    basic_cred,
    challenge,
    cred_for,
    cred_scheme,
    md5_cred,
    read_challenge,
    verify_basic,
    verify_md5,
    with_credentials,
)
from ._digest import (
    APPAUTH_SCHEMES,
    AUTH_BASIC,
    AUTH_MAC,
    AUTH_MD5,
    HMAC_HEADER,
    NONCE_BYTES,
    SCHEMES,
    HmacHeader,
    Nonce,
    Scheme,
    basic_credentials,
    decode_basic,
    format_hmac_header,
    hmac_header,
    hmac_mac,
    md5_digest,
    normalize_scheme,
    parse_hmac_header,
    verify_hmac,
)
from ._rules import AUTH_RULES, check_message
from ._server import AuthDecision, AuthState, Outcome, PasswordLookup, ServerAuth

__all__ = [
    "APPAUTH_SCHEMES",
    "AUTH_BASIC",
    "AUTH_MAC",
    "AUTH_MD5",
    "AUTH_RULES",
    "HMAC_HEADER",
    "NONCE_BYTES",
    "SCHEMES",
    "AuthDecision",
    "AuthState",
    "Challenge",
    "ClientAuth",
    "ClientAuthState",
    "HmacHeader",
    "Nonce",
    "Outcome",
    "PasswordLookup",
    "Scheme",
    "ServerAuth",
    "basic_cred",
    "basic_credentials",
    "challenge",
    "check_message",
    "cred_for",
    "cred_scheme",
    "decode_basic",
    "format_hmac_header",
    "hmac_header",
    "hmac_mac",
    "md5_cred",
    "md5_digest",
    "normalize_scheme",
    "parse_hmac_header",
    "read_challenge",
    "verify_basic",
    "verify_hmac",
    "verify_md5",
    "with_credentials",
]
