"""Unenrollment recipes and recognisers (syncml_codec.helpers.unenroll; spec §4.7)."""

from __future__ import annotations

import dataclasses
import re
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncml_codec import (
    Alert,
    AlertCode,
    Atomic,
    Diagnostic,
    EncodeError,
    Exec,
    Item,
    Meta,
    Sequence,
    SyncML,
    Target,
    parse,
    parse_fragment,
    serialize,
)
from syncml_codec.helpers import (
    PROBABLE_UNENROLLMENT,
    UNENROLLMENT_ALERT_TYPE,
    CmdIdAllocator,
    DevInfo,
    find_unenroll_exec,
    find_unenrollment_request,
    is_unenrollment_request,
    iter_commands,
    unenroll_exec,
    unenroll_exec_uri,
    unenrollment_request,
)

SEED = Path(__file__).parent / "data" / "seed" / "unenrollment-ja.txt"
DEVICE_ID = "6F9619FF-8B86-D011-B42D-00CF4FC964FF"
SERVER = "https://www.thephone-company.com/mgmt-server"
DEV_INFO = DevInfo(man="Contoso", mod="Surface", dmv="1.3", lang="ja-JP")


def _seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def seed_package1(*, fill_placeholders: bool = True) -> str:
    """The first sample of the seed page, repaired. Each repair is one line below."""
    text = _seed_text()
    xml = text[text.index("<SyncML") : text.index("</SyncML>") + len("</SyncML>")]
    # Repair 1: the page HTML-escaped the root's quotes (&#39;); not well-formed as published.
    xml = xml.replace("&#39;", "'")
    # Kept on purpose (the tolerant parser maps them, P101/P103): xmlns="syncml:metinfo", the
    # space in `xmlns= "..."`, and the leading space in the Type.
    if not fill_placeholders:
        return xml
    # Repair 2: `{unique device ID}` placeholders (header and DevId Data) -> a real device ID.
    xml = xml.replace("{unique device ID}", DEVICE_ID)
    # Repair 3: the header has Target = device and Source = server, the reverse of package 1
    # (spec §4.2: "Target = server, Source = device"); swap the two LocURIs.
    xml = xml.replace(
        f"<Target>\n         <LocURI>{DEVICE_ID}</LocURI>",
        f"<Target>\n         <LocURI>{SERVER}</LocURI>",
        1,
    ).replace(
        f"<Source>\n         <LocURI>{SERVER}</LocURI>",
        f"<Source>\n         <LocURI>{DEVICE_ID}</LocURI>",
        1,
    )
    # Repair 4: the node is DevId in [DMSTD] §7.1.3.2 and the DevInfo CSP; the page writes DevID.
    xml = xml.replace("./DevInfo/DevID", "./DevInfo/DevId")
    # Repair 5: the `...` placeholder Item stands for the other DevInfo leaves; fill it with
    # Man, Mod, DmV and Lang (one Item per node with a Source LocURI, spec §4.2).
    leaves = "".join(
        f"<Item><Source><LocURI>./DevInfo/{n}</LocURI></Source><Data>{v}</Data></Item>"
        for n, v in DEV_INFO.nodes()
    )
    # Repair 6 (not textual): both commands have CmdID 2; the comparison ignores CmdIDs.
    return re.sub(r"<Item>\s*\.\.\.\s*</Item>", leaves, xml)


def seed_server_initiated_alert() -> str:
    """The second seed sample: a lone Alert (CmdID 4), well-formed as published."""
    text = _seed_text()
    start = text.index("<Alert>", text.index("</SyncML>"))
    return text[start : text.index("</Alert>", start) + len("</Alert>")]


def _without_cmd_ids(obj: Any) -> Any:
    if isinstance(obj, SyncML):
        body = obj.sync_body
        cmds = tuple(_without_cmd_ids(c) for c in body.commands)
        return dataclasses.replace(obj, sync_body=dataclasses.replace(body, commands=cmds))
    changes: dict[str, Any] = {"cmd_id": ""}
    if isinstance(obj, (Atomic, Sequence)):
        changes["commands"] = tuple(_without_cmd_ids(c) for c in obj.commands)
    return dataclasses.replace(obj, **changes)


