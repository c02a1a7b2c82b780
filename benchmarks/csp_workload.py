"""The ``csp`` case: ``validate`` with and without the CSP rules on a Replace package.

The package holds N Replace commands (one Item each) whose Target LocURIs are real nodes of
the bundled catalogue: every writable leaf of every CSP (device and user scope, Policy areas
included), in catalogue order, cycled until N; dynamic segments are filled with a name
(``Name~<k>``: the ``~`` also makes it a valid ingested-ADMX Policy area) and every value is
one the node allows (first ENUM value, low end of a Range, ``<enabled/>`` for ADMX). Nodes
that need Atomic are left out, so the package is clean and both rows do the same work.

Rows: ``syncml_codec.validate`` (label ``validate``) and ``validate + check_csp``, which is
what ``syncml-codec validate --csp`` runs per file (validate, parse, check); the issue's
target is ``x validate`` >= 0.5. Also a pyperf runner:
``python -m benchmarks.bench_csp -o out.json`` (``--items 100000`` by default).
"""

from __future__ import annotations

from typing import Any

from benchmarks.cases import Workload, cache_dir

__all__ = ["csp_package", "prepare_csp", "validate_csp", "validate_only", "writable_leaves"]

GENERATOR_VERSION = 1


def _value(node: Any) -> str:
    allowed = node.allowed
    kind = allowed.kind.casefold() if allowed is not None else ""
    if kind == "admx":
        return "<enabled/>"
    if kind in ("enum", "flag") and allowed.values:
        first = str(allowed.values[0])
        return str(int(first, 16)) if first[:2].lower() == "0x" else first
    if kind == "range" and allowed.values:
        low = allowed.values[0].strip("[] ").split("-")[0].strip("()")
        return low or "0"
    return {"int": "1", "bool": "true", "b64": "QUJD", "xml": "<a/>", "float": "1.5"}.get(
        node.format, "value"
    )


def writable_leaves() -> list[tuple[str, str, str]]:
    """(LocURI, Format, value) of every Replace-able leaf of the bundled catalogue."""
    from syncml_codec.csp import bundled_catalogue

    cat = bundled_catalogue()
    out = []
    for path, node in cat.iter_nodes():
        if "Replace" not in node.access or node.format in ("node", "null", ""):
            continue
        if node.allowed is not None and node.allowed.kind.casefold() == "regex":
            continue  # no generic value fits a pattern
        segs = path.split("/")
        filled = "/".join(
            f"Name~{k}" if s.startswith("{") and s.endswith("}") else s for k, s in enumerate(segs)
        )
        match = cat.lookup(filled)
        if match is None or match.node is not node or match.atomic_required:
            continue
        out.append((filled, node.format, _value(node)))
    return out


def csp_package(w: Workload) -> bytes:
    """The N-command Replace package of ``w`` (cached beside the other packages)."""
    path = cache_dir() / f"csp-n{w.n}-g{GENERATOR_VERSION}.xml"
    if not path.exists():
        from syncml_codec import Item, Meta, Replace, Target, serialize
        from syncml_codec.helpers import new_message

        leaves = writable_leaves()
        cmds = [
            Replace(
                cmd_id=str(i + 2),
                items=(
                    Item(
                        target=Target(loc_uri=uri),
                        meta=Meta(format=fmt),
                        data=value,
                    ),
                ),
            )
            for i, (uri, fmt, value) in ((i, leaves[i % len(leaves)]) for i in range(w.n))
        ]
        msg = new_message(cmds, session_id="1", msg_id="1", target="dev", source="https://srv")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(serialize(msg))
        tmp.replace(path)
    return path.read_bytes()


def validate_only(data: bytes) -> list[Any]:
    """The baseline row: ``validate`` alone."""
    from syncml_codec import validate

    return list(validate(data))


def validate_csp(data: bytes) -> list[Any]:
    """What ``validate --csp`` runs per file: validate, parse, check_csp."""
    from syncml_codec import parse_fragment, validate
    from syncml_codec.csp import check_csp

    return list(validate(data)) + check_csp(parse_fragment(data))


def prepare_csp(w: Workload) -> bytes:
    """The package, with the bundled catalogue loaded (once per process, as in a CLI run)."""
    from syncml_codec.csp import bundled_catalogue

    bundled_catalogue()
    return csp_package(w)
