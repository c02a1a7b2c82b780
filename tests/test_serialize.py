"""Serializer: exact namespaces, DTD order, Data kept in its form, clear EncodeErrors."""

from __future__ import annotations

import pytest

import syncml_codec as sc


def header(**kw: object) -> sc.SyncHdr:
    values: dict[str, object] = {
        "session_id": "1",
        "msg_id": "1",
        "target": sc.Target(loc_uri="https://srv/dm"),
        "source": sc.Source(loc_uri="urn:uuid:dev"),
    }
    values.update(kw)
    return sc.SyncHdr(**values)  # type: ignore[arg-type]


def test_root_namespace_and_metinf_namespace_on_each_element() -> None:
    msg = sc.SyncML(
        sync_hdr=header(meta=sc.Meta(max_msg_size="5000", max_obj_size="9")),
        sync_body=sc.SyncBody(final=True),
    )
    xml = sc.to_string(msg)
    assert xml.startswith(
        '<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
    )
    assert (
        '<Meta><MaxMsgSize xmlns="syncml:metinf">5000</MaxMsgSize>'
        '<MaxObjSize xmlns="syncml:metinf">9</MaxObjSize></Meta>'
    ) in xml
    assert xml.endswith("<SyncBody><Final/></SyncBody></SyncML>")


def test_dm_1_1_messages_get_the_1_1_namespace() -> None:
    msg = sc.SyncML(sync_hdr=header(ver_dtd="1.1", ver_proto="DM/1.1"), sync_body=sc.SyncBody())
    assert sc.to_string(msg).startswith('<SyncML xmlns="SYNCML:SYNCML1.1">')


def test_status_children_in_dtd_order() -> None:
    """Spec 6 item 1: CmdID, MsgRef, CmdRef, Cmd, TargetRef*, SourceRef*, Cred?, Chal?, Data."""
    status = sc.Status(
        cmd_id="1",
        msg_ref="1",
        cmd_ref="0",
        cmd="SyncHdr",
        target_ref=("a", "b"),
        source_ref=("c",),
        chal=sc.Chal(meta=sc.Meta(format="b64", type="syncml:auth-md5", next_nonce="bm9uY2U=")),
        data=sc.StatusCode.MISSING_CREDENTIALS,
    )
    assert sc.to_string(status) == (
        '<Status xmlns="SYNCML:SYNCML1.2"><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef>'
        "<Cmd>SyncHdr</Cmd><TargetRef>a</TargetRef><TargetRef>b</TargetRef>"
        "<SourceRef>c</SourceRef><Chal><Meta>"
        '<Format xmlns="syncml:metinf">b64</Format><Type xmlns="syncml:metinf">syncml:auth-md5'
        '</Type><NextNonce xmlns="syncml:metinf">bm9uY2U=</NextNonce></Meta></Chal>'
        "<Data>407</Data></Status>"
    )


def test_item_data_is_last_before_more_data() -> None:
    item = sc.Item(
        more_data=True,
        data="x",
        meta=sc.Meta(size="10"),
        source=sc.Source(loc_uri="./s"),
        target=sc.Target(loc_uri="./t"),
    )
    assert sc.to_string(item) == (
        '<Item xmlns="SYNCML:SYNCML1.2"><Target><LocURI>./t</LocURI></Target><Source><LocURI>'
        './s</LocURI></Source><Meta><Size xmlns="syncml:metinf">10</Size></Meta><Data>x</Data>'
        "<MoreData/></Item>"
    )


@pytest.mark.parametrize(
    ("data", "xml"),
    [
        ("a < b & c > d", "<Data>a &lt; b &amp; c &gt; d</Data>"),
        ("line\r\nbreak", "<Data>line&#13;\nbreak</Data>"),
        (sc.CData("<Application a='1'/>"), "<Data><![CDATA[<Application a='1'/>]]></Data>"),
        (sc.CData("x]]>y"), "<Data><![CDATA[x]]]]><![CDATA[>y]]></Data>"),
        (
            sc.XmlData('<MsiInstallJob id="{A}"><Product/></MsiInstallJob>'),
            '<Data><MsiInstallJob id="{A}"><Product/></MsiInstallJob></Data>',
        ),
        ("", "<Data></Data>"),
        ("日本語 \u00e9", "<Data>日本語 \u00e9</Data>"),
    ],
)
def test_data_keeps_its_form(data: str, xml: str) -> None:
    item = sc.Item(data=data)
    out = sc.to_string(item)
    assert out == f'<Item xmlns="SYNCML:SYNCML1.2">{xml}</Item>'
    back = sc.parse_fragment(out)
    assert back.data == data
    assert type(back.data) is type(data)


