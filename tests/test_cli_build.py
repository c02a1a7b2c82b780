"""``syncml-codec build`` (syncml_codec.cli): unenroll-request and unenroll-exec."""

from __future__ import annotations

import io

import pytest

from syncml_codec import Exec, SyncML, parse, parse_fragment
from syncml_codec.cli import main
from syncml_codec.helpers import (
    DevInfo,
    find_unenroll_exec,
    is_unenrollment_request,
    unenroll_exec,
    unenrollment_request,
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_unenroll_request() -> None:
    code, out, err = run(
        "build",
        "unenroll-request",
        "--device-id",
        "dev-1",
        "--server",
        "https://mdm.example/omadm",
        "--session",
        "5",
        "--man",
        "Contoso",
        "--lang",
        "en-US",
    )
    assert (code, err) == (0, "")
    assert out.startswith("<SyncML")
    assert "\n  <SyncHdr>" in out
    msg = parse(out)
    assert msg == unenrollment_request(
        "dev-1",
        "https://mdm.example/omadm",
        session_id="5",
        dev_info=DevInfo(man="Contoso", lang="en-US"),
    )
    assert is_unenrollment_request(msg)


def test_unenroll_request_with_session_alert() -> None:
    code, out, _ = run(
        "build", "unenroll-request", "--device-id", "d", "--server", "https://s", "--session-alert"
    )
    assert code == 0
    assert len(parse(out).sync_body.commands) == 3


@pytest.mark.parametrize(
    ("extra", "uri"),
    [
        ((), "./Vendor/MSFT/DMClient/Provider/Contoso/Unenroll"),
        (("--scope", "device"), "./Device/Vendor/MSFT/DMClient/Provider/Contoso/Unenroll"),
        (("--scope", "legacy"), "./Vendor/MSFT/DMClient/Unenroll"),
    ],
)
def test_unenroll_exec_fragment(extra: tuple[str, ...], uri: str) -> None:
    code, out, err = run(
        "build", "unenroll-exec", "--provider-id", "Contoso", "--cmd-id", "4", *extra
    )
    assert (code, err) == (0, "")
    cmd = parse_fragment(out)
    assert isinstance(cmd, Exec)
    assert cmd.cmd_id == "4"
    assert cmd.items[0].target is not None
    assert cmd.items[0].target.loc_uri == uri
    assert find_unenroll_exec(cmd) == "Contoso"


def test_unenroll_exec_message() -> None:
    code, out, err = run(
        "build",
        "unenroll-exec",
        "--provider-id",
        "Contoso",
        "--cmd-id",
        "2",
        "--message",
        "--session",
        "9",
        "--server",
        "https://s",
        "--device-id",
        "dev-1",
    )
    assert (code, err) == (0, "")
    msg = parse(out)
    assert isinstance(msg, SyncML)
    hdr = msg.sync_hdr
    assert (hdr.session_id, hdr.msg_id, hdr.source.loc_uri, hdr.target.loc_uri) == (
        "9",
        "1",
        "https://s",
        "dev-1",
    )
    assert msg.sync_body.commands == (unenroll_exec("Contoso", cmd_id="2"),)
    assert msg.sync_body.final


def test_percent_encode_option() -> None:
    code, out, _ = run(
        "build", "unenroll-exec", "--provider-id", "MS DM Server", "--percent-encode"
    )
    assert code == 0
    assert "/MS%20DM%20Server/Unenroll" in out
    assert find_unenroll_exec(parse_fragment(out)) == "MS DM Server"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (("unenroll-exec", "--provider-id", "a/b"), "'/' (U+002F) at index 1"),
        (("unenroll-exec", "--provider-id", "MS DM Server"), "--percent-encode"),
        (("unenroll-exec", "--provider-id", ""), "must not be empty"),
        (("unenroll-exec", "--provider-id", "P", "--cmd-id", "0"), "cmd_id"),
        (
            ("unenroll-request", "--device-id", "d", "--server", "s", "--session", "12345"),
            "4 bytes",
        ),
        (("unenroll-request", "--device-id", "", "--server", "s"), "device_id"),
    ],
)
def test_bad_input_exits_1(argv: tuple[str, ...], needle: str) -> None:
    code, out, err = run("build", *argv)
    assert code == 1
    assert out == ""
    assert err.startswith("syncml-codec: error: ")
    assert needle in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ("build",),
        ("build", "nope"),
        ("build", "unenroll-request", "--server", "s"),
        ("build", "unenroll-exec"),
        ("build", "unenroll-exec", "--provider-id", "P", "--scope", "user"),
        ("build", "unenroll-exec", "--provider-id", "P", "--message", "--server", "s"),
        ("build", "unenroll-exec", "--provider-id", "P", "--session", "1"),
    ],
)
def test_usage_errors_exit_2(argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(*argv)
    assert code == 2
    assert out == ""
    assert err or capsys.readouterr().err  # argparse writes to sys.stderr itself
