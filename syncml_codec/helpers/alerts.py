"""Generic alerts (1226) and client events (1224): build them, read them back, match known Types.

OMA-TS-DM_Protocol 2.3.7 ([DMPRO] §2.3.7): a generic alert Item carries Meta Type
("REQUIRED, a URN"), Meta Format ("REQUIRED"), optional Mark, optional Source LocURI, and Data
"in the stated Format and Type"; "Several may be combined in one Alert or spread over several".
§2.1: 1224 CLIENT EVENT, "Each Item is one event, with Meta Type and Format".
§2.3: the documented Windows Type strings (``WINDOWS_ALERT_TYPES``).

Writers are strict (the caller's input must be right, else ``EncodeError``); readers are
tolerant ("Do not enforce the URN grammar on input", §2.2; "Trim and compare Types", §6 item 6).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from syncml_codec.codes import AlertCode
from syncml_codec.errors import EncodeError
from syncml_codec.model import Alert, Item, Meta, Source

from .message import CmdIdAllocator, iter_commands

__all__ = [
    "GENERIC_ALERT_CODES",
    "MARK_LEVELS",
    "WINDOWS_ALERT_TYPES",
    "AlertItem",
    "AlertTypeInfo",
    "GenericAlert",
    "WindowsAlertType",
    "generic_alert",
    "generic_alerts",
    "normalize_alert_type",
    "read_generic_alerts",
]

#: The two alert codes whose Items carry typed payloads (OMA-TS-DM_RepPro 4.2, §2.2).
GENERIC_ALERT_CODES: Final = frozenset({AlertCode.CLIENT_EVENT, AlertCode.GENERIC_ALERT})

#: Mark levels from most to least important; the default is ``informational`` ([DMPRO] 2.3.7).
MARK_LEVELS: Final = (
    "fatal",
    "critical",
    "minor",
    "warning",
    "informational",
    "harmless",
    "indeterminate",
)

_URN_NIDS: Final = ("Reversed-Domain-Name:", "Content-Type:")


def normalize_alert_type(value: str | None) -> str | None:
    """Return a Type string ready for comparison, or None when it is missing or blank.

    Trims surrounding whitespace (the published unenrollment sample has a leading space, spec
    §4.7) and the optional space after the URN namespace identifier (the OMA examples write
    ``Reversed-Domain-Name: org...``, Microsoft ``Reversed-Domain-Name:com...``; [DMPRO] 2.3.7).
    Nothing else is changed: the URN grammar is not enforced on input (OMA-TS-DM_Protocol 2.3.7).
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    for nid in _URN_NIDS:
        if text.startswith(nid):
            return nid + text[len(nid) :].lstrip()
    return text


@dataclass(frozen=True, slots=True)
class AlertTypeInfo:
    """What the documentation says about one alert Type (Learn "OMA DM protocol support" table).

    Attributes:
        code: the alert code it is sent with (1224 or 1226).
        type: the exact Type string.
        format: the documented Meta Format, or None when none is documented.
        data: the documented Data values or meaning.
        source: where it is documented (Learn "OMA DM protocol support" "Source" column).
    """

    code: AlertCode
    type: str
    format: str | None
    data: str
    source: str


class WindowsAlertType(enum.StrEnum):
    """The documented Windows alert Type strings ([L-OMA]). Values are the exact Types."""

    UNENROLLMENT_USER_REQUEST = "com.microsoft:mdm.unenrollment.userrequest"  #: 1226 [L-UNENR]
    LOGIN_STATUS = "com.microsoft/MDM/LoginStatus"  #: 1224 [L-OMA]; [MS-MDM] 2.2.7.2
    AAD_USER_TOKEN = "com.microsoft/MDM/AADUserToken"  # noqa: S105 - an alert Type, not a secret
    SYNC_TYPE = "com.microsoft.mdm.synctype"  #: 1224 [MS-MDM] 3.2.5.1.5
    DEVICE_PREP_SYNC = "com.microsoft/MDM/DevicePrepSync"  #: 1224 [MS-MDM] 3.2.5.1.6
    REQUEST_PENDING = "Reversed-Domain-Name:com.microsoft.mdm.requestpending"  #: 1224 [L-DMC]
    WIN32_CSP_INSTALL = "Reversed-Domain-Name:com.microsoft.mdm.win32csp_install"  #: 1224 (sic)
    HOSTED_APP_INSTALL_RESULT = (
        "Reversed-Domain-Name:com.microsoft.mdm.EnterpriseHostedAppInstall.result"  #: 1226
    )
    APP_UNINSTALL_RESULT = (
        "Reversed-Domain-Name:com.microsoft.mdm.EnterpriseAppUninstall.result"  #: 1226
    )

    @classmethod
    def lookup(cls, value: str | None) -> WindowsAlertType | None:
        """Return the member whose Type equals ``value`` after ``normalize_alert_type``."""
        norm = normalize_alert_type(value)
        if norm is None:
            return None
        return _BY_TYPE.get(norm)

    @property
    def info(self) -> AlertTypeInfo:
        """The documented code, Format, Data and source of this Type."""
        return WINDOWS_ALERT_TYPES[self]


