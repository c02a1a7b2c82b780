"""Layer 2: the DM protocol rules, one walk of the model per message.

Strategy: ``Checker`` walks the parsed message (or fragment) once and applies the rules of one
profile: CmdID, SyncHdr Status, alerts, LocURIs, Atomic/Sequence members; ``match_request``
pairs a response's Status/Results with the request's commands. Findings carry an element path
(``child_paths``, the one path form) and no position; the caller adds positions. Each check
cites its primary document at the check site; severities come from ``rules.RULES``.
Complexity: linear in the message (Items are visited once with a handful of string tests).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from syncml_codec import model
from syncml_codec.codes import DM_ALERT_CODES, METINF_FORMATS
from syncml_codec.diagnostics import Diagnostic

from .rules import Profile, severity
from .structure import child_paths

__all__ = ["Checker", "match_request"]

_ATOMIC_ALLOWED: Final[Mapping[str, frozenset[str]]] = {
    # OMA-TS-DM_RepPro 4.1.6.3: "Members are Add, Alert, Delete, Copy, Replace. Nested
    # Atomic or Get -> 500."
    "oma": frozenset(("Add", "Alert", "Delete", "Copy", "Replace")),
    # [MS-MDM] model (Add|Delete|Atomic|Replace|Get|Exec) minus what Learn 'OMA DM protocol
    # support' rejects (nested Atomic, Get); Alert and Copy are judged by their own rules.
    "windows": frozenset(("Add", "Alert", "Delete", "Copy", "Replace", "Exec")),
}
# OMA-TS-DM_RepPro 4.1.6.14: "Sequence: Add, Replace, Delete, Copy, Get, Exec, Alert".
_SEQUENCE_ALLOWED: Final = frozenset(("Add", "Replace", "Delete", "Copy", "Get", "Exec", "Alert"))
# [MS-MDM] 2.2.4.3 lists (Atomic|Exec|Get|Results|Status|Add|Replace|Delete)+, but Alert is
# mandatory in package 1 (OMA-TS-DM_Protocol 2.3) and Learn 'OMA DM protocol support' lists
# Sequence and Alert as supported: the MS list is incomplete, so the only modelled command
# Windows rejects in SyncBody is Copy (DM230), and there is no "outside the MS-MDM list" rule.


# --- layer 2: protocol rules ------------------------------------------------------------------

_SCHEME: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _uri_problem(uri: str) -> str | None:
    """What is wrong with a SyncBody LocURI (Learn 'Structure of OMA DM provisioning files'
    and 'OMA DM protocol support'), or None."""
    if not uri:
        return "is empty"
    if uri[0] == "/":
        return "starts with '/'"
    if ":" in uri and _SCHEME.match(uri):
        return None  # an absolute URI or URN ([MS-MDM] 2.2.3.5)
    path = uri.partition("?")[0]
    if "//" in path or path.endswith("/"):
        return "has an empty segment"
    if "/./" in path or path.endswith("/."):
        return "has a '.' segment after the first"
    return None


class Checker:
    """One walk of the model applying the protocol rules of one profile."""

    def __init__(self, profile: Profile, out: list[Diagnostic]) -> None:
        self.profile = profile
        self.out = out
        self.cmd_ids: dict[str, str] = {}  # CmdID -> path of its first command
        self.atomic_allowed = _ATOMIC_ALLOWED[profile]

    def report(self, code: str, message: str, xpath: str) -> None:
        """Record a finding of rule ``code`` with the profile's severity (none: rule off)."""
        level = severity(code, self.profile)
        if level is not None:
            self.out.append(Diagnostic(level, code, message, xpath=xpath))

    # -- message -------------------------------------------------------------------------------

    def message(self, msg: model.SyncML, ns: str) -> None:
        hdr = msg.sync_hdr
        hp = "/SyncML/SyncHdr"
        # OMA-TS-DM_RepPro 4.1.1.25: VerDTD 1.2 <-> VerProto DM/1.2; 1.1 <-> DM/1.1.
        expected = {"1.2": "DM/1.2", "1.1": "DM/1.1"}.get(hdr.ver_dtd)
        if expected is None:
            self.report("DM208", f"VerDTD is {hdr.ver_dtd!r}; expected '1.2'", f"{hp}/VerDTD")
        elif hdr.ver_proto != expected:
            self.report(
                "DM208",
                f"VerProto is {hdr.ver_proto!r} with VerDTD {hdr.ver_dtd}; expected {expected!r}",
                f"{hp}/VerProto",
            )
        elif ns and ns.startswith("SYNCML:SYNCML1.") and ns != f"SYNCML:SYNCML{hdr.ver_dtd}":
            # [MS-MDM] 2.2.4.1; the K800i capture has SYNCML1.1 with VerDTD 1.2.
            self.report(
                "DM209", f"namespace {ns!r} with VerDTD {hdr.ver_dtd}; expected them to match", hp
            )
        # [MS-MDM] 2.2.3.8: SessionID present, opaque, at most 4 bytes.
        sid = hdr.session_id
        if not sid:
            self.report("DM206", "SessionID is empty; expected the session's identifier", hp)
        elif len(sid.encode("utf-8")) > 4:
            self.report(
                "DM207", f"SessionID {sid[:20]!r} is longer than 4 bytes", f"{hp}/SessionID"
            )
        # [XSD05] MsgID xs:positiveInteger; [MS-MDM] 2.2.3.6 starts at 1.
        if not _positive(hdr.msg_id):
            self.report("DM204", f"MsgID {hdr.msg_id!r} is not a positive integer", f"{hp}/MsgID")
        if hdr.no_resp:
            self.report(
                "DM233", "NoResp is not used in OMA DM (OMA-TS-DM_RepPro 4.1.1.14)", f"{hp}/NoResp"
            )
        if hdr.meta is not None:
            self.meta(hdr.meta, f"{hp}/Meta")
        if hdr.cred is not None and hdr.cred.meta is not None:
            self.meta(hdr.cred.meta, f"{hp}/Cred/Meta")
        self.body(msg.sync_body, "/SyncML/SyncBody")

    def body(self, body: model.SyncBody, path: str) -> None:
        cmds = body.commands
        self.commands(cmds, path, None)
        # [MS-MDM] 2.2.6.1: the Status for SyncHdr (CmdRef 0, Cmd SyncHdr) is the first Status.
        seen_status = False
        for cmd, here in child_paths(path, cmds):
            if type(cmd) is model.Status:
                if (cmd.cmd_ref == "0" or cmd.cmd == "SyncHdr") and seen_status:
                    self.report(
                        "DM210",
                        "the Status for SyncHdr comes after another Status; expected it first",
                        here,
                    )
                seen_status = True

    def commands(self, cmds: tuple[Any, ...], path: str, container: str | None) -> None:
        for cmd, here in child_paths(path, cmds):
            self.command(cmd, here, container)

    def command(self, cmd: Any, path: str, container: str | None) -> None:
        name: str = cmd.XML_NAME
        windows = self.profile == "windows"
        # [MS-MDM] 2.2.3.2: "CmdID ... MUST be unique within the message ... MUST NOT be 0".
        cid = cmd.cmd_id
        if not cid:
            self.report("DM201", f"{name} has no CmdID value; expected a unique id", path)
        else:
            first = self.cmd_ids.get(cid)
            if first is not None:
                self.report(
                    "DM202",
                    f"CmdID {cid!r} is already used by {first.rpartition('/')[2]};"
                    " expected a CmdID unique within the message",
                    f"{path}/CmdID",
                )
            else:
                self.cmd_ids[cid] = path
            if cid.strip() == "0":
                self.report("DM203", 'CmdID is "0"; expected a non-zero id', f"{path}/CmdID")
            elif not cid.isdigit():
                self.report("DM205", f"CmdID {cid!r} is not a decimal integer", f"{path}/CmdID")
        # Membership of Atomic (OMA-TS-DM_RepPro 4.1.6.3) and Sequence (4.1.6.14).
        if container == "Atomic" and name not in self.atomic_allowed:
            self.report(
                "DM220",
                f"{name} inside Atomic is not allowed in DM (the device answers 500);"
                f" expected {', '.join(sorted(self.atomic_allowed))}",
                path,
            )
        elif container == "Sequence" and name not in _SEQUENCE_ALLOWED:
            self.report(
                "DM221",
                f"{name} inside Sequence is not allowed in DM;"
                f" expected {', '.join(sorted(_SEQUENCE_ALLOWED))}",
                path,
            )
        if windows and name == "Copy":  # Learn 'OMA DM protocol support': no Copy
            self.report("DM230", "Copy is not supported by Windows ([MS-MDM])", path)
        if getattr(cmd, "no_resp", False):
            self.report(
                "DM233",
                "NoResp is not used in OMA DM (OMA-TS-DM_RepPro 4.1.1.14)",
                f"{path}/NoResp",
            )
        # OMA-TS-DM_RepPro 4.1.1.6: "The originator MUST NOT supply credentials within individual
        # commands." (Status carries Cred only as an answer to SyncHdr credentials.)
        cred = getattr(cmd, "cred", None)
        if cred is not None and cred.meta is not None:
            self.meta(cred.meta, f"{path}/Cred/Meta")
        if name != "Status" and cred is not None:
            self.report(
                "DM213", f"Cred inside {name}; expected credentials in SyncHdr only", f"{path}/Cred"
            )
        if getattr(cmd, "correlator", None) is not None:
            # [MS-MDM] 2.2.7.2: "The <Correlator> element ... is not supported".
            self.report("DM232", "Correlator is not supported by Windows", f"{path}/Correlator")
        meta = getattr(cmd, "meta", None)
        if meta is not None:
            self.meta(meta, f"{path}/Meta")
        if name in ("Atomic", "Sequence"):
            self.commands(cmd.commands, path, name)
            return
        if name == "Status":
            self.status(cmd, path)
        elif name == "Results":
            self.results(cmd, path)
        elif name == "Alert":
            self.alert(cmd, path)
        self.items(cmd.items, path)

    def status(self, st: model.Status, path: str) -> None:
        if st.chal is not None:
            self.meta(st.chal.meta, f"{path}/Chal/Meta")
        # [MS-MDM] 2.2.6.1: MsgRef/CmdRef reference the request; MsgRef is a MsgID (2.2.3.6).
        if not st.cmd_ref:
            self.report("DM212", "Status has an empty CmdRef; expected the CmdID it answers", path)
        elif not st.cmd_ref.isdigit():
            self.report(
                "DM205", f"CmdRef {st.cmd_ref!r} is not a decimal integer", f"{path}/CmdRef"
            )
        if not st.msg_ref:
            self.report("DM212", "Status has an empty MsgRef; expected the request's MsgID", path)
        elif not _positive(st.msg_ref):
            self.report(
                "DM204", f"MsgRef {st.msg_ref!r} is not a positive integer", f"{path}/MsgRef"
            )
        # [MS-MDM] 2.2.6.1: the SyncHdr Status has CmdRef 0 and Cmd SyncHdr.
        if (st.cmd_ref == "0") != (st.cmd == "SyncHdr"):
            self.report(
                "DM211",
                f"Status has CmdRef {st.cmd_ref!r} with Cmd {st.cmd!r};"
                " expected CmdRef 0 exactly with Cmd SyncHdr",
                path,
            )
        # OMA-TS-DM_RepPro 4.1.5.1: "A Status MUST NOT be sent for Results when the code
        # would be 200".
        if st.cmd == "Results" and int(st.data) == 200:
            self.report("DM256", "Status 200 for Results; expected no Status at all", path)

    def results(self, res: model.Results, path: str) -> None:
        # [MS-MDM] 2.2.7.8: a missing MsgRef means "1"; CmdRef names the Get.
        if not res.cmd_ref:
            self.report("DM212", "Results has an empty CmdRef; expected the Get's CmdID", path)
        elif not res.cmd_ref.isdigit():
            self.report(
                "DM205", f"CmdRef {res.cmd_ref!r} is not a decimal integer", f"{path}/CmdRef"
            )
        if res.msg_ref is not None and not _positive(res.msg_ref):
            self.report(
                "DM204", f"MsgRef {res.msg_ref!r} is not a positive integer", f"{path}/MsgRef"
            )

    def alert(self, al: model.Alert, path: str) -> None:
        if al.data is None:
            return
        code = int(al.data)
        # OMA-TS-DM_RepPro 4.2: "Only the alert codes listed in this section are valid in OMA DM".
        if code not in DM_ALERT_CODES:
            self.report(
                "DM214",
                f"alert code {code} is not an OMA DM alert (1100-1104, 1200, 1201, 1222-1226)",
                f"{path}/Data",
            )
        elif 1100 <= code <= 1104:
            # Learn 'OMA DM protocol support': UI alerts are unsupported.
            self.report("DM215", f"UI alert {code} is not supported by Windows", f"{path}/Data")
        elif code in (1224, 1226):
            # OMA-TS-DM_Protocol 2.3.7: Item, its Meta Type and Format, and Data are REQUIRED.
            rule = "DM216" if code == 1226 else "DM217"
            if not al.items:
                self.report(rule, f"alert {code} has no Item; expected one Item per alert", path)
            for item, here in child_paths(path, al.items):
                meta = item.meta
                missing = [
                    n
                    for n, v in (
                        ("Meta Type", meta.type if meta else None),
                        ("Meta Format", meta.format if meta else None),
                        ("Data", item.data),
                    )
                    if v is None or not str(v).strip()
                ]
                if missing:
                    self.report(
                        rule,
                        f"alert {code} Item lacks {', '.join(missing)};"
                        " expected Meta Type, Meta Format and Data",
                        here,
                    )

    def items(self, items: tuple[model.Item, ...], path: str) -> None:
        item = self.item
        for k, it in enumerate(items):
            item(it, f"{path}/Item[{k + 1}]")

    def item(self, it: model.Item, path: str) -> None:
        target, source, meta = it.target, it.source, it.meta
        if target is not None and (p := _uri_problem(target.loc_uri)) is not None:
            self._uri(target.loc_uri, p, f"{path}/Target/LocURI")
        if source is not None and (p := _uri_problem(source.loc_uri)) is not None:
            self._uri(source.loc_uri, p, f"{path}/Source/LocURI")
        if meta is not None:
            self.meta(meta, f"{path}/Meta")

    def _uri(self, uri: str, problem: str, path: str) -> None:
        # Learn 'Structure of OMA DM provisioning files': "LocURI must not start with /. In
        # SyncBody, . is a valid segment only as the first segment"; node names "may not be
        # empty" (Learn 'OMA DM protocol support').
        self.report("DM224", f"LocURI {uri[:80]!r} {problem}; expected ./Segment/Segment", path)

    def meta(self, meta: model.Meta, path: str) -> None:
        fmt = meta.format
        # OMA-SUP-DTD_SyncML_MetaInfo-V1_2 Format values plus the OMA-TS-DM_TND node formats.
        if fmt is not None and fmt not in METINF_FORMATS:
            self.report(
                "S121",
                f"Format {fmt!r} is not a MetInf format; expected one of"
                f" {', '.join(sorted(METINF_FORMATS))}",
                f"{path}/Format",
            )
        # OMA-SUP-DTD_SyncML_MetaInfo-V1_2, OMA-TS-DM_Protocol 2.2: byte counts.
        for name, value in (
            ("MaxMsgSize", meta.max_msg_size),
            ("MaxObjSize", meta.max_obj_size),
            ("Size", meta.size),
        ):
            if value is not None and not (value.isdigit() and value.isascii()):
                self.report(
                    "DM223", f"{name} {value[:40]!r} is not a decimal byte count", f"{path}/{name}"
                )