# --- the device package --------------------------------------------------------------------


def test_request_matches_the_repaired_seed_element_by_element() -> None:
    diags: list[Diagnostic] = []
    seed = parse(seed_package1(), diagnostics=diags)
    ours = unenrollment_request(DEVICE_ID, SERVER, session_id="1", dev_info=DEV_INFO)
    assert _without_cmd_ids(ours) == _without_cmd_ids(seed)
    # element by element, for a readable failure when it breaks
    assert ours.sync_hdr == seed.sync_hdr
    assert [type(c) for c in ours.sync_body.commands] == [Alert, type(seed.sync_body.commands[1])]
    for mine, theirs in zip(ours.sync_body.commands, seed.sync_body.commands, strict=True):
        assert _without_cmd_ids(mine) == _without_cmd_ids(theirs)
    assert ours.sync_body.final
    assert seed.sync_body.final
    assert {d.code for d in diags} >= {"P101", "P103"}  # metinfo namespace, spaced Type


def test_request_header_and_body_shape() -> None:
    msg = unenrollment_request(DEVICE_ID, SERVER, session_id="42", include_session_alert=True)
    hdr = msg.sync_hdr
    assert (hdr.ver_dtd, hdr.ver_proto, hdr.session_id, hdr.msg_id) == ("1.2", "DM/1.2", "42", "1")
    assert (hdr.target.loc_uri, hdr.source.loc_uri) == (SERVER, DEVICE_ID)
    alert1201, alert1226, replace = msg.sync_body.commands
    assert isinstance(alert1201, Alert)
    assert alert1201.data == AlertCode.CLIENT_INITIATED_MGMT
    assert isinstance(alert1226, Alert)
    assert alert1226.data == AlertCode.GENERIC_ALERT
    meta = alert1226.items[0].meta
    assert meta is not None
    assert (meta.type, meta.format, alert1226.items[0].data) == (
        UNENROLLMENT_ALERT_TYPE,
        "int",
        "1",
    )
    assert [i.source.loc_uri for i in replace.items if i.source] == ["./DevInfo/DevId"]  # type: ignore[union-attr]
    assert [c.cmd_id for c in iter_commands(msg)] == ["1", "2", "3"]
    assert msg.sync_body.final


def test_request_round_trips() -> None:
    msg = unenrollment_request(
        DEVICE_ID,
        SERVER,
        dev_info=DevInfo(man="M", mod="X", dmv="1.3", lang="en-US", extra={"Ext/Foo": "bar"}),
        include_session_alert=True,
    )
    assert parse(serialize(msg)) == msg
    assert parse(serialize(msg, pretty=True)) == msg
    locs = [i.source.loc_uri for i in msg.sync_body.commands[-1].items if i.source]  # type: ignore[union-attr]
    assert locs == [f"./DevInfo/{n}" for n in ("DevId", "Man", "Mod", "DmV", "Lang", "Ext/Foo")]


def test_request_uses_the_callers_allocator() -> None:
    ids = CmdIdAllocator(start=7)
    msg = unenrollment_request(DEVICE_ID, SERVER, ids=ids)
    assert [c.cmd_id for c in msg.sync_body.commands] == ["7", "8"]
    assert ids.next() == "9"


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"device_id": ""}, "device_id"),
        ({"server_uri": " "}, "Target"),
        ({"session_id": "12345"}, "4 bytes"),
        ({"session_id": ""}, "SessionID"),
        ({"dev_info": DevInfo(extra={"Man": "dup", "": "x"})}, "DevInfo node"),
    ],
)
def test_request_rejects_bad_input(kwargs: dict[str, Any], needle: str) -> None:
    args: dict[str, Any] = {"device_id": DEVICE_ID, "server_uri": SERVER, **kwargs}
    if "dev_info" in kwargs:
        args["dev_info"] = DevInfo(man="a", extra={"Man": "dup"})
    with pytest.raises(EncodeError, match=needle):
        unenrollment_request(args.pop("device_id"), args.pop("server_uri"), **args)


