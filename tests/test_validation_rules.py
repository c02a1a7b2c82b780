"""The validation wing's rules: one verdict and one path form from both structural validators,
the windows relaxations, case hints, select/ignore, the rule-checker hook, and the checks the
mutation audit found unguarded (duplicate CmdIDs across containers, a trailing '/' in LocURI).
"""

from __future__ import annotations

import pytest

from syncml_codec import RULES, validate
from syncml_codec._validate import core

HDR = (
    "<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID>"
    "<MsgID>1</MsgID><Target><LocURI>x</LocURI></Target><Source><LocURI>y</LocURI></Source>"
    "</SyncHdr>"
)
TARGET = "<Target><LocURI>./Vendor/MSFT/A</LocURI></Target>"


def msg(body: str) -> bytes:
    return (
        f'<SyncML xmlns="SYNCML:SYNCML1.2">{HDR}<SyncBody>{body}<Final/></SyncBody></SyncML>'
    ).encode()


def replace(cid: str, item: str = f"<Item>{TARGET}<Data>1</Data></Item>") -> str:
    return f"<Replace><CmdID>{cid}</CmdID>{item}</Replace>"


def invalid(data: bytes, **kw: object) -> bool:
    return any(d.severity == "error" for d in validate(data, **kw))  # type: ignore[arg-type]


# --- issue 13 item 6: both validators give the same verdict ----------------------------------

AGREE = [
    # (name, input, valid): the decision is documented in RULES[...].note
    (
        "EM SPACE in Item is text, not XML white space (S107)",
        msg(replace("2", f"<Item>\u2003{TARGET}<Data>1</Data></Item>")),
        False,
    ),
    (
        "a PI inside Meta/Type is not content (S116 warning)",
        msg(
            replace(
                "2",
                f'<Item>{TARGET}<Meta><Type xmlns="syncml:metinf"><?x y?>a/b</Type></Meta>'
                "<Data>1</Data></Item>",
            )
        ),
        True,
    ),
    (
        "explicit SYNCML:SYNCML1.2 inside a namespace-less fragment (S101 note)",
        f'<Replace><CmdID>2</CmdID><Item xmlns="SYNCML:SYNCML1.2">{TARGET}<Data>1</Data></Item>'
        "</Replace>".encode(),
        True,
    ),
    (
        "Item inside Item is not in the Item model (S104)",
        msg(replace("2", f"<Item><Item>{TARGET}</Item>{TARGET}<Data>1</Data></Item>")),
        False,
    ),
]


@pytest.mark.parametrize(("name", "data", "valid"), AGREE, ids=[a[0][:30] for a in AGREE])
@pytest.mark.parametrize("profile", ["oma", "windows"])
def test_both_validators_agree(name: str, data: bytes, valid: bool, profile: str) -> None:
    for schema in (False, True):
        assert invalid(data, schema=schema, profile=profile) is not valid, (schema, name)


def test_pi_is_reported_by_both_as_a_warning() -> None:
    data = AGREE[1][1]
    for schema in (False, True):
        assert [(d.code, d.severity) for d in validate(data, schema=schema)] == [
            ("S116", "warning")
        ]


# --- issue 12: one path form from both validators --------------------------------------------

FAULTS = [
    # an unknown element in the second command's Item
    msg(replace("2") + replace("3", f"<Item>{TARGET}<Bogus/><Data>1</Data></Item>")),
    # out of DTD order inside the first Item of the second Replace
    msg(replace("2") + replace("3", f"<Item><Data>1</Data>{TARGET}</Item>")),
    # an attribute where the DTD has none, in the second of two Statuses' Data
    msg(
        "<Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
        "<Data>200</Data></Status><Status><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>4</CmdRef>"
        '<Cmd>Get</Cmd><Data x="1">200</Data></Status>'
    ),
    # a MetInf element in the wrong namespace
    msg(
        replace(
            "2",
            f'<Item>{TARGET}<Meta><Format xmlns="syncml:metinfo">chr</Format></Meta>'
            "<Data>1</Data></Item>",
        )
    ),
    # text in element-only content of the second Item
    msg(replace("2", f"<Item>{TARGET}</Item><Item>stray{TARGET}</Item>")),
]


