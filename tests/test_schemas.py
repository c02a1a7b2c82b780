"""Bundled XSDs (schemas/*.xsd) and the xmlschema wrapper (syncml_codec._xsd)."""

from __future__ import annotations

import dataclasses
import typing
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from xmlschema.resources import fetchers, xml_resource

from syncml_codec import _resources, model
from syncml_codec._validate import xsd as _xsd
from syncml_codec.codes import NS_METINF, NS_SYNCML11, NS_SYNCML12
from syncml_codec.errors import SyncMLError

CORPUS = Path(__file__).parent / "data" / "corpus" / "oma-spec"
XS = "{http://www.w3.org/2001/XMLSchema}"

PKG1 = "oma-dmpro-2-6-1-1-pkg1-client-init-cred-maxmsgsize.xml"
PKG2 = "oma-dmpro-2-6-1-2-pkg2-server-status-sequence-confirm.xml"
PKG3 = "oma-dmpro-2-6-2-3-pkg3-status-results-no-cmdref.xml"
CONFIRM = "oma-dmpro-2-5-2-2-confirm-alert-1101.xml"
GENERIC = "oma-dmpro-2-3-7-1-generic-alert-basic-design.xml"
CHALLENGE = "oma-dmpro-2-4-4-1-pkg2-basic-auth-challenge-407.xml"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def codes(data: bytes) -> list[str]:
    return [d.code for d in _xsd.xsd_diagnostics(data)]


def errors(data: bytes) -> list[tuple[str, int, str]]:
    return [(d.code, d.line, d.xpath) for d in _xsd.xsd_diagnostics(data)]


# --- a hand-made message using every modelled element ----------------------------------------

META_ALL = """<Meta>
        <FieldLevel xmlns="syncml:metinf"/>
        <Format xmlns="syncml:metinf">chr</Format>
        <Type xmlns="syncml:metinf">text/plain</Type>
        <Mark xmlns="syncml:metinf">informational</Mark>
        <Size xmlns="syncml:metinf">12</Size>
        <Anchor xmlns="syncml:metinf"><Last>1</Last><Next>2</Next></Anchor>
        <Version xmlns="syncml:metinf">1.0</Version>
        <NextNonce xmlns="syncml:metinf">bm9uY2U=</NextNonce>
        <MaxMsgSize xmlns="syncml:metinf">10000</MaxMsgSize>
        <MaxObjSize xmlns="syncml:metinf">20000</MaxObjSize>
        <EMI xmlns="syncml:metinf">a</EMI>
        <EMI xmlns="syncml:metinf">b</EMI>
        <Mem xmlns="syncml:metinf"><SharedMem/><FreeMem>10</FreeMem><FreeID>5</FreeID></Mem>
      </Meta>"""

