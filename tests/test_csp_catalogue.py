"""The DDF reader and the bundled catalogue, against copied DDF files (tests/data/ddf).

The bundled catalogue was generated from the whole release; these tests hold the copies of a
few of its files (see tests/data/ddf/NOTICE) and check, per file, that the catalogue's stored
figures are those of these very bytes, and that the reader agrees with an independent
ElementTree walk of the XML.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from syncml_codec.csp import (
    BUNDLED_NAME,
    Catalogue,
    bundled_catalogue,
    load_catalogue,
    read_ddf,
    read_ddf_bytes,
)
from syncml_codec.csp.build import catalogue_triples, etree_triples, resolve_exact
from syncml_codec.errors import ForbiddenConstruct, MalformedXML

DDF = Path(__file__).parent / "data" / "ddf"
FILES = sorted(p.relative_to(DDF).as_posix() for p in DDF.rglob("*.xml"))
BUNDLED = Path(__file__).parent.parent / "syncml_codec" / "csp" / BUNDLED_NAME


@pytest.fixture(scope="module")
def subset() -> Catalogue:
    return load_catalogue(DDF)


@pytest.mark.parametrize("name", FILES)
def test_per_file_figures_match_the_committed_catalogue(name: str) -> None:
    data = (DDF / name).read_bytes()
    figures = bundled_catalogue().files[name]
    assert figures["sha256"] == hashlib.sha256(data).hexdigest()
    f = read_ddf_bytes(data, name)
    reference, nodes, dynamic = etree_triples(data)
    assert catalogue_triples(f) == reference
    assert (f.nodes, f.dynamic, len(reference)) == (nodes, dynamic, figures["triples"])
    assert (figures["nodes"], figures["dynamic"]) == (nodes, dynamic)
    assert figures["etree_equal"] is True
    assert figures["found"] + figures["shadowed"] == figures["triples"]


def test_bundled_totals_are_the_release_statistics() -> None:
    # tests/data/ddf/NOTICE: 347 DDF files, 6,382 nodes of which 197 dynamic (the release's
    # published statistics), every one checked against the ElementTree walk.
    files = bundled_catalogue().files
    assert len(files) == 347
    assert sum(f["nodes"] for f in files.values()) == 6382
    assert sum(f["dynamic"] for f in files.values()) == 197
    assert all(f["etree_equal"] for f in files.values())
    assert sum(f["triples"] for f in files.values()) == 6382
    assert sum(1 for n in files if n.startswith("policy-areas/")) == 260


def test_bundled_file_is_small_and_carries_the_notice() -> None:
    assert BUNDLED.stat().st_size <= 1_000_000
    notice = (BUNDLED.parent / "NOTICE").read_text("utf-8")
    assert "Copyright (c) Microsoft Corporation" in notice
    assert "Permission is hereby granted, free of charge" in notice


def test_subset_nodes_agree_with_the_bundled_catalogue(subset: Catalogue) -> None:
    full = bundled_catalogue()
    checked = 0
    for name in FILES:
        f = read_ddf_bytes((DDF / name).read_bytes(), name)
        for path, access, fmt in catalogue_triples(f):
            node = resolve_exact(full, path)
            mine = resolve_exact(subset, path)
            assert node is not None and mine is not None, path
            if full.files[name]["shadowed"] == 0:
                assert (",".join(sorted(node.access)), node.format) == (access, fmt)
            checked += 1
    assert checked > 600


def test_json_round_trip_keeps_every_node(subset: Catalogue) -> None:
    again = Catalogue.from_json(json.loads(json.dumps(subset.to_json())))
    before = [(p, n.access, n.format, n.allowed, n.applicability) for p, n in subset.iter_nodes()]
    after = [(p, n.access, n.format, n.allowed, n.applicability) for p, n in again.iter_nodes()]
    assert before == after
    assert len(before) > 600


def test_zip_is_read_without_unpacking(tmp_path: Path) -> None:
    archive = tmp_path / "ddf.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name in FILES:
            z.write(DDF / name, f"Feb2025/{name}")
    from_zip = {f.name.removeprefix("Feb2025/"): f.nodes for f in read_ddf(archive)}
    from_dir = {f.name: f.nodes for f in read_ddf(DDF)}
    assert from_zip == from_dir
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ddf.zip"]
    cat = load_catalogue(archive)
    assert cat.lookup("./Device/Vendor/MSFT/DMClient/Provider/X/Unenroll").node is not None  # type: ignore[union-attr]


# --- tolerance cases (all as Microsoft published them) -----------------------------------------


def test_whitespace_node_names_are_dynamic() -> None:
    f = read_ddf_bytes((DDF / "docs/NodeCache.xml").read_bytes(), "docs/NodeCache.xml")
    assert (f.version, f.nodes, f.dynamic) == (2, 20, 4)
    root = dict(f.roots)["./Device/Vendor/MSFT"]
    assert root.dynamic is not None and root.dynamic.name == ""
    assert root.dynamic.display == "{ProviderID}"


def test_root_path_naming_the_node_itself(subset: Catalogue) -> None:
    m = subset.lookup("./Vendor/MSFT/ProvisioningCommands/DeviceContext")
    assert m is not None and m.node is not None
    assert subset.lookup("./Vendor/MSFT/ProvisioningCommands/ProvisioningCommands") is not None
    assert subset.lookup("./Vendor/MSFT/ProvisioningCommands/ProvisioningCommands").node is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("uri", "access", "fmt"),
    [
        (
            "./Vendor/MSFT/SUPL",
            {"Add", "Delete", "Get"},
            "node",
        ),  # Path "./Vendor/MSFT/" with a trailing slash
        ("./DevDetail/SwV", {"Get"}, "chr"),  # Path "."
        ("./DevInfo/DevId", {"Get"}, "chr"),
        ("./SyncML/DMAcc/x/AppAddr/y/Addr", {"Add", "Get", "Replace"}, "chr"),
        ("./Device/Vendor/MSFT/Accounts/Domain", set(), "node"),  # empty AccessType (v1 docs)
    ],
)
def test_tolerance_paths(subset: Catalogue, uri: str, access: set[str], fmt: str) -> None:
    m = subset.lookup(uri)
    assert m is not None and m.node is not None, uri
    assert (set(m.node.access), m.node.format) == (access, fmt)


def test_v1_oddities_are_kept() -> None:
    surface = read_ddf_bytes((DDF / "v1-20H2/SurfaceHub.xml").read_bytes(), "SurfaceHub.xml")
    assert surface.version == 1
    accesses: set[str] = set()
    stack = [n for _, n in surface.roots]
    while stack:
        n = stack.pop()
        accesses |= n.access
        stack.extend(n.children.values())
    assert "Set" in accesses  # the non-standard <Set /> of v1 SurfaceHub
    storage = read_ddf_bytes((DDF / "v1-20H2/Storage.xml").read_bytes(), "Storage.xml")
    assert storage.nodes > 0  # public identifier without the leading space


def test_policy_area_properties_in_any_order(subset: Catalogue) -> None:
    m = subset.lookup("./Device/Vendor/MSFT/Policy/Config/Update/ActiveHoursEnd")
    assert m is not None and m.node is not None
    node = m.node
    assert node.default == "17"  # DefaultValue after DFType
    assert node.allowed is not None and node.allowed.values == ("[0-23]",)
    assert node.applicability is not None and node.applicability.os_build == "10.0.14393"
    assert node.mime == "text/plain"


def test_policy_result_mirrors_config_read_only(subset: Catalogue) -> None:
    m = subset.lookup("./Device/Vendor/MSFT/Policy/Result/Update/ActiveHoursEnd")
    assert m is not None and m.node is not None and m.read_only
    assert m.access == frozenset({"Get"})
    unknown = subset.lookup("./Device/Vendor/MSFT/Policy/Config/NoSuchArea/X")
    assert unknown is not None and unknown.node is None and unknown.missing == "NoSuchArea"
    ingested = subset.lookup("./Device/Vendor/MSFT/Policy/Config/Contoso~Policy~App/Setting")
    assert ingested is not None and ingested.node is not None


def test_scopes_and_percent_encoding(subset: Catalogue) -> None:
    m = subset.lookup("./Vendor/MSFT/DMClient/Provider/MS%20DM%20Server/Unenroll")
    assert m is not None and m.node is not None and m.scope == "device"
    assert m.path == "./Vendor/MSFT/DMClient/Provider/{ProviderID}/Unenroll"
    user = subset.lookup("./User/Vendor/MSFT/DMClient/Provider/X/Unenroll")
    assert user is not None and user.node is None
    other = subset.other_scope("./User/Vendor/MSFT/DMClient/Provider/X/Unenroll")
    assert other is not None and other.scope == "device"
    assert subset.lookup("https://mdm.example.com/x") is None
    assert subset.lookup("contact") is None


def test_suggestions(subset: Catalogue) -> None:
    assert subset.suggest("./Vendor/MSFT/DMClient/provider/X/unenroll") == [
        "./Vendor/MSFT/DMClient/Provider/X/Unenroll"
    ]
    close = subset.suggest("./Device/Vendor/MSFT/Policy/Config/Update/ActiveHoursEndd")
    assert "./Device/Vendor/MSFT/Policy/Config/Update/ActiveHoursEnd" in close


def test_search(subset: Catalogue) -> None:
    paths = [p for p, _ in subset.search("unenroll")]
    assert "./Device/Vendor/MSFT/DMClient/Provider/{ProviderID}/Unenroll" in paths


# --- hardening -----------------------------------------------------------------------------------

_HEAD = b'<?xml version="1.0"?>\n'


@pytest.mark.parametrize(
    "doc",
    [
        _HEAD + b'<!DOCTYPE MgmtTree [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><MgmtTree/>',
        _HEAD + b'<!DOCTYPE MgmtTree [<!ENTITY x SYSTEM "file:///etc/passwd">]><MgmtTree>&x;'
        b"</MgmtTree>",
        _HEAD + b'<!DOCTYPE MgmtTree [<!NOTATION n SYSTEM "x">]><MgmtTree/>',
    ],
)
def test_entities_are_refused(doc: bytes) -> None:
    with pytest.raises(ForbiddenConstruct) as info:
        read_ddf_bytes(doc, "evil.xml")
    assert info.value.source == "evil.xml"
    assert info.value.position is not None


def test_external_dtd_is_never_fetched() -> None:
    # Every DDF names http://www.openmobilealliance.org/...dtd; reading must not need it.
    doc = (DDF / "DevInfo.xml").read_bytes()
    assert b"DM_DDF-V1_2.dtd" in doc
    assert read_ddf_bytes(doc).nodes == 8


def test_malformed_reports_position() -> None:
    with pytest.raises(MalformedXML) as info:
        read_ddf_bytes(b"<MgmtTree>\n<Node></MgmtTree>", "bad.xml")
    assert info.value.position is not None and info.value.position.line == 2


def test_bundled_catalogue_is_gzip_json() -> None:
    doc = json.loads(gzip.decompress(BUNDLED.read_bytes()))
    assert doc["format"] == 1 and "device" in doc and "user" in doc


def test_generator_reproduces_the_figures(tmp_path: Path) -> None:
    from syncml_codec.csp.build import main as build_main

    out = tmp_path / "cat.json.gz"
    assert build_main([str(DDF), "-o", str(out), "--release", "test copies"]) == 0
    rebuilt = load_catalogue(out)
    bundled = bundled_catalogue().files
    assert sorted(rebuilt.files) == FILES
    for name, figures in rebuilt.files.items():
        for key in ("nodes", "dynamic", "triples", "sha256", "etree_equal", "version"):
            assert figures[key] == bundled[name][key], (name, key)
    assert rebuilt.release == "test copies"


def test_generator_refuses_a_reader_that_disagrees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import syncml_codec.csp.build as build

    real = build.catalogue_triples

    def lossy(f: object) -> set[tuple[str, str, str]]:
        triples = real(f)  # type: ignore[arg-type]
        triples.pop()
        return triples

    monkeypatch.setattr(build, "catalogue_triples", lossy)
    assert build.main([str(DDF / "DevInfo.xml"), "-o", str(tmp_path / "x.json.gz")]) == 1
    assert not (tmp_path / "x.json.gz").exists()
