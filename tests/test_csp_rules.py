"""The CSP rules C301-C308, each both ways, with real LocURIs from the copied DDF files.

The catalogue is built from tests/data/ddf (copies of Microsoft's files, see its NOTICE), so
the expectations follow from those files, not from the bundled catalogue; the last tests run
our helpers' messages, the samples and the corpus against the bundled catalogue.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from syncml_codec import RULES, Rule
from syncml_codec.csp import CSP_RULES, Catalogue, check_csp, load_catalogue
from syncml_codec.diagnostics import Diagnostic
from syncml_codec.helpers import UnenrollScope, unenroll_exec, unenrollment_request
from syncml_codec.model import (
    Add,
    Alert,
    Atomic,
    Delete,
    Exec,
    Get,
    Item,
    Meta,
    Replace,
    Results,
    Sequence,
    Source,
    Target,
)
from syncml_codec.parse import parse, parse_fragment

DATA = Path(__file__).parent / "data"
UPDATE = "./Device/Vendor/MSFT/Policy/Config/Update/ActiveHoursEnd"
CORTANA = "./Device/Vendor/MSFT/Policy/Config/Experience/AllowCortana"
ADMX = "./Device/Vendor/MSFT/Policy/Config/ADMX_AppCompat/AppCompatTurnOffEngine"
IS_SYNC_DONE = "./User/Vendor/MSFT/DMClient/Provider/Contoso/FirstSyncStatus/IsSyncDone"
LAPS = "./Device/Vendor/MSFT/LAPS/Policies/BackupDirectory"
LOST_CONTACT = "./Vendor/MSFT/DMClient/Provider/Contoso/NumberOfDaysAfterLostContactToUnenroll"


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue(DATA / "ddf")


def item(uri: str, data: str | None = None, fmt: str | None = None) -> Item:
    meta = Meta(format=fmt) if fmt is not None else None
    return Item(target=Target(loc_uri=uri), meta=meta, data=data)


def replace(uri: str, data: str | None = None, fmt: str | None = None) -> Replace:
    return Replace(cmd_id="1", items=(item(uri, data, fmt),))


def codes(diags: list[Diagnostic]) -> list[str]:
    return [d.code for d in diags]


def test_rules_are_validate_rules() -> None:
    assert [r.code for r in CSP_RULES] == [f"C30{i}" for i in range(1, 9)]
    assert all(isinstance(r, Rule) and r.layer == 3 for r in CSP_RULES)
    assert all(RULES[r.code] is r for r in CSP_RULES)  # registered, no clash
    by_code = {r.code: r for r in CSP_RULES}
    assert by_code["C307"].windows == "warning" and by_code["C308"].windows == "info"


# --- C301 no such node -----------------------------------------------------------------------


def test_c301_existing_node_passes(cat: Catalogue) -> None:
    assert check_csp((replace(UPDATE, "17", "int"),), cat) == []


def test_c301_unknown_node_with_hint(cat: Catalogue) -> None:
    [d] = check_csp((replace(UPDATE + "d", "17", "int"),), cat)
    assert (d.code, d.severity) == ("C301", "error")
    assert "did you mean ./Device/Vendor/MSFT/Policy/Config/Update/ActiveHoursEnd" in d.message
    assert d.xpath == "/Replace[1]/Item[1]/Target/LocURI"


def test_c301_case_difference_hint(cat: Catalogue) -> None:
    bad = Exec(cmd_id="2", items=(item("./Vendor/MSFT/DMClient/provider/Contoso/unenroll"),))
    [d] = check_csp(bad, cat)
    assert d.code == "C301"
    assert "did you mean ./Vendor/MSFT/DMClient/Provider/Contoso/Unenroll?" in d.message
    assert "case-sensitive" in d.message
    assert d.xpath == "/Exec/Item[1]/Target/LocURI"


def test_c301_unknown_policy_area_but_ingested_admx_area_passes(cat: Catalogue) -> None:
    unknown = "./Device/Vendor/MSFT/Policy/Config/NoSuchArea/Setting"
    assert codes(check_csp((replace(unknown, "1", "int"),), cat)) == ["C301"]
    ingested = "./Device/Vendor/MSFT/Policy/Config/Contoso~Policy~App/Setting"
    assert check_csp((replace(ingested, "<enabled/>", "chr"),), cat) == []


def test_c301_device_results_are_information_only(cat: Catalogue) -> None:
    res = Results(
        cmd_id="3",
        cmd_ref="2",
        items=(
            Item(source=Source(loc_uri="./DevDetail/SwV"), data="10.0"),
            Item(source=Source(loc_uri="./DevDetail/NoSuchLeaf"), data="x"),
        ),
    )
    [d] = check_csp(res, cat)
    assert (d.code, d.severity) == ("C301", "info")
    assert d.xpath == "/Results/Item[2]/Source/LocURI"


def test_device_data_is_not_access_checked(cat: Catalogue) -> None:
    # package 1: DevInfo Replace with Source LocURIs (Get-only nodes), alerts
    assert check_csp(unenrollment_request("dev-1", "https://mdm.example.com"), cat) == []
    assert check_csp(Alert(cmd_id="1", items=(item("./Whatever/Node"),)), cat) == []


# --- C302 AccessType ---------------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["vendor", "device", "legacy"])
def test_c302_unenroll_exec_of_the_helper_passes(cat: Catalogue, scope: str) -> None:
    cmd = unenroll_exec("MS DM Server", scope=scope, percent_encode=True)  # type: ignore[arg-type]
    assert cmd.items[0].meta is not None and cmd.items[0].meta.format == "chr"  # DFFormat null
    assert check_csp(cmd, cat) == []
    assert check_csp((cmd,), cat) == []


def test_c302_replace_on_unenroll(cat: Catalogue) -> None:
    uri = unenroll_exec("Contoso").items[0].target.loc_uri  # type: ignore[union-attr]
    [d] = check_csp(replace(uri, "Contoso", "chr"), cat)
    assert d.code == "C302"
    assert "its AccessType is Exec, Get" in d.message
    assert d.xpath == "/Replace/Item[1]/Target/LocURI"


def test_c302_get_and_delete(cat: Catalogue) -> None:
    get = Get(cmd_id="1", items=(item("./DevDetail/SwV"),))
    delete = Delete(cmd_id="2", items=(item("./DevDetail/SwV"),))
    assert codes(check_csp((get, delete), cat)) == ["C302"]


def test_c302_policy_result_is_read_only(cat: Catalogue) -> None:
    result = "./Device/Vendor/MSFT/Policy/Result/Update/ActiveHoursEnd"
    get = Get(cmd_id="1", items=(item(result),))
    assert check_csp(get, cat) == []
    [d] = check_csp(replace(result, "17", "int"), cat)
    assert d.code == "C302" and "Policy/Result" in d.message


# --- C303 Format -------------------------------------------------------------------------------


def test_c303_format_differs(cat: Catalogue) -> None:
    [d] = check_csp(replace(UPDATE, "17", "chr"), cat)
    assert d.code == "C303"
    assert d.xpath == "/Replace/Item[1]/Meta/Format"


def test_c303_missing_format_means_chr(cat: Catalogue) -> None:
    assert codes(check_csp(replace(UPDATE, "17"), cat)) == ["C303"]
    add = Add(cmd_id="1", meta=Meta(format="int"), items=(item(UPDATE, "17"),))
    assert check_csp(add, cat) == []  # the command's Meta applies to its Items


def test_c303_exec_data_is_an_argument(cat: Catalogue) -> None:
    cmd = Exec(cmd_id="1", items=(item("./Device/Vendor/MSFT/DMClient/Unenroll", "X", "chr"),))
    assert check_csp(cmd, cat) == []


# --- C304 AllowedValues --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "good", "bad", "fmt"),
    [
        (UPDATE, "23", "24", "int"),  # Range [0-23]
        (UPDATE, "0", "seventeen", "int"),  # int syntax
        (CORTANA, "1", "2", "int"),  # ENUM 0, 1
        (IS_SYNC_DONE, "true", "yes", "bool"),  # bool syntax and ENUM
        (ADMX, '<enabled/><data id="x" value="1"/>', "<enabled>", "chr"),  # ADMX markup
        (ADMX, "<disabled/>", "<data id='x' value='1'/>", "chr"),
    ],
)
def test_c304_values(cat: Catalogue, uri: str, good: str, bad: str, fmt: str) -> None:
    assert check_csp(replace(uri, good, fmt), cat) == []
    [d] = check_csp(replace(uri, bad, fmt), cat)
    assert d.code == "C304"
    assert d.xpath == "/Replace/Item[1]/Data"


# --- C305 scope ---------------------------------------------------------------------------------


def test_c305_user_scope_for_a_device_node(cat: Catalogue) -> None:
    ok = Exec(cmd_id="1", items=(item("./Device/Vendor/MSFT/DMClient/Provider/X/Unenroll"),))
    assert check_csp(ok, cat) == []
    bad = Exec(cmd_id="1", items=(item("./User/Vendor/MSFT/DMClient/Provider/X/Unenroll"),))
    [d] = check_csp(bad, cat)
    assert d.code == "C305" and "./Device/" in d.message


def test_c305_device_scope_for_a_user_node(cat: Catalogue) -> None:
    email = "./User/Vendor/MSFT/ActiveSync/Accounts/%7B1%7D/EmailAddress"  # ActiveSync: user only
    # the account node is AtomicRequired (C306), so the writes go inside Atomic
    atomic = Atomic(cmd_id="9", commands=(replace(email, "a@example.com", "chr"),))
    assert check_csp(atomic, cat) == []
    for device in (email.replace("./User/", "./"), email.replace("./User/", "./Device/")):
        atomic = Atomic(cmd_id="9", commands=(replace(device, "a@example.com", "chr"),))
        [d] = check_csp(atomic, cat)
        assert d.code == "C305" and "./User/" in d.message


# --- C306 AtomicRequired -------------------------------------------------------------------------


def test_c306_atomic_required(cat: Catalogue) -> None:
    inside = Atomic(cmd_id="1", commands=(replace(LAPS, "1", "int"),))
    assert check_csp(inside, cat) == []
    [d] = check_csp(replace(LAPS, "1", "int"), cat)
    assert d.code == "C306" and d.xpath == "/Replace"
    seq = Sequence(cmd_id="1", commands=(replace(LAPS, "1", "int"),))
    [d] = check_csp(seq, cat)
    assert (d.code, d.xpath) == ("C306", "/Sequence/Replace[1]")


# --- C307 Deprecated ----------------------------------------------------------------------------


def test_c307_deprecated_is_a_warning(cat: Catalogue) -> None:
    uri = "./Device/Vendor/MSFT/WindowsLicensing/UpgradeEditionWithLicense"
    [d] = check_csp(Exec(cmd_id="1", items=(item(uri, "<License/>", "xml"),)), cat)
    assert (d.code, d.severity) == ("C307", "warning")
    other = "./Device/Vendor/MSFT/WindowsLicensing/ChangeProductKey"
    assert check_csp(Exec(cmd_id="1", items=(item(other, "KEY", "chr"),)), cat) == []


# --- C308 applicability ------------------------------------------------------------------------


def test_c308_needs_os_build(cat: Catalogue) -> None:
    cmd = replace(LOST_CONTACT, "30", "int")  # OsBuildVersion 10.0.16299
    assert check_csp(cmd, cat) == []
    assert check_csp(cmd, cat, os_build="10.0.22631") == []
    [d] = check_csp(cmd, cat, os_build="10.0.15063")
    assert (d.code, d.severity) == ("C308", "info")
    [d] = check_csp(cmd, cat, os_build="10.0.15063", applicability="error")
    assert d.severity == "error"


def test_c308_branch_list(cat: Catalogue) -> None:
    cmd = replace(ADMX, "<enabled/>", "chr")  # 10.0.22000, 10.0.19043.1202, ...
    assert check_csp(cmd, cat, os_build="10.0.19043.1202") == []
    assert check_csp(cmd, cat, os_build="10.0.19043") == []  # UBR unknown: not flagged
    assert codes(check_csp(cmd, cat, os_build="10.0.19043.1000")) == ["C308"]
    assert codes(check_csp(cmd, cat, os_build="10.0.18363")) == ["C308"]


def test_os_build_syntax() -> None:
    with pytest.raises(ValueError, match="Windows build"):
        check_csp((), os_build="22631")


# --- inputs and paths --------------------------------------------------------------------------


def test_message_paths_and_nesting(cat: Catalogue) -> None:
    text = (DATA / "samples" / "03-server-policies-and-inventory-request.xml").read_bytes()
    message = parse(text.replace(b"AllowCortana</LocURI>", b"AllowCortanaX</LocURI>"))
    [d] = check_csp(message, cat)
    assert d.xpath == "/SyncML/SyncBody/Atomic[1]/Add[1]/Item[1]/Target/LocURI"


def test_ds_messages_are_not_checked(cat: Catalogue) -> None:
    text = (DATA / "corpus" / "peers" / "syncml" / "funambol_sample.xml").read_bytes()
    message = parse_fragment(text)
    assert message.sync_hdr.ver_proto.startswith("SyncML/")
    assert check_csp(message, cat) == []


# --- our own messages, the samples and the corpus (bundled catalogue) ---------------------------


def test_helpers_and_samples_have_no_csp_errors() -> None:
    assert check_csp(unenrollment_request("dev", "https://mdm.example.com")) == []
    scopes: tuple[UnenrollScope, ...] = ("vendor", "device", "legacy")
    for scope in scopes:
        cmd = unenroll_exec("MS DM Server", scope=scope, percent_encode=True)
        assert check_csp(cmd) == []
    for path in sorted((DATA / "samples").glob("*.xml")):
        assert check_csp(parse(path.read_bytes())) == [], path.name


def _corpus() -> list[tuple[str, bytes]]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpus", Path(__file__).parent / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases: list[tuple[str, bytes]] = module.corpus_cases()
    return cases


def test_corpus_findings_are_the_expected_ones() -> None:
    found: dict[str, list[tuple[str, str]]] = {}
    for name, data in _corpus():
        try:
            obj = parse_fragment(data)
        except ValueError:
            continue  # not readable: validate reports it
        diags = check_csp(obj)
        if diags:
            found[name] = [(d.severity, d.code) for d in diags]
    # The OMA DM protocol examples address OMA sample trees no Windows device has (404 there);
    # the Results Source is device data, so only information.
    assert found == {
        "oma-dmpro-2-6-1-2-pkg2-server-status-sequence-confirm": [("error", "C301")],
        "oma-dmpro-2-6-2-3-pkg3-status-results-no-cmdref": [("info", "C301")],
        "oma-dmpro-4-1-6-6-exec-shutdown": [("error", "C301")],
        # every command type, on OMA sample nodes: Copy Sources are only information
        "oma-dmpro-written-pkg2-every-command": [("error", "C301")] * 2
        + [("info", "C301")]
        + [("error", "C301")] * 2
        + [("error", "C301"), ("info", "C301"), ("error", "C301")]
        + [("error", "C301"), ("info", "C301")]
        + [("error", "C301")] * 4,
    }