FULL = f"""<?xml version="1.0" encoding="UTF-8"?>
<SyncML xmlns="SYNCML:SYNCML1.2">
  <SyncHdr>
    <VerDTD>1.2</VerDTD>
    <VerProto>DM/1.2</VerProto>
    <SessionID>1A</SessionID>
    <MsgID>1</MsgID>
    <Target><LocURI>https://mdm.example.com/omadm</LocURI><LocName>srv</LocName></Target>
    <Source><LocURI>urn:uuid:0</LocURI><LocName>user</LocName></Source>
    <RespURI>https://mdm.example.com/omadm?s=1</RespURI>
    <NoResp/>
    <Cred>
      <Meta><Format xmlns="syncml:metinf">b64</Format>
        <Type xmlns="syncml:metinf">syncml:auth-md5</Type></Meta>
      <Data>dXNlcjpwYXNz</Data>
    </Cred>
    <Meta><MaxMsgSize xmlns="syncml:metinf">5000</MaxMsgSize></Meta>
  </SyncHdr>
  <SyncBody xmlns:msft="http://schemas.microsoft.com/MobileDevice/MDM" msft:x="1">
    <Status>
      <CmdID>1</CmdID>
      <MsgRef>1</MsgRef>
      <CmdRef>0</CmdRef>
      <Cmd>SyncHdr</Cmd>
      <TargetRef>./a</TargetRef>
      <TargetRef>./b</TargetRef>
      <SourceRef>./c</SourceRef>
      <SourceRef>./d</SourceRef>
      <Cred><Data>x</Data></Cred>
      <Chal><Meta><Format xmlns="syncml:metinf">b64</Format>
        <NextNonce xmlns="syncml:metinf">Tm9uY2U=</NextNonce></Meta></Chal>
      <Data msft:originalerror="0x86000002">401</Data>
      <Item><Data>extra</Data></Item>
    </Status>
    <Results>
      <CmdID>2</CmdID>
      <MsgRef>1</MsgRef>
      <CmdRef>5</CmdRef>
      <Cmd>Get</Cmd>
      <Meta><Format xmlns="syncml:metinf">node</Format></Meta>
      <TargetRef>./Vendor</TargetRef>
      <SourceRef>./Vendor</SourceRef>
      <Item><Source><LocURI>./Vendor</LocURI></Source><Data>MSFT/Other</Data></Item>
    </Results>
    <Alert>
      <CmdID>3</CmdID>
      <NoResp/>
      <Cred><Data>x</Data></Cred>
      <Data>1226</Data>
      <Correlator>abc</Correlator>
      <Item>
        <Source><LocURI>./Vendor/MSFT/DMClient</LocURI></Source>
        <Meta><Type xmlns="syncml:metinf">com.microsoft:mdm.unenrollment.userrequest</Type>
          <Format xmlns="syncml:metinf">int</Format></Meta>
        <Data>1</Data>
      </Item>
    </Alert>
    <Add>
      <CmdID>4</CmdID>
      <NoResp/>
      <Cred><Data>x</Data></Cred>
      {META_ALL}
      <Item>
        <Target><LocURI>./a/b</LocURI></Target>
        <Source><LocURI>./s</LocURI></Source>
        <SourceParent><LocURI>./sp</LocURI></SourceParent>
        <TargetParent><LocURI>./tp</LocURI></TargetParent>
        {META_ALL}
        <Data><Application xmlns="x" a="1"/></Data>
        <MoreData/>
      </Item>
    </Add>
    <Copy><CmdID>5</CmdID><Item><Target><LocURI>./x</LocURI></Target><Source><LocURI>./y</LocURI></Source></Item></Copy>
    <Delete><CmdID>6</CmdID><NoResp/><Archive/><SftDel/><Cred><Data>x</Data></Cred><Meta/><Item><Target><LocURI>./x</LocURI></Target></Item></Delete>
    <Exec>
      <CmdID>7</CmdID><NoResp/><Cred><Data>x</Data></Cred><Meta/><Correlator>c1</Correlator>
      <Item><Target><LocURI>./Vendor/MSFT/DMClient/Provider/X/Unenroll</LocURI></Target><Data>X</Data></Item>
    </Exec>
    <Get><CmdID>8</CmdID><NoResp/><Lang>en</Lang><Cred><Data>x</Data></Cred><Meta/><Item><Target><LocURI>./DevInfo</LocURI></Target></Item></Get>
    <Replace>
      <CmdID>9</CmdID>
      <Item><Target><LocURI>./Device/Vendor/MSFT/Policy/Config/x</LocURI></Target>
        <Data><![CDATA[<enabled/><data id="a" value="<b>&"/>]]></Data></Item>
      <Item><Target><LocURI>./t</LocURI></Target>
        <Data>mixed <b xmlns="y">text</b> and <![CDATA[<c/>]]></Data></Item>
    </Replace>
    <Atomic>
      <CmdID>10</CmdID><NoResp/><Meta/>
      <Add><CmdID>11</CmdID><Item><Data>1</Data></Item></Add>
      <Replace><CmdID>12</CmdID><Item><Data>1</Data></Item></Replace>
      <Delete><CmdID>13</CmdID><Item><Target><LocURI>./z</LocURI></Target></Item></Delete>
      <Copy><CmdID>14</CmdID><Item><Data>1</Data></Item></Copy>
      <Atomic><CmdID>15</CmdID><Alert><CmdID>16</CmdID><Data>1222</Data></Alert></Atomic>
      <Sequence><CmdID>17</CmdID><Get><CmdID>18</CmdID><Item><Data>1</Data></Item></Get></Sequence>
      <Get><CmdID>19</CmdID><Item><Data>1</Data></Item></Get>
      <Exec><CmdID>20</CmdID><Item><Data>1</Data></Item></Exec>
      <Alert><CmdID>21</CmdID><Data>1101</Data></Alert>
    </Atomic>
    <Sequence>
      <CmdID>22</CmdID><NoResp/><Meta/>
      <Add><CmdID>23</CmdID><Item><Data>1</Data></Item></Add>
      <Replace><CmdID>24</CmdID><Item><Data>1</Data></Item></Replace>
      <Delete><CmdID>25</CmdID><Item><Data>1</Data></Item></Delete>
      <Copy><CmdID>26</CmdID><Item><Data>1</Data></Item></Copy>
      <Atomic><CmdID>27</CmdID><Alert><CmdID>28</CmdID><Data>1223</Data></Alert></Atomic>
      <Get><CmdID>29</CmdID><Item><Data>1</Data></Item></Get>
      <Alert><CmdID>30</CmdID><Data>1100</Data><Item/><Item><Data>hi</Data></Item></Alert>
      <Exec><CmdID>31</CmdID><Item><Data>1</Data></Item></Exec>
    </Sequence>
    <Final/>
  </SyncBody>
</SyncML>
"""

