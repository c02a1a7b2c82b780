"""Windows MDM unenrollment recipes, built from model objects (never XML;.

Learn "Disconnecting from the management infrastructure (unenrollment)" and "DMClient CSP"
([L-UNENR], [L-DMC]):

- **Device side**: "The DM client starts a new session and puts a 1226 generic alert in
  package 1", Type ``com.microsoft:mdm.unenrollment.userrequest``, Format ``int``, Data ``1``.
  Package 1 also carries the DevInfo Replace ([DMPRO] 2.3 "Packages": "Replace of DevInfo (one Item
  per node, with Source LocURI)"). See ``unenrollment_request``.
- **Server side**: "Exec on ``./Vendor/MSFT/DMClient/Provider/<ProviderID>/Unenroll`` with
  Data = the provisioned ProviderID"; ``./Vendor/MSFT/DMClient/Unenroll`` "is accepted for
  backward compatibility"; ``./Device/Vendor/...`` when scoping. See ``unenroll_exec``.
- **Recognisers** for both, tolerant of the published and observed variants:
  ``find_unenrollment_request``, ``is_unenrollment_request``, ``find_unenroll_exec``.

There is no ``./User/Vendor/MSFT/DMClient/...`` form: "all DMClient nodes are device context,
except ExchangeID" (Learn "unenrollment"), so a user-scoped Unenroll LocURI is not recognised.
"""

from __future__ import annotations

import unicodedata
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from syncml_codec.codes import AlertCode
from syncml_codec.diagnostics import Diagnostic
from syncml_codec.errors import EncodeError
from syncml_codec.model import Alert, Exec, Item, Meta, Replace, Source, SyncML, Target

from .alerts import (
    AlertItem,
    GenericAlert,
    WindowsAlertType,
    generic_alert,
    read_generic_alerts,
)
from .message import CmdIdAllocator, iter_commands, new_message

__all__ = [
    "PROBABLE_UNENROLLMENT",
    "UNENROLLMENT_ALERT_TYPE",
    "DevInfo",
    "UnenrollScope",
    "find_unenroll_exec",
    "find_unenrollment_request",
    "is_unenrollment_request",
    "unenroll_exec",
    "unenroll_exec_uri",
    "unenrollment_alert",
    "unenrollment_request",
]

#: The 1226 Type of a device-initiated unenrollment ([L-OMA], [L-UNENR]).
UNENROLLMENT_ALERT_TYPE: Final = WindowsAlertType.UNENROLLMENT_USER_REQUEST.value

#: Diagnostic code: a 1226 alert with Data ``1`` and no Type, read as a probable unenrollment.
PROBABLE_UNENROLLMENT: Final = "U101"

#: Where the Unenroll node lives: ``vendor`` ./Vendor/MSFT/DMClient/Provider/{ID}/Unenroll,
#: ``device`` ./Device/Vendor/MSFT/DMClient/Provider/{ID}/Unenroll, ``legacy``
#: ./Vendor/MSFT/DMClient/Unenroll (Learn "unenrollment").
UnenrollScope = Literal["vendor", "device", "legacy"]

_PROVIDER: Final = "Vendor/MSFT/DMClient/Provider/"
_LEGACY: Final = "Vendor/MSFT/DMClient/Unenroll"
_DEVINFO: Final = "./DevInfo/"
# RFC 3986 pchar without pct-encoded: unreserved / sub-delims / ":" / "@".
_PCHAR: Final = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@"
)
_PCHAR_SAFE: Final = "!$&'()*+,;=:@"  # for urllib.parse.quote, which keeps unreserved itself