_BY_TYPE: Final[dict[str, WindowsAlertType]] = {m.value: m for m in WindowsAlertType}

_W = WindowsAlertType
_G = AlertCode.GENERIC_ALERT
_E = AlertCode.CLIENT_EVENT

#: Registry of the documented Windows alert Types ([L-OMA]): member -> AlertTypeInfo.
WINDOWS_ALERT_TYPES: Final[Mapping[WindowsAlertType, AlertTypeInfo]] = MappingProxyType(
    {
        _W.UNENROLLMENT_USER_REQUEST: AlertTypeInfo(
            _G, _W.UNENROLLMENT_USER_REQUEST.value, "int", "1", "[L-UNENR]"
        ),
        _W.LOGIN_STATUS: AlertTypeInfo(
            _E, _W.LOGIN_STATUS.value, "chr", "user | others | none", "[L-OMA]; [MS-MDM] 2.2.7.2"
        ),
        _W.AAD_USER_TOKEN: AlertTypeInfo(
            _E,
            _W.AAD_USER_TOKEN.value,
            None,
            "token",
            'Learn "Microsoft Entra integration with MDM"; [MS-MDM] 3.2.5.1.2',
        ),
        _W.SYNC_TYPE: AlertTypeInfo(
            _E, _W.SYNC_TYPE.value, None, "user | device | mixed", "[MS-MDM] 3.2.5.1.5"
        ),
        _W.DEVICE_PREP_SYNC: AlertTypeInfo(
            _E,
            _W.DEVICE_PREP_SYNC.value,
            None,
            "PendingProvisioning | Bootstrapping | ExecutingProvisioning | ProvisioningComplete",
            "[MS-MDM] 3.2.5.1.6 (24H2+)",
        ),
        _W.REQUEST_PENDING: AlertTypeInfo(
            _E,
            _W.REQUEST_PENDING.value,
            None,
            "1",
            "[L-DMC] EnableOmaDmKeepAliveMessage",
        ),
        _W.WIN32_CSP_INSTALL: AlertTypeInfo(
            _E,
            _W.WIN32_CSP_INSTALL.value,
            "int",
            "MSI result (Mark informational)",
            "Learn EnterpriseDesktopAppManagement CSP",
        ),
        _W.HOSTED_APP_INSTALL_RESULT: AlertTypeInfo(
            _G,
            _W.HOSTED_APP_INSTALL_RESULT.value,
            "int",
            "0 = success",
            'Learn "Enterprise app management"',
        ),
        _W.APP_UNINSTALL_RESULT: AlertTypeInfo(
            _G,
            _W.APP_UNINSTALL_RESULT.value,
            "int",
            "result code",
            'Learn "Enterprise app management"',
        ),
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertItem:
    """One alert (one Item) to write: the input of ``generic_alert``/``generic_alerts``.

    Attributes:
        type: Meta Type, "REQUIRED" (OMA-TS-DM_Protocol 2.3.7); a ``WindowsAlertType`` works too.
        format: Meta Format, "REQUIRED" ([DMPRO] 2.3.7); ``None`` only for Windows events that
            document none (AADUserToken, synctype...).
        data: the Item Data, "REQUIRED, in the stated Format and Type".
        mark: optional Mark, one of ``MARK_LEVELS``.
        source: optional Source LocURI (the MO the alert is about).
    """

    type: str
    format: str | None = "chr"
    data: str
    mark: str | None = None
    source: str | None = None

    def to_item(self) -> Item:
        """Build the model ``Item``, checking the caller's values (``EncodeError``)."""
        type_ = str(self.type)
        if not type_.strip():
            raise EncodeError("a generic alert Item needs a Meta Type ([DMPRO] 2.3.7: REQUIRED)")
        if type_ != type_.strip():
            raise EncodeError(f"alert Type must not have surrounding whitespace: {type_!r}")
        if self.format is not None and (not self.format or self.format != self.format.strip()):
            raise EncodeError(f"alert Format must be a non-empty token, got {self.format!r}")
        if self.mark is not None and self.mark not in MARK_LEVELS:
            raise EncodeError(
                f"alert Mark {self.mark!r} is not one of {', '.join(MARK_LEVELS)} ([DMPRO] 2.3.7)"
            )
        if self.source is not None and not self.source.strip():
            raise EncodeError("alert Source LocURI must not be empty")
        return Item(
            source=Source(loc_uri=self.source) if self.source is not None else None,
            meta=Meta(format=self.format, type=type_, mark=self.mark),
            data=self.data,
        )


def _check_code(code: int) -> AlertCode:
    alert_code = AlertCode(code)
    if alert_code not in GENERIC_ALERT_CODES:
        raise EncodeError(
            f"alert code {int(code)} does not carry typed Items: use 1226 (generic alert) or"
            " 1224 (client event) (OMA-TS-DM_RepPro 4.2)"
        )
    return alert_code


def generic_alert(
    items: AlertItem | Sequence[AlertItem],
    *,
    ids: CmdIdAllocator,
    code: int = AlertCode.GENERIC_ALERT,
    correlator: str | None = None,
) -> Alert:
    """Build one Alert 1226 (or 1224) holding one or several Items.

    Spec §2.2: "Several may be combined in one Alert"; the Correlator echoes an Exec's
    Correlator ("not supported on Windows").

    Raises:
        EncodeError: no Items, a code other than 1224/1226, or a bad Item (see ``AlertItem``).
    """
    seq = (items,) if isinstance(items, AlertItem) else tuple(items)
    if not seq:
        raise EncodeError("a generic alert needs at least one Item ([DMPRO] 2.3.7: REQUIRED)")
    if correlator is not None and not correlator.strip():
        raise EncodeError("Correlator must not be empty")
    return Alert(
        cmd_id=ids.next(),
        data=_check_code(code),
        correlator=correlator,
        items=tuple(i.to_item() for i in seq),
    )


def generic_alerts(
    items: Iterable[AlertItem],
    *,
    ids: CmdIdAllocator,
    code: int = AlertCode.GENERIC_ALERT,
) -> list[Alert]:
    """Build one Alert per Item ("or spread over several", [DMPRO] 2.3.7), CmdIDs from ``ids``."""
    return [generic_alert(item, ids=ids, code=code) for item in items]


@dataclass(frozen=True, slots=True, kw_only=True)
class GenericAlert:
    """One Item of a received 1226/1224 alert, as a typed record.

    Attributes:
        code: the alert code (1226 or 1224).
        type: Meta Type after ``normalize_alert_type`` (trimmed), or None when absent.
        format: Meta Format as sent (None when absent; the MetInf default is ``chr``).
        mark: Meta Mark as sent, or None (the spec default is ``informational``).
        data: the Item Data, or None.
        source: the Item Source LocURI, or None.
        correlator: the Alert's Correlator, or None.
        cmd_id: the Alert's CmdID (shared by the Items of one Alert).
        item_index: 0-based position of the Item inside its Alert.
    """

    code: AlertCode
    type: str | None
    format: str | None
    mark: str | None
    data: str | None
    source: str | None
    correlator: str | None
    cmd_id: str
    item_index: int = 0

    @property
    def known_type(self) -> WindowsAlertType | None:
        """The documented Windows Type this alert carries, if any ([L-OMA])."""
        return WindowsAlertType.lookup(self.type)


def _records(alert: Alert) -> Iterator[GenericAlert]:
    code = AlertCode(int(alert.data)) if alert.data is not None else None
    if code is None or code not in GENERIC_ALERT_CODES:
        return
    for index, item in enumerate(alert.items):
        meta = item.meta or Meta()
        yield GenericAlert(
            code=code,
            type=normalize_alert_type(meta.type),
            format=meta.format.strip() if meta.format is not None else None,
            mark=meta.mark.strip() if meta.mark is not None else None,
            data=str(item.data) if item.data is not None else None,
            source=item.source.loc_uri.strip() if item.source is not None else None,
            correlator=alert.correlator,
            cmd_id=alert.cmd_id,
            item_index=index,
        )


def read_generic_alerts(
    message: object, *, codes: Iterable[int] = GENERIC_ALERT_CODES
) -> list[GenericAlert]:
    """Return every 1226/1224 alert Item in ``message`` as ``GenericAlert`` records.

    ``message`` is a ``SyncML``, a ``SyncBody``, one command (a parsed ``<Alert>`` fragment)
    or an iterable of commands; Alerts inside Atomic and Sequence are included, in document
    order. ``codes`` narrows the result (for example ``{1226}``).
    """
    wanted = {int(c) for c in codes}
    out: list[GenericAlert] = []
    for cmd in iter_commands(message):
        if isinstance(cmd, Alert) and cmd.data is not None and int(cmd.data) in wanted:
            out.extend(_records(cmd))
    return out
