"""Generic alerts 1226 / client events 1224 (syncml_codec.helpers.alerts; spec §2.2, §2.3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncml_codec import (
    Alert,
    AlertCode,
    Atomic,
    EncodeError,
    Item,
    Meta,
    parse_fragment,
    serialize,
)
from syncml_codec.helpers import (
    MARK_LEVELS,
    WINDOWS_ALERT_TYPES,
    AlertItem,
    CmdIdAllocator,
    GenericAlert,
    WindowsAlertType,
    generic_alert,
    generic_alerts,
    new_message,
    normalize_alert_type,
    read_generic_alerts,
)

CORPUS = Path(__file__).parent / "data" / "corpus" / "oma-spec"


def test_one_alert_with_several_items_round_trips() -> None:
    ids = CmdIdAllocator()
    alert = generic_alert(
        [
            AlertItem(
                type="Reversed-Domain-Name:org.example.a",
                format="xml",
                data="<x/>",
                mark="critical",
                source="./Vendor/Example/A",
            ),
            AlertItem(type="Content-Type:text/plain", format="chr", data="hello"),
        ],
        ids=ids,
        correlator="c-1",
    )
    assert alert.cmd_id == "1"
    assert alert.data == AlertCode.GENERIC_ALERT
    assert len(alert.items) == 2
    assert parse_fragment(serialize(alert)) == alert
    records = read_generic_alerts(alert)
    assert records == [
        GenericAlert(
            code=AlertCode.GENERIC_ALERT,
            type="Reversed-Domain-Name:org.example.a",
            format="xml",
            mark="critical",
            data="<x/>",
            source="./Vendor/Example/A",
            correlator="c-1",
            cmd_id="1",
            item_index=0,
        ),
        GenericAlert(
            code=AlertCode.GENERIC_ALERT,
            type="Content-Type:text/plain",
            format="chr",
            mark=None,
            data="hello",
            source=None,
            correlator="c-1",
            cmd_id="1",
            item_index=1,
        ),
    ]


def test_several_alerts_share_one_allocator() -> None:
    ids = CmdIdAllocator()
    items = [AlertItem(type=f"com.example.t{i}", data=str(i)) for i in range(3)]
    alerts = generic_alerts(items, ids=ids, code=AlertCode.CLIENT_EVENT)
    assert [a.cmd_id for a in alerts] == ["1", "2", "3"]
    assert all(a.data == AlertCode.CLIENT_EVENT for a in alerts)
    msg = new_message(alerts, session_id="1", target="https://srv", source="dev")
    records = read_generic_alerts(msg)
    assert [(r.code, r.type, r.data, r.cmd_id) for r in records] == [
        (AlertCode.CLIENT_EVENT, f"com.example.t{i}", str(i), str(i + 1)) for i in range(3)
    ]
    assert read_generic_alerts(msg, codes={1226}) == []


def test_windows_event_without_format() -> None:
    alert = generic_alert(
        AlertItem(type=WindowsAlertType.AAD_USER_TOKEN, format=None, data="tok"),
        ids=CmdIdAllocator(),
        code=1224,
    )
    meta = alert.items[0].meta
    assert meta == Meta(type="com.microsoft/MDM/AADUserToken")
    assert read_generic_alerts(alert)[0].known_type is WindowsAlertType.AAD_USER_TOKEN


@pytest.mark.parametrize(
    ("item", "code", "needle"),
    [
        (AlertItem(type="", data="1"), 1226, "Type"),
        (AlertItem(type=" x", data="1"), 1226, "whitespace"),
        (AlertItem(type="x", format="", data="1"), 1226, "Format"),
        (AlertItem(type="x", data="1", mark="urgent"), 1226, "Mark"),
        (AlertItem(type="x", data="1", source=" "), 1226, "Source"),
        (AlertItem(type="x", data="1"), 1201, "1226"),
    ],
)
def test_bad_alert_input_raises(item: AlertItem, code: int, needle: str) -> None:
    with pytest.raises(EncodeError, match=needle):
        generic_alert(item, ids=CmdIdAllocator(), code=code)


def test_empty_item_list_and_empty_correlator_raise() -> None:
    with pytest.raises(EncodeError, match="at least one Item"):
        generic_alert([], ids=CmdIdAllocator())
    with pytest.raises(EncodeError, match="Correlator"):
        generic_alert(AlertItem(type="x", data="1"), ids=CmdIdAllocator(), correlator="")


def test_all_mark_levels_are_accepted() -> None:
    ids = CmdIdAllocator()
    for mark in MARK_LEVELS:
        assert generic_alert(AlertItem(type="x", data="1", mark=mark), ids=ids).items[0].meta
    assert MARK_LEVELS[0] == "fatal"
    assert MARK_LEVELS[-1] == "indeterminate"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("   ", None),
        (
            " com.microsoft:mdm.unenrollment.userrequest",
            "com.microsoft:mdm.unenrollment.userrequest",
        ),
        (
            "Reversed-Domain-Name: org.domain.samplealert\n  ",
            "Reversed-Domain-Name:org.domain.samplealert",
        ),
        ("Content-Type: application/samplealert", "Content-Type:application/samplealert"),
        ("com.microsoft/MDM/LoginStatus", "com.microsoft/MDM/LoginStatus"),
    ],
)
def test_normalize_alert_type(raw: str | None, expected: str | None) -> None:
    assert normalize_alert_type(raw) == expected


def test_registry_covers_every_documented_type() -> None:
    assert set(WINDOWS_ALERT_TYPES) == set(WindowsAlertType)
    for member, info in WINDOWS_ALERT_TYPES.items():
        assert info.type == member.value
        assert member.info is info
        assert info.code in (AlertCode.GENERIC_ALERT, AlertCode.CLIENT_EVENT)
        assert info.source
    unenroll = WindowsAlertType.UNENROLLMENT_USER_REQUEST.info
    assert (unenroll.code, unenroll.format, unenroll.data) == (1226, "int", "1")
    assert WindowsAlertType.LOGIN_STATUS.info.format == "chr"


def test_lookup_trims_and_lets_unknown_types_through() -> None:
    assert (
        WindowsAlertType.lookup(" Reversed-Domain-Name: com.microsoft.mdm.requestpending ")
        is WindowsAlertType.REQUEST_PENDING
    )
    assert WindowsAlertType.lookup("org.example.unknown") is None
    assert WindowsAlertType.lookup(None) is None
    assert WindowsAlertType.lookup("COM.MICROSOFT/MDM/LOGINSTATUS") is None  # exact, not folded


def test_reads_the_oma_corpus_generic_alert() -> None:
    text = (CORPUS / "oma-dmpro-2-3-7-1-generic-alert-basic-design.xml").read_text("utf-8")
    # Repair: the published comment closes with `--!>`, which is not well-formed XML.
    text = text.replace("--!>", "-->")
    alert = parse_fragment(text)
    (record,) = read_generic_alerts(alert)
    assert record.code == AlertCode.GENERIC_ALERT
    assert record.type == "Reversed-Domain-Name:org.domain.samplealert"
    assert (record.format, record.mark, record.source) == ("xml", "critical", "./SyncML/Sample")
    assert record.correlator == "abc123"
    assert record.cmd_id == "2"
    assert record.known_type is None


def test_reads_alerts_inside_containers_and_skips_other_codes() -> None:
    inner = Alert(
        cmd_id="3",
        data=AlertCode.GENERIC_ALERT,
        items=(Item(meta=Meta(type="t", format="int"), data="0"),),
    )
    session = Alert(cmd_id="1", data=AlertCode.CLIENT_INITIATED_MGMT)
    no_code = Alert(cmd_id="4")
    atomic = Atomic(cmd_id="2", commands=(inner,))
    records = read_generic_alerts([session, atomic, no_code])
    assert [(r.cmd_id, r.type) for r in records] == [("3", "t")]