@dataclass(frozen=True, slots=True, kw_only=True)
class DevInfo:
    """The DevInfo management-object leaves sent in package 1 ([L-DEVDETAIL], [DMSTD] §7.1.3.2).

    ``DevId`` comes from the ``device_id`` argument of ``unenrollment_request``. ``extra``
    holds further leaves by their path under ``./DevInfo/`` (for example ``{"Ext/x": "1"}``),
    written after the standard ones in the given order.
    """

    man: str | None = None
    mod: str | None = None
    dmv: str | None = None
    lang: str | None = None
    extra: Mapping[str, str] | None = None

    def nodes(self) -> list[tuple[str, str]]:
        """Return ``(node name, value)`` pairs in DMSTD order: Man, Mod, DmV, Lang, extras."""
        pairs = [("Man", self.man), ("Mod", self.mod), ("DmV", self.dmv), ("Lang", self.lang)]
        out = [(name, value) for name, value in pairs if value is not None]
        out.extend((self.extra or {}).items())
        return out


def unenrollment_alert(ids: CmdIdAllocator) -> Alert:
    """The 1226 unenrollment alert: Type ``com.microsoft:mdm.unenrollment.userrequest``,
    Format ``int``, Data ``1`` (Learn "unenrollment")."""
    return generic_alert(AlertItem(type=UNENROLLMENT_ALERT_TYPE, format="int", data="1"), ids=ids)


def _devinfo_replace(device_id: str, dev_info: DevInfo | None, ids: CmdIdAllocator) -> Replace:
    nodes = [("DevId", device_id), *(dev_info.nodes() if dev_info else [])]
    seen: set[str] = set()
    items = []
    for name, value in nodes:
        if not name or name != name.strip() or name.startswith("/") or name in seen:
            raise EncodeError(f"bad or repeated DevInfo node name {name!r}")
        seen.add(name)
        if not isinstance(value, str):
            raise EncodeError(f"DevInfo {name} must be a string, got {type(value).__name__}")
        items.append(Item(source=Source(loc_uri=_DEVINFO + name), data=value))
    return Replace(cmd_id=ids.next(), items=tuple(items))


def unenrollment_request(
    device_id: str,
    server_uri: str,
    *,
    session_id: str = "1",
    dev_info: DevInfo | None = None,
    include_session_alert: bool = False,
    ids: CmdIdAllocator | None = None,
) -> SyncML:
    """Package 1 of a new session announcing a user-requested unenrollment (Learn "unenrollment").

    SyncHdr: VerDTD 1.2, VerProto DM/1.2, ``session_id``, MsgID 1 ("the device sends the same
    1226 alert 'with messageid=1'"), Target = ``server_uri``, Source = ``device_id`` ([MS-MDM] 2.2.3
    "Package 1 (client): ... Target = server, Source = device"). SyncBody: Alert 1201 when
    ``include_session_alert`` (CLIENT-INITIATED MGMT, OMA-TS-DM_RepPro 4.2; the published sample has
    none), the 1226 unenrollment alert, the DevInfo Replace (``./DevInfo/DevId`` then Man, Mod,
    DmV, Lang and extras, one Item per node with a Source LocURI), Final. CmdIDs come from
    ``ids`` (a fresh allocator by default).

    Raises:
        EncodeError: empty device ID or server URI, a SessionID over 4 bytes, bad DevInfo.
    """
    ids = ids or CmdIdAllocator()
    if not isinstance(device_id, str) or not device_id.strip():
        raise EncodeError(f"device_id must be a non-empty string, got {device_id!r}")
    commands: list[Alert | Replace] = []
    if include_session_alert:
        commands.append(Alert(cmd_id=ids.next(), data=AlertCode.CLIENT_INITIATED_MGMT))
    commands.append(unenrollment_alert(ids))
    commands.append(_devinfo_replace(device_id, dev_info, ids))
    return new_message(
        commands, session_id=session_id, msg_id="1", target=server_uri, source=device_id
    )