def test_embedded_xml_from_windows_round_trips_verbatim() -> None:
    xml = (
        b'<Exec xmlns="SYNCML:SYNCML1.2"><CmdID>3</CmdID><Item><Target><LocURI>./Device/Vendor'
        b"/MSFT/EnterpriseDesktopAppManagement/MSI/%7BA%7D/DownloadInstall</LocURI></Target>"
        b'<Meta><Format xmlns="syncml:metinf">xml</Format></Meta><Data><MsiInstallJob id='
        b'"{A}"><Product Version="1.0"><Download><ContentURLList><ContentURL>https://x/a.msi'
        b"</ContentURL></ContentURLList></Download><Validation><FileHash>AB</FileHash>"
        b"</Validation></Product></MsiInstallJob></Data></Item></Exec>"
    )
    exec_ = sc.parse_fragment(xml, strict=True)
    assert isinstance(exec_.items[0].data, sc.XmlData)
    assert exec_.items[0].data.startswith('<MsiInstallJob id="{A}">')
    assert sc.serialize(exec_) == xml


def test_pretty_output_indents_elements_but_never_data() -> None:
    item = sc.Item(source=sc.Source(loc_uri="./a"), data=" two  spaces ")
    assert sc.to_string(item, pretty=True) == (
        '<Item xmlns="SYNCML:SYNCML1.2">\n  <Source>\n    <LocURI>./a</LocURI>\n  </Source>\n'
        "  <Data> two  spaces </Data>\n</Item>\n"
    )


def test_xml_declaration() -> None:
    out = sc.serialize(sc.Item(), xml_declaration=True)
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Item')


def test_open_codes_are_written_as_numbers() -> None:
    alert = sc.Alert(cmd_id="1", data=sc.AlertCode(1299))  # unknown: kept, not rejected
    assert "<Data>1299</Data>" in sc.to_string(alert)
    assert sc.AlertCode(1299).name == "CODE_1299"


def test_not_a_model_object() -> None:
    with pytest.raises(sc.EncodeError, match="expected a syncml_codec model object"):
        sc.serialize({"CmdID": "1"})  # type: ignore[arg-type]


def test_wrong_field_type_names_the_field() -> None:
    bad = sc.Replace(cmd_id=3, items=(sc.Item(data="x"),))  # type: ignore[arg-type]
    with pytest.raises(sc.EncodeError, match=r"/Replace/CmdID: cmd_id must be a str, got int 3"):
        sc.serialize(bad)


def test_wrong_nested_type_names_the_path() -> None:
    bad = sc.Add(cmd_id="1", items=(sc.Item(data="ok"), sc.Item(data=b"bytes")))  # type: ignore[arg-type]
    with pytest.raises(sc.EncodeError, match=r"/Add/Item\[2\]/Data: data must be a str"):
        sc.serialize(bad)


def test_illegal_xml_character_names_the_field() -> None:
    bad = sc.Get(cmd_id="1", items=(sc.Item(target=sc.Target(loc_uri="./a\x00b")),))
    with pytest.raises(sc.EncodeError, match=r"U\+0000.*/Get/Item\[1\]/Target/LocURI"):
        sc.serialize(bad)


def test_unknown_format_is_an_encode_error() -> None:
    with pytest.raises(sc.EncodeError, match="unknown format"):
        sc.serialize(sc.Item(), format="json")  # type: ignore[arg-type]


def test_encode_error_is_a_value_error() -> None:
    assert issubclass(sc.EncodeError, ValueError)
    assert issubclass(sc.DecodeError, sc.SyncMLError)