MINIMAL = """<SyncML xmlns="SYNCML:SYNCML1.2">
  <SyncHdr>
    <VerDTD>1.2</VerDTD>
    <VerProto>DM/1.2</VerProto>
    <SessionID>1</SessionID>
    <MsgID>1</MsgID>
    <Target><LocURI>./srv</LocURI></Target>
    <Source><LocURI>./dev</LocURI></Source>
  </SyncHdr>
  <SyncBody>
    <Status>
      <CmdID>1</CmdID>
      <MsgRef>1</MsgRef>
      <CmdRef>0</CmdRef>
      <Cmd>SyncHdr</Cmd>
      <Data>200</Data>
    </Status>
    <Replace>
      <CmdID>2</CmdID>
      <Meta><Format xmlns="syncml:metinf">chr</Format></Meta>
      <Item><Target><LocURI>./a</LocURI></Target><Data>v</Data></Item>
    </Replace>
    <Final/>
  </SyncBody>
</SyncML>
"""


def test_full_message_is_valid() -> None:
    assert _xsd.xsd_diagnostics(FULL.encode()) == []


def test_minimal_message_is_valid() -> None:
    assert _xsd.xsd_diagnostics(MINIMAL.encode()) == []


def test_utf16_input_is_read() -> None:
    assert _xsd.xsd_diagnostics(MINIMAL.encode("utf-16")) == []


@pytest.mark.parametrize(
    ("old", "new", "line", "xpath"),
    [
        # missing CmdID: the first child is not CmdID
        ("<CmdID>2</CmdID>\n", "", 19, "/SyncML/SyncBody/Replace[1]/Meta"),
        # Status children reordered (DTD order CmdID, MsgRef, CmdRef, Cmd, ...)
        (
            "<MsgRef>1</MsgRef>\n      <CmdRef>0</CmdRef>",
            "<CmdRef>0</CmdRef>\n      <MsgRef>1</MsgRef>",
            13,
            "/SyncML/SyncBody/Status[1]/CmdRef",
        ),
        # MetInf child without the metinf namespace
        (
            '<Format xmlns="syncml:metinf">chr</Format>',
            "<Format>chr</Format>",
            20,
            "/SyncML/SyncBody/Replace[1]/Meta/Format",
        ),
        # unknown element
        ("<Final/>", "<Bogus/><Final/>", 23, "/SyncML/SyncBody/Bogus"),
        # Status Data is a code
        ("<Data>200</Data>", "<Data>OK</Data>", 16, "/SyncML/SyncBody/Status[1]/Data"),
        # Format is enumerated
        ('metinf">chr<', 'metinf">text<', 20, "/SyncML/SyncBody/Replace[1]/Meta/Format"),
        # Data must be the last element of Item (apart from MoreData)
        (
            "<Item><Target><LocURI>./a</LocURI></Target><Data>v</Data></Item>",
            "<Item><Data>v</Data><Target><LocURI>./a</LocURI></Target></Item>",
            21,
            "/SyncML/SyncBody/Replace[1]/Item[1]/Target",
        ),
        # Status without Data: reported on the Status itself
        ("<Data>200</Data>\n", "", 11, "/SyncML/SyncBody/Status[1]"),
        # msft attributes only in the msft namespace
        ("<Data>200</Data>", '<Data foo="1">200</Data>', 16, "/SyncML/SyncBody/Status[1]/Data"),
        # the Windows Meta-before-Target Item order breaks the DTD
        (
            "<Item><Target><LocURI>./a</LocURI></Target>",
            "<Item><Meta/><Target><LocURI>./a</LocURI></Target>",
            21,
            "/SyncML/SyncBody/Replace[1]/Item[1]/Target",
        ),
    ],
)
def test_mutants_are_invalid(old: str, new: str, line: int, xpath: str) -> None:
    assert old in MINIMAL
    diags = _xsd.xsd_diagnostics(MINIMAL.replace(old, new, 1).encode())
    assert [(d.code, d.line, d.xpath) for d in diags] == [("XSD001", line, xpath)], diags
    assert all(d.severity == "error" and d.column >= 1 and d.message for d in diags)


