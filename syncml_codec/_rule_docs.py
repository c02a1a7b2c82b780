"""Why each rule exists, with a minimal bad and good example (``syncml-codec rules CODE``).

One table, ``RULE_DOCS``: rule code -> ``RuleDoc``, for every code of ``validate.RULES``,
``auth.AUTH_RULES`` and ``csp.CSP_RULES``. The ``why`` says what goes wrong on a real device
or server when the rule is broken and cites the primary document. ``bad`` reports the code
and ``good`` (the same, fixed) does not, when checked with the entry's options: ``profile``,
``request`` and ``schema`` as ``validate()`` takes them, ``limits`` for ``LIMIT``, and for the
``C3xx`` codes ``check_csp`` (``validate --csp``) with ``os_build``. tests/test_rule_docs.py
holds every example to that, so the examples cannot drift from the checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from .limits import Limits

__all__ = ["RULE_DOCS", "RuleDoc"]


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


RULE_DOCS: Final[dict[str, RuleDoc]] = {
    # --- XML and limits --------------------------------------------------------------------
    "XML001": RuleDoc(
        why="A receiver that cannot parse the message cannot answer any command in it: a"
        " Windows client answers malformed SyncML with 400 Bad request (Microsoft Learn,"
        " OMA DM protocol support), and [MS-MDM] 2.2.2 requires every message to be"
        " well-formed XML. A bare & or < in Data is the usual cause; escape it or use CDATA"
        " (OMA-TS-DM_RepPro 4.1.3.1).",
        bad=_replace(f"<Item>{_target('./Vendor/MSFT/A')}<Data>a & b</Data></Item>"),
        good=_replace(f"<Item>{_target('./Vendor/MSFT/A')}<Data>a &amp; b</Data></Item>"),
    ),
    "XML002": RuleDoc(
        why="OMA DM messages carry no DOCTYPE: the SyncML DTD cannot describe their namespaced"
        " Meta content, and [MS-MDM] 2.2.2 does not ask for DTD validation. A DOCTYPE from a"
        " peer is therefore only an attack surface (entity expansion, external entities that"
        " make the server fetch URLs or read files), so the codec refuses it.",
        bad='<!DOCTYPE Get [<!ENTITY n "SwV">]>\n'
        + _replace(f"<Item>{_target('./DevDetail/&n;')}</Item>", "Get"),
        good=_GET_SWV,
    ),
    "LIMIT": RuleDoc(
        why="A server reading inventory from many devices must bound what one message may cost"
        " it in memory and time; the Limits say how much. Past them the message is refused"
        " unread. A large package is split into several messages (OMA-TS-DM_Protocol 2.1,"
        " multiple messages in package) and a large value into chunks (2.2, large object"
        " handling). The example is checked with Limits(max_items=1).",
        bad=_replace(
            f"<Item>{_target('./Vendor/MSFT/A')}<Data>1</Data></Item>\n"
            f"  <Item>{_target('./Vendor/MSFT/B')}<Data>2</Data></Item>"
        ),
        good=_REPLACE_A,
        limits=Limits(max_items=1),
    ),
    "XSD001": RuleDoc(
        why="With schema=True xmlschema judges the structure against the bundled SyncML 1.2"
        " XSD (written from the SyncML RepPro 1.2 and MetInf 1.2 DTDs), as an independent"
        " second opinion on the fast structural check. Anything it refuses, such as Data"
        " before Target, is something a receiver following the DTD may refuse too:"
        " [MS-MDM] 2.2.2 requires the DTD's element order.",
        bad=_replace(f"<Item><Data>1</Data>{_target('./Vendor/MSFT/A')}</Item>"),
        good=_REPLACE_A,
        schema=True,
    ),
    # --- structure ---------------------------------------------------------------------------
    "S100": RuleDoc(
        why="The SyncML RepPro DTD is the whole grammar of a message; anything it has no place"
        " for, such as a processing instruction, is dropped by a lenient reader and may make"
        " a strict one refuse the message (400 Bad request, Microsoft Learn, OMA DM protocol"
        " support). Either way sender and receiver no longer read the same message.",
        bad='<?xml-stylesheet href="dm.xsl"?>\n' + _GET_SWV,
        good=_GET_SWV,
    ),
    "S101": RuleDoc(
        why="Names are compared with their namespace: [MS-MDM] 2.2.4.1 requires the root"
        " namespace SYNCML:SYNCML1.2, and MetInf elements (Format, Type, ...) live in"
        " syncml:metinf (SyncML MetInf DTD 1.2; WBXML code page 1). A Format in another"
        " namespace, such as the syncml:metinfo of published samples, is not a Format to a"
        " namespace-aware device, which then reads the value as the default chr.",
        bad=_replace(
            f"<Item>{_target(_POLICY)}"
            '<Meta><Format xmlns="syncml:metinfo">int</Format></Meta><Data>17</Data></Item>'
        ),
        good=_POLICY_OK,
    ),
    "S102": RuleDoc(
        why="[MS-MDM] 2.2.2: messages need not be validated, but 'the XML in the document MUST"
        " adhere to the explicit order defined in the DTD', and 2.2.5.2: Data, when present,"
        " MUST be the last element of an Item. Microsoft's own ADMX samples put Meta before"
        " Target; a reader that walks the DTD order may miss the Target.",
        bad=_replace(f"<Item>{_FMT_INT}{_target(_POLICY)}<Data>17</Data></Item>"),
        good=_POLICY_OK,
    ),
    "S103": RuleDoc(
        why="Status and Alert Data hold a numeric code (OMA-TS-DM_RepPro 4.2 alert codes;"
        " the SyncML status codes), which peers compare as digits: ' 1201' is not 1201 to a"
        " server that dispatches on the string, and the session alert goes unrecognised.",
        bad=f"<Alert {_NS}><CmdID>1</CmdID><Data> 1201</Data></Alert>\n",
        good=f"<Alert {_NS}><CmdID>1</CmdID><Data>1201</Data></Alert>\n",
    ),
    "S104": RuleDoc(
        why="An element the DTD does not allow at that place is not understood: a Windows"
        " client answers a non-command element in SyncBody, Atomic or Sequence with 400"
        " (Microsoft Learn, OMA DM protocol support), and inside an Item it is skipped, so"
        " the value it was meant to carry never arrives.",
        bad=_replace(f"<Item>{_target('./Vendor/MSFT/A')}<Value>1</Value></Item>"),
        good=_REPLACE_A,
    ),
    "S105": RuleDoc(
        why="Required elements carry the protocol: without CmdID no Status can refer to the"
        " command; a Windows client answers it with a Status whose CmdRef is blank and code"
        " 400 (Microsoft Learn, OMA DM protocol support), which the server cannot match to"
        " anything. [MS-MDM] 2.2.3.2 requires CmdID on every command.",
        bad=f"<Get {_NS}>\n  <Item>{_target('./DevDetail/SwV')}</Item>\n</Get>\n",
        good=_GET_SWV,
    ),
    "S106": RuleDoc(
        why="An element the DTD allows once, such as Item Target, cannot carry a list: a"
        " reader keeps one of them (this codec the first) and the other node is silently not"
        " written. Each node needs its own Item (SyncML RepPro DTD, Item model).",
        bad=_replace(
            f"<Item>{_target('./Vendor/MSFT/A')}{_target('./Vendor/MSFT/B')}<Data>1</Data></Item>"
        ),
        good=_replace(
            f"<Item>{_target('./Vendor/MSFT/A')}<Data>1</Data></Item>\n"
            f"  <Item>{_target('./Vendor/MSFT/B')}<Data>1</Data></Item>"
        ),
    ),
    "S107": RuleDoc(
        why="Target, Source and Item hold elements, not text (SyncML RepPro DTD): a URI"
        " written straight into Target is no LocURI, so the receiver sees a Target without"
        " an address and cannot find the node.",
        bad=_replace("<Item><Target>./DevDetail/SwV</Target></Item>", "Get"),
        good=_GET_SWV,
    ),
    "S108": RuleDoc(
        why="The MetInf root element is never used in SyncML: its children (Format, Type, ...)"
        " go directly into Meta, each in syncml:metinf (SyncML MetInf DTD 1.2; [MS-MDM]"
        " 2.2.5.3). A device looking for Meta/Format does not look inside a MetInf wrapper"
        " and takes the default format chr.",
        bad=_replace(
            f"<Item>{_target(_POLICY)}<Meta><MetInf {_MI}><Format>int</Format></MetInf></Meta>"
            "<Data>17</Data></Item>"
        ),
        good=_POLICY_OK,
    ),
    "S110": RuleDoc(
        why="SyncML elements have no attributes besides xmlns (the DTD declares none, and"
        " SyncML WBXML encodes none, so an attribute cannot survive a peer that switches to"
        " WBXML, [MS-MDM] 2.1). The one extension is msft:originalerror on Status Data"
        " ([MS-MDM] 2.2.5.1). Say the format with Meta Format instead.",
        bad=_replace(f'<Item>{_target(_POLICY)}<Data format="int">17</Data></Item>'),
        good=_POLICY_OK,
    ),
    "S111": RuleDoc(
        why="WBXML carries Data as OPAQUE bytes, and its text is UTF-8 (charset 106 in the"
        " WBXML header; SyncML RepPro 1.2 section 8 for the SyncML tokens). OPAQUE bytes that"
        " are not UTF-8 turn into different characters on each peer that decodes them, so the"
        " value is not the one that was sent; binary content belongs in Format b64. The bad"
        " Replace fragment ends in 4f c3 01 e9 (Data, OPAQUE of one byte: Latin-1 e-acute);"
        " the good one sends the UTF-8 bytes c3 a9.",
        bad="02 a4 01 6a 00 60 4b 03 31 00 01 54 4f c3 01 e9 01 01 01",
        good="02 a4 01 6a 00 60 4b 03 31 00 01 54 4f c3 02 c3 a9 01 01 01",
        wbxml=True,
    ),
    "S113": RuleDoc(
        why="Whitespace around a value is part of the value to a peer that does not trim: a"
        " LocURI broken over lines, as in published samples, names a node whose name starts"
        " with a line break, and the device answers 404 Not found. This codec trims and"
        " warns (Microsoft Learn, Structure of OMA DM provisioning files, for LocURI form).",
        bad=_replace(
            "<Item><Target><LocURI>\n      ./DevDetail/SwV\n    </LocURI></Target></Item>", "Get"
        ),
        good=_GET_SWV,
    ),
    "S114": RuleDoc(
        why="Each MetInf element says one thing (SyncML MetInf DTD 1.2: Format?, Type?, ...;"
        " only EMI repeats). Two Formats leave the receiver to pick one, and different peers"
        " pick differently.",
        bad=_replace(
            f"<Item>{_target(_POLICY)}<Meta><Format {_MI}>chr</Format>"
            f"<Format {_MI}>int</Format></Meta><Data>17</Data></Item>"
        ),
        good=_POLICY_OK,
    ),
    "S115": RuleDoc(
        why="A fragment (a profile snippet, one command) that declares no namespace is read"
        " as SyncML 1.2 here, but pasted into a 1.1 message or read by a namespace-aware tool"
        " it means something else. Declare SYNCML:SYNCML1.2 ([MS-MDM] 2.2.4.1).",
        bad=_replace(f"<Item>{_target('./DevDetail/SwV')}</Item>", "Get", ns=""),
        good=_GET_SWV,
    ),
    "S120": RuleDoc(
        why="Commands such as Replace are (CmdID, ..., Item+) in the SyncML RepPro DTD: a"
        " Replace with no Item changes nothing and is malformed, which a Windows client"
        " answers with 400 Bad request (Microsoft Learn, OMA DM protocol support).",
        bad=f"<Replace {_NS}>\n  <CmdID>1</CmdID>\n</Replace>\n",
        good=_REPLACE_A,
    ),
    "S121": RuleDoc(
        why="Meta Format is one of b64, bin, bool, chr, int, node, null, xml (SyncML MetInf"
        " 1.2), or date, time, float for node values (OMA DM tree and description). Another"
        " value is a format the receiver does not know: Windows answers 415 Unsupported media"
        " type or format (Microsoft Learn, OMA DM protocol support).",
        bad=_replace(
            f"<Item>{_target(_POLICY)}<Meta><Format {_MI}>integer</Format></Meta>"
            "<Data>17</Data></Item>"
        ),
        good=_POLICY_OK,
    ),
    # --- protocol ----------------------------------------------------------------------------
    "DM201": RuleDoc(
        why="Every command needs a CmdID so that its Status can name it in CmdRef ([MS-MDM]"
        " 2.2.3.2). An empty one is answered by Windows with a blank CmdRef and 400 (Microsoft"
        " Learn, OMA DM protocol support): the server cannot tell which command failed.",
        bad=_GET_SWV.replace("<CmdID>1</CmdID>", "<CmdID></CmdID>"),
        good=_GET_SWV,
    ),
    "DM202": RuleDoc(
        why="[MS-MDM] 2.2.3.2: CmdID 'MUST be unique within the message'. Statuses refer to"
        " commands by CmdID (OMA-TS-DM_RepPro Status CmdRef), so with two commands of the same"
        " id the server cannot tell which one a Status or Results answers.",
        bad=f"<SyncBody {_NS}>\n"
        f"  <Get><CmdID>2</CmdID><Item>{_target('./DevDetail/SwV')}</Item></Get>\n"
        f"  <Get><CmdID>2</CmdID><Item>{_target('./DevDetail/OEM')}</Item></Get>\n"
        "</SyncBody>\n",
        good=f"<SyncBody {_NS}>\n"
        f"  <Get><CmdID>2</CmdID><Item>{_target('./DevDetail/SwV')}</Item></Get>\n"
        f"  <Get><CmdID>3</CmdID><Item>{_target('./DevDetail/OEM')}</Item></Get>\n"
        "</SyncBody>\n",
    ),
    "DM203": RuleDoc(
        why="[MS-MDM] 2.2.3.2: CmdID 'MUST NOT be 0'. CmdRef 0 means the SyncHdr, so the"
        " Status for a command with CmdID 0 reads as the status of the whole message header.",
        bad=_GET_SWV.replace("<CmdID>1</CmdID>", "<CmdID>0</CmdID>"),
        good=_GET_SWV,
    ),
    "DM204": RuleDoc(
        why="MsgID starts at 1 and grows by 1 per message ([MS-MDM] 2.2.3.6); MsgRef names"
        " the request's MsgID. A MsgRef of 0 or a word refers to no message, so the peer"
        " cannot match the Status to the command it sent.",
        bad=f"<Status {_NS}><CmdID>1</CmdID><MsgRef>0</MsgRef><CmdRef>2</CmdRef>"
        "<Cmd>Get</Cmd><Data>200</Data></Status>\n",
        good=f"<Status {_NS}><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>2</CmdRef>"
        "<Cmd>Get</Cmd><Data>200</Data></Status>\n",
    ),
    "DM205": RuleDoc(
        why="CmdID is text in the DTD, but [MS-MDM] 2.2.3.2 and published Windows sessions"
        " number commands 1, 2, 3, and servers commonly parse CmdRef as a number to match"
        " statuses. A template placeholder such as $CmdID$ left in a copied sample is the"
        " usual cause. A warning: the DTD allows any text.",
        bad=_GET_SWV.replace("<CmdID>1</CmdID>", "<CmdID>$CmdID$</CmdID>"),
        good=_GET_SWV,
    ),
    "DM206": RuleDoc(
        why="SessionID ties the messages of one session together and is the same in each"
        " (OMA-TS-DM_Protocol 2.3.3; [MS-MDM] 2.2.3.8). Without it the server cannot find the"
        " session the message belongs to, nor the nonce it issued for it.",
        bad=_message(_ALERT, sid=""),
        good=_message(_ALERT),
    ),
    "DM207": RuleDoc(
        why="[MS-MDM] 2.2.3.8: the SessionID is opaque and at most 4 bytes. When the server"
        " starts the session with a notification, the client must reuse its SessionID"
        " (OMA-TS-DM_Protocol 2.3.3), and an id longer than the client is specified to keep"
        " breaks that match. A warning under oma, an error under windows.",
        bad=_message(_ALERT, sid="123456"),
        good=_message(_ALERT, sid="1234"),
        profile="windows",
    ),
    "DM208": RuleDoc(
        why="OMA-TS-DM_RepPro 4.1.1.25: with VerDTD 1.2 'the value MUST be DM/1.2' ([MS-MDM]"
        " 2.2.3.13-14). A mismatched pair means the peer cannot know which rules the message"
        " follows, and can only refuse it (505 DTD version not supported, or 513 Protocol"
        " version not supported).",
        bad=_message(_ALERT).replace("DM/1.2", "DM/1.1"),
        good=_message(_ALERT),
    ),
    "DM209": RuleDoc(
        why="The root namespace names the DTD version: SYNCML:SYNCML1.2 goes with VerDTD 1.2"
        " ([MS-MDM] 2.2.4.1; Microsoft Learn, Structure of OMA DM provisioning files, for"
        " SYNCML:SYNCML1.1 with DM 1.1.2). A namespace-aware peer reads the elements by the"
        " 1.1 grammar while the header says 1.2.",
        bad=_message(_ALERT, ns='xmlns="SYNCML:SYNCML1.1"'),
        good=_message(_ALERT),
    ),
    "DM210": RuleDoc(
        why="The Status for SyncHdr (CmdRef 0) is the first Status in SyncBody, even when"
        " statuses for an earlier message span several messages ([MS-MDM] 2.2.6.1). A peer"
        " reads the first Status to learn whether its header and credentials were accepted.",
        bad=f"<SyncBody {_NS}>\n{_ST_REPLACE}{_HDR_OK}</SyncBody>\n",
        good=f"<SyncBody {_NS}>\n{_HDR_OK}{_ST_REPLACE}</SyncBody>\n",
    ),
    "DM211": RuleDoc(
        why="CmdRef 0 and Cmd SyncHdr mean the same thing, the header's status ([MS-MDM]"
        " 2.2.6.1). One without the other leaves the peer two answers: a server that matches"
        " by CmdRef and one that matches by Cmd disagree about what failed.",
        bad=f"<Status {_NS}><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef>"
        "<Cmd>Replace</Cmd><Data>200</Data></Status>\n",
        good=f"<Status {_NS}><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef>"
        "<Cmd>SyncHdr</Cmd><Data>200</Data></Status>\n",
    ),
    "DM212": RuleDoc(
        why="A Status or Results answers one command of one message: CmdRef and MsgRef say"
        " which (OMA-TS-DM_RepPro 4.1.5.1, Status). Empty, they answer nothing, and the command"
        " stays unanswered for the server.",
        bad=f"<Status {_NS}><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef></CmdRef>"
        "<Cmd>Get</Cmd><Data>200</Data></Status>\n",
        good=f"<Status {_NS}><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>2</CmdRef>"
        "<Cmd>Get</Cmd><Data>200</Data></Status>\n",
    ),
    "DM213": RuleDoc(
        why="OMA-TS-DM_RepPro 4.1.1.6: 'The originator MUST NOT supply credentials within"
        " individual commands'; DM authenticates the message in SyncHdr. Credentials in a"
        " command are ignored by the receiver, so the command runs unauthenticated or fails.",
        bad=_replace(
            f"<Cred><Data>YWxpY2U6c2VjcmV0</Data></Cred>\n  <Item>{_target('./DevDetail/SwV')}"
            "</Item>",
            "Get",
        ),
        good=_GET_SWV,
    ),
    "DM214": RuleDoc(
        why="OMA-TS-DM_RepPro 4.2: 'Only the alert codes listed in this section are valid in"
        " OMA DM' (1100-1104, 1200, 1201, 1222-1226). A SyncML DS code such as 201 (slow"
        " sync) means nothing to a DM server, which answers 406 and does not start"
        " management.",
        bad=f"<Alert {_NS}><CmdID>1</CmdID><Data>201</Data></Alert>\n",
        good=f"<Alert {_NS}><CmdID>1</CmdID><Data>1201</Data></Alert>\n",
    ),
    "DM215": RuleDoc(
        why="Windows does not support the OMA DM user-interaction alerts 1100-1104"
        " (OMA-TS-DM_Protocol 2.5): they are not in the [MS-MDM] alert list, and a client"
        " that does not support them answers 406. A server cannot ask a Windows user to"
        " confirm; it just sends the command.",
        bad=f"<SyncBody {_NS}>\n"
        "  <Alert><CmdID>1</CmdID><Data>1101</Data><Item><Data/></Item>"
        "<Item><Data>Wipe?</Data></Item></Alert>\n"
        f"  <Exec><CmdID>2</CmdID><Item>{_target('./Device/Vendor/MSFT/RemoteWipe/doWipe')}"
        "</Item></Exec>\n"
        "</SyncBody>\n",
        good=f"<SyncBody {_NS}>\n"
        f"  <Exec><CmdID>2</CmdID><Item>{_target('./Device/Vendor/MSFT/RemoteWipe/doWipe')}"
        "</Item></Exec>\n"
        "</SyncBody>\n",
        profile="windows",
    ),
    "DM216": RuleDoc(
        why="OMA-TS-DM_Protocol 2.3.7 (generic alert 1226): the Item, its Meta Type and"
        " Format, and Data are REQUIRED; the server dispatches on Type and answers 415 when"
        " it cannot. Without Type a Windows unenrollment alert (Microsoft Learn, Disconnecting"
        " from the management infrastructure) reaches the server as an anonymous 1226.",
        bad=f"<Alert {_NS}>\n  <CmdID>1</CmdID><Data>1226</Data>\n"
        f"  <Item><Meta><Format {_MI}>int</Format></Meta><Data>1</Data></Item>\n</Alert>\n",
        good=f"<Alert {_NS}>\n  <CmdID>1</CmdID><Data>1226</Data>\n"
        f"  <Item><Meta><Type {_MI}>com.microsoft:mdm.unenrollment.userrequest</Type>"
        f"<Format {_MI}>int</Format></Meta><Data>1</Data></Item>\n</Alert>\n",
    ),
    "DM217": RuleDoc(
        why="Client event 1224: each Item is one event with Meta Type and Format ([MS-MDM]"
        " 2.2.7.2; Microsoft Learn, OMA DM protocol support, for LoginStatus). Without them"
        " the server cannot tell a LoginStatus from an AADUserToken. An error under oma, a"
        " warning under windows, where Microsoft documents events without Format.",
        bad=f"<Alert {_NS}>\n  <CmdID>1</CmdID><Data>1224</Data>\n"
        f"  <Item><Meta><Type {_MI}>com.microsoft/MDM/LoginStatus</Type></Meta>"
        "<Data>user</Data></Item>\n</Alert>\n",
        good=f"<Alert {_NS}>\n  <CmdID>1</CmdID><Data>1224</Data>\n"
        f"  <Item><Meta><Type {_MI}>com.microsoft/MDM/LoginStatus</Type>"
        f"<Format {_MI}>chr</Format></Meta><Data>user</Data></Item>\n</Alert>\n",
    ),
    "DM220": RuleDoc(
        why="OMA-TS-DM_RepPro 4.1.6.3: Atomic holds Add, Alert, Delete, Copy, Replace; a"
        " nested Atomic or a Get fails with 500, and Windows then fails the whole Atomic with"
        " 507 (Microsoft Learn, OMA DM protocol support). Put reads outside the Atomic, or use"
        " Sequence when only the order matters.",
        bad=f"<Atomic {_NS}>\n  <CmdID>1</CmdID>\n"
        f"  <Replace><CmdID>2</CmdID><Item>{_target('./Vendor/MSFT/A')}<Data>1</Data></Item>"
        "</Replace>\n"
        f"  <Get><CmdID>3</CmdID><Item>{_target('./Vendor/MSFT/A')}</Item></Get>\n</Atomic>\n",
        good=f"<Sequence {_NS}>\n  <CmdID>1</CmdID>\n"
        f"  <Replace><CmdID>2</CmdID><Item>{_target('./Vendor/MSFT/A')}<Data>1</Data></Item>"
        "</Replace>\n"
        f"  <Get><CmdID>3</CmdID><Item>{_target('./Vendor/MSFT/A')}</Item></Get>\n</Sequence>\n",
    ),
    "DM221": RuleDoc(
        why="OMA-TS-DM_RepPro 4.1.6.14: Sequence holds Add, Replace, Delete, Copy, Get, Exec"
        " and Alert. Anything else, such as an Atomic, is a command the device need not"
        " execute inside it; the server cannot rely on its order or outcome.",
        bad=f"<Sequence {_NS}>\n  <CmdID>1</CmdID>\n"
        f"  <Atomic><CmdID>2</CmdID><Replace><CmdID>3</CmdID><Item>{_target('./Vendor/MSFT/A')}"
        "<Data>1</Data></Item></Replace></Atomic>\n</Sequence>\n",
        good=f"<Sequence {_NS}>\n  <CmdID>1</CmdID>\n"
        f"  <Replace><CmdID>3</CmdID><Item>{_target('./Vendor/MSFT/A')}<Data>1</Data></Item>"
        "</Replace>\n</Sequence>\n",
    ),
    "DM223": RuleDoc(
        why="MaxMsgSize, MaxObjSize and Size are byte counts (SyncML MetInf 1.2;"
        " OMA-TS-DM_Protocol 2.2, large object handling): the receiver checks the"
        " reassembled object against Size and answers 424 Size mismatch, which it cannot do"
        " with '2 KB'.",
        bad=_replace(
            f"<Item>{_target('./Vendor/MSFT/A')}<Meta><Size {_MI}>2 KB</Size></Meta>"
            "<Data>1</Data></Item>"
        ),
        good=_replace(
            f"<Item>{_target('./Vendor/MSFT/A')}<Meta><Size {_MI}>1</Size></Meta>"
            "<Data>1</Data></Item>"
        ),
    ),
    "DM224": RuleDoc(
        why="Microsoft Learn, Structure of OMA DM provisioning files: a LocURI must not start"
        " with '/', and '.' is a segment only at the start; node names may not be empty."
        " A Windows client answers such a URI with an error instead of finding the node.",
        bad=_replace(f"<Item>{_target('/Vendor/MSFT/DMClient')}</Item>", "Get"),
        good=_replace(f"<Item>{_target('./Vendor/MSFT/DMClient')}</Item>", "Get"),
    ),
    "DM230": RuleDoc(
        why="Copy is not supported on Windows: [MS-MDM] 2.2.4.3 has no Copy and Microsoft"
        " Learn, OMA DM protocol support, lists it as unsupported, so the device fails it. Read"
        " the value (Get) and write it (Add or Replace) instead.",
        bad=f"<Copy {_NS}>\n  <CmdID>1</CmdID>\n  <Item>{_target('./Vendor/MSFT/B')}"
        "<Source><LocURI>./Vendor/MSFT/A</LocURI></Source></Item>\n</Copy>\n",
        good=_replace(f"<Item>{_target('./Vendor/MSFT/B')}<Data>1</Data></Item>", "Add"),
        profile="windows",
    ),
    "DM232": RuleDoc(
        why="[MS-MDM] 2.2.7.2: 'The <Correlator> element ... is not supported'. A Windows"
        " client does not echo it in a later generic alert, so a server waiting for the"
        " Correlator of an asynchronous Exec waits for ever.",
        bad=f"<Exec {_NS}>\n  <CmdID>1</CmdID><Correlator>abc</Correlator>\n"
        f"  <Item>{_target('./Device/Vendor/MSFT/Reboot/RebootNow')}</Item>\n</Exec>\n",
        good=f"<Exec {_NS}>\n  <CmdID>1</CmdID>\n"
        f"  <Item>{_target('./Device/Vendor/MSFT/Reboot/RebootNow')}</Item>\n</Exec>\n",
        profile="windows",
    ),
    "DM233": RuleDoc(
        why="OMA-TS-DM_RepPro 4.1.1.14: NoResp 'is not used in OMA Device Management"
        " Protocol'. A DM client answers every command anyway (OMA-TS-DM_Protocol 2.3), so a"
        " server that sent NoResp and expects no Status miscounts the replies. A warning"
        " under oma, an error under windows.",
        bad=_replace(f"<NoResp/>\n  <Item>{_target('./Vendor/MSFT/A')}<Data>1</Data></Item>"),
        good=_REPLACE_A,
    ),
    # --- protocol, with the request (validate(request=...)) --------------------------------
    "DM250": RuleDoc(
        why="A Status or Results names the command it answers by MsgRef and CmdRef"
        " (OMA-TS-DM_RepPro 4.1.5.1). One that names no command of the request answers"
        " nothing, and the command it was meant for looks unanswered to the server.",
        bad=_RESPONSE.replace("<CmdRef>2</CmdRef>", "<CmdRef>5</CmdRef>"),
        good=_RESPONSE,
        request=_REQUEST,
    ),
    "DM251": RuleDoc(
        why="Exactly one Status per command (OMA-TS-DM_RepPro 4.1.5.1; Microsoft Learn, OMA DM"
        " protocol support). Two Statuses for one command may disagree, and the server"
        " cannot know which outcome is true.",
        bad=_RESPONSE.replace(_ST_GET, _ST_REPLACE.replace("<CmdID>2", "<CmdID>5") + _ST_GET),
        good=_RESPONSE,
        request=_REQUEST,
    ),
    "DM252": RuleDoc(
        why="The client MUST return a Status for every server command (OMA-TS-DM_Protocol"
        " 2.3; [MS-MDM] 2.2.6.1), the SyncHdr included. A command without one is, for the"
        " server, neither done nor failed, and policy compliance cannot be reported.",
        bad=_RESPONSE.replace(_ST_REPLACE, ""),
        good=_RESPONSE,
        request=_REQUEST,
    ),
    "DM253": RuleDoc(
        why="Status Cmd repeats the name of the command it answers (OMA-TS-DM_RepPro 4.1.5.1)."
        " A Status saying Add for a Replace means the client answered a different command"
        " than the server thinks, usually a CmdRef off by one.",
        bad=_RESPONSE.replace("<Cmd>Replace</Cmd>", "<Cmd>Add</Cmd>"),
        good=_RESPONSE,
        request=_REQUEST,
    ),
    "DM254": RuleDoc(
        why="Statuses come in the order of the request's commands (OMA-TS-DM_RepPro 4.1.5.1;"
        " Microsoft Learn, OMA DM protocol support). A server that pairs them by position"
        " records the wrong outcome for each command.",
        bad=_RESPONSE.replace(_ST_REPLACE + _ST_GET, _ST_GET + _ST_REPLACE),
        good=_RESPONSE,
        request=_REQUEST,
    ),
    "DM255": RuleDoc(
        why="OMA-TS-DM_RepPro 4.1.6.12: Results come after the Status of the same Get. A"
        " server reading in order sees the value before it knows whether the Get succeeded.",
        bad=_RESPONSE.replace(_ST_GET + _RESULTS, _RESULTS + _ST_GET),
        good=_RESPONSE,
        request=_REQUEST,
    ),
    "DM256": RuleDoc(
        why="OMA-TS-DM_RepPro 4.1.5.1: 'A Status MUST NOT be sent for Results when the code"
        " would be 200'. Such a Status tells the client nothing, and a client that does not"
        " expect it may take it for the status of a command of its own; only a failure to"
        " process the Results is reported.",
        bad=f"<SyncBody {_NS}>\n{_HDR_OK}"
        "    <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>4</CmdRef>"
        "<Cmd>Results</Cmd><Data>200</Data></Status>\n  <Final/>\n</SyncBody>\n",
        good=f"<SyncBody {_NS}>\n{_HDR_OK}  <Final/>\n</SyncBody>\n",
    ),
    # --- authentication (syncml_codec.auth.check_message) -----------------------------------
    "DM260": RuleDoc(
        why="OMA-TS-DM_RepPro 4.1.1.2: with syncml:auth-md5 or syncml:auth-MAC 'the Meta"
        " Format for the NextNonce element MUST be specified and it MUST be b64'. A client"
        " that takes the nonce as text hashes different bytes, and every later digest fails"
        " with 401.",
        bad=_chal(f"<Type {_MI}>syncml:auth-md5</Type><NextNonce {_MI}>{_NONCE}</NextNonce>"),
        good=_CHAL_OK,
    ),
    "DM261": RuleDoc(
        why="An MD5 or HMAC challenge is answered with a digest over the nonce it carries"
        " (OMA-TS-DM_RepPro 4.1.1.2; OMA-TS-DM_Security 5.1.3.2). Without NextNonce the"
        " client has nothing to hash with and cannot ever authenticate.",
        bad=_chal(_MD5_CHAL),
        good=_CHAL_OK,
    ),
    "DM262": RuleDoc(
        why="NextNonce is the base64 of the nonce bytes, and the digest is computed over the"
        " decoded bytes (OMA-TS-DM_Security 5.1.3.3; Microsoft Learn, Server requirements for"
        " using OMA DM to manage Windows devices). A value that is not canonical base64 is"
        " decoded differently by each peer, so the digests never match.",
        bad=_chal(f"{_MD5_CHAL}<NextNonce {_MI}>not base64!</NextNonce>"),
        good=_CHAL_OK,
    ),
    "DM263": RuleDoc(
        why="OMA-TS-DM_Security 5.1.3.3: the nonce should be 'at least 128 bits (16 random"
        " octets) in length'. A short nonce lets an eavesdropper replay or precompute"
        " digests. A warning: the protocol still works.",
        bad=_chal(f"{_MD5_CHAL}<NextNonce {_MI}>MTIz</NextNonce>"),
        good=_CHAL_OK,
    ),
    "DM264": RuleDoc(
        why="OMA-TS-DM_Protocol 2.4.1: the Status 401 or 407 for a failed authentication"
        " 'MUST include a Chal element'. Without it the client does not know which scheme and"
        " nonce to answer with, and the session ends unauthenticated.",
        bad=_message(
            "    <Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef>"
            "<Cmd>SyncHdr</Cmd><Data>401</Data></Status>\n"
        ),
        good=_CHAL_OK,
    ),
    "DM265": RuleDoc(
        why="OMA DM knows syncml:auth-basic, syncml:auth-md5 and syncml:auth-MAC"
        " (OMA-TS-DM_Security 5.1.3; Windows supports Basic and MD5 client authentication and"
        " HMAC, Microsoft Learn, OMA DM protocol support). Any other Type is a scheme the"
        " peer cannot check, so it answers 401 for ever.",
        bad=_cred(f"<Type {_MI}>syncml:auth-x509</Type>", "YWxpY2U6c2VjcmV0"),
        good=_cred(f"<Type {_MI}>syncml:auth-basic</Type>", "YWxpY2U6c2VjcmV0"),
    ),
    "DM266": RuleDoc(
        why="OMA-TS-DM_RepPro 4.1.1.6: with auth-md5 'the Meta Format must be b64', and Data"
        " is the base64 MD5 digest (16 bytes, OMA-TS-DM_Security 5.1.3.2). auth-MAC never"
        " goes in Cred: the HMAC travels in the x-syncml-hmac header (OMA-TS-DM_Security"
        " 5.1.4). Otherwise the server compares the wrong bytes and answers 401.",
        bad=_cred(f"<Type {_MI}>syncml:auth-md5</Type>", "Zm9vYmFyYmF6cXV4MTIzNA=="),
        good=_cred(
            f"<Type {_MI}>syncml:auth-md5</Type><Format {_MI}>b64</Format>",
            "Zm9vYmFyYmF6cXV4MTIzNA==",
        ),
    ),
    "DM267": RuleDoc(
        why="OMA-TS-DM_Security 5.1.3.1: the MD5 digest is computed over the user name, and"
        " the user name travels in SyncHdr Source/LocName. Without it the server cannot look"
        " up the password to check the digest.",
        bad=_cred(
            f"<Type {_MI}>syncml:auth-md5</Type><Format {_MI}>b64</Format>",
            "Zm9vYmFyYmF6cXV4MTIzNA==",
            loc_name="",
        ),
        good=_cred(
            f"<Type {_MI}>syncml:auth-md5</Type><Format {_MI}>b64</Format>",
            "Zm9vYmFyYmF6cXV4MTIzNA==",
        ),
    ),
    "DM268": RuleDoc(
        why="OMA-TS-DM_Protocol 2.4.1: the response indicating an authentication failure"
        " 'contains only Status commands (i.e. Replace, Get etc. commands MUST NOT be"
        " specified)'. Management commands sent to an unauthenticated peer are not executed.",
        bad=_CHAL_OK.replace(
            "  </SyncBody>",
            f"    <Get><CmdID>2</CmdID><Item>{_target('./DevDetail/SwV')}</Item></Get>\n"
            "  </SyncBody>",
        ),
        good=_CHAL_OK,
    ),
    "DM269": RuleDoc(
        why="OMA-TS-DM_RepPro 4.1.1.6: auth-basic Data is the base64 of user:password"
        " (OMA-TS-DM_Security 5.1.3). Plain text or a value without the colon is refused by"
        " the server as wrong credentials (401).",
        bad=_cred(f"<Type {_MI}>syncml:auth-basic</Type>", "alice:secret"),
        good=_cred(f"<Type {_MI}>syncml:auth-basic</Type>", "YWxpY2U6c2VjcmV0"),
    ),
    # --- CSP (syncml_codec.csp.check_csp; validate --csp) ----------------------------------
    "C301": RuleDoc(
        why="The LocURI must name a node of a configuration service provider, as its DDF file"
        " describes it (Microsoft Learn, Configuration service provider DDF files). A"
        " misspelt node is answered with 404 Not found, and the policy is never applied.",
        bad=_replace(
            f"<Item>{_target('./Device/Vendor/MSFT/Policy/Config/Experience/AllowCortanaX')}"
            f"{_FMT_INT}<Data>0</Data></Item>"
        ),
        good=_replace(
            f"<Item>{_target('./Device/Vendor/MSFT/Policy/Config/Experience/AllowCortana')}"
            f"{_FMT_INT}<Data>0</Data></Item>"
        ),
        profile="windows",
    ),
    "C302": RuleDoc(
        why="Each node lists the commands it accepts (DDF AccessType). A Replace on a"
        " Get-only node such as DevDetail/SwV is refused with 405 Command not allowed"
        " (Microsoft Learn, OMA DM protocol support; DevDetail CSP).",
        bad=_replace(f"<Item>{_target('./DevDetail/SwV')}<Data>10.0</Data></Item>"),
        good=_GET_SWV,
        profile="windows",
    ),
    "C303": RuleDoc(
        why="The Meta Format of a write must equal the node's DFFormat (Microsoft Learn,"
        " Configuration service provider DDF files; Policy CSP - Update). Without Meta Format"
        " the value is chr (SyncML MetInf 1.2 default), so an int node receives a string and"
        " the device refuses the write.",
        bad=_replace(f"<Item>{_target(_POLICY)}<Data>17</Data></Item>"),
        good=_POLICY_OK,
        profile="windows",
    ),
    "C304": RuleDoc(
        why="A value outside the node's AllowedValues (here Update/ActiveHoursEnd, range"
        " 0-23, Microsoft Learn, Policy CSP - Update) is refused by the device, so the policy"
        " keeps its old value.",
        bad=_replace(f"<Item>{_target(_POLICY)}{_FMT_INT}<Data>24</Data></Item>"),
        good=_replace(f"<Item>{_target(_POLICY)}{_FMT_INT}<Data>23</Data></Item>"),
        profile="windows",
    ),
    "C305": RuleDoc(
        why="A node lives in the device or the user scope: ./Device/... and ./User/... are not"
        " interchangeable (Microsoft Learn, Configuration service provider reference; DMClient"
        " CSP nodes are device context). In the wrong scope the device does not find the node.",
        bad=_replace(
            f"<Item>{_target('./User/Vendor/MSFT/DMClient/Provider/Contoso/Unenroll')}"
            "<Data>Contoso</Data></Item>",
            "Exec",
        ),
        good=_replace(
            f"<Item>{_target('./Device/Vendor/MSFT/DMClient/Provider/Contoso/Unenroll')}"
            "<Data>Contoso</Data></Item>",
            "Exec",
        ),
        profile="windows",
    ),
    "C306": RuleDoc(
        why="Some nodes must be written inside Atomic (DDF MSFT:AtomicRequired): the CSP"
        " applies them together or not at all, so the device does not accept a lone write."
        " Here the LAPS CSP's DDF marks its Policies node that way (Microsoft Learn, LAPS CSP).",
        bad=_replace(
            f"<Item>{_target('./Device/Vendor/MSFT/LAPS/Policies/BackupDirectory')}"
            f"{_FMT_INT}<Data>1</Data></Item>"
        ),
        good=f"<Atomic {_NS}>\n  <CmdID>1</CmdID>\n  <Replace><CmdID>2</CmdID>"
        f"<Item>{_target('./Device/Vendor/MSFT/LAPS/Policies/BackupDirectory')}"
        f"{_FMT_INT}<Data>1</Data></Item></Replace>\n</Atomic>\n",
        profile="windows",
    ),
    "C307": RuleDoc(
        why="A deprecated node (DDF MSFT:Deprecated) still works but may be removed from a"
        " later Windows release, where the command then fails with 404 (Microsoft Learn,"
        " WindowsLicensing CSP). A warning.",
        bad=_replace(
            f"<Item>{_target('./Device/Vendor/MSFT/WindowsLicensing/UpgradeEditionWithLicense')}"
            f"<Meta><Format {_MI}>xml</Format></Meta><Data><License/></Data></Item>",
            "Exec",
        ),
        good=_replace(
            f"<Item>{_target('./Device/Vendor/MSFT/WindowsLicensing/ChangeProductKey')}"
            f"<Meta><Format {_MI}>chr</Format></Meta><Data>KEY</Data></Item>",
            "Exec",
        ),
        profile="windows",
    ),
    "C308": RuleDoc(
        why="A node exists only from the Windows build its DDF names (MSFT:Applicability"
        " OsBuildVersion); an older device answers 404. Information by default, since the"
        " server often does not know the build (validate --os-build).",
        bad=_replace(
            f"<Item>{_target('./DevDetail/Ext/Microsoft/SMBIOSSerialNumber')}</Item>", "Get"
        ),
        good=_replace(f"<Item>{_target('./DevDetail/Ext/DeviceHardwareData')}</Item>", "Get"),
        profile="windows",
        os_build="10.0.15063",
    ),
}
