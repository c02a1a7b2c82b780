"""Workload: a generated OMA DM device-info package (spec SYNCML-DM.md §1.5, §4.5).

One message: ``SyncHdr``, the ``Status`` for the SyncHdr, and one ``Results`` with N ``Item``s.
Each Item is ``<Source><LocURI>`` + ``<Meta>`` with ``Format``/``Type`` in ``syncml:metinf`` +
``<Data>`` (escaped ``&amp;``/``&lt;``, some base64). Paths are ``./DevDetail/...``,
``./Vendor/MSFT/...`` and ``./DevInfo/...``. Everything derives from a seeded ``random.Random``,
so the same (N, seed) gives the same bytes on every machine.

Packages are written to a cache directory (``benchmarks/.cache/`` or ``$SYNCML_BENCH_CACHE``),
streamed in blocks of items, so N = 500k (about 210 MB) never exists as one string.

The same renderer (``render_items``) is the "plain str.join writer" serialize baseline: it works
over ``ItemSpec`` tuples, the simplest Python objects that carry an Item.
"""

from __future__ import annotations

import base64
import functools
import os
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "DEFAULT_SEED",
    "FOOTER",
    "NS_METINF",
    "NS_SYNCML",
    "ItemSpec",
    "Workload",
    "build_codec_model",
    "build_etree",
    "build_xsdata",
    "cache_dir",
    "escape",
    "generate_items",
    "header",
    "render_items",
    "render_package",
    "write_package",
]

#: Bumped whenever the generator's output changes, so stale cache files are not reused.
GENERATOR_VERSION = 1
DEFAULT_SEED = 20260501
NS_SYNCML = "SYNCML:SYNCML1.2"
NS_METINF = "syncml:metinf"
DEVICE_ID = "{6f1e8d7a-3c2b-4a59-9e0d-5b7c8a9f1e23}"
SERVER_URI = "https://mdm.example.com/omadm/WindowsPhone.ashx"
#: Items rendered per write() when streaming a package to disk.
BLOCK_ITEMS = 2000


class ItemSpec(NamedTuple):
    """One Results Item as plain Python values (``data`` is unescaped text)."""

    loc_uri: str
    format: str
    type: str
    data: str


# --- Vocabulary (spec §4.4, §4.5) -------------------------------------------------------------

_DEVINFO = ("DevId", "Man", "Mod", "DmV", "Lang")
_DEVDETAIL = (
    "DevTyp", "OEM", "FwV", "SwV", "HwV", "LrgObj", "URI/MaxDepth", "URI/MaxTotLen",
    "URI/MaxSegLen", "Ext/WLANMACAddress", "Ext/VoLTEServiceSetting", "Ext/WlanIPv4Address",
    "Ext/WlanIPv6Address", "Ext/WlanDnsSuffix", "Ext/WlanSubnetMask", "Ext/DeviceHardwareData",
)  # fmt: skip
_DEVDETAIL_MS = (
    "MobileID", "LocalTime", "OSPlatform", "ProcessorType", "RadioSwV", "Resolution",
    "CommercializationOperator", "ProcessorArchitecture", "DeviceName", "TotalStorage",
    "TotalRAM", "SMBIOSSerialNumber",
)  # fmt: skip
_MSFT = (
    "Policy/Config/Update", "Policy/Result/Browser", "Policy/Config/DeviceLock",
    "DeviceStatus/OS", "DeviceStatus/Antivirus", "EnterpriseModernAppManagement/AppManagement",
    "BitLocker", "DMClient/Provider/MDMSrv", "NodeCache/MDMSrv/Nodes", "Firewall/MdmStore",
    "WiFi/Profile", "DeviceManageability/Capabilities", "Office/Installation", "Defender/Health",
)  # fmt: skip
_WORDS = (
    "Enable", "Allow", "Status", "Version", "Name", "Value", "Mode", "Level", "Policy", "Setting",
    "Update", "Install", "Device", "User", "Account", "Network", "Secure", "Boot", "Timeout",
    "Windows", "Microsoft", "Contoso", "Fabrikam", "Edge", "Store", "Defender", "Firewall",
)  # fmt: skip
_SPECIAL = ("&", "<", ">", "a=1&b=2", "<node/>", "R&D", "x<y", "Q&A", '"q"', "'s")
_FORMATS = ("chr", "int", "b64", "bool", "node")
_FORMAT_WEIGHTS = (45, 20, 15, 10, 10)
_CHR_LENGTHS = (8, 16, 40, 100, 240, 520, 1200)
_CHR_WEIGHTS = (10, 18, 22, 20, 15, 10, 5)
_B64_LENGTHS = (16, 48, 120, 240, 600, 1500, 3600)
_B64_WEIGHTS = (12, 18, 20, 20, 14, 10, 6)


