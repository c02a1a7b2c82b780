"""The shared pieces of the rule explanations: ``RuleDoc`` and the example builders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from syncml_codec.limits import Limits

__all__ = ["RuleDoc"]  # and the example builders, for the tables beside it


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """The explanation of one rule code.

    Attributes:
        why: what goes wrong on a device or server when the rule is broken, with its source.
        bad: a minimal message or fragment that breaks the rule.
        good: the same, fixed.
        profile: the ``validate()`` profile the examples are checked with.
        request: the request the examples answer (``validate(request=...)``), if any.
        schema: check with ``validate(schema=True)`` (xmlschema).
        limits: the ``Limits`` the examples are checked with, when not the defaults.
        os_build: the Windows build for ``check_csp`` (C308).
        wbxml: ``bad`` and ``good`` are WBXML documents written as hex bytes.
    """

    why: str
    bad: str
    good: str
    profile: Literal["oma", "windows"] = "oma"
    request: str | None = None
    schema: bool = False
    limits: Limits | None = None
    os_build: str | None = None
    wbxml: bool = False


_NS: Final = 'xmlns="SYNCML:SYNCML1.2"'
_MI: Final = 'xmlns="syncml:metinf"'


def _message(body: str, hdr: str = "", ns: str = _NS, ver: str = "1.2", sid: str = "1") -> str:
    """A whole message around ``body`` (one line per element, indented)."""
    return (
        f"<SyncML {ns}>\n"
        "  <SyncHdr>\n"
        f"    <VerDTD>{ver}</VerDTD>\n"
        "    <VerProto>DM/1.2</VerProto>\n"
        f"    <SessionID>{sid}</SessionID>\n"
        "    <MsgID>1</MsgID>\n"
        "    <Target><LocURI>https://mdm.example.com/omadm</LocURI></Target>\n"
        f"    <Source><LocURI>42</LocURI>{hdr}</Source>\n"
        "  </SyncHdr>\n"
        "  <SyncBody>\n"
        f"{body}"
        "  </SyncBody>\n"
        "</SyncML>\n"
    )


_ALERT: Final = "    <Alert><CmdID>1</CmdID><Data>1201</Data></Alert>\n"
_HDR_OK: Final = (
    "    <Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef>"
    "<Cmd>SyncHdr</Cmd><Data>200</Data></Status>\n"
)
_NONCE: Final = "MDEyMzQ1Njc4OWFiY2RlZg=="  # 16 bytes


def _chal(meta: str, code: str = "401") -> str:
    """A message answering SyncHdr with ``code`` and a Chal holding ``meta``."""
    return _message(
        "    <Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>\n"
        f"      <Chal><Meta>{meta}</Meta></Chal><Data>{code}</Data></Status>\n"
    )


_MD5_CHAL: Final = f"<Type {_MI}>syncml:auth-md5</Type><Format {_MI}>b64</Format>"


def _cred(meta: str, data: str, loc_name: str = "<LocName>alice</LocName>") -> str:
    """A client package 1 whose SyncHdr carries ``Cred``."""
    return _message(_ALERT, hdr=loc_name).replace(
        "  </SyncHdr>", f"    <Cred><Meta>{meta}</Meta><Data>{data}</Data></Cred>\n  </SyncHdr>"
    )


# The request the DM25x examples answer: a Replace (CmdID 2) and a Get (CmdID 3).
_REQUEST: Final = _message(
    "    <Replace><CmdID>2</CmdID><Item><Target><LocURI>./Vendor/MSFT/A</LocURI></Target>"
    "<Data>1</Data></Item></Replace>\n"
    "    <Get><CmdID>3</CmdID><Item><Target><LocURI>./DevDetail/SwV</LocURI></Target></Item>"
    "</Get>\n"
    "    <Final/>\n"
)
_ST_REPLACE: Final = (
    "    <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>2</CmdRef>"
    "<Cmd>Replace</Cmd><Data>200</Data></Status>\n"
)
_ST_GET: Final = (
    "    <Status><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef>"
    "<Cmd>Get</Cmd><Data>200</Data></Status>\n"
)
_RESULTS: Final = (
    "    <Results><CmdID>4</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef>\n"
    "      <Item><Source><LocURI>./DevDetail/SwV</LocURI></Source><Data>10.0.22631</Data>"
    "</Item></Results>\n"
)
_RESPONSE: Final = _message(_HDR_OK + _ST_REPLACE + _ST_GET + _RESULTS + "    <Final/>\n")


def _replace(item: str, name: str = "Replace", ns: str = f" {_NS}") -> str:
    """A one-command fragment."""
    return f"<{name}{ns}>\n  <CmdID>1</CmdID>\n  {item}\n</{name}>\n"


def _target(uri: str) -> str:
    return f"<Target><LocURI>{uri}</LocURI></Target>"


_POLICY: Final = "./Device/Vendor/MSFT/Policy/Config/Update/ActiveHoursEnd"
_FMT_INT: Final = f"<Meta><Format {_MI}>int</Format></Meta>"


_GET_SWV: Final = _replace(f"<Item>{_target('./DevDetail/SwV')}</Item>", "Get")
_REPLACE_A: Final = _replace(f"<Item>{_target('./Vendor/MSFT/A')}<Data>1</Data></Item>")
_POLICY_OK: Final = _replace(f"<Item>{_target(_POLICY)}{_FMT_INT}<Data>17</Data></Item>")
_CHAL_OK: Final = _chal(f"{_MD5_CHAL}<NextNonce {_MI}>{_NONCE}</NextNonce>")


def _chunk(data: str, *, size: str | None = None, more: bool = True, extra: str = "") -> str:
    """A Replace carrying one large-object chunk (Size in Meta when given)."""
    meta = f"<Meta>{_FMT_B64}{f'<Size {_MI}>{size}</Size>' if size else ''}</Meta>"
    tail = "<MoreData/>" if more else ""
    return (
        f"    <Replace><CmdID>2</CmdID><Item>{_target(_APP)}{meta}<Data>{data}</Data>{tail}</Item>"
        f"{extra}</Replace>\n"
    )


def _peer(meta: str) -> str:
    """The peer's package 1, announcing ``meta`` (MaxMsgSize, MaxObjSize) in its SyncHdr."""
    return _message(
        "    <Alert><CmdID>1</CmdID><Data>1201</Data></Alert>\n    <Final/>\n",
        hdr="",
    ).replace(
        "    <Source><LocURI>42</LocURI></Source>\n",
        f"    <Source><LocURI>42</LocURI></Source>\n    <Meta>{meta}</Meta>\n",
    )


_APP: Final = "./Device/Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/%7B0000%7D/DownloadInstall"
_FMT_B64: Final = f"<Format {_MI}>b64</Format>"
_HDR_STATUS: Final = (  # the Statuses answering the peer's package 1 (_peer)
    "    <Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
    "<Data>200</Data></Status>\n"
    "    <Status><CmdID>4</CmdID><MsgRef>1</MsgRef><CmdRef>1</CmdRef><Cmd>Alert</Cmd>"
    "<Data>200</Data></Status>\n"
)