def test_mutant_message_names_the_expected_child() -> None:
    data = MINIMAL.replace("<CmdID>2</CmdID>\n", "").encode()
    (diag,) = _xsd.xsd_diagnostics(data)
    assert "'CmdID' expected" in diag.message
    assert diag.column == 13  # the removed line left its indentation behind
    assert "SYNCML:SYNCML1.2" not in diag.message


def test_msft_originalerror_is_allowed() -> None:
    data = MINIMAL.replace(
        "<SyncBody>",
        '<SyncBody xmlns:msft="http://schemas.microsoft.com/MobileDevice/MDM">',
    ).replace("<Data>200</Data>", '<Data msft:originalerror="0x86000002">200</Data>')
    assert _xsd.xsd_diagnostics(data.encode()) == []


def test_results_cmd_is_optional() -> None:
    for cmd in ("<Cmd>Get</Cmd>", ""):
        data = MINIMAL.replace(
            "<Final/>",
            f"<Results><CmdID>9</CmdID><CmdRef>2</CmdRef>{cmd}<Item><Data>1</Data></Item>"
            "</Results><Final/>",
        )
        assert _xsd.xsd_diagnostics(data.encode()) == []


def test_exec_takes_exactly_one_item() -> None:
    two = "<Exec><CmdID>9</CmdID><Item><Data>1</Data></Item><Item><Data>2</Data></Item></Exec>"
    assert codes(MINIMAL.replace("<Final/>", two + "<Final/>").encode()) == ["XSD001"]


# --- SyncML 1.1 ------------------------------------------------------------------------------


def test_syncml11_message_is_valid_against_11() -> None:
    data = MINIMAL.replace(NS_SYNCML12, NS_SYNCML11).replace("1.2<", "1.1<")
    assert _xsd.xsd_diagnostics(data.encode()) == []


@pytest.mark.parametrize(
    "extra",
    [
        "<Alert><CmdID>9</CmdID><Data>1226</Data><Correlator>c</Correlator></Alert>",
        "<Add><CmdID>9</CmdID><Item><SourceParent><LocURI>.</LocURI></SourceParent></Item></Add>",
    ],
)
def test_syncml11_has_no_12_additions(extra: str) -> None:
    data = MINIMAL.replace("<Final/>", extra + "<Final/>")
    assert _xsd.xsd_diagnostics(data.encode()) == []
    data11 = data.replace(NS_SYNCML12, NS_SYNCML11)
    assert codes(data11.encode()) == ["XSD001"]


def test_schema_is_picked_by_root_namespace() -> None:
    assert _xsd.schema_for(NS_SYNCML11) is _xsd.schema_11()
    assert _xsd.schema_for(NS_SYNCML12) is _xsd.schema_12()
    assert _xsd.schema_for("") is _xsd.schema_12()
    assert _xsd.schema_12() is _xsd.schema_12()  # cached


def test_unknown_root_namespace_is_reported() -> None:
    data = MINIMAL.replace(NS_SYNCML12, "SYNCML:SYNCML9.9").encode()
    assert errors(data) == [("XSD001", 1, "/SyncML")]


def test_namespaceless_syncml_root_is_reported() -> None:
    data = MINIMAL.replace(' xmlns="SYNCML:SYNCML1.2"', "").encode()
    assert errors(data) == [("XSD001", 1, "/SyncML")]


# --- the OMA corpus (tests/data/corpus/oma-spec/README.md) -----------------------------------


def test_corpus_pkg1_is_valid() -> None:
    assert _xsd.xsd_diagnostics(corpus(PKG1)) == []


def test_corpus_confirm_fragment_is_valid() -> None:
    assert _xsd.xsd_diagnostics(corpus(CONFIRM)) == []