# --- the server's Exec ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "uri"),
    [
        ("vendor", "./Vendor/MSFT/DMClient/Provider/Contoso/Unenroll"),
        ("device", "./Device/Vendor/MSFT/DMClient/Provider/Contoso/Unenroll"),
        ("legacy", "./Vendor/MSFT/DMClient/Unenroll"),
    ],
)
def test_exec_forms(scope: Any, uri: str) -> None:
    cmd = unenroll_exec("Contoso", cmd_id="2", scope=scope)
    assert cmd.cmd_id == "2"
    (item,) = cmd.items
    assert item.target == Target(loc_uri=uri)
    assert item.meta == Meta(format="chr")
    assert item.data == "Contoso"
    assert parse_fragment(serialize(cmd)) == cmd
    assert find_unenroll_exec(cmd) == "Contoso"


@pytest.mark.parametrize(
    ("provider_id", "char", "index"),
    [
        ("a/b", "'/'", 1),
        ("x?y", "'?'", 1),
        ("#x", "'#'", 0),
        ("a%20b", "'%'", 1),
        ("MS DM Server", "whitespace", 2),
        ("tab\there", "control character U+0009", 3),
        ("nul\x00", "control character U+0000", 3),
        ("caf\u00e9", "'\u00e9'", 3),
    ],
)
def test_exec_rejects_uri_breaking_ids(provider_id: str, char: str, index: int) -> None:
    with pytest.raises(EncodeError) as info:
        unenroll_exec(provider_id)
    assert char in str(info.value)
    assert f"index {index}" in str(info.value)


@pytest.mark.parametrize("provider_id", ["", ".", "..", "*"])
def test_exec_rejects_empty_and_reserved_ids(provider_id: str) -> None:
    with pytest.raises(EncodeError, match="ProviderID"):
        unenroll_exec(provider_id)


def test_exec_rejects_bad_cmd_id_and_scope() -> None:
    with pytest.raises(EncodeError, match="cmd_id"):
        unenroll_exec("Contoso", cmd_id="0")
    with pytest.raises(EncodeError, match="scope"):
        unenroll_exec("Contoso", scope="user")  # type: ignore[arg-type]


def test_exec_percent_encodes_on_request() -> None:
    cmd = unenroll_exec("MS DM Server", percent_encode=True)
    assert cmd.items[0].target == Target(
        loc_uri="./Vendor/MSFT/DMClient/Provider/MS%20DM%20Server/Unenroll"
    )
    assert cmd.items[0].data == "MS DM Server"
    assert find_unenroll_exec(cmd) == "MS DM Server"
    assert unenroll_exec_uri("caf\u00e9", percent_encode=True).endswith("/caf%C3%A9/Unenroll")
    with pytest.raises(EncodeError, match="control"):
        unenroll_exec("a\x01", percent_encode=True)


