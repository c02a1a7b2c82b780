"""The CLI's CSP parts: ``validate --csp/--ddf/--os-build`` and ``csp show|search``."""

from __future__ import annotations

import io
import json
from pathlib import Path

from syncml_codec.cli import main
from syncml_codec.helpers import new_message
from syncml_codec.model import Item, Meta, Replace, Target
from syncml_codec.serialize import serialize

DATA = Path(__file__).parent / "data"
SAMPLES = DATA / "samples"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _message(tmp_path: Path, uri: str, value: str, fmt: str) -> str:
    cmd = Replace(
        cmd_id="2",
        items=(Item(target=Target(loc_uri=uri), meta=Meta(format=fmt), data=value),),
    )
    msg = new_message([cmd], session_id="1", msg_id="1", target="dev", source="https://srv")
    path = tmp_path / "m.xml"
    path.write_bytes(serialize(msg))
    return str(path)


def test_validate_csp_passes_the_samples() -> None:
    code, out, _ = run("validate", "--csp", "-q", str(SAMPLES))
    assert (code, out) == (0, "")


def test_validate_csp_merges_findings_into_the_exit_code(tmp_path: Path) -> None:
    path = _message(
        tmp_path, "./Device/Vendor/MSFT/Policy/Config/Update/ActiveHoursEnd", "24", "int"
    )
    assert run("validate", "-q", path)[0] == 0  # without --csp: well-formed DM
    code, out, _ = run("validate", "--csp", "-q", path)
    assert code == 1
    assert "error: the value '24'" in out and "[C304]" in out
    code, out, _ = run("validate", "--ddf", str(DATA / "ddf"), "--format", "json", path)
    assert code == 1
    doc = json.loads(out)
    assert [d["code"] for d in doc["files"][0]["diagnostics"]] == ["C304"]


def test_validate_os_build(tmp_path: Path) -> None:
    uri = "./Vendor/MSFT/DMClient/Provider/X/NumberOfDaysAfterLostContactToUnenroll"
    path = _message(tmp_path, uri, "30", "int")
    code, out, _ = run("validate", "-q", "--csp", "--os-build", "10.0.15063", path)
    assert code == 0 and "info:" in out and "[C308]" in out
    code, out, _ = run("validate", "-q", "--os-build", "10.0.15063", "--os-build-error", path)
    assert code == 1 and "error:" in out
    assert run("validate", "--os-build", "22631", path)[0] == 2  # argparse usage error


def test_csp_show_and_search() -> None:
    code, out, _ = run("csp", "show", "./Vendor/MSFT/DMClient/Provider/Contoso/Unenroll")
    assert code == 0
    assert out.startswith("./Vendor/MSFT/DMClient/Provider/{ProviderID}/Unenroll\n")
    assert "access:      Exec, Get" in out and "format:      null" in out
    code, out, _ = run("csp", "show", "./Device/Vendor/MSFT/Policy/Config/Update/ActiveHoursEnd")
    assert "Range" in out and "[0-23]" in out and "10.0.14393" in out
    code, _, err = run("csp", "show", "./Vendor/MSFT/DMClient/provider")
    assert code == 1 and "did you mean ./Vendor/MSFT/DMClient/Provider" in err
    code, out, _ = run("csp", "search", "Unenroll", "--ddf", str(DATA / "ddf"))
    assert code == 0 and "./Device/Vendor/MSFT/DMClient/Unenroll  [Exec,Get; null]" in out
    assert run("csp", "search", "NoSuchWordAnywhere")[0] == 1