@pytest.mark.parametrize("data", FAULTS, ids=range(len(FAULTS)))
def test_paths_are_the_same_from_both_validators(data: bytes) -> None:
    fast = {d.xpath for d in validate(data) if d.severity == "error"}
    xsd = {d.xpath for d in validate(data, schema=True) if d.severity == "error"}
    assert fast, data
    assert fast == xsd


def test_paths_carry_the_table_index() -> None:
    (hit,) = [d for d in validate(FAULTS[0]) if d.code == "S104"]
    assert hit.xpath == "/SyncML/SyncBody/Replace[2]/Item[1]/Bogus"
    (hit,) = validate(FAULTS[0], schema=True)
    assert hit.xpath == "/SyncML/SyncBody/Replace[2]/Item[1]/Bogus"


def test_citations_name_primary_documents() -> None:
    for rule in RULES.values():
        assert "§" not in rule.cite, rule
        assert "SYNCML-DM" not in rule.cite, rule
        assert rule.cite, rule


# --- issue 15 item 4: windows relaxations, oma strict ----------------------------------------

WIN_ITEM = (
    f"<Item><Meta><Format>chr</Format><Type>text/plain</Type></Meta>{TARGET}<Data>1</Data></Item>"
)


@pytest.mark.parametrize("schema", [False, True])
def test_windows_layout_is_a_warning_under_windows_and_an_error_under_oma(schema: bool) -> None:
    data = msg(replace("2", WIN_ITEM))
    win = validate(data, profile="windows", schema=schema)
    assert sorted({d.code for d in win}) == ["S117", "S118"]
    assert all(d.severity == "warning" and d.line > 0 for d in win)
    assert invalid(data, profile="oma", schema=schema)
    assert RULES["S117"].note and RULES["S118"].note  # the evidence is in the table


def test_profile_snippet_layout_gets_the_same_findings_from_both_validators() -> None:
    snippet = f"<Replace><CmdID>2</CmdID>{WIN_ITEM}</Replace>".encode()
    for schema in (False, True):
        found = validate(snippet, profile="windows", schema=schema)
        assert sorted({d.code for d in found}) == ["S115", "S117", "S118"], schema
        assert all(d.severity == "warning" for d in found)


def test_windows_still_rejects_what_windows_rejects() -> None:
    # Data before Target is not the Meta-first layout: still an error under windows.
    bad = msg(replace("2", f"<Item><Data>1</Data>{TARGET}</Item>"))
    for schema in (False, True):
        assert invalid(bad, profile="windows", schema=schema)
    # a misspelled MetInf namespace is not the "no namespace" layout
    typo = msg(
        replace(
            "2",
            f'<Item>{TARGET}<Meta><Format xmlns="syncml:metinfo">chr</Format></Meta>'
            "<Data>1</Data></Item>",
        )
    )
    assert "S101" in [d.code for d in validate(typo, profile="windows")]


# --- issue 15 item 7: case mistakes ------------------------------------------------------------


def test_case_mistake_gets_did_you_mean() -> None:
    data = msg(f"<GET><CmdID>2</CmdID><Item>{TARGET}</Item></GET>")
    (hit,) = [d for d in validate(data) if d.code == "S104"]
    assert hit.message.count("did you mean <Get>?") == 1  # one hint, from parser or validator
    root = f"<REPLACE><CmdID>2</CmdID><Item>{TARGET}</Item></REPLACE>".encode()
    assert any("did you mean <Replace>?" in d.message for d in validate(root))
    # a name that is simply unknown gets no guess
    (bogus,) = [d for d in validate(FAULTS[0]) if d.code == "S104"]
    assert "did you mean" not in bogus.message


# --- issue 16 item 5: select / ignore ----------------------------------------------------------

NOISY = msg(replace("0") + replace("0", f"<Item>{TARGET}<Bogus/><Data>1</Data></Item>"))