def test_corpus_pkg2_status_order() -> None:
    diags = _xsd.xsd_diagnostics(corpus(PKG2))
    assert [(d.code, d.line, d.column, d.xpath) for d in diags] == [
        ("XSD001", 22, 8, "/SyncML/SyncBody/Status[1]/MsgRef"),
        ("XSD001", 31, 7, "/SyncML/SyncBody/Status[2]/MsgRef"),
        ("XSD001", 37, 7, "/SyncML/SyncBody/Status[3]/MsgRef"),
    ]
    assert all("'CmdID' expected" in d.message for d in diags)


def test_corpus_pkg3_order_and_missing_cmdref() -> None:
    assert errors(corpus(PKG3)) == [
        ("XSD001", 15, "/SyncML/SyncBody/Status[1]/MsgRef"),
        ("XSD001", 21, "/SyncML/SyncBody/Status[2]/MsgRef"),
        ("XSD001", 28, "/SyncML/SyncBody/Status[3]/MsgRef"),
        ("XSD001", 37, "/SyncML/SyncBody/Results[1]/MsgRef"),
    ]


def test_corpus_pkg3_missing_cmdref_alone() -> None:
    # Repair the order of the SyncHdr Status; what is left is the missing CmdRef.
    data = corpus(PKG3).replace(
        b"<MsgRef>1</MsgRef>\n      <CmdID>1</CmdID>", b"<CmdID>1</CmdID>\n      <MsgRef>1</MsgRef>"
    )
    first = _xsd.xsd_diagnostics(data)[0]
    assert (first.line, first.xpath) == (17, "/SyncML/SyncBody/Status[1]/Cmd")
    assert "'CmdRef' expected" in first.message


@pytest.mark.parametrize(("name", "line"), [(GENERIC, 3), (CHALLENGE, 19)])
def test_corpus_not_well_formed(name: str, line: int) -> None:
    (diag,) = _xsd.xsd_diagnostics(corpus(name))
    assert (diag.code, diag.line, diag.severity) == ("XML001", line, "error")
    assert diag.column > 1


def test_corpus_generic_alert_repaired_is_valid_fragment() -> None:
    data = corpus(GENERIC).replace(b"--!>", b"-->")
    assert _xsd.xsd_diagnostics(data) == []


def test_corpus_challenge_repaired_and_ellipsis() -> None:
    data = corpus(CHALLENGE).replace("’".encode(), b"'")
    # The "..." text in SyncBody is character data where the DTD allows none.
    assert errors(data) == [("XSD001", 9, "/SyncML/SyncBody")]
    assert _xsd.xsd_diagnostics(data.replace(b"     ...\n", b"")) == []


# --- fragments -------------------------------------------------------------------------------


def test_fragment_errors_have_lines() -> None:
    data = b"<Alert>\n  <Data>1101</Data>\n  <CmdID>2</CmdID>\n</Alert>\n"
    assert errors(data) == [("XSD001", 2, "/Alert/Data")]


def test_fragment_in_namespace_and_metinf_fragment() -> None:
    assert _xsd.xsd_diagnostics(b'<Item xmlns="SYNCML:SYNCML1.2"><Data>1</Data></Item>') == []
    assert _xsd.xsd_diagnostics(b'<Format xmlns="syncml:metinf">b64</Format>') == []
    assert codes(b'<Format xmlns="syncml:metinf">hex</Format>') == ["XSD001"]


def test_fragment_data_content_is_left_alone() -> None:
    data = b"<Item><Data><Item><Bogus/></Item></Data></Item>"
    assert _xsd.xsd_diagnostics(data) == []


# --- hostile and broken input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b'<!DOCTYPE SyncML [<!ENTITY a "x">]><SyncML xmlns="SYNCML:SYNCML1.2">&a;</SyncML>',
        b'<!DOCTYPE SyncML SYSTEM "http://example.com/x.dtd"><SyncML/>',
        b"<!DOCTYPE SyncML><SyncML/>",
    ],
)
def test_doctype_is_refused(data: bytes) -> None:
    (diag,) = _xsd.xsd_diagnostics(data)
    assert (diag.code, diag.line) == ("XML002", 1)
    assert diag.column >= 1


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"", 1),
        (b"schemas/syncml12.xsd", 1),  # never taken for a file name
        (b"/etc/passwd", 1),
        (b"<SyncML>\n<SyncHdr>", 2),
        (b'<SyncML xmlns="SYNCML:SYNCML1.2">\n<x:a/></SyncML>', 2),  # unbound prefix
    ],
)
def test_not_well_formed(data: bytes, line: int) -> None:
    (diag,) = _xsd.xsd_diagnostics(data)
    assert (diag.code, diag.line) == ("XML001", line)


