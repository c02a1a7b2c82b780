"""serialize: what it refuses, where it says the fault is, and that what it writes is valid.

* bad models are EncodeErrors with the real path (``Replace[2]``, not ``Add[n]``), in XML and
  WBXML: identifiers left empty, a command without its Item, an Exec with two Items, a
  required child missing, a very deep model (not a RecursionError);
* text with ``]]>``, ``&``, ``<``, ``>`` and CR is written so that ElementTree (an independent
  reader) reads back exactly the same text;
* a message holding every command type, every field set, is valid against the bundled XSD
  (xmlschema), compact and pretty, so a model-order mistake cannot agree with itself;
* ``build_reply``'s errors for keys that are not CmdID strings and for unparsed input.
"""

from __future__ import annotations

import functools
import typing
import xml.etree.ElementTree as ET
from typing import Any

import pytest
import xmlschema
from hypothesis import given
from strategies import HARD, texts

import syncml_codec as sc
from syncml_codec import _resources
from syncml_codec.codes import NS_SYNCML12
from syncml_codec.helpers import build_reply, new_message, next_msg_id

NS = "{" + NS_SYNCML12 + "}"


def header(**kw: Any) -> sc.SyncHdr:
    values: dict[str, Any] = {
        "session_id": "1",
        "msg_id": "1",
        "target": sc.Target(loc_uri="./dev"),
        "source": sc.Source(loc_uri="https://srv"),
    }
    values.update(kw)
    return sc.SyncHdr(**values)


def message(*commands: sc.Command, **hdr: Any) -> sc.SyncML:
    return sc.SyncML(sync_hdr=header(**hdr), sync_body=sc.SyncBody(commands=commands, final=True))


def item(uri: str = "./a", data: str | None = None) -> sc.Item:
    return sc.Item(target=sc.Target(loc_uri=uri), data=data)


def refused(obj: Any, match: str) -> None:
    """Both formats refuse ``obj`` with an EncodeError whose message matches."""
    for fmt in ("xml", "wbxml"):
        with pytest.raises(sc.EncodeError, match=match):
            sc.serialize(obj, format=fmt)


# --- the path names the real command ---------------------------------------------------------


def test_bad_command_is_reported_under_its_own_kind() -> None:
    bad = sc.Replace(cmd_id=7, items=(item(),))  # type: ignore[arg-type]
    msg = message(
        sc.Add(cmd_id="1", items=(item(),)),
        sc.Replace(cmd_id="2", items=(item(),)),
        sc.Get(cmd_id="3", items=(item(),)),
        bad,
    )
    refused(msg, r"/SyncML/SyncBody/Replace\[2\]/CmdID: cmd_id must be a str, got int 7$")


def test_bad_item_deep_in_a_container_has_the_whole_path() -> None:
    inner = sc.Delete(cmd_id="5", items=(item(), item(data=b"x")))  # type: ignore[arg-type]
    atomic = sc.Atomic(cmd_id="4", commands=(sc.Add(cmd_id="3", items=(item(),)), inner))
    msg = message(sc.Alert(cmd_id="1"), sc.Sequence(cmd_id="2", commands=(atomic,)))
    refused(msg, r"/SyncML/SyncBody/Sequence\[1\]/Atomic\[1\]/Delete\[1\]/Item\[2\]/Data: data")


def test_not_a_command_in_a_container() -> None:
    msg = message(sc.Atomic(cmd_id="1", commands=(item(),)))  # type: ignore[arg-type]
    refused(msg, r"/SyncML/SyncBody/Atomic\[1\]/Item: Item is not a command$")


# --- required but empty: refused, not written ------------------------------------------------