def _positive(text: str) -> bool:
    return text.isdigit() and text.isascii() and int(text) > 0


# --- layer 2 with a request: Status / Results matching ([MS-MDM] 2.2.6.1) ---------------------


def _request_commands(msg: model.SyncML) -> list[tuple[str, str, int]]:
    """(CmdID, element name, no_resp) of every request command, nested ones included."""
    out: list[tuple[str, str, int]] = []

    def walk(cmds: Iterable[Any]) -> None:
        for c in cmds:
            out.append((c.cmd_id, c.XML_NAME, int(bool(getattr(c, "no_resp", False)))))
            if c.XML_NAME in ("Atomic", "Sequence"):
                walk(c.commands)

    walk(msg.sync_body.commands)
    return out


def match_request(response: model.SyncML, request: model.SyncML, check: Checker, path: str) -> None:
    req_msg = request.sync_hdr.msg_id
    req_cmds = _request_commands(request)
    index = {cid: (i, name) for i, (cid, name, _) in enumerate(req_cmds)}
    answered: dict[tuple[str, tuple[str, ...], tuple[str, ...]], str] = {}
    statused: set[str] = set()
    last_index = -1
    body = response.sync_body.commands
    for cmd, here in child_paths(path, body):
        if not isinstance(cmd, (model.Status, model.Results)):
            continue
        name = cmd.XML_NAME
        msg_ref = cmd.msg_ref if cmd.msg_ref is not None else "1"  # [MS-MDM] 2.2.7.8
        if msg_ref != req_msg:
            check.report(
                "DM250",
                f"{name} refers to MsgRef {msg_ref!r}; expected the request's MsgID {req_msg!r}",
                f"{here}/MsgRef",
            )
            continue
        if name == "Status" and cmd.cmd_ref == "0":
            key: tuple[str, tuple[str, ...], tuple[str, ...]] = ("0", (), ())
            if key in answered:
                check.report("DM251", "SyncHdr is answered twice; expected one Status", here)
            answered[key] = here
            statused.add("0")
            continue
        found = index.get(cmd.cmd_ref)
        if found is None:
            check.report(
                "DM250",
                f"{name} refers to CmdRef {cmd.cmd_ref!r}, which is no command of the request",
                f"{here}/CmdRef",
            )
            continue
        i, req_name = found
        if name == "Results":
            # OMA-TS-DM_RepPro 4.1.6.12: "Results come after the Status of the same command".
            if req_name != "Get":
                check.report(
                    "DM253", f"Results for {req_name}; expected Results only for Get", here
                )
            elif cmd.cmd_ref not in statused:
                check.report(
                    "DM255",
                    f"Results for CmdRef {cmd.cmd_ref} comes before its Status",
                    here,
                )
            continue
        if not isinstance(cmd, model.Status):
            continue
        if cmd.cmd != req_name:
            check.report(
                "DM253",
                f"Status Cmd is {cmd.cmd!r} but CmdRef {cmd.cmd_ref} is a {req_name}",
                f"{here}/Cmd",
            )
        key = (cmd.cmd_ref, tuple(cmd.target_ref), tuple(cmd.source_ref))
        if key in answered:
            check.report(
                "DM251",
                f"CmdRef {cmd.cmd_ref} is answered twice; expected exactly one Status per command",
                here,
            )
        answered[key] = here
        # OMA-TS-DM_RepPro 4.1.5.1: exactly one Status per command, in request order.
        if i < last_index:
            check.report(
                "DM254",
                f"Status for CmdRef {cmd.cmd_ref} is out of request order",
                here,
            )
        last_index = max(last_index, i)
        statused.add(cmd.cmd_ref)
    # The client must Status every server command; not Results, Status, or NoResp.
    if "0" not in statused:
        check.report("DM252", "no Status for the request's SyncHdr; expected it first", path)
    for cid, name, no_resp in req_cmds:
        if name in ("Status", "Results") or no_resp or cid in statused:
            continue
        check.report("DM252", f"no Status for the request's {name} (CmdID {cid!r})", path)
