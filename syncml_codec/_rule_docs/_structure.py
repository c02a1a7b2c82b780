"""Explanations of XML00x, LIMIT, XSD001 and the structural rules S1xx."""

from __future__ import annotations

from typing import Final

from syncml_codec.limits import Limits

from ._common import (
    _FMT_INT,
    _GET_SWV,
    _MI,
    _NS,
    _POLICY,
    _POLICY_OK,
    _REPLACE_A,
    RuleDoc,
    _replace,
    _target,
)

DOCS: Final[dict[str, RuleDoc]] = {
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
        why="The SyncML RepPro DTD is the whole grammar of a message: a Status carries its code"
        " as digits (OMA-TS-DM_RepPro 4.1.6.15 and the status code table). A Status whose Data"
        " is 'OK' answers nothing a server can act on: it cannot tell success from failure and"
        " re-sends or gives up on the command.",
        bad=f"<Status {_NS}><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef>"
        "<Cmd>SyncHdr</Cmd><Data>OK</Data></Status>\n",
        good=f"<Status {_NS}><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef>"
        "<Cmd>SyncHdr</Cmd><Data>200</Data></Status>\n",
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
        " adhere to the explicit order defined in the DTD'. A device that reads in DTD order"
        " takes the first CmdID it meets as the command's; with CmdID after the Item it may"
        " find none, and its Status cannot name the command it answers.",
        bad=f"<Replace {_NS}>\n  <Item>{_target(_POLICY)}{_FMT_INT}<Data>17</Data></Item>\n"
        "  <CmdID>1</CmdID>\n</Replace>\n",
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
    "S119": RuleDoc(
        why="A WBXML document may name its public identifier by a string-table reference, and"
        " every string-table entry ends with its NUL (WAP-192-WBXML 5.7). Device test vectors"
        " write the 29 bytes of '-//SYNCML//DTD SyncML 1.2//EN' as the whole table, with no"
        " NUL: libwbxml reads them, a strict decoder (the SyncML Reference Toolkit) refuses"
        " the message. A warning: the message is understood.",
        bad="02 00 00 6a 1d 2d 2f 2f 53 59 4e 43 4d 4c 2f 2f 44 54 44 20 53 79 6e 63 4d 4c 20"
        " 31 2e 32 2f 2f 45 4e 46 4b 03 31 00 01 4f 03 31 32 30 31 00 01 01",
        good="02 a4 01 6a 00 46 4b 03 31 00 01 4f 03 31 32 30 31 00 01 01",
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
    "S116": RuleDoc(
        why="SyncML has no processing instructions (OMA-SUP-DTD_SyncML_RepPro-V1_2); W3C XML"
        " 1.0 2.6 lets a reader pass them on, and most SyncML readers drop them. A sender that"
        " relies on one (a stylesheet, a tool directive) relies on something the device never"
        " sees. A warning: the message itself still reads the same.",
        bad=_replace(f"<?tool keep?><Item>{_target('./DevDetail/SwV')}</Item>", "Get"),
        good=_GET_SWV,
    ),
    "S117": RuleDoc(
        why="The DTD orders Item's children Target, Source, ..., Meta, Data, and [MS-MDM] 2.2.2"
        " says the XML 'MUST adhere to the explicit order defined in the DTD'. Windows itself"
        " accepts Meta before Target (Microsoft's published ADMX-ingestion samples do it), so"
        " the windows profile warns; another OMA DM client may miss the Target.",
        bad=_replace(f"<Item>{_FMT_INT}{_target(_POLICY)}<Data>17</Data></Item>"),
        good=_POLICY_OK,
    ),
    "S118": RuleDoc(
        why="Format and Type are MetInf elements, in the syncml:metinf namespace"
        " (OMA-SUP-DTD_SyncML_MetaInfo-V1_2; [MS-MDM] 2.2.5.3). Windows accepts them without"
        " the declaration (published profiles omit it), so the windows profile warns; a"
        " namespace-aware client reads an undeclared Format as unknown and the value as chr.",
        bad=_replace(
            f"<Item>{_target(_POLICY)}<Meta><Format>int</Format></Meta><Data>17</Data></Item>"
        ),
        good=_POLICY_OK,
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
}
