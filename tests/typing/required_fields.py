"""Leaving out a required field, or passing a wrong type, is a type error for the checker.

Each line that must fail carries ``# E: <field>``; ``tests/test_model_typing.py`` runs mypy
--strict (and pyright strict, when installed) on this file and requires an error on exactly
those lines, each naming that field. Not collected by pytest, excluded from the project's mypy.
"""

# pyright: strict
from __future__ import annotations

import syncml_codec as sc

target = sc.Target(loc_uri="./a")
source = sc.Source(loc_uri="dev")

sc.Get(items=())  # E: cmd_id
sc.SyncHdr(session_id="1", msg_id="1", source=source)  # E: target
sc.SyncHdr(session_id="1", msg_id="1", target=target)  # E: source
sc.Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr")  # E: data
sc.Target()  # E: loc_uri
header = sc.SyncHdr(session_id="1", msg_id="1", target=target, source=source)
sc.SyncML(sync_hdr=header)  # E: sync_body
sc.Get(cmd_id=2, items=())  # E: cmd_id
sc.Replace(cmd_id="1", items=[sc.Item()])  # E: items
sc.Get("1")  # E: positional

# Fine: every field with a default may be left out, and the DTD-required ver_dtd has one.
sc.SyncML(sync_hdr=header, sync_body=sc.SyncBody())
sc.Get(cmd_id="1")
sc.Item()
sc.SyncBody()