def test_select_and_ignore_by_code_and_prefix() -> None:
    everything = {d.code for d in validate(NOISY)}
    assert {"DM202", "DM203", "S104"} <= everything
    assert {d.code for d in validate(NOISY, select="DM2")} == everything & {"DM202", "DM203"}
    assert {d.code for d in validate(NOISY, select=["S1", "DM203"])} == {"S104", "DM203"}
    assert {d.code for d in validate(NOISY, ignore="DM203,s104")} == everything - {
        "DM203",
        "S104",
    }
    assert {d.code for d in validate(NOISY, select="DM", ignore="DM202")} == {"DM203"}


def test_select_keeps_the_findings_that_mean_the_check_failed() -> None:
    assert [d.code for d in validate(b"<SyncML><SyncHdr></SyncML>", select="DM2")] == ["XML001"]


@pytest.mark.parametrize("bad", ["DM9", "Q", ["S1", "NOPE"]])
def test_unknown_codes_raise_a_clear_value_error(bad: str | list[str]) -> None:
    with pytest.raises(ValueError, match=r"unknown rule code or prefix .* expected a code"):
        validate(NOISY, select=bad)
    with pytest.raises(ValueError, match="in ignore"):
        validate(NOISY, ignore=bad)


# --- the hook for further rule families ------------------------------------------------------


def test_extra_checkers_get_severity_position_and_selection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[core.CheckContext] = []

    def checker(ctx: core.CheckContext) -> list[tuple[str, str, str]]:
        seen.append(ctx)
        return [("DM233", "from a plug-in checker", "/SyncML/SyncBody/Replace[1]")]

    monkeypatch.setattr(core, "EXTRA_CHECKERS", (checker,))
    data = msg(replace("2"))
    (hit,) = validate(data, profile="windows")
    assert (hit.code, hit.severity, hit.line > 0) == ("DM233", "error", True)
    assert [d.severity for d in validate(data)] == ["warning"]  # DM233 is a warning for oma
    assert validate(data, ignore="DM233") == []
    assert seen[0].root_path == "/SyncML" and seen[0].profile == "windows"


# --- issue 14 mutants 5 and 6 ------------------------------------------------------------------


def test_duplicate_cmdid_across_two_containers_is_reported() -> None:
    # CmdID 3 is used by a member of an Atomic and by a member of a Sequence.
    data = msg(
        f"<Atomic><CmdID>2</CmdID>{replace('3')}</Atomic>"
        f"<Sequence><CmdID>4</CmdID>{replace('3')}</Sequence>"
    )
    hits = [d for d in validate(data) if d.code == "DM202"]
    assert [d.xpath for d in hits] == ["/SyncML/SyncBody/Sequence[1]/Replace[1]/CmdID"]
    assert hits[0].line > 0
    # and between a container's member and a container
    data = msg(
        f"<Atomic><CmdID>2</CmdID>{replace('4')}</Atomic><Sequence><CmdID>4</CmdID>"
        f"{replace('5')}</Sequence>"
    )
    assert [d.xpath for d in validate(data) if d.code == "DM202"] == [
        "/SyncML/SyncBody/Sequence[1]/CmdID"
    ]


@pytest.mark.parametrize("uri", ["./Vendor/MSFT/A/", "./Vendor/MSFT/A//B", "/Vendor/MSFT/A"])
def test_locuri_with_an_empty_segment_is_dm224(uri: str) -> None:
    data = msg(replace("2", f"<Item><Target><LocURI>{uri}</LocURI></Target><Data>1</Data></Item>"))
    hits = [d for d in validate(data) if d.code == "DM224"]
    assert [d.xpath for d in hits] == ["/SyncML/SyncBody/Replace[1]/Item[1]/Target/LocURI"]
    assert validate(msg(replace("2"))) == []


def test_validate_is_the_function_and_rules_live_at_the_top() -> None:
    import importlib.util

    import syncml_codec

    assert callable(syncml_codec.validate)
    assert importlib.util.find_spec("syncml_codec.validate") is None  # no module shadows it
    assert syncml_codec.RULES["DM202"].code == "DM202"  # the README's syncml_codec.RULES
    assert {"RULES", "Rule", "PROFILES", "Profile"} <= set(syncml_codec.__all__)
