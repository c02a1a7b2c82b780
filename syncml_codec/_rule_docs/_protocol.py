"""Explanations of the protocol rules DM201-DM256."""

from __future__ import annotations

from typing import Final

from ._common import (
    _ALERT,
    _GET_SWV,
    _HDR_OK,
    _MI,
    _NS,
    _REPLACE_A,
    _REQUEST,
    _RESPONSE,
    _RESULTS,
    _ST_GET,
    _ST_REPLACE,
    RuleDoc,
    _message,
    _replace,
    _target,
)

DOCS: Final[dict[str, RuleDoc]] = {
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
}
