"""validate(): each rule fails on a bad example and passes on a good one; corpus and seed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from syncml_codec import PROFILES, RULES, model, validate, validate_or_raise
from syncml_codec.auth import AUTH_RULES
from syncml_codec.codes import AlertCode, StatusCode
from syncml_codec.csp import CSP_RULES
from syncml_codec.errors import SchemaInvalid
from syncml_codec.packing import PACKING_RULES
from syncml_codec.serialize import serialize

DATA = Path(__file__).parent / "data"
OMA = DATA / "corpus" / "oma-spec"
RICH = DATA / "validate" / "rich-valid.xml"

HDR = """<SyncHdr><VerDTD>{ver_dtd}</VerDTD><VerProto>{ver_proto}</VerProto>
<SessionID>{sid}</SessionID><MsgID>{msg_id}</MsgID>
<Target><LocURI>https://mdm.example.com/omadm</LocURI></Target>
<Source><LocURI>urn:uuid:1</LocURI></Source>{hdr_extra}</SyncHdr>"""


def msg(body: str, **kw: str) -> bytes:
    """A message around ``body`` (the SyncBody content, Final added)."""
    values = {
        "ns": "SYNCML:SYNCML1.2",
        "ver_dtd": "1.2",
        "ver_proto": "DM/1.2",
        "sid": "1",
        "msg_id": "1",
        "hdr_extra": "",
        **kw,
    }
    hdr = HDR.format(**values)
    return (
        f'<SyncML xmlns="{values["ns"]}">{hdr}<SyncBody>{body}<Final/></SyncBody></SyncML>'.encode()
    )


def codes(data: bytes | str, profile: str = "oma", **kw: object) -> list[str]:
    return [d.code for d in validate(data, profile=profile, **kw)]  # type: ignore[arg-type]


def errors(data: bytes, profile: str = "oma", **kw: object) -> list[str]:
    diags = validate(data, profile=profile, **kw)  # type: ignore[arg-type]
    return [d.code for d in diags if d.severity == "error"]


def item(uri: str = "./Vendor/MSFT/A", data: str = "1", meta: str = "") -> str:
    return f"<Item><Target><LocURI>{uri}</LocURI></Target>{meta}<Data>{data}</Data></Item>"


def replace(cid: str = "2", *, items: str | None = None, extra: str = "") -> str:
    return f"<Replace><CmdID>{cid}</CmdID>{extra}{item() if items is None else items}</Replace>"


def status(cid: str, cmd_ref: str, cmd: str, code: str = "200", msg_ref: str = "1") -> str:
    return (
        f"<Status><CmdID>{cid}</CmdID><MsgRef>{msg_ref}</MsgRef><CmdRef>{cmd_ref}</CmdRef>"
        f"<Cmd>{cmd}</Cmd><Data>{code}</Data></Status>"
    )


def alert(cid: str, code: str, items: str = "") -> str:
    return f"<Alert><CmdID>{cid}</CmdID><Data>{code}</Data>{items}</Alert>"


def meta(*parts: tuple[str, str]) -> str:
    inner = "".join(f'<{n} xmlns="syncml:metinf">{v}</{n}>' for n, v in parts)
    return f"<Meta>{inner}</Meta>"


GOOD = msg(replace())


def test_good_message_is_clean_in_both_profiles() -> None:
    for profile in PROFILES:
        assert validate(GOOD, profile=profile) == []


def test_rich_message_is_valid_in_both_profiles() -> None:
    data = RICH.read_bytes()
    assert validate(data) == []
    assert errors(data, "windows") == []
    # Alert and Sequence are outside MS-MDM 2.2.4.3's list, which the spec calls incomplete
    assert codes(data, "windows") == []


def test_every_rule_has_a_summary_and_citation() -> None:
    for code, rule in RULES.items():
        assert rule.code == code
        assert rule.summary
        assert rule.cite
        assert rule.layer in (1, 2, 3)
        assert rule.oma or rule.windows


# --- one failing and one passing example per rule ---------------------------------------------

GEN_ITEM = "<Item>{meta}<Data>1</Data></Item>"
CASES: list[tuple[str, str, bytes, bytes]] = [
    # (code, profile, failing, passing)
    ("XML001", "oma", b"<SyncML><SyncHdr></SyncML>", GOOD),
    ("XML002", "oma", b'<!DOCTYPE SyncML SYSTEM "x.dtd">' + GOOD, GOOD),
    ("S101", "oma", GOOD.replace(b"SYNCML:SYNCML1.2", b"syncml:syncml1.2"), GOOD),
    (
        "S101",
        "oma",
        msg(replace(items=item(meta='<Meta><Format xmlns="syncml:metinfo">chr</Format></Meta>'))),
        msg(replace(items=item(meta=meta(("Format", "chr"))))),
    ),
    ("S102", "oma", msg("<Replace><Item><Data>1</Data></Item><CmdID>2</CmdID></Replace>"), GOOD),
    ("S103", "oma", msg(status("2", "0", "SyncHdr", " 200 ")), msg(status("2", "0", "SyncHdr"))),
    ("S104", "oma", msg(replace(extra="<Bogus/>")), GOOD),
    ("S104", "oma", msg("<Put><CmdID>2</CmdID></Put>" + replace("3")), GOOD),
    (
        "S104",
        "oma",
        msg(f"<Atomic><CmdID>2</CmdID>{status('3', '0', 'SyncHdr')}</Atomic>"),
        msg(f"<Atomic><CmdID>2</CmdID>{replace('3')}</Atomic>"),
    ),
    ("S105", "oma", msg(f"<Replace>{item()}</Replace>"), GOOD),
    ("S105", "oma", GOOD.replace(b"<VerDTD>1.2</VerDTD>", b""), GOOD),
    (
        "S106",
        "oma",
        msg(replace(items=item().replace("<Data>1</Data>", "<Data>1</Data><Data>2</Data>"))),
        GOOD,
    ),
    (
        "S106",
        "oma",
        msg(f"<Exec><CmdID>2</CmdID>{item()}{item()}</Exec>"),
        msg(f"<Exec><CmdID>2</CmdID>{item()}</Exec>"),
    ),
    ("S107", "oma", msg(replace(extra="stray text")), GOOD),
    (
        "S108",
        "oma",
        msg(
            replace(
                items=item(
                    meta='<Meta><MetInf xmlns="syncml:metinf"><Format>chr</Format></MetInf></Meta>'
                )
            )
        ),
        msg(replace(items=item(meta=meta(("Format", "chr"))))),
    ),
    ("S110", "oma", msg(replace()).replace(b"<Replace>", b'<Replace id="1">'), GOOD),
    (
        "S116",
        "oma",
        msg(replace(items=item(meta='<Meta><Type xmlns="syncml:metinf"><?x y?>a/b</Type></Meta>'))),
        msg(replace(items=item(meta=meta(("Type", "a/b"))))),
    ),
    (
        "S117",
        "windows",
        msg(
            replace(
                items=f"<Item>{meta(('Format', 'chr'))}<Target><LocURI>./a</LocURI></Target>"
                "<Data>1</Data></Item>"
            )
        ),
        msg(replace(items=item(meta=meta(("Format", "chr"))))),
    ),
    (
        "S118",
        "windows",
        msg(replace(items=item(meta="<Meta><Format>chr</Format></Meta>"))),
        msg(replace(items=item(meta=meta(("Format", "chr"))))),
    ),
    ("S113", "oma", msg(replace(items=item(uri=" ./Vendor/MSFT/A "))), GOOD),
    (
        "S114",
        "oma",
        msg(replace(items=item(meta=meta(("Format", "chr"), ("Format", "int"))))),
        msg(replace(items=item(meta=meta(("Format", "chr"))))),
    ),
    (
        "S115",
        "oma",
        b"<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>",
        b'<Alert xmlns="SYNCML:SYNCML1.2"><CmdID>1</CmdID><Data>1201</Data></Alert>',
    ),
    ("S120", "oma", msg("<Replace><CmdID>2</CmdID></Replace>"), GOOD),
    (
        "S120",
        "oma",
        msg("<Atomic><CmdID>2</CmdID></Atomic>"),
        msg(f"<Atomic><CmdID>2</CmdID>{replace('3')}</Atomic>"),
    ),
    ("S120", "oma", msg(""), GOOD),
    (
        "S121",
        "oma",
        msg(replace(items=item(meta=meta(("Format", "text"))))),
        msg(replace(items=item(meta=meta(("Format", "node"))))),
    ),
    ("DM201", "oma", msg(replace(cid="")), GOOD),
    ("DM202", "oma", msg(replace("2") + replace("2")), msg(replace("2") + replace("3"))),
    (
        "DM202",
        "oma",
        msg(f"<Atomic><CmdID>2</CmdID>{replace('2')}</Atomic>"),
        msg(f"<Atomic><CmdID>2</CmdID>{replace('3')}</Atomic>"),
    ),
    ("DM203", "oma", msg(replace("0")), GOOD),
    ("DM204", "oma", msg(replace(), msg_id="x"), GOOD),
    (
        "DM204",
        "oma",
        msg(status("2", "3", "Replace", msg_ref="0")),
        msg(status("2", "3", "Replace")),
    ),
    ("DM205", "oma", msg(replace("$CmdID$")), GOOD),
    ("DM206", "oma", msg(replace(), sid=""), GOOD),
    ("DM207", "windows", msg(replace(), sid="12345"), msg(replace(), sid="1234")),
    ("DM208", "oma", msg(replace(), ver_proto="DM/1.1"), GOOD),
    ("DM208", "oma", msg(replace(), ver_dtd="2.0"), GOOD),
    (
        "DM209",
        "oma",
        msg(replace(), ns="SYNCML:SYNCML1.1"),
        msg(replace(), ns="SYNCML:SYNCML1.1", ver_dtd="1.1", ver_proto="DM/1.1"),
    ),
    (
        "DM210",
        "oma",
        msg(status("2", "3", "Replace") + status("3", "0", "SyncHdr")),
        msg(status("3", "0", "SyncHdr") + status("2", "3", "Replace")),
    ),
    ("DM211", "oma", msg(status("2", "0", "Replace")), msg(status("2", "0", "SyncHdr"))),
    ("DM211", "oma", msg(status("2", "4", "SyncHdr")), msg(status("2", "4", "Get"))),
    ("DM212", "oma", msg(status("2", "", "Get")), msg(status("2", "4", "Get"))),
    (
        "DM212",
        "oma",
        msg(f"<Results><CmdID>2</CmdID><CmdRef></CmdRef>{item()}</Results>"),
        msg(f"<Results><CmdID>2</CmdID><CmdRef>4</CmdRef>{item()}</Results>"),
    ),
    (
        "DM213",
        "oma",
        msg(replace(extra="<Cred><Data>eA==</Data></Cred>")),
        msg(replace(), hdr_extra="<Cred><Data>eA==</Data></Cred>"),
    ),
    ("DM214", "oma", msg(alert("2", "201")), msg(alert("2", "1201"))),
    ("DM215", "windows", msg(alert("2", "1101", item())), msg(alert("2", "1201"))),
    (
        "DM216",
        "oma",
        msg(alert("2", "1226", GEN_ITEM.format(meta=meta(("Type", "com.example.x"))))),
        msg(
            alert(
                "2",
                "1226",
                GEN_ITEM.format(meta=meta(("Type", "com.example.x"), ("Format", "int"))),
            )
        ),
    ),
    ("DM216", "oma", msg(alert("2", "1226")), msg(alert("2", "1201"))),
    (
        "DM217",
        "oma",
        msg(alert("2", "1224", GEN_ITEM.format(meta=""))),
        msg(
            alert(
                "2",
                "1224",
                GEN_ITEM.format(
                    meta=meta(("Type", "com.microsoft/MDM/LoginStatus"), ("Format", "chr"))
                ),
            )
        ),
    ),
    (
        "DM220",
        "oma",
        msg(f"<Atomic><CmdID>2</CmdID><Get><CmdID>3</CmdID>{item()}</Get></Atomic>"),
        msg(f"<Atomic><CmdID>2</CmdID>{replace('3')}</Atomic>"),
    ),
    (
        "DM220",
        "windows",
        msg(f"<Atomic><CmdID>2</CmdID><Atomic><CmdID>3</CmdID>{replace('4')}</Atomic></Atomic>"),
        msg(f"<Atomic><CmdID>2</CmdID>{replace('4')}</Atomic>"),
    ),
    (
        "DM221",
        "oma",
        msg(
            f"<Sequence><CmdID>2</CmdID><Atomic><CmdID>3</CmdID>{replace('4')}</Atomic></Sequence>"
        ),
        msg(f"<Sequence><CmdID>2</CmdID>{replace('4')}</Sequence>"),
    ),
    (
        "DM223",
        "oma",
        msg(replace(), hdr_extra=meta(("MaxMsgSize", "10k"))),
        msg(replace(), hdr_extra=meta(("MaxMsgSize", "10000"))),
    ),
    (
        "DM223",
        "oma",
        msg(replace(items=item(meta=meta(("Size", "-1"))))),
        msg(replace(items=item(meta=meta(("Size", "1"))))),
    ),
    ("DM224", "oma", msg(replace(items=item(uri="/Vendor/MSFT/A"))), GOOD),
    ("DM224", "oma", msg(replace(items=item(uri="./Vendor/MSFT/Registry/HKLM/./Test"))), GOOD),
    (
        "DM224",
        "oma",
        msg(replace(items=item(uri="./Vendor//MSFT"))),
        msg(replace(items=item(uri="./Vendor/MSFT/A?list=StructData"))),
    ),
    ("DM230", "windows", msg(f"<Copy><CmdID>2</CmdID>{item()}</Copy>"), GOOD),
    (
        "DM232",
        "windows",
        msg(f"<Exec><CmdID>2</CmdID><Correlator>c1</Correlator>{item()}</Exec>"),
        msg(f"<Exec><CmdID>2</CmdID>{item()}</Exec>"),
    ),
    ("DM233", "windows", msg(replace(extra="<NoResp/>")), GOOD),
    (
        "DM256",
        "oma",
        msg(status("2", "4", "Results", "200")),
        msg(status("2", "4", "Results", "404")),
    ),
]


@pytest.mark.parametrize(
    ("code", "profile", "bad", "good"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_rule_fails_and_passes(code: str, profile: str, bad: bytes, good: bytes) -> None:
    found = validate(bad, profile=profile)  # type: ignore[arg-type]
    assert code in [d.code for d in found], found
    assert code not in codes(good, profile)
    hit = next(d for d in found if d.code == code)
    if not bad.startswith(b"<SyncML><SyncHdr></SyncML>"):
        assert hit.line > 0
        assert hit.column > 0
    assert hit.message


def test_every_rule_is_exercised() -> None:
    tested = {c[0] for c in CASES} | {"DM250", "DM251", "DM252", "DM253", "DM254", "DM255"}
    # the rule families beside their features have their own both-ways tests:
    # tests/test_auth_rules.py, tests/test_packing_rules.py, tests/test_csp_rules.py
    tested |= {r.code for r in (*AUTH_RULES, *PACKING_RULES, *CSP_RULES)}
    # WBXML-only S119: tests/test_rule_docs.py validates its bad and good WBXML examples
    untested = set(RULES) - tested - {"LIMIT", "XSD001", "S100", "S111", "S119"}
    assert not untested


def test_limit_and_schema_codes() -> None:
    from syncml_codec.limits import Limits

    assert errors(GOOD, limits=Limits(max_depth=3)) == ["LIMIT"]
    assert "XSD001" in errors(msg(replace(extra="<Bogus/>")), schema=True)
    assert validate(GOOD, schema=True) == []


def test_windows_allowances_and_profile_differences() -> None:
    # Results with Cmd is Windows' shape and in the schema.
    res = msg(
        f"<Results><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>4</CmdRef><Cmd>Get</Cmd>{item()}</Results>"
    )
    assert errors(res) == errors(res, "windows") == []
    # UI alerts, Copy and Correlator are fine for OMA, not for Windows.
    for body in (
        alert("2", "1101", item()),
        f"<Copy><CmdID>2</CmdID>{item()}</Copy>",
        f"<Exec><CmdID>2</CmdID><Correlator>c</Correlator>{item()}</Exec>",
    ):
        assert errors(msg(body)) == []
        assert errors(msg(body), "windows") != []
    # Exec inside Atomic: Windows' model lists it; DM does not.
    atomic_exec = msg(f"<Atomic><CmdID>2</CmdID><Exec><CmdID>3</CmdID>{item()}</Exec></Atomic>")
    assert errors(atomic_exec) == ["DM220"]
    assert errors(atomic_exec, "windows") == []
    with pytest.raises(ValueError, match="profile"):
        validate(GOOD, profile="ios")  # type: ignore[arg-type]


# --- request / response matching (§4.2) -------------------------------------------------------

REQUEST = msg(
    replace("2") + f"<Get><CmdID>3</CmdID>{item()}</Get>"
    f"<Atomic><CmdID>4</CmdID>{replace('5')}</Atomic>",
    msg_id="1",
)


def response(*commands: str) -> bytes:
    return msg("".join(commands), msg_id="1")


OK_RESPONSE = response(
    status("1", "0", "SyncHdr"),
    status("2", "2", "Replace"),
    status("3", "3", "Get"),
    f"<Results><CmdID>4</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef>{item()}</Results>",
    status("5", "4", "Atomic"),
    status("6", "5", "Replace"),
)


def test_response_matching_request_is_clean() -> None:
    assert validate(OK_RESPONSE, request=REQUEST) == []
    from syncml_codec.parse import parse

    assert validate(OK_RESPONSE, request=parse(REQUEST)) == []


@pytest.mark.parametrize(
    ("code", "commands"),
    [
        ("DM250", [status("1", "0", "SyncHdr"), status("2", "9", "Replace")]),
        ("DM250", [status("1", "0", "SyncHdr"), status("2", "2", "Replace", msg_ref="7")]),
        (
            "DM251",
            [status("1", "0", "SyncHdr"), status("2", "2", "Replace"), status("3", "2", "Replace")],
        ),
        ("DM252", [status("1", "0", "SyncHdr"), status("2", "2", "Replace")]),
        ("DM252", [status("2", "2", "Replace")]),
        ("DM253", [status("1", "0", "SyncHdr"), status("2", "2", "Get")]),
        (
            "DM254",
            [status("1", "0", "SyncHdr"), status("2", "3", "Get"), status("3", "2", "Replace")],
        ),
        (
            "DM255",
            [
                status("1", "0", "SyncHdr"),
                f"<Results><CmdID>2</CmdID><CmdRef>3</CmdRef>{item()}</Results>",
                status("3", "3", "Get"),
            ],
        ),
    ],
)
def test_response_rules(code: str, commands: list[str]) -> None:
    assert code in errors(response(*commands), request=REQUEST)


# --- corpus verdicts (oma-spec README, "Strict" column; layer 1) ------------------------------

STRICT = {
    "oma-dmpro-2-6-1-1-pkg1-client-init-cred-maxmsgsize.xml": True,  # valid
    "oma-dmpro-2-6-1-2-pkg2-server-status-sequence-confirm.xml": False,  # Status order
    "oma-dmpro-2-6-2-3-pkg3-status-results-no-cmdref.xml": False,  # no CmdRef, order
    "oma-dmpro-2-3-7-1-generic-alert-basic-design.xml": False,  # not well-formed
    "oma-dmpro-2-4-4-1-pkg2-basic-auth-challenge-407.xml": False,  # not well-formed
    "oma-dmpro-2-5-2-2-confirm-alert-1101.xml": True,  # fragment, valid
}


@pytest.mark.parametrize("name", sorted(STRICT))
def test_corpus_strict_column(name: str) -> None:
    diags = validate(OMA / name)
    structural = [d for d in diags if d.severity == "error" and RULES[d.code].layer == 1]
    assert (not structural) is STRICT[name], structural


def test_corpus_specific_findings() -> None:
    pkg2 = validate(OMA / "oma-dmpro-2-6-1-2-pkg2-server-status-sequence-confirm.xml")
    # S102: Status children out of order; DM269: its Cred Data is only a comment
    assert {d.code for d in pkg2 if d.severity == "error"} == {"S102", "DM269"}
    assert {(d.code, d.line) for d in pkg2 if d.code == "S113"} == {("S113", 57)}
    pkg3 = validate(OMA / "oma-dmpro-2-6-2-3-pkg3-status-results-no-cmdref.xml")
    assert "S105" in [d.code for d in pkg3]
    challenge = validate(OMA / "oma-dmpro-2-4-4-1-pkg2-basic-auth-challenge-407.xml")
    assert [(d.code, d.line) for d in challenge] == [("XML001", 19)]
    # A repaired challenge (straight quotes) is valid, as the README says.
    repaired = (OMA / "oma-dmpro-2-4-4-1-pkg2-basic-auth-challenge-407.xml").read_text("utf-8")
    repaired = repaired.replace("\u2019", "'").replace("...", "")
    assert errors(repaired.encode()) == []


def test_sorted_by_position() -> None:
    diags = validate(OMA / "oma-dmpro-2-6-2-3-pkg3-status-results-no-cmdref.xml")
    positions = [(d.line, d.column) for d in diags if d.line]
    assert positions == sorted(positions)


# --- messages built from the model ------------------------------------------------------------


def _hdr(msg_id: str = "1") -> model.SyncHdr:
    return model.SyncHdr(
        session_id="1",
        msg_id=msg_id,
        target=model.Target(loc_uri="https://mdm.example.com/omadm"),
        source=model.Source(loc_uri="urn:uuid:1"),
    )


def _item(uri: str = "./Vendor/MSFT/A") -> model.Item:
    return model.Item(target=model.Target(loc_uri=uri), data="1")


def built_commands() -> dict[str, model.Command]:
    return {
        "Add": model.Add(cmd_id="2", items=(_item(),)),
        "Alert": model.Alert(cmd_id="2", data=AlertCode(1201)),
        "Atomic": model.Atomic(cmd_id="2", commands=(model.Replace(cmd_id="3", items=(_item(),)),)),
        "Copy": model.Copy(cmd_id="2", items=(_item(),)),
        "Delete": model.Delete(cmd_id="2", items=(_item(),)),
        "Exec": model.Exec(cmd_id="2", items=(_item(),)),
        "Get": model.Get(
            cmd_id="2", items=(model.Item(target=model.Target(loc_uri="./DevDetail/SwV")),)
        ),
        "Replace": model.Replace(cmd_id="2", items=(_item(),)),
        "Results": model.Results(
            cmd_id="2",
            msg_ref="1",
            cmd_ref="3",
            items=(model.Item(source=model.Source(loc_uri="./DevDetail/SwV"), data="1.0"),),
        ),
        "Sequence": model.Sequence(cmd_id="2", commands=(model.Get(cmd_id="3", items=(_item(),)),)),
        "Status": model.Status(
            cmd_id="2", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data=StatusCode(200)
        ),
    }


WINDOWS_UNSUPPORTED = {"Copy"}  # Alert and Sequence pass: MS-MDM's list is incomplete (1.2)


@pytest.mark.parametrize("name", sorted(built_commands()))
@pytest.mark.parametrize("profile", PROFILES)
def test_model_built_commands_validate(name: str, profile: str) -> None:
    message = model.SyncML(
        sync_hdr=_hdr(), sync_body=model.SyncBody(commands=(built_commands()[name],), final=True)
    )
    diags = validate(serialize(message), profile=profile)  # type: ignore[arg-type]
    if profile == "windows" and name in WINDOWS_UNSUPPORTED:
        assert [d.code for d in diags] == ["DM230"]
    else:
        assert diags == []


# --- the seed: Japanese unenrollment page, two samples ---------------------------------------


def seed_package() -> str:
    text = (DATA / "seed" / "unenrollment-ja.txt").read_text("utf-8")
    sample = re.search(r"<SyncML.*?</SyncML>", text, re.S)
    assert sample is not None
    return sample.group(0).replace("&#39;", "'").replace("syncml:metinfo", "syncml:metinf")


def test_seed_package_has_the_duplicate_cmdid() -> None:
    diags = validate(seed_package().encode())
    errs = [d for d in diags if d.severity == "error"]
    # The placeholder Item ("...") is text in element-only content, as the schema says too.
    assert [d.code for d in errs] == ["DM202", "S107"]
    dup = errs[0]
    assert "CmdID '2'" in dup.message
    assert dup.xpath == "/SyncML/SyncBody/Replace[1]/CmdID"
    assert dup.line > 0


def test_seed_package_without_placeholder_has_only_the_duplicate_cmdid() -> None:
    package = re.sub(r"<Item>\s*\.\.\.\s*</Item>", "", seed_package())
    diags = validate(package.encode())
    assert [d.code for d in diags if d.severity == "error"] == ["DM202"]
    # The leading space in the Type is trimmed with a warning (spec §4.7: "match after trimming").
    assert [d.code for d in diags if d.severity == "warning"] == ["S113"]


# --- entry points -----------------------------------------------------------------------------


def test_sources_path_str_file(tmp_path: Path) -> None:
    bad = msg(replace("0"))
    path = tmp_path / "m.xml"
    path.write_bytes(bad)
    assert codes(bad) == codes(bad.decode()) == [d.code for d in validate(path)]
    with path.open("rb") as fh:
        assert [d.code for d in validate(fh)] == ["DM203"]


def test_validate_or_raise() -> None:
    assert validate_or_raise(GOOD) == []
    with pytest.raises(SchemaInvalid) as info:
        validate_or_raise(msg(replace("0")))
    assert [d.code for d in info.value.diagnostics] == ["DM203"]  # type: ignore[attr-defined]
    assert "DM203" in str(info.value)


def test_decode_errors_become_diagnostics() -> None:
    assert errors(b"") == ["XML001"]
    assert errors(b"<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr/></SyncML>")[0] in ("S105", "S100")
    assert errors(b"<DevInf xmlns='syncml:devinf'/>") == ["S104"]
    assert errors(msg(status("2", "0", "SyncHdr", "abc"))) == ["S100"]


def test_position_rescans_share_one_hardened_scanner() -> None:
    """The validator's and the XSD mapper's second passes (``_expat.scan_elements``): 1-based
    positions, early stop, and a DOCTYPE or entity refused at its position when asked."""
    from xml.parsers import expat

    from syncml_codec._expat import StopScan, scan_elements
    from syncml_codec.errors import ForbiddenConstruct

    seen: list[tuple[str, int, int]] = []

    def start(name: str, _attrs: object, line: int, column: int) -> None:
        seen.append((name, line, column))
        if name == "b":
            raise StopScan

    scan_elements(b"<a>\n  <b/><c/></a>", start)
    assert seen == [("a", 1, 1), ("b", 2, 3)]

    names: list[str] = []
    scan_elements(b'<a xmlns="urn:x"/>', lambda n, *_: names.append(n), namespaces=True)
    assert names == ["urn:x}a"]

    dtd = b'<!DOCTYPE a [<!ENTITY e "x">]>\n<a>&e;</a>'
    with pytest.raises(ForbiddenConstruct) as info:
        scan_elements(dtd, lambda *_: None, refuse_dtd=True)
    assert info.value.line == 1
    scan_elements(b"<!DOCTYPE a>\n<a/>", lambda *_: None)  # passed over when not refused
    with pytest.raises(expat.ExpatError):
        scan_elements(b"<a>", lambda *_: None)
