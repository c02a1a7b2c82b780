"""Hypothesis strategies for every model class (imported by the round-trip tests).

Text is drawn from two sources on purpose: any character XML 1.0 can carry, and the strings
that break careless writers (``HARD``: ``]]>``, ``&``, ``<``, ``>``, CR, non-BMP characters,
the edges of the XML 1.0 Char ranges), joined in any order; ``tests/test_model_strategies.py``
checks that each of them is generated. Models follow the DTD (``serialize`` refuses the rest):
non-empty identifiers, Item+ where the command needs an Item, one Item in Exec.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

import syncml_codec as sc

#: Characters XML 1.0 can carry (no C0 controls but tab/newline/CR, no surrogates, no FFFE/FFFF).
_XML_CHARS = st.characters(
    codec="utf-8",
    exclude_categories=["Cs"],
    exclude_characters="".join(chr(c) for c in range(32) if c not in (9, 10, 13)) + "\ufffe\uffff",
)
#: Strings careless writers get wrong: markup characters, the CDATA end, CR (which XML
#: normalises), characters outside the BMP, and the edges of XML 1.0's Char production.
HARD = (
    "]]>",
    "&",
    "<",
    ">",
    "&amp;",
    "\r",
    "\r\n",
    "\U0001f600",
    "\U00010000",
    "\U0010ffff",
    "\t",
    "\n",
    " ",
    "\ud7ff",
    "\ue000",
    "\ufffd",
    "\x7f",
    "\x85",
)
_plain = st.text(_XML_CHARS, max_size=12)
_pieces = st.lists(_plain | st.sampled_from(HARD), min_size=1, max_size=4)


@st.composite
def _texts(draw: st.DrawFn) -> str:
    """Plain XML text, or (one time in three) pieces of it joined with hard strings. Used for
    Data and names; other text stays plain, so a message holds a few hard strings, not dozens
    (a test that must avoid one, such as CR for a peer that writes it raw, still finds cases)."""
    if draw(st.integers(0, 2)):
        return draw(_plain)
    return "".join(draw(_pieces))


_hard_text = _texts()
_text = _plain
#: Values of #PCDATA elements: the parser trims whitespace around them (P103).
_token = _text.map(str.strip)
_opt = st.none() | _token
#: Identifiers and addresses (CmdID, MsgID, SessionID, LocURI): never empty.
_ident = _token.filter(bool)
_opt_ident = st.none() | _ident


_names = st.sampled_from(["a", "Application", "x:b", "MsiInstallJob"])
_attr_value = _text.map(
    lambda s: (
        s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )
)
_markup_text = _text.map(
    lambda s: (
        s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )
)


def _element(name: str, id_attr: str | None, inner: str) -> str:
    attrs = ' xmlns:x="urn:x"' if name.startswith("x:") else ""
    if id_attr is not None:
        attrs += f' id="{id_attr}"'
    return f"<{name}{attrs}/>" if not inner else f"<{name}{attrs}>{inner}</{name}>"


#: Markup in the canonical form the parser reproduces for Data holding elements.
_markup = st.recursive(
    st.builds(_element, _names, st.none() | _attr_value, _markup_text),
    lambda inner: st.builds(
        _element,
        _names,
        st.none() | _attr_value,
        st.lists(inner, min_size=1, max_size=2).map("".join),
    ),
    max_leaves=3,
)
_xml_content = st.builds(lambda pre, el, post: pre + el + post, _markup_text, _markup, _markup_text)

_data = (
    _hard_text
    | _hard_text.filter(lambda s: "\r" not in s).map(sc.CData)
    | _xml_content.map(sc.XmlData)
)

_meta = st.deferred(lambda: _meta_built)
_meta_built: st.SearchStrategy[sc.Meta] = st.builds(
    sc.Meta,
    field_level=st.booleans(),
    format=st.none() | st.sampled_from(["chr", "int", "b64", "bin", "bool", "node", "xml"]),
    type=_opt,
    mark=_opt,
    size=_opt,
    anchor=st.none() | st.builds(sc.Anchor, last=_opt, next=_token),
    version=_opt,
    next_nonce=_opt,
    max_msg_size=_opt,
    max_obj_size=_opt,
    emi=st.lists(_token, max_size=2).map(tuple),
    mem=st.none() | st.builds(sc.Mem, shared_mem=st.booleans(), free_mem=_token, free_id=_token),
)
_source = st.builds(sc.Source, loc_uri=_ident, loc_name=_opt)
_target = st.builds(sc.Target, loc_uri=_ident, loc_name=_opt)
_cred = st.deferred(lambda: _cred_built)
_cred_built: st.SearchStrategy[sc.Cred] = st.builds(sc.Cred, meta=st.none() | _meta, data=_data)
_item = st.deferred(lambda: _item_built)
_item_built: st.SearchStrategy[sc.Item] = st.builds(
    sc.Item,
    target=st.none() | _target,
    source=st.none() | _source,
    source_parent=st.none() | st.builds(sc.SourceParent, loc_uri=_ident),
    target_parent=st.none() | st.builds(sc.TargetParent, loc_uri=_ident),
    meta=st.none() | _meta,
    data=st.none() | _data,
    more_data=st.booleans(),
)
_items = st.lists(_item, max_size=2).map(tuple)  #: Item*
_items1 = st.lists(_item, min_size=1, max_size=2).map(tuple)  #: Item+
_one_item = _item.map(lambda item: (item,))  #: Exec: exactly one Item
_status_code = st.sampled_from(list(sc.StatusCode)) | st.integers(0, 999_999_999).map(sc.StatusCode)
_alert_code = st.sampled_from(list(sc.AlertCode)) | st.integers(0, 999_999_999).map(sc.AlertCode)
_common = {"cmd_id": _ident, "no_resp": st.booleans()}
_simple: list[st.SearchStrategy[Any]] = [
    st.builds(cls, **_common, cred=st.none() | _cred, meta=st.none() | _meta, items=_items1)
    for cls in (sc.Add, sc.Copy, sc.Replace)
]
_simple += [
    st.builds(
        sc.Delete,
        **_common,
        archive=st.booleans(),
        sft_del=st.booleans(),
        cred=st.none() | _cred,
        meta=st.none() | _meta,
        items=_items1,
    ),
    st.builds(
        sc.Get, **_common, lang=_opt, cred=st.none() | _cred, meta=st.none() | _meta, items=_items1
    ),
    st.builds(
        sc.Exec,
        **_common,
        cred=st.none() | _cred,
        meta=st.none() | _meta,
        correlator=_opt,
        items=_one_item,
    ),
    st.builds(
        sc.Alert,
        **_common,
        cred=st.none() | _cred,
        data=st.none() | _alert_code,
        correlator=_opt,
        items=_items,
    ),
    st.builds(
        sc.Results,
        cmd_id=_ident,
        msg_ref=_opt_ident,
        cmd_ref=_token,
        cmd=_opt,
        meta=st.none() | _meta,
        target_ref=_opt,
        source_ref=_opt,
        items=_items1,
    ),
    st.builds(
        sc.Status,
        cmd_id=_ident,
        msg_ref=_ident,
        cmd_ref=_token,
        cmd=_token,
        target_ref=st.lists(_token, max_size=2).map(tuple),
        source_ref=st.lists(_token, max_size=2).map(tuple),
        cred=st.none() | _cred,
        chal=st.none() | st.builds(sc.Chal, meta=_meta),
        data=_status_code,
        items=_items,
    ),
]
_command: st.SearchStrategy[Any] = st.recursive(
    st.one_of(_simple),
    lambda inner: st.one_of(
        *[
            st.builds(
                cls,
                **_common,
                meta=st.none() | _meta,
                commands=st.lists(inner, min_size=1, max_size=3).map(tuple),
            )
            for cls in (sc.Atomic, sc.Sequence)
        ]
    ),
    max_leaves=3,
)
_header = st.builds(
    sc.SyncHdr,
    ver_dtd=st.just("1.2"),
    ver_proto=st.just("DM/1.2"),
    session_id=_ident,
    msg_id=_ident,
    target=_target,
    source=_source,
    resp_uri=_opt,
    no_resp=st.booleans(),
    cred=st.none() | _cred,
    meta=st.none() | _meta,
)
_message = st.builds(
    sc.SyncML,
    sync_hdr=_header,
    sync_body=st.builds(
        sc.SyncBody,
        commands=st.lists(_command, min_size=1, max_size=3).map(tuple),
        final=st.booleans(),
    ),
)


# Deferred: the repr of a strategy lists every argument of every builds(); short reprs keep
# Hypothesis from warning (an error here) about generating overly large ones.
#: Whole messages with every command type, nested containers and every Meta field.
messages = st.deferred(lambda: _message)
#: Text values (as in LocName, Type, Data): plain XML characters and the ``HARD`` strings.
texts = _hard_text
#: Item/Cred Data values: escaped text, CDATA or markup.
data_values = _data
#: Any model object that can stand as a fragment root.
fragments = st.deferred(lambda: _command | _item | _meta | _header | _source | _target | _cred)
