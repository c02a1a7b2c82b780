"""Explanations of the rule families beside their features: auth DM260-DM269, packing
DM270-DM275, CSP C301-C308."""

from __future__ import annotations

from typing import Final

from ._common import (
    _CHAL_OK,
    _FMT_INT,
    _GET_SWV,
    _HDR_STATUS,
    _MD5_CHAL,
    _MI,
    _NONCE,
    _NS,
    _POLICY,
    _POLICY_OK,
    RuleDoc,
    _chal,
    _chunk,
    _cred,
    _message,
    _peer,
    _replace,
    _target,
)

DOCS: Final[dict[str, RuleDoc]] = {
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
    "DM270": RuleDoc(
        why="OMA-TS-DM_Protocol 2.2: 'data objects that fit within a single message MUST NOT"
        " be followed by <MoreData/>'. A receiver that sees MoreData waits for a next chunk"
        " that never comes, answers 213, and the object is never applied.",
        bad=_message(_chunk("QUJD", size="4")),
        good=_message(_chunk("QUJD", more=False)),
    ),
    "DM271": RuleDoc(
        why="OMA-TS-DM_Protocol 2.2: Size MUST only be given in the first chunk of a large"
        " object. A Size on a later chunk that disagrees with what arrived makes a receiver"
        " answer 424 (size mismatch) and drop the whole object. A warning: a repeated, equal"
        " Size does no harm to most receivers.",
        bad=_message(_chunk("QUJD", size="8", more=False)),
        good=_message(_chunk("QUJD", more=False)),
    ),
    "DM272": RuleDoc(
        why="OMA-TS-DM_Protocol 2.1.2: Final marks the package's last message, and 2.2: a"
        " chunk with MoreData is followed by the next chunk. Both at once end the package in"
        " the middle of an object; the receiver can only answer 424 and drop it.",
        bad=_message(_chunk("QUJD", size="8") + "    <Final/>\n"),
        good=_message(_chunk("QUJD", size="8")),
    ),
    "DM273": RuleDoc(
        why="OMA-TS-DM_Protocol 2.2: new commands or Items MUST NOT be placed between the"
        " chunks of an object. The receiver answers 1225 (end of data for chunked object not"
        " received) and drops the object.",
        bad=_message(
            _chunk("QUJD", size="8", extra=f"<Item>{_target(_POLICY)}<Data>1</Data></Item>")
        ),
        good=_message(_chunk("QUJD", size="8")),
    ),
    "DM274": RuleDoc(
        why="The MaxMsgSize a peer announces in its SyncHdr Meta binds the sender for the"
        " session (OMA-TS-DM_Protocol 2.1; [MS-MDM] 2.2.5.3). A larger message may be refused"
        " by the device (413) or cut by its transport buffer.",
        bad=_message(_HDR_STATUS + _chunk("QUJD" * 120, more=False) + "    <Final/>\n"),
        good=_message(_HDR_STATUS + _chunk("QUJD", more=False) + "    <Final/>\n"),
        request=_peer(f"<MaxMsgSize {_MI}>1000</MaxMsgSize>"),
    ),
    "DM275": RuleDoc(
        why="A peer's MaxObjSize is the largest object it can take (OMA-TS-DM_Protocol 2.2);"
        " a sender MUST NOT send a larger one. The receiver answers 413 (request entity too"
        " large) and the object is lost.",
        bad=_message(_HDR_STATUS + _chunk("QUJD", size="500000")),
        good=_message(_HDR_STATUS + _chunk("QUJD", size="8")),
        request=_peer(f"<MaxObjSize {_MI}>100000</MaxObjSize>"),
    ),
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
