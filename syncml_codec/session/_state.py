"""A session's state as a JSON-able dict and back, checked field by field on load.

An MDM server handles each POST in a fresh worker, so everything the engine knows goes into
one dict of str/int/float/bool/None/list/dict. Model objects (the message to answer, queued
commands, Items) are stored as their XML text, written by ``serialize`` and read back by
``parse``; the last body sent is base64 (it may be WBXML). ``KIND`` and ``VERSION`` mark the
shape; a dict with another kind, version or role, a missing or mistyped field, or XML that does
not read back as the expected model class raises ``SessionStateError``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, TypeVar

from syncml_codec.errors import DecodeError, EncodeError
from syncml_codec.model import (
    Add,
    Alert,
    Atomic,
    Chal,
    Command,
    Copy,
    Delete,
    Exec,
    Get,
    Item,
    ModelObject,
    Replace,
    Results,
    Sequence,
    Status,
)
from syncml_codec.parse import parse, parse_fragment
from syncml_codec.serialize import serialize

from .errors import SessionStateError
from .events import Handle, OutgoingMessage, SessionEnded

if TYPE_CHECKING:
    from ._engine import SessionCore

__all__ = ["KIND", "VERSION", "dump", "get", "get_opt", "load"]

#: The ``kind`` every state dict carries.
KIND: Final = "syncml-codec/session"
#: The shape version; bumped when fields change meaning.
VERSION: Final = 1

_COMMANDS: Final = (Add, Alert, Atomic, Copy, Delete, Exec, Get, Replace, Results, Sequence, Status)
_T = TypeVar("_T")


def _xml(obj: ModelObject) -> str:
    return serialize(obj).decode("utf-8")


def dump(core: SessionCore) -> dict[str, Any]:
    """Every field of ``core`` as JSON-able values."""
    out = core.last_out
    return {
        "kind": KIND,
        "version": VERSION,
        "role": core.ROLE,
        "session_id": core.session_id,
        "local_uri": core.local_uri,
        "peer_uri": core.peer_uri,
        "format": core.format,
        "max_msg_size": core.max_msg_size,
        "timeout": core.timeout,
        "default_status": core.default_status,
        "in_msg_id": core.in_msg_id,
        "out_msg_id": core.out_msg_id,
        "phase": core.phase,
        "end": None
        if core.end is None
        else [
            core.end.reason,
            core.end.by,
            None if core.end.status is None else int(core.end.status),
        ],
        "turn": core.turn,
        "received": None if core.received is None else _xml(core.received),
        "responses": {
            k: [code, [_xml(i) for i in items]] for k, (code, items) in core.responses.items()
        },
        "hdr_status": core.hdr_status,
        "hdr_chal": None if core.hdr_chal is None else _xml(core.hdr_chal),
        "only_statuses": core.only_statuses,
        "queue": [[h, _xml(c)] for h, c in core.queue],
        "carry": [_xml(c) for c in core.carry],
        "in_flight": [[h, _xml(c)] for h, c in core.in_flight],
        "sent": {k: [h, name, late] for k, (h, name, late) in core.sent.items()},
        "peer_continues": core.peer_continues,
        "aborting": core.aborting,
        "last_out": None
        if out is None
        else {
            "body": base64.b64encode(out.body).decode("ascii"),
            "content_type": out.content_type,
            "headers": dict(out.headers),
            "msg_id": out.msg_id,
            "final": out.final,
        },
        "resend": core.resend,
        "next_handle": core.next_handle,
        "peer_max_msg_size": core.peer_max_msg_size,
        "peer_max_obj_size": core.peer_max_obj_size,
        "last_activity": core.last_activity,
        "announce_max_msg_size": core.announce_max_msg_size,
        "announce_max_obj_size": core.announce_max_obj_size,
        "spool_dir": core.spool_dir,
        "continuation": core.continuation,
        "extra": [_xml(c) for c in core.extra],
        "alerts": [_xml(c) for c in core.alerts],
        "reassembly": core.reassembler.to_state(),
    }


def get_opt(state: Mapping[str, Any], key: str, kind: type[_T]) -> _T | None:
    """``state[key]`` checked to be a ``kind`` or None."""
    if key in state and state[key] is None:
        return None
    return get(state, key, kind)


def get(state: Mapping[str, Any], key: str, kind: type[_T]) -> _T:
    """``state[key]`` checked to be a ``kind``."""
    if key not in state:
        raise SessionStateError(f"session state has no {key!r} field")
    value = state[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # type: ignore[return-value]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SessionStateError(
            f"session state field {key!r} must be {kind.__name__}, got {type(value).__name__}"
        )
    return value


def _model(text: object, cls: tuple[type, ...], what: str) -> Any:
    if not isinstance(text, str):
        raise SessionStateError(f"session state {what} must be XML text")
    try:
        obj = parse_fragment(text.encode("utf-8"), strict=True)
    except (DecodeError, EncodeError) as exc:
        raise SessionStateError(f"session state {what} does not read back: {exc}") from None
    if not isinstance(obj, cls):
        raise SessionStateError(f"session state {what} is a {type(obj).__name__}")
    return obj


def _handle(value: object, limit: int, what: str) -> Handle | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < limit:
        raise SessionStateError(f"session state {what} has a bad handle {value!r}")
    return Handle(value)


def _pairs(state: Mapping[str, Any], key: str, limit: int) -> list[tuple[Handle | None, Command]]:
    out = []
    for entry in get(state, key, list):
        if not isinstance(entry, list) or len(entry) != 2:
            raise SessionStateError(f"session state {key!r} entries are [handle, xml] pairs")
        out.append((_handle(entry[0], limit, key), _model(entry[1], _COMMANDS, key)))
    return out


def _check_header(state: Mapping[str, Any], role: str) -> None:
    if not isinstance(state, Mapping):
        raise SessionStateError(f"session state must be a dict, got {type(state).__name__}")
    if state.get("kind") != KIND:
        raise SessionStateError(f"not a session state (kind {state.get('kind')!r}, want {KIND!r})")
    if state.get("version") != VERSION:
        raise SessionStateError(
            f"session state version {state.get('version')!r} is not supported (want {VERSION})"
        )
    if state.get("role") != role:
        raise SessionStateError(f"this is a {state.get('role')!r} state, not a {role!r} one")


def _end(value: object) -> SessionEnded | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 3:
        raise SessionStateError("session state 'end' must be [reason, by, status]")
    if value[0] not in ("normal", "abort", "error") or value[1] not in ("local", "peer"):
        raise SessionStateError("session state 'end' must be [reason, by, status]")
    status = value[2]
    if status is not None and (not isinstance(status, int) or not 100 <= status <= 999):
        raise SessionStateError("session state 'end' status must be a 3-digit code")
    from syncml_codec.codes import StatusCode

    return SessionEnded(
        reason=value[0], by=value[1], status=None if status is None else StatusCode(status)
    )


def _last_out(value: object) -> OutgoingMessage | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise SessionStateError("session state 'last_out' must be a dict")
    try:
        body = base64.b64decode(get(value, "body", str), validate=True)
    except binascii.Error:
        raise SessionStateError("session state 'last_out.body' is not base64") from None
    headers = get(value, "headers", dict)
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
        raise SessionStateError("session state 'last_out.headers' must map str to str")
    return OutgoingMessage(
        body=body,
        content_type=get(value, "content_type", str),
        headers=headers,
        msg_id=get(value, "msg_id", int),
        final=get(value, "final", bool),
    )


def _scalars(core: SessionCore, state: Mapping[str, Any]) -> None:
    for key in ("session_id", "local_uri", "peer_uri"):
        setattr(core, key, get_opt(state, key, str))
    fmt = get_opt(state, "format", str)
    if fmt not in (None, "xml", "wbxml"):
        raise SessionStateError(f"session state format {fmt!r} is not xml or wbxml")
    core.format = fmt  # type: ignore[assignment]
    for key in ("max_msg_size", "default_status", "in_msg_id", "out_msg_id", "hdr_status"):
        value = get(state, key, int)
        if value < 0:
            raise SessionStateError(f"session state {key!r} must not be negative")
        setattr(core, key, value)
    for key in ("peer_max_msg_size", "peer_max_obj_size"):
        setattr(core, key, get_opt(state, key, int))
    core.timeout = get_opt(state, "timeout", float)
    core.last_activity = get(state, "last_activity", float)
    phase = get(state, "phase", str)
    if phase not in ("open", "ended"):
        raise SessionStateError(f"session state phase {phase!r} is not open or ended")
    core.phase = phase  # type: ignore[assignment]
    for key in ("turn", "only_statuses", "peer_continues", "aborting", "resend"):
        setattr(core, key, get(state, key, bool))
    core.next_handle = get(state, "next_handle", int)
    if core.next_handle < 1:
        raise SessionStateError("session state 'next_handle' must be positive")


def load(core: SessionCore, state: Mapping[str, Any]) -> None:
    """Fill ``core`` from ``state`` (the output of ``dump``), checking every field."""
    _check_header(state, core.ROLE)
    _scalars(core, state)
    limit = core.next_handle
    core.end = _end(state.get("end"))
    received = get_opt(state, "received", str)
    if received is None:
        core.received = None
    else:
        try:
            core.received = parse(received.encode("utf-8"))
        except DecodeError as exc:
            raise SessionStateError(f"session state 'received' does not read back: {exc}") from None
    core.responses = {}
    for key, value in get(state, "responses", dict).items():
        if not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], int):
            raise SessionStateError("session state 'responses' entries are [code, [items]]")
        items = tuple(_model(i, (Item,), "response Item") for i in value[1])
        core.responses[str(key)] = (value[0], items)
    chal = get_opt(state, "hdr_chal", str)
    core.hdr_chal = None if chal is None else _model(chal, (Chal,), "hdr_chal")
    core.queue = _pairs(state, "queue", limit)
    core.in_flight = _pairs(state, "in_flight", limit)
    core.carry = [_model(c, _COMMANDS, "carry") for c in get(state, "carry", list)]
    core.sent = {}
    for key, value in get(state, "sent", dict).items():
        ok = isinstance(value, list) and len(value) == 3 and isinstance(value[1], str)
        if not ok or not isinstance(value[2], bool):
            raise SessionStateError("session state 'sent' entries are [handle, name, late]")
        core.sent[str(key)] = (_handle(value[0], limit, "sent"), value[1], value[2])
    core.last_out = _last_out(state.get("last_out"))
    _large(core, state)


#: Fields added with large-message support; a version-1 state written before them loads with
#: these defaults (no announcement, no open object).
_LARGE_DEFAULTS: Final[dict[str, Any]] = {
    "announce_max_msg_size": None,
    "announce_max_obj_size": None,
    "spool_dir": None,
    "continuation": None,
    "extra": [],
    "alerts": [],
    "reassembly": {"peer_max_msg_size": None, "pending": None},
}


def _large(core: SessionCore, given: Mapping[str, Any]) -> None:
    """The large-message fields: announcements, a continuation, owed chunk answers, the
    reassembler (the spool of an open object: see ``Reassembler.to_state``)."""
    state = {**_LARGE_DEFAULTS, **{k: given[k] for k in _LARGE_DEFAULTS if k in given}}
    for key in ("announce_max_msg_size", "announce_max_obj_size"):
        value = get_opt(state, key, int)
        if value is not None and value < 1:
            raise SessionStateError(f"session state {key!r} must be positive")
        setattr(core, key, value)
    core.spool_dir = get_opt(state, "spool_dir", str)
    continuation = get_opt(state, "continuation", str)
    if continuation not in (None, "carry", "queue"):
        raise SessionStateError(f"session state continuation {continuation!r} is not valid")
    if (continuation == "queue" and not core.queue) or (continuation == "carry" and not core.carry):
        raise SessionStateError("session state continuation names an empty queue")
    core.continuation = continuation  # type: ignore[assignment]
    core.extra = [_model(c, (Status,), "extra") for c in get(state, "extra", list)]
    core.alerts = [_model(c, (Alert,), "alerts") for c in get(state, "alerts", list)]
    try:
        core.reassembler = core.new_reassembler(get(state, "reassembly", dict))
    except (DecodeError, EncodeError) as exc:
        raise SessionStateError(f"session state 'reassembly' does not load: {exc}") from None