@pytest.mark.parametrize(
    ("obj", "match"),
    [
        (message(sc.Get(cmd_id="", items=(item(),))), r"/SyncBody/Get\[1\]/CmdID: cmd_id must not"),
        (
            message(sc.Get(cmd_id="2")),
            r"/SyncBody/Get\[1\]: items is empty: Get needs at least one Item",
        ),
        (sc.Replace(cmd_id="2"), r"^cannot serialize /Replace: items is empty"),
        (
            message(sc.Exec(cmd_id="2", items=(item(), item()))),
            r"/Exec\[1\]: items holds 2: Exec takes at most 1 Item",
        ),
        (message(sc.Exec(cmd_id="2")), r"/Exec\[1\]: items is empty"),
        (
            message(sc.Atomic(cmd_id="2")),
            r"/Atomic\[1\]: commands is empty: Atomic needs at least one command",
        ),
        (
            message(sc.Alert(cmd_id="2"), msg_id=""),
            r"/SyncML/SyncHdr/MsgID: msg_id must not be empty",
        ),
        (message(sc.Alert(cmd_id="2"), session_id=""), r"/SyncHdr/SessionID: session_id must not"),
        (
            message(sc.Add(cmd_id="2", items=(item(""),))),
            r"/SyncBody/Add\[1\]/Item\[1\]/Target/LocURI: loc_uri must not be empty",
        ),
        (message(sc.Alert(cmd_id="2"), target=None), r"/SyncML/SyncHdr/Target: target is required"),
        (
            message(sc.Status(cmd_id="2", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data=None)),  # type: ignore[arg-type]
            r"/Status\[1\]/Data: data is required",
        ),
        (message(sc.Alert(cmd_id="2"), ver_dtd=None), r"/SyncHdr/VerDTD: ver_dtd is required"),
    ],
)
def test_what_the_dtd_does_not_allow_is_refused(obj: Any, match: str) -> None:
    refused(obj, match)


def test_a_message_with_no_command_is_written() -> None:
    """The one DTD lower bound serialize leaves to validate(): SyncBody's (command)+."""
    msg = sc.SyncML(sync_hdr=header(), sync_body=sc.SyncBody(final=True))
    assert sc.serialize(msg).endswith(b"<SyncBody><Final/></SyncBody></SyncML>")
    assert sc.parse(sc.serialize(msg, format="wbxml")) == msg


def test_optional_empty_text_is_written() -> None:
    """Empty is refused only where the table says ``nonempty`` (identifiers, addresses)."""
    msg = message(
        sc.Replace(
            cmd_id="2", items=(sc.Item(target=sc.Target(loc_uri="./a", loc_name=""), data=""),)
        )
    )
    xml = sc.serialize(msg)
    assert b"<LocName></LocName>" in xml and b"<Data></Data>" in xml
    assert sc.parse(xml) == msg
    assert sc.parse(sc.serialize(msg, format="wbxml")) == msg


# --- depth: EncodeError, not RecursionError ---------------------------------------------------


def nested_atomics(depth: int) -> sc.SyncML:
    cmd: sc.Command = sc.Add(cmd_id="0", items=(item(),))
    for n in range(depth):
        cmd = sc.Atomic(cmd_id=str(n + 1), commands=(cmd,))
    return message(cmd)


@pytest.mark.parametrize("fmt", ["xml", "wbxml"])
def test_very_deep_model_is_an_encode_error(fmt: str) -> None:
    msg = nested_atomics(5000)
    with pytest.raises(sc.EncodeError, match=r"nests 500[0-9] elements deep .*recursion limit"):
        sc.serialize(msg, format=fmt)  # type: ignore[arg-type]


def test_deep_but_writable_model_is_written() -> None:
    msg = nested_atomics(100)
    xml = sc.serialize(msg)
    assert xml.count(b"<Atomic>") == 100
    assert ET.fromstring(xml).find(f"{NS}SyncBody/{NS}Atomic") is not None


# --- escaping, checked by an independent reader ---------------------------------------------