def _check_provider_id(provider_id: str, *, percent_encode: bool) -> str:
    """Return the LocURI segment for ``provider_id`` or raise ``EncodeError``."""
    if not isinstance(provider_id, str):
        raise EncodeError(f"ProviderID must be a str, got {type(provider_id).__name__}")
    if not provider_id:
        raise EncodeError("ProviderID must not be empty: a LocURI node name is never empty")
    if provider_id in (".", "..", "*"):
        raise EncodeError(
            f"ProviderID {provider_id!r} is not a usable node name ([MS-MDM] 2.2: '.' only as the"
            " first segment, a node name may not be just '*')"
        )
    if provider_id != provider_id.strip():
        raise EncodeError(
            f"ProviderID {provider_id!r} starts or ends with whitespace; it is also the Data of"
            " the Exec, where a reader cannot tell it from indentation"
        )
    for index, char in enumerate(provider_id):
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") or char in "\ufffe\uffff":
            raise EncodeError(
                f"ProviderID {provider_id!r} contains the control character U+{ord(char):04X}"
                f" at index {index}; it cannot be written in Data or in a LocURI"
            )
        if char not in _PCHAR and not percent_encode:
            what = "whitespace" if char.isspace() else repr(char)
            raise EncodeError(
                f"ProviderID {provider_id!r} contains {what} (U+{ord(char):04X}) at index"
                f" {index}, which would break the LocURI segment (RFC 3986 pchar; [MS-MDM] 2.2);"
                " use percent_encode=True (CLI: --percent-encode) to percent-encode it"
            )
    return urllib.parse.quote(provider_id, safe=_PCHAR_SAFE) if percent_encode else provider_id


def unenroll_exec_uri(
    provider_id: str, *, scope: UnenrollScope = "vendor", percent_encode: bool = False
) -> str:
    """The Unenroll LocURI for ``provider_id`` in the given scope (Learn "unenrollment").

    ``legacy`` ignores ``provider_id`` in the URI (it still has to be valid: it is the Data).
    """
    segment = _check_provider_id(provider_id, percent_encode=percent_encode)
    if scope == "vendor":
        return f"./{_PROVIDER}{segment}/Unenroll"
    if scope == "device":
        return f"./Device/{_PROVIDER}{segment}/Unenroll"
    if scope == "legacy":
        return f"./{_LEGACY}"
    raise EncodeError(f"scope must be 'vendor', 'device' or 'legacy', got {scope!r}")


def unenroll_exec(
    provider_id: str,
    *,
    cmd_id: str = "1",
    scope: UnenrollScope = "vendor",
    percent_encode: bool = False,
) -> Exec:
    """The server's DMClient Unenroll Exec (Learn "unenrollment", [L-DMC]).

    Target ``./Vendor/MSFT/DMClient/Provider/{ProviderID}/Unenroll`` (``scope="device"``:
    ``./Device/Vendor/...``; ``scope="legacy"``: ``./Vendor/MSFT/DMClient/Unenroll``), Meta
    Format ``chr``, Data = ProviderID ("Data Field in Threshold is now IGNORED", but the spec
    says "send the ProviderID anyway").

    The ProviderID becomes one LocURI segment, so it must consist of RFC 3986 ``pchar``
    characters (letters, digits, ``-._~!$&'()*+,;=:@``). Anything else (``/``, ``?``, ``#``,
    ``%``, whitespace, non-ASCII) raises ``EncodeError`` naming the character and its index,
    unless ``percent_encode=True``: then the segment is percent-encoded as UTF-8 ([MS-MDM] 2.2:
    "encode it as UTF-8 and then percent-encode each byte") and Data keeps the ProviderID as is.
    Intune's ProviderID ``MS DM Server`` needs ``percent_encode=True``. Control characters
    are always refused (Data carries the ProviderID verbatim).

    Raises:
        EncodeError: an empty or unusable ProviderID, a bad ``cmd_id`` or ``scope``.
    """
    if not isinstance(cmd_id, str) or not cmd_id.strip() or cmd_id.strip() == "0":
        raise EncodeError(f"cmd_id must be a non-empty string other than '0', got {cmd_id!r}")
    uri = unenroll_exec_uri(provider_id, scope=scope, percent_encode=percent_encode)
    return Exec(
        cmd_id=cmd_id,
        items=(Item(target=Target(loc_uri=uri), meta=Meta(format="chr"), data=provider_id),),
    )


# --- recognisers -----------------------------------------------------------------------------