def _loc_uri(rng: random.Random, i: int) -> str:
    r = rng.random()
    if r < 0.04:
        return f"./DevInfo/{rng.choice(_DEVINFO)}"
    if r < 0.10:
        return f"./DevDetail/{rng.choice(_DEVDETAIL)}"
    if r < 0.18:
        return f"./DevDetail/Ext/Microsoft/{rng.choice(_DEVDETAIL_MS)}"
    if r < 0.25:
        guid = f"{rng.getrandbits(32):08X}-{rng.getrandbits(16):04X}-{rng.getrandbits(16):04X}"
        return f"./Vendor/MSFT/{rng.choice(_MSFT)}/%7B{guid}%7D/{rng.choice(_WORDS)}"
    return f"./Vendor/MSFT/{rng.choice(_MSFT)}/{rng.choice(_WORDS)}{rng.choice(_WORDS)}{i}"


def _chr_data(rng: random.Random) -> str:
    target = rng.choices(_CHR_LENGTHS, _CHR_WEIGHTS)[0]
    parts: list[str] = []
    size = 0
    while size < target:
        word = rng.choice(_SPECIAL) if rng.random() < 0.12 else rng.choice(_WORDS)
        parts.append(word)
        size += len(word) + 1
    return " ".join(parts)


def generate_items(n: int, seed: int = DEFAULT_SEED) -> Iterator[ItemSpec]:
    """Yield the N Items of the package, deterministically from ``seed``."""
    rng = random.Random(seed)
    for i in range(n):
        fmt = rng.choices(_FORMATS, _FORMAT_WEIGHTS)[0]
        if fmt == "chr":
            data = _chr_data(rng)
        elif fmt == "int":
            data = str(rng.getrandbits(rng.choice((4, 16, 32, 48))))
        elif fmt == "b64":
            raw = rng.randbytes(rng.choices(_B64_LENGTHS, _B64_WEIGHTS)[0])
            data = base64.b64encode(raw).decode("ascii")
        elif fmt == "bool":
            data = rng.choice(("true", "false"))
        else:
            data = "/".join(rng.sample(_WORDS, rng.randint(1, 6)))
        yield ItemSpec(_loc_uri(rng, i), fmt, "text/plain", data)


# --- Plain writer (also the serialize floor) --------------------------------------------------


def escape(text: str) -> str:
    """Escape character data the way every writer here does (``&``, ``<``, ``>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def header(n: int) -> str:
    """XML declaration, SyncHdr, the SyncHdr Status and the Results start tag."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<SyncML xmlns="{NS_SYNCML}"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
        f"<SessionID>1A</SessionID><MsgID>2</MsgID><Target><LocURI>{SERVER_URI}</LocURI></Target>"
        f"<Source><LocURI>{DEVICE_ID}</LocURI></Source></SyncHdr><SyncBody>"
        "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
        f"<TargetRef>{DEVICE_ID}</TargetRef><SourceRef>{SERVER_URI}</SourceRef>"
        "<Data>200</Data></Status>"
        "<Results><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef>"
    )


FOOTER = "</Results><Final/></SyncBody></SyncML>\n"


def render_items(items: Iterable[ItemSpec]) -> str:
    """Render Items with one ``str.join`` of f-strings and manual escaping."""
    return "".join(
        [
            f"<Item><Source><LocURI>{it.loc_uri}</LocURI></Source><Meta>"
            f'<Format xmlns="syncml:metinf">{it.format}</Format>'
            f'<Type xmlns="syncml:metinf">{it.type}</Type></Meta>'
            f"<Data>{it.data.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}"
            "</Data></Item>"
            for it in items
        ]
    )


def render_package(items: list[ItemSpec]) -> bytes:
    """The whole package as bytes (the serialize floor)."""
    return (header(len(items)) + render_items(items) + FOOTER).encode("utf-8")