@pytest.mark.parametrize("text", ["a]]>b", "]]>", "x > y & z < w", "a\rb", "<![CDATA[x]]>"])
def test_text_reads_back_through_elementtree(text: str) -> None:
    """A LocURI holding ``]]>`` must be escaped (``]]>`` is not allowed in character data)."""
    msg = message(sc.Get(cmd_id="1", items=(sc.Item(target=sc.Target(loc_uri=text), data=text),)))
    for pretty in (False, True):
        root = ET.fromstring(sc.serialize(msg, pretty=pretty))
        get_item = root.find(f"{NS}SyncBody/{NS}Get/{NS}Item")
        assert get_item is not None
        assert get_item.findtext(f"{NS}Target/{NS}LocURI") == text
        assert get_item.findtext(f"{NS}Data") == text
    assert b"]]>" not in sc.serialize(msg).replace(b"<![CDATA[", b"")


@given(texts)
def test_any_text_reads_back_through_elementtree(text: str) -> None:
    value = text.strip(" \t\r\n") or "x"  # LocURI: the reader trims around #PCDATA (P103)
    msg = message(sc.Get(cmd_id="1", items=(sc.Item(target=sc.Target(loc_uri=value), data=text),)))
    root = ET.fromstring(sc.serialize(msg))
    assert root.findtext(f"{NS}SyncBody/{NS}Get/{NS}Item/{NS}Target/{NS}LocURI") == value
    assert root.findtext(f"{NS}SyncBody/{NS}Get/{NS}Item/{NS}Data") == text


def test_hard_strings_cover_what_breaks_writers() -> None:
    for needed in ("]]>", "&", "<", ">", "\r", "\U0010ffff", "\ud7ff", "\ue000"):
        assert any(needed in h for h in HARD), needed


# --- every command type is valid against the bundled XSD ------------------------------------


@functools.cache
def schema() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(_resources.schema_path("syncml12.xsd")))


def full_meta() -> sc.Meta:
    return sc.Meta(
        field_level=True,
        format="chr",
        type="text/plain",
        mark="m",
        size="1",
        anchor=sc.Anchor(last="1", next="2"),
        version="1",
        next_nonce="bm9uY2U=",
        max_msg_size="5000",
        max_obj_size="9000",
        emi=("a", "b"),
        mem=sc.Mem(shared_mem=True, free_mem="1", free_id="2"),
    )


def full_item(n: int) -> sc.Item:
    return sc.Item(
        target=sc.Target(loc_uri=f"./t{n}]]>&<", loc_name="t"),
        source=sc.Source(loc_uri=f"./s{n}", loc_name="s"),
        source_parent=sc.SourceParent(loc_uri="./sp"),
        target_parent=sc.TargetParent(loc_uri="./tp"),
        meta=full_meta(),
        data=sc.CData("<x>]]></x>") if n % 2 else "a > b\r\n",
        more_data=True,
    )


def every_command() -> list[sc.Command]:
    cred = sc.Cred(meta=sc.Meta(format="b64", type="syncml:auth-md5"), data="Zm9v")
    items = (full_item(1), full_item(2))
    common: dict[str, Any] = {"no_resp": True, "cred": cred, "meta": full_meta()}
    simple: list[sc.Command] = [
        sc.Add(cmd_id="1", **common, items=items),
        sc.Copy(cmd_id="2", **common, items=items),
        sc.Replace(cmd_id="3", **common, items=items),
        sc.Delete(cmd_id="4", archive=True, sft_del=True, **common, items=items),
        sc.Get(cmd_id="5", lang="en", **common, items=items),
        sc.Exec(cmd_id="6", correlator="c", **common, items=(full_item(3),)),
        sc.Alert(
            cmd_id="7",
            no_resp=True,
            cred=cred,
            data=sc.AlertCode(1226),
            correlator="c",
            items=items,
        ),
    ]
    return [
        *simple,
        sc.Results(
            cmd_id="8",
            msg_ref="1",
            cmd_ref="5",
            cmd="Get",
            meta=full_meta(),
            target_ref="./t",
            source_ref="./s",
            items=items,
        ),
        sc.Status(
            cmd_id="9",
            msg_ref="1",
            cmd_ref="0",
            cmd="SyncHdr",
            target_ref=("a", "b"),
            source_ref=("c",),
            cred=cred,
            chal=sc.Chal(meta=full_meta()),
            data=sc.StatusCode(401),
            items=items,
        ),
        sc.Atomic(cmd_id="10", no_resp=True, meta=full_meta(), commands=tuple(simple)),
        sc.Sequence(
            cmd_id="11",
            no_resp=True,
            meta=full_meta(),
            commands=(*simple, sc.Atomic(cmd_id="12", commands=(simple[0],))),
        ),
    ]