def test_schemas_build_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building and validating opens only the bundled files, even with xsi location hints."""
    opened: list[str] = []
    real_urlopen = urllib.request.urlopen  # what xml_resource imported

    def guarded(url: str, *args: typing.Any, **kwargs: typing.Any) -> typing.Any:
        opened.append(str(url))
        if not str(url).startswith("file:"):
            raise AssertionError(f"network access: {url!r}")
        return real_urlopen(url, *args, **kwargs)

    monkeypatch.setattr(xml_resource, "urlopen", guarded)
    monkeypatch.setattr(fetchers, "urlopen", guarded)
    hints = (
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="SYNCML:SYNCML1.2 http://example.com/evil.xsd"'
    )
    data = FULL.replace(
        '<SyncML xmlns="SYNCML:SYNCML1.2">', f'<SyncML xmlns="{NS_SYNCML12}"{hints}>'
    )
    _xsd.schema_12.cache_clear()
    _xsd.schema_11.cache_clear()
    try:
        assert _xsd.xsd_diagnostics(data.encode()) == []
        assert _xsd.schema_11().target_namespace == NS_SYNCML11
    finally:
        _xsd.schema_12.cache_clear()
        _xsd.schema_11.cache_clear()
    root = _resources.schema_root().as_uri()
    assert opened
    assert all(url.startswith(root + "/") for url in opened), opened


# --- resources -------------------------------------------------------------------------------


def test_schema_root_and_path() -> None:
    root = _resources.schema_root()
    assert root.is_dir()
    for name in ("syncml12.xsd", "syncml11.xsd", "metinf12.xsd"):
        assert _resources.schema_path(name) == root / name


@pytest.mark.parametrize("name", ["nope.xsd", "../pyproject.toml", "/etc/passwd"])
def test_schema_path_rejects(name: str) -> None:
    with pytest.raises(SyncMLError, match="schema"):
        _resources.schema_path(name)


# --- model <-> schema element names ----------------------------------------------------------


def model_names() -> dict[str, set[str]]:
    """(namespace -> element names) from the field metadata of syncml_codec.model."""
    names: dict[str, set[str]] = {NS_SYNCML12: {"SyncML"}, NS_METINF: set()}
    classes = [c for c in vars(model).values() if dataclasses.is_dataclass(c)]
    for cls in classes:
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            name = f.metadata["xml"]
            ns = f.metadata["ns"] or NS_SYNCML12
            if name.startswith("*"):
                (member,) = {a for a in typing.get_args(hints[f.name]) if a is not Ellipsis}
                names[ns] |= {c.XML_NAME for c in typing.get_args(member)}
            else:
                names[ns].add(name)
    return names


def schema_names(file: str) -> set[str]:
    """Names of every element declaration, global or local, in one bundled XSD."""
    tree = ET.parse(_resources.schema_path(file))
    return {e.get("name", "") for e in tree.iter(f"{XS}element") if e.get("name")}


def test_model_names_cover_commands() -> None:
    names = model_names()
    assert {"Status", "Results", "Atomic", "Sequence", "Exec"} <= names[NS_SYNCML12]
    assert {"Format", "Anchor", "Next", "FreeID"} <= names[NS_METINF]


def test_schema_declares_exactly_the_model_elements() -> None:
    names = model_names()
    assert schema_names("syncml12.xsd") == names[NS_SYNCML12]
    assert schema_names("metinf12.xsd") == names[NS_METINF]
    additions_12 = {"Correlator", "SourceParent", "TargetParent"}
    assert schema_names("syncml11.xsd") == names[NS_SYNCML12] - additions_12


def test_schema_globals_match_file_declarations() -> None:
    schema = _xsd.schema_12()
    by_ns: dict[str, set[str]] = {}
    for qname in schema.maps.elements:
        ns, _, local = qname[1:].partition("}")
        by_ns.setdefault(ns, set()).add(local)
    assert by_ns[NS_SYNCML12] == schema_names("syncml12.xsd") - {"Data"}
    assert by_ns[NS_METINF] == schema_names("metinf12.xsd")
