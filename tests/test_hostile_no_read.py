"""No file is READ and nothing is fetched, on every path that meets untrusted bytes (issue 14).

``test_hostile.py`` proves that a local file named by an external entity or DTD never LEAKS
into a result or an error. That would also hold for a reader that opened the file and threw
the content away. Here a child Python process installs ``sys.addaudithook`` and records every
``open`` of the secret file, every ``urllib.Request`` for it or for the loopback URL, and
every ``socket.connect`` and ``socket.getaddrinfo``, so a read or a fetch is seen even when
nothing leaks. The inputs are over the 3 KiB small-input threshold (``_tree.SMALL``), so the
fast path meets them as well as the exact path; ``validate`` (with and without
``schema=True``), the stream readers and the WBXML decoder run on them too. A control step
opens the secret at the end, so the hook is shown to see a read: the test cannot pass because
the hook saw nothing at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from syncml_codec import _tree

CHILD = r"""
import io, json, sys
secret, url = sys.argv[1], sys.argv[2]
seen = []

def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)) and secret in str(args[0]):
        seen.append(["open", str(args[0])])
    elif event == "urllib.Request" and (secret in str(args[0]) or "://127.0.0.1" in str(args[0])):
        seen.append([event, str(args[0])])
    elif event in ("socket.connect", "socket.getaddrinfo"):
        seen.append([event, repr(args)[:120]])

import syncml_codec as sc
from syncml_codec import _fast, _tree
sys.path.insert(0, sys.argv[3])
from wbxml_tools import xml_to_wbxml

PAD = b"".join(
    b"<Replace><CmdID>%d</CmdID><Item><Target><LocURI>./Vendor/MSFT/Node%d</LocURI></Target>"
    b"<Data>value</Data></Item></Replace>" % (i + 10, i) for i in range(100)
)

def message(body, root_extra=b""):
    return (
        b'<SyncML xmlns="SYNCML:SYNCML1.2"' + root_extra + b"><SyncHdr><VerDTD>1.2</VerDTD>"
        b"<VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID>"
        b"<Target><LocURI>a</LocURI></Target><Source><LocURI>b</LocURI></Source></SyncHdr>"
        b"<SyncBody>" + PAD + body + b"<Final/></SyncBody></SyncML>"
    )

use = b"<Alert><CmdID>1</CmdID><Data>&x;</Data></Alert>"
xi = b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="%s"/>'
loc = (b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
       b' xsi:schemaLocation="SYNCML:SYNCML1.2 %s"')
cases = {}
for kind, target in (("file", sys.argv[4]), ("url", url)):
    t = target.encode()
    entity = b'<!DOCTYPE SyncML [<!ENTITY x SYSTEM "' + t + b'">]>'
    cases[kind + "-external-entity"] = entity + message(use)
    parameter = b'<!DOCTYPE SyncML [<!ENTITY % x SYSTEM "' + t + b'"> %x;]>'
    cases[kind + "-parameter-entity"] = parameter + message(b"")
    cases[kind + "-external-dtd"] = b'<!DOCTYPE SyncML SYSTEM "' + t + b'">' + message(use)
    cases[kind + "-bare-doctype"] = b'<!DOCTYPE SyncML SYSTEM "' + t + b'">' + message(b"")
    cases[kind + "-xinclude"] = message(xi % t)
    cases[kind + "-schema-location"] = message(b"", loc % t)
    cases[kind + "-stylesheet"] = b'<?xml-stylesheet href="' + t + b'"?>' + message(b"")
    # WBXML has no DOCTYPE: the hostile text arrives as Data, which nothing may parse as XML
    text = b'&lt;!DOCTYPE a [&lt;!ENTITY x SYSTEM "' + t + b'"&gt;]&gt;&lt;a&gt;&amp;x;&lt;/a&gt;'
    cases[kind + "-wbxml-data"] = xml_to_wbxml(message(
        b"<Replace><CmdID>1</CmdID><Item><Target><LocURI>./x</LocURI></Target><Data>" + text
        + b"</Data></Item></Replace>"
    ))

def chunks(b):
    return (b[i : i + 4096] for i in range(0, len(b), 4096))

readers = {
    "parse": lambda b: sc.parse(b),
    "parse-strict": lambda b: sc.parse(b, strict=True),
    "parse-file": lambda b: sc.parse(io.BytesIO(b)),
    "parse-chunks": lambda b: sc.parse(chunks(b)),
    "parse_fragment": lambda b: sc.parse_fragment(b),
    "fast-path": lambda b: _fast.parse_fast([b], sc.DEFAULT_LIMITS),
    "iter_items": lambda b: list(sc.iter_items(b)),
    "iterparse": lambda b: list(sc.iterparse(b)),
    "StreamParser": lambda b: [*sc.StreamParser().feed(b), *sc.StreamParser().close()],
    "validate": lambda b: sc.validate(b),
    "validate-windows": lambda b: sc.validate(b, profile="windows"),
    "validate-schema": lambda b: sc.validate(b, schema=True),
}

sys.addaudithook(hook)
outcomes = {}
for name, data in cases.items():
    assert len(data) > _tree.SMALL, (name, len(data))
    for reader, run in readers.items():
        try:
            run(data)
            outcomes[f"{name} {reader}"] = "ok"
        except sc.SyncMLError as exc:
            outcomes[f"{name} {reader}"] = type(exc).__name__
before = list(seen)
with open(secret, encoding="utf-8") as f:  # control: the hook does see a read
    f.read()
print(json.dumps({"seen": before, "control": seen[len(before):], "outcomes": outcomes}))
"""


def test_no_file_is_opened_and_nothing_is_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret-7f3a9c.txt"
    secret.write_text("SECRET-MARKER-7f3a9c", encoding="utf-8")
    # port 9 (discard) on loopback: a fetch attempt is recorded by the hook before it fails
    url = "http://127.0.0.1:9/syncml.dtd"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(secret),
            url,
            str(Path(__file__).parent),
            secret.as_uri(),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.splitlines()[-1])
    assert report["seen"] == []
    assert [event for event, _ in report["control"]] == ["open"]
    outcomes = report["outcomes"]
    # every reader met every case (16 cases x 12 readers), none raised anything but SyncMLError
    assert len(outcomes) == 16 * 12
    # the external entity is refused by every reader, on the fast path's inputs too
    for kind in ("file", "url"):
        for reader in ("parse", "parse-strict", "parse-file", "iter_items", "iterparse"):
            assert outcomes[f"{kind}-external-entity {reader}"] == "ForbiddenConstruct"
        assert outcomes[f"{kind}-wbxml-data parse-strict"] == "ok"


def test_the_inputs_are_past_the_small_input_threshold() -> None:
    # The child asserts each input is longer than SMALL; this pins that the constant it reads
    # is the threshold the fast path uses, so the assertion there is not vacuous.
    assert _tree.small(b"x" * (_tree.SMALL - 1))
    assert not _tree.small(b"x" * _tree.SMALL)