def test_every_command_type_is_covered() -> None:
    assert {type(c) for c in every_command()} == set(typing.get_args(sc.Command))


@pytest.mark.parametrize("pretty", [False, True])
def test_every_command_type_is_valid_against_the_xsd(pretty: bool) -> None:
    msg = sc.SyncML(
        sync_hdr=header(
            resp_uri="https://srv/2", no_resp=True, cred=sc.Cred(data="x"), meta=full_meta()
        ),
        sync_body=sc.SyncBody(commands=tuple(every_command()), final=True),
    )
    xml = sc.serialize(msg, pretty=pretty)
    errors = [str(e.reason) + " at " + str(e.path) for e in schema().iter_errors(xml)]
    assert errors == []
    assert sc.parse(xml) == msg


@pytest.mark.parametrize("cmd", every_command(), ids=lambda c: type(c).__name__)
def test_each_command_as_a_fragment_is_valid_against_the_xsd(cmd: sc.Command) -> None:
    errors = [str(e.reason) for e in schema().iter_errors(sc.serialize(cmd))]
    assert errors == []


def test_xsd_check_catches_a_wrong_order() -> None:
    """The check can fail: Delete with SftDel before Archive (issue 14 mutant 2) is invalid."""
    xml = sc.to_string(every_command()[3])
    swapped = xml.replace("<Archive/><SftDel/>", "<SftDel/><Archive/>")
    assert swapped != xml
    assert not schema().is_valid(swapped)


# --- build_reply --------------------------------------------------------------------------------


def received() -> sc.SyncML:
    cmds: list[sc.Command] = [
        sc.Get(cmd_id="2", items=(item(),)),
        sc.Replace(cmd_id="3", items=(item(data="1"),)),
    ]
    return new_message(cmds, session_id="5", msg_id="2", target="https://srv", source="./dev")


def test_status_keys_must_be_cmd_id_strings() -> None:
    with pytest.raises(
        sc.EncodeError, match=r"statuses keys are CmdID strings, got int 2; write '2'"
    ):
        build_reply(received(), statuses={2: 500})  # type: ignore[dict-item]
    with pytest.raises(sc.EncodeError, match=r"results keys are CmdID strings, got int 2"):
        build_reply(received(), results={2: [item()]})  # type: ignore[dict-item]


@pytest.mark.parametrize("raw", [b"<SyncML/>", "<SyncML/>", None])
def test_build_reply_needs_a_parsed_message(raw: Any) -> None:
    with pytest.raises(sc.EncodeError, match="needs the received message as a SyncML object"):
        build_reply(raw)


def test_build_reply_on_bytes_says_parse_first() -> None:
    with pytest.raises(sc.EncodeError, match=r"parse it first"):
        build_reply(b"<SyncML/>")  # type: ignore[arg-type]


def test_default_msg_id_is_the_received_one() -> None:
    """Each sender counts from 1: a server's reply to the client's 2nd message is its 2nd;
    the client's reply to that is its 3rd (next_msg_id)."""
    reply = build_reply(received())
    assert reply.sync_hdr.msg_id == "2"
    assert next_msg_id(reply) == "3"
    assert build_reply(reply, msg_id=next_msg_id(reply)).sync_hdr.msg_id == "3"