def write_package(path: Path, n: int, seed: int = DEFAULT_SEED) -> int:
    """Stream the package to ``path`` (atomically) in blocks; return its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    block: list[ItemSpec] = []
    with tmp.open("wb") as out:
        out.write(header(n).encode("utf-8"))
        for spec in generate_items(n, seed):
            block.append(spec)
            if len(block) == BLOCK_ITEMS:
                out.write(render_items(block).encode("utf-8"))
                block.clear()
        out.write(render_items(block).encode("utf-8"))
        out.write(FOOTER.encode("utf-8"))
    tmp.replace(path)
    return path.stat().st_size


def cache_dir() -> Path:
    """``$SYNCML_BENCH_CACHE`` or ``benchmarks/.cache`` next to this file."""
    env = os.environ.get("SYNCML_BENCH_CACHE")
    return Path(env) if env else Path(__file__).resolve().parent / ".cache"


class Workload:
    """One package size: a cached file on disk plus lazily built in-memory forms."""

    def __init__(self, n: int, seed: int = DEFAULT_SEED, directory: Path | None = None) -> None:
        self.n = n
        self.seed = seed
        self.directory = directory if directory is not None else cache_dir()

    def __repr__(self) -> str:
        return f"Workload(n={self.n}, seed={self.seed})"

    @functools.cached_property
    def path(self) -> Path:
        """The package file, generated on first use."""
        name = f"devinfo-n{self.n}-s{self.seed}-g{GENERATOR_VERSION}.xml"
        path = self.directory / name
        if not path.exists():
            write_package(path, self.n, self.seed)
        return path

    @property
    def size(self) -> int:
        """Package size in bytes."""
        return self.path.stat().st_size

    @functools.cached_property
    def data(self) -> bytes:
        """The whole package as bytes (for the one-shot parse cases)."""
        return self.path.read_bytes()

    @functools.cached_property
    def specs(self) -> list[ItemSpec]:
        """The Items as plain objects (regenerated, not parsed)."""
        return list(generate_items(self.n, self.seed))


# --- Equivalent trees for the serialize baselines --------------------------------------------


def build_etree(items: list[ItemSpec], factory: Any = None) -> Any:
    """Build the package as an ElementTree-API tree (stdlib by default, or ``lxml.etree``)."""
    if factory is None:
        import xml.etree.ElementTree as factory

    sub = factory.SubElement
    s = "{" + NS_SYNCML + "}"
    m = "{" + NS_METINF + "}"

    def leaf(parent: Any, tag: str, text: str) -> Any:
        el = sub(parent, tag)
        el.text = text
        return el

    root = factory.Element(s + "SyncML")
    hdr = sub(root, s + "SyncHdr")
    for tag, text in (("VerDTD", "1.2"), ("VerProto", "DM/1.2"), ("SessionID", "1A"),
                      ("MsgID", "2")):  # fmt: skip
        leaf(hdr, s + tag, text)
    leaf(sub(hdr, s + "Target"), s + "LocURI", SERVER_URI)
    leaf(sub(hdr, s + "Source"), s + "LocURI", DEVICE_ID)
    body = sub(root, s + "SyncBody")
    status = sub(body, s + "Status")
    status_fields = (
        ("CmdID", "1"), ("MsgRef", "1"), ("CmdRef", "0"), ("Cmd", "SyncHdr"),
        ("TargetRef", DEVICE_ID), ("SourceRef", SERVER_URI), ("Data", "200"),
    )  # fmt: skip
    for tag, text in status_fields:
        leaf(status, s + tag, text)
    results = sub(body, s + "Results")
    for tag, text in (("CmdID", "2"), ("MsgRef", "1"), ("CmdRef", "3")):
        leaf(results, s + tag, text)
    for it in items:
        item = sub(results, s + "Item")
        leaf(sub(item, s + "Source"), s + "LocURI", it.loc_uri)
        meta = sub(item, s + "Meta")
        leaf(meta, m + "Format", it.format)
        leaf(meta, m + "Type", it.type)
        leaf(item, s + "Data", it.data)
    sub(body, s + "Final")
    return root


def build_xsdata(items: list[ItemSpec]) -> Any:
    """Build the package as the minimal xsdata models in ``_xsdata_models``."""
    from . import _xsdata_models as x

    return x.SyncML(
        sync_hdr=x.SyncHdr(
            ver_dtd="1.2", ver_proto="DM/1.2", session_id="1A", msg_id="2",
            target=x.Target(loc_uri=SERVER_URI), source=x.Source(loc_uri=DEVICE_ID),
        ),
        sync_body=x.SyncBody(
            status=[x.Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr",
                             target_ref=[DEVICE_ID], source_ref=[SERVER_URI], data="200")],
            results=[x.Results(cmd_id="2", msg_ref="1", cmd_ref="3", item=[
                x.Item(source=x.Source(loc_uri=it.loc_uri),
                       meta=x.MetInf(format=it.format, type_value=it.type), data=it.data)
                for it in items
            ])],
            final="",
        ),
    )  # fmt: skip


def build_codec_model(items: list[ItemSpec]) -> Any:
    """Build the package as ``syncml_codec.model`` objects (raises if the model changed)."""
    from syncml_codec import codes
    from syncml_codec import model as m

    return m.SyncML(
        sync_hdr=m.SyncHdr(
            session_id="1A", msg_id="2",
            target=m.Target(loc_uri=SERVER_URI), source=m.Source(loc_uri=DEVICE_ID),
        ),
        sync_body=m.SyncBody(
            commands=(
                m.Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr",
                         target_ref=(DEVICE_ID,), source_ref=(SERVER_URI,),
                         data=codes.StatusCode(200)),
                m.Results(cmd_id="2", msg_ref="1", cmd_ref="3", items=tuple(
                    m.Item(source=m.Source(loc_uri=it.loc_uri),
                           meta=m.Meta(format=it.format, type=it.type), data=it.data)
                    for it in items
                )),
            ),
            final=True,
        ),
    )  # fmt: skip