_PROVIDER_CHARS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20
) | st.text(alphabet=string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@/?#% ", max_size=12)


@settings(max_examples=300, deadline=None)
@given(_PROVIDER_CHARS, st.sampled_from(["vendor", "device", "legacy"]), st.booleans())
def test_random_provider_ids_build_or_raise(provider_id: str, scope: Any, encode: bool) -> None:
    try:
        cmd = unenroll_exec(provider_id, scope=scope, percent_encode=encode)
    except EncodeError:
        return
    back = parse_fragment(serialize(cmd))
    assert back == cmd  # the LocURI (and Data) round-trip through XML
    assert find_unenroll_exec(back) == provider_id
    assert find_unenroll_exec(cmd) == provider_id


# --- recognisers ---------------------------------------------------------------------------


def test_recognises_the_repaired_seed_package() -> None:
    diags: list[Diagnostic] = []
    msg = parse(seed_package1(fill_placeholders=False), diagnostics=diags)
    assert any(d.code == "P101" and "syncml:metinfo" in d.message for d in diags)
    found = find_unenrollment_request(msg)
    assert found is not None
    assert (found.type, found.format, found.data) == (UNENROLLMENT_ALERT_TYPE, "int", "1")
    assert is_unenrollment_request(msg)


def test_recognises_the_seed_server_initiated_alert_fragment() -> None:
    alert = parse_fragment(seed_server_initiated_alert())
    assert isinstance(alert, Alert)
    found = find_unenrollment_request(alert)
    assert found is not None
    assert found.cmd_id == "4"


def test_trims_the_type_of_a_model_built_by_hand() -> None:
    alert = Alert(
        cmd_id="1",
        data=AlertCode.GENERIC_ALERT,
        items=(Item(meta=Meta(type=f" {UNENROLLMENT_ALERT_TYPE}\n"), data="1"),),
    )
    assert is_unenrollment_request([alert])


_PREFIXED = f"""<Alert xmlns="SYNCML:SYNCML1.2"><CmdID>3</CmdID><Data>1226</Data>
<Item><Meta><ns2:Type xmlns:ns2="syncml:metinf">{UNENROLLMENT_ALERT_TYPE}</ns2:Type>
<ns2:Format xmlns:ns2="syncml:metinf">int</ns2:Format></Meta><Data>1</Data></Item></Alert>"""


def test_recognises_a_prefixed_type() -> None:
    diags: list[Diagnostic] = []
    alert = parse_fragment(_PREFIXED, diagnostics=diags)
    assert any(d.code == "P108" for d in diags)
    assert is_unenrollment_request(alert)


_EMPTY_META = """<Alert xmlns="SYNCML:SYNCML1.2"><CmdID>2</CmdID><Data>1226</Data>
<Item><Meta/><Data>1</Data></Item></Alert>"""


def test_empty_meta_is_a_probable_unenrollment_with_a_warning() -> None:
    # Windows 1803-2004 (MicrosoftDocs/windows-itpro-docs issue 8376).
    alert = parse_fragment(_EMPTY_META)
    diags: list[Diagnostic] = []
    found = find_unenrollment_request(alert, diagnostics=diags)
    assert found is not None
    assert found.type is None
    assert found.data == "1"
    assert [(d.severity, d.code) for d in diags] == [("warning", PROBABLE_UNENROLLMENT)]
    assert is_unenrollment_request(alert)


def test_typed_match_wins_over_a_probable_one() -> None:
    probable = parse_fragment(_EMPTY_META)
    typed = parse_fragment(_PREFIXED)
    diags: list[Diagnostic] = []
    found = find_unenrollment_request([probable, typed], diagnostics=diags)
    assert found is not None
    assert found.cmd_id == "3"
    assert diags == []


def _alert(code: int, type_: str | None, data: str, fmt: str | None = "int") -> Alert:
    return Alert(
        cmd_id="5",
        data=AlertCode(code),
        items=(Item(meta=Meta(type=type_, format=fmt), data=data),),
    )


@pytest.mark.parametrize(
    "alert",
    [
        _alert(
            1226, "Reversed-Domain-Name:com.microsoft.mdm.EnterpriseHostedAppInstall.result", "1"
        ),
        _alert(1226, "Reversed-Domain-Name:com.microsoft.mdm.EnterpriseAppUninstall.result", "1"),
        _alert(1224, UNENROLLMENT_ALERT_TYPE, "1"),  # right Type, wrong code
        _alert(1224, None, "1"),  # a 1224 with empty Meta is not a probable unenrollment
        _alert(1224, "com.microsoft/MDM/LoginStatus", "user", "chr"),
        _alert(1226, None, "0"),  # empty Meta but Data is not 1
        _alert(1201, None, "1"),
    ],
)
def test_other_alerts_are_not_unenrollment(alert: Alert) -> None:
    diags: list[Diagnostic] = []
    assert find_unenrollment_request(alert, diagnostics=diags) is None
    assert not is_unenrollment_request(alert)
    assert diags == []


def test_nothing_to_find_in_a_message_without_alerts() -> None:
    msg = parse(serialize(unenrollment_request(DEVICE_ID, SERVER)))
    body = dataclasses.replace(msg.sync_body, commands=msg.sync_body.commands[1:])
    assert not is_unenrollment_request(dataclasses.replace(msg, sync_body=body))


# --- find_unenroll_exec ----------------------------------------------------------------------


# [L-DMC] sample, repaired: the `<ProviderID>` placeholder -> TestMDMServer, typographic quotes
# -> ASCII quotes (spec §4.7 "The published example is not well-formed").
_LDMC = """<Exec xmlns="SYNCML:SYNCML1.2">
   <CmdID>2</CmdID>
   <Item>
      <Target>
         <LocURI>./Vendor/MSFT/DMClient/Provider/TestMDMServer/Unenroll</LocURI>
      </Target>
      <Meta>
         <Format xmlns="syncml:metinf">chr</Format>
      </Meta>
      <Data>TestMDMServer</Data>
      <!-- Data Field in Threshold is now IGNORED -->
   </Item>
</Exec>"""


def _exec(uri: str, data: str | None = None) -> Exec:
    return Exec(cmd_id="9", items=(Item(target=Target(loc_uri=uri), data=data),))


def test_find_exec_in_the_published_sample() -> None:
    assert find_unenroll_exec(parse_fragment(_LDMC)) == "TestMDMServer"


@pytest.mark.parametrize(
    ("uri", "data", "expected"),
    [
        ("./Vendor/MSFT/DMClient/Provider/P1/Unenroll", "ignored", "P1"),
        ("./Device/Vendor/MSFT/DMClient/Provider/P1/Unenroll", None, "P1"),
        ("./device/Vendor/MSFT/DMClient/Provider/P1/Unenroll", None, "P1"),  # [L-OMA] lower case
        ("./Vendor/MSFT/DMClient/Unenroll", " P2 ", "P2"),  # legacy: the ID is the Data
        ("./Vendor/MSFT/DMClient/Unenroll", None, ""),  # legacy without Data: ID unknown
        ("./Vendor/MSFT/DMClient/Provider/MS%20DM%20Server/Unenroll", None, "MS DM Server"),
        ("./User/Vendor/MSFT/DMClient/Provider/P1/Unenroll", None, None),  # DMClient is device
        ("./Vendor/MSFT/DMClient/Provider/P1/TestMDMServer/Unenroll", None, None),  # MS-MDE2 typo
        ("./Vendor/MSFT/DMClient/Provider//Unenroll", None, None),
        ("./Vendor/MSFT/DMClient/Provider/P1/Push/PFN", None, None),
        ("./Vendor/MSFT/DMClient/Provider/%FF/Unenroll", None, None),  # not UTF-8
    ],
)
def test_find_exec_forms(uri: str, data: str | None, expected: str | None) -> None:
    assert find_unenroll_exec(_exec(uri, data)) == expected


def test_find_exec_in_a_message_and_inside_containers() -> None:
    inner = unenroll_exec("Contoso", cmd_id="3", scope="device")
    seq = Sequence(cmd_id="2", commands=(_exec("./Vendor/MSFT/Other/Exec"), inner))
    msg = unenrollment_request(DEVICE_ID, SERVER)
    msg = dataclasses.replace(msg, sync_body=dataclasses.replace(msg.sync_body, commands=(seq,)))
    assert find_unenroll_exec(msg) == "Contoso"
    assert find_unenroll_exec(msg.sync_body) == "Contoso"
    assert find_unenroll_exec(unenrollment_request(DEVICE_ID, SERVER)) is None
    assert find_unenroll_exec(Exec(cmd_id="1", items=(Item(data="x"),))) is None