def find_unenrollment_request(
    message: object, diagnostics: list[Diagnostic] | None = None
) -> GenericAlert | None:
    """Return the unenrollment 1226 alert in ``message``, or None.

    ``message``: a ``SyncML``, a ``SyncBody``, a command (a parsed ``<Alert>`` fragment) or an
    iterable of commands. Matches a 1226 Item whose Type equals
    ``com.microsoft:mdm.unenrollment.userrequest`` after trimming (the published sample has a
    leading space, Learn "unenrollment"; a prefixed ``ns2:Type`` or the misspelt ``syncml:metinfo``
    namespace are mapped by the tolerant parser). 1224 events and other 1226 Types (app
    install results) do not match.

    Probable unenrollment: Windows 1803 to 2004 sent the alert with an empty ``<Meta/>``
    (MicrosoftDocs/windows-itpro-docs issue 8376). When no typed match exists, a 1226 Item with
    no Type and Data ``1`` is returned, and a warning ``Diagnostic`` with code
    ``PROBABLE_UNENROLLMENT`` (``U101``) is appended to ``diagnostics``.
    """
    alerts = read_generic_alerts(message, codes={AlertCode.GENERIC_ALERT})
    for record in alerts:
        if record.type == UNENROLLMENT_ALERT_TYPE:
            return record
    for record in alerts:
        if record.type is None and record.data is not None and record.data.strip() == "1":
            if diagnostics is not None:
                diagnostics.append(
                    Diagnostic(
                        "warning",
                        PROBABLE_UNENROLLMENT,
                        f"Alert {record.cmd_id} is a 1226 generic alert with Data 1 and no Meta"
                        " Type: read as a probable unenrollment (Windows 1803-2004 sent an"
                        f" empty Meta; expected Type {UNENROLLMENT_ALERT_TYPE})",
                    )
                )
            return record
    return None


def is_unenrollment_request(message: object) -> bool:
    """True when ``message`` holds an unenrollment alert, probable ones included.

    See ``find_unenrollment_request`` for what matches; use it with ``diagnostics=`` to tell a
    typed match from a probable one.
    """
    return find_unenrollment_request(message) is not None


def _provider_from_uri(uri: str) -> str | None:
    """The ProviderID segment of an Unenroll LocURI, '' for the legacy form, else None."""
    text = uri.strip()
    if text.startswith("./"):
        text = text[2:]
    if text[:7].lower() == "device/":  # [L-OMA] also shows lower-case ./device/...
        text = text[7:]
    if text == _LEGACY:
        return ""
    if not text.startswith(_PROVIDER) or not text.endswith("/Unenroll"):
        return None
    segment = text[len(_PROVIDER) : -len("/Unenroll")]
    if not segment or "/" in segment:
        return None
    return urllib.parse.unquote(segment, errors="strict") if "%" in segment else segment


def find_unenroll_exec(message_or_command: object) -> str | None:
    """Return the ProviderID of the first DMClient Unenroll Exec, or None when there is none.

    Accepts a ``SyncML``, a ``SyncBody``, an ``Exec`` (or any command, members of Atomic and
    Sequence included) or an iterable of commands. The three LocURI forms of [L-UNENR] are
    recognised: ``./Vendor/MSFT/DMClient/Provider/{ID}/Unenroll``, ``./Device/Vendor/...``
    (``./device/`` too) and the legacy ``./Vendor/MSFT/DMClient/Unenroll``. The ProviderID
    comes from the LocURI segment, percent-decoded; for the legacy form (no ID in the URI) it
    is the Exec's Data, trimmed, or ``""`` when there is no Data. ``./User/...`` is not
    recognised: DMClient is device scope (Learn "unenrollment").
    """
    for cmd in iter_commands(message_or_command):
        if not isinstance(cmd, Exec):
            continue
        for item in cmd.items:
            if item.target is None:
                continue
            try:
                provider = _provider_from_uri(item.target.loc_uri)
            except UnicodeDecodeError:
                continue
            if provider is None:
                continue
            if provider == "":
                return str(item.data).strip() if item.data is not None else ""
            return provider
    return None
