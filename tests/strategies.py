"""Hypothesis strategies for every model class (imported by the round-trip tests)."""

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
_text = st.text(_XML_CHARS, max_size=12)
#: Values of #PCDATA elements: the parser trims whitespace around them (P103).
_token = _text.map(str.strip)
_opt = st.none() | _token


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

_data = _text | _text.filter(lambda s: "\r" not in s).map(sc.CData) | _xml_content.map(sc.XmlData)

_meta = st.builds(
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
_source = st.builds(sc.Source, loc_uri=_token, loc_name=_opt)
_target = st.builds(sc.Target, loc_uri=_token, loc_name=_opt)
_cred = st.builds(sc.Cred, meta=st.none() | _meta, data=_data)
_item = st.builds(
    sc.Item,
    target=st.none() | _target,
    source=st.none() | _source,
    source_parent=st.none() | st.builds(sc.SourceParent, loc_uri=_token),
    target_parent=st.none() | st.builds(sc.TargetParent, loc_uri=_token),
    meta=st.none() | _meta,
    data=st.none() | _data,
    more_data=st.booleans(),
)
_items = st.lists(_item, max_size=2).map(tuple)
_status_code = st.sampled_from(list(sc.StatusCode)) | st.integers(0, 999_999_999).map(sc.StatusCode)
_alert_code = st.sampled_from(list(sc.AlertCode)) | st.integers(0, 999_999_999).map(sc.AlertCode)
_common = {"cmd_id": _token, "no_resp": st.booleans()}
_simple: list[st.SearchStrategy[Any]] = [
    st.builds(cls, **_common, cred=st.none() | _cred, meta=st.none() | _meta, items=_items)
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
        items=_items,
    ),
    st.builds(
        sc.Get, **_common, lang=_opt, cred=st.none() | _cred, meta=st.none() | _meta, items=_items
    ),
    st.builds(
        sc.Exec,
        **_common,
        cred=st.none() | _cred,
        meta=st.none() | _meta,
        correlator=_opt,
        items=_items,
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
        cmd_id=_token,
        msg_ref=_opt,
        cmd_ref=_token,
        cmd=_opt,
        meta=st.none() | _meta,
        target_ref=_opt,
        source_ref=_opt,
        items=_items,
    ),
    st.builds(
        sc.Status,
        cmd_id=_token,
        msg_ref=_token,
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
    session_id=_token,
    msg_id=_token,
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
        sc.SyncBody, commands=st.lists(_command, max_size=3).map(tuple), final=st.booleans()
    ),
)


#: Whole messages with every command type, nested containers and every Meta field.
messages = _message
#: Any model object that can stand as a fragment root.
fragments = _command | _item | _meta | _header | _source | _target | _cred
