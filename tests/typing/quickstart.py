"""The README quickstart as a consumer writes it, with the types a checker must infer.

Checked by ``tests/test_model_typing.py`` with ``mypy --strict --disallow-any-expr`` (no
expression may be ``Any``) and, when installed, pyright strict. Not collected by pytest.
"""

# pyright: strict
from __future__ import annotations

from typing import assert_type

import syncml_codec as sc

msg = sc.SyncML(
    sync_hdr=sc.SyncHdr(
        session_id="1",
        msg_id="1",
        target=sc.Target(loc_uri="./DevInfo/DevId-of-the-device"),
        source=sc.Source(loc_uri="https://mdm.example.com/omadm"),
    ),
    sync_body=sc.SyncBody(
        commands=(
            sc.Get(cmd_id="2", items=(sc.Item(target=sc.Target(loc_uri="./DevDetail/SwV")),)),
            sc.Replace(
                cmd_id="3",
                items=(
                    sc.Item(
                        target=sc.Target(
                            loc_uri="./Device/Vendor/MSFT/Policy/Config/Camera/AllowCamera"
                        ),
                        meta=sc.Meta(format="int"),
                        data="0",
                    ),
                ),
            ),
        ),
        final=True,
    ),
)
assert_type(msg.sync_hdr, sc.SyncHdr)
assert_type(msg.sync_hdr.target.loc_uri, str)
assert_type(msg.sync_body.commands, tuple[sc.Command, ...])
assert_type(msg.sync_body.final, bool)

xml = sc.serialize(msg, pretty=True)
wbxml = sc.serialize(msg, format="wbxml")
assert_type(xml, bytes)
assert_type(wbxml, bytes)
assert_type(sc.to_string(msg), str)

get = msg.sync_body.commands[0]
if isinstance(get, sc.Get):
    assert_type(get.items, tuple[sc.Item, ...])
    assert_type(get.items[0].data, str | None)
    assert_type(get.meta, sc.Meta | None)

item = sc.Item(data=sc.CData("<Application Id='x'/>"))
assert_type(item.data, str | None)

status = sc.Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data=sc.StatusCode.OK)
assert_type(status.data, sc.StatusCode)
assert_type(status.target_ref, tuple[str, ...])
alert = sc.Alert(cmd_id="2", data=sc.AlertCode.CLIENT_INITIATED_MGMT)
assert_type(alert.data, sc.AlertCode | None)

# ...and parse real device messages back (bytes, str, a binary file, a path, or chunks).
assert_type(sc.parse(xml), sc.SyncML)
assert sc.parse(xml) == msg == sc.parse(wbxml)

result = sc.parse_with_diagnostics(b"<SyncML/>")
for d in result.diagnostics:
    assert_type(d, sc.Diagnostic)
    assert_type(d.code, str)
assert_type(result.message, sc.SyncML)
assert_type(sc.helpers.is_unenrollment_request(result.message), bool)

stream = sc.iter_items(sc.serialize(msg))
for command, it in stream:
    assert_type(command.kind, str)
    assert_type(command.cmd_id, str)
    assert_type(it, sc.Item)
    print(command.kind, command.cmd_id, it.target.loc_uri if it.target else None)
assert stream.header is not None  # set once the first pair has been produced
assert_type(stream.header.session_id, str)

assert [d for d in sc.validate(xml, profile="windows") if d.severity == "error"] == []
