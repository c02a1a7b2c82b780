"""Generate the bundled catalogue: ``python -m syncml_codec.csp.build DDF_DIR [-o OUT]``.

Reads every DDF file of a release (a directory or Microsoft's zip), merges them into a
``Catalogue`` and writes it as gzip'd compact JSON (default: ``catalogue.json.gz`` beside this
module, with ``NOTICE`` carrying Microsoft's copyright and MIT permission notice).

Before writing, each file is checked against an independent reading: defusedxml's
ElementTree parses it and a plain walk of ``<Node>`` elements collects the set of
``(path, AccessType, DFFormat)``; the catalogue reader's set for the same file must be equal,
and every triple must be found in the merged catalogue, unless a file merged earlier already
declared that path (``shadowed``). The per-file figures (nodes, dynamic nodes, triples,
found, shadowed, SHA-256) are stored in the catalogue, so tests can check them without the
release. Any mismatch stops the build with exit code 1.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as DET

from .catalogue import BUNDLED_NAME, Catalogue, load_catalogue
from .ddf import DdfFile, iter_ddf_sources, read_ddf_bytes
from .node import CspNode

__all__ = ["Triple", "catalogue_triples", "etree_triples", "main", "resolve_exact"]

#: ``(path, AccessType commands joined by ",", DFFormat)``; a dynamic segment is ``{}``.
Triple = tuple[str, str, str]


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _root_prefix(path: str, name: str) -> str:
    # Tolerance shared with the reader, stated independently: a trailing "/" is dropped, and
    # a Path that already ends with the node's own name (v1 ProvisioningCommands) is its parent.
    text = path.strip().rstrip("/") or "."
    if text.endswith("/" + name):
        text = text[: -len(name) - 1]
    return text


def etree_triples(data: bytes) -> tuple[set[Triple], int, int]:
    """(triples, nodes, dynamic nodes) of one DDF by a plain ElementTree walk (the reference)."""
    root = DET.parse(io.BytesIO(data)).getroot()
    out: set[Triple] = set()
    if root is None:
        return out, 0, 0
    counts = [0, 0]

    def walk(el: Element, prefix: str) -> None:
        counts[0] += 1
        name = ""
        props: Element | None = None
        for child in el:
            tag = _local(child.tag)
            if tag == "NodeName":
                name = (child.text or "").strip()
            elif tag == "DFProperties":
                props = child
        if not name:
            counts[1] += 1
        if prefix == "":
            path_el = next((c for c in el if _local(c.tag) == "Path"), None)
            text = path_el.text or "" if path_el is not None else ""
            prefix = _root_prefix(text, name)
        path = f"{prefix}/{name or '{}'}"
        access, fmt = "", ""
        if props is not None:
            for child in props:
                tag = _local(child.tag)
                if tag == "AccessType":
                    access = ",".join(sorted(_local(c.tag) for c in child))
                elif tag == "DFFormat":
                    fmt = next((_local(c.tag) for c in child), "")
        out.add((path, access, fmt))
        for child in el:
            if _local(child.tag) == "Node":
                walk(child, path)

    for top in root:
        if _local(top.tag) == "Node":
            walk(top, "")
    return out, counts[0], counts[1]


def catalogue_triples(f: DdfFile) -> set[Triple]:
    """The triples of the catalogue reader's records of one file."""
    out: set[Triple] = set()

    def walk(node: CspNode, path: str) -> None:
        out.add((path, ",".join(sorted(node.access)), node.format))
        for name, child in node.children.items():
            walk(child, f"{path}/{name}")
        if node.dynamic is not None:
            walk(node.dynamic, f"{path}/{{}}")

    for root_path, node in f.roots:
        walk(node, f"{_root_prefix(root_path, node.name)}/{node.name or '{}'}")
    return out


def resolve_exact(cat: Catalogue, path: str) -> CspNode | None:
    """The merged catalogue's node at a triple's path (``{}`` takes the dynamic child)."""
    segs = [] if path == "." else path.removeprefix("./").split("/")
    node = cat.device
    if segs and segs[0] in ("Device", "User") and len(segs) > 1:
        node = cat.device if segs[0] == "Device" else cat.user
        segs = segs[1:]
    for seg in segs:
        nxt = node.dynamic if seg == "{}" else node.children.get(seg)
        if nxt is None:
            return None
        node = nxt
    return node


def _verify(
    sources: Iterable[tuple[str, bytes]],
    files: list[DdfFile],
    triples: list[set[Triple]],
    cat: Catalogue,
) -> list[str]:
    problems: list[str] = []
    for (name, data), f, ours in zip(sources, files, triples, strict=True):
        reference, nodes, dynamic = etree_triples(data)
        if ours != reference:
            extra = sorted(ours - reference)[:3]
            lost = sorted(reference - ours)[:3]
            problems.append(f"{name}: reader and ElementTree differ: +{extra} -{lost}")
        if (nodes, dynamic) != (f.nodes, f.dynamic):
            problems.append(f"{name}: node counts {f.nodes}/{f.dynamic} != {nodes}/{dynamic}")
        found = shadowed = 0
        for path, access, fmt in reference:
            node = resolve_exact(cat, path)
            if node is None:
                problems.append(f"{name}: {path} is not in the catalogue")
            elif (",".join(sorted(node.access)), node.format) == (access, fmt):
                found += 1
            elif node.source != name:
                shadowed += 1
            else:
                problems.append(f"{name}: {path} has other properties in the catalogue")
        cat.files[name] = {
            **cat.files[name],
            "triples": len(reference),
            "etree_equal": ours == reference,
            "found": found,
            "shadowed": shadowed,
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
    return problems


def build(source: Path, out: Path, release: str) -> int:
    """Read, verify and write; return the exit code (0 ok, 1 a check failed)."""
    t0 = time.perf_counter()
    sources = list(iter_ddf_sources(source))
    files = [read_ddf_bytes(data, name) for name, data in sources]
    triples = [catalogue_triples(f) for f in files]  # before merging adds other files' nodes
    cat = Catalogue.from_ddf(files, release=release)
    problems = _verify(sources, files, triples, cat)
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if problems:
        return 1
    size = cat.dump(out)
    t1 = time.perf_counter()
    t = sum(v["triples"] for v in cat.files.values())
    n = sum(v["nodes"] for v in cat.files.values())
    d = sum(v["dynamic"] for v in cat.files.values())
    start = time.perf_counter()
    load_catalogue(out)
    load_ms = (time.perf_counter() - start) * 1000
    print(
        f"{len(files)} files, {n} nodes ({d} dynamic), {t} (path, AccessType, DFFormat)"
        f" triples equal to the ElementTree walk; wrote {out} ({size:,} bytes) in"
        f" {t1 - t0:.1f} s; loads in {load_ms:.0f} ms"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of the generator."""
    p = argparse.ArgumentParser(prog="python -m syncml_codec.csp.build", description=__doc__)
    p.add_argument("ddf", type=Path, help="a DDF release: directory or zip")
    p.add_argument("-o", "--output", type=Path, default=Path(__file__).with_name(BUNDLED_NAME))
    p.add_argument("--release", default="Windows Feb 2025 DDF v2 (+ docs, + 20H2 v1)")
    args: Any = p.parse_args(argv)
    return build(args.ddf, args.output, args.release)


if __name__ == "__main__":
    raise SystemExit(main())
