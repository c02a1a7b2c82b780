"""Implementations under test: baselines and the syncml_codec plug points.

Every ``Impl`` has ``prepare(workload) -> arg`` (untimed: load bytes, build a tree to serialize,
build a schema) and ``run(arg) -> result`` (timed). ``unavailable()`` says why a row cannot run
(an optional package is missing, or the codec function is "not available yet"); such rows are
reported, never silently dropped. Codec functions are looked up lazily on every call, so the
suite picks them up the moment the main branch grows them.

Cases:

- ``parse``: whole package from ``bytes`` in memory.
- ``stream``: Items read from the file on disk in chunks (never the whole file in memory).
- ``serialize``: an equivalent in-memory object -> bytes.
- ``validate``: schema validation of the bytes.
- ``csp``: validate with and without the CSP rules, on a package of real DDF nodes
  (``csp_workload.py``).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from pyexpat import ParserCreate
from typing import Any

from . import csp_workload
from .cases import NS_METINF, NS_SYNCML, Workload, build_codec_model, build_etree, build_xsdata
from .cases import render_package as _render_package

__all__ = [
    "CASES",
    "IMPLS",
    "Impl",
    "codec_function",
    "find_impl",
    "hand_extract",
    "hand_stream",
    "impls_for",
    "raw_pyexpat",
]

#: Chunk size for the streaming readers.
CHUNK = 64 * 1024
CASES = ("parse", "stream", "serialize", "validate", "wbxml", "csp", "packing")
UNAVAILABLE_CODEC = "not available yet"

ItemTuple = tuple[str | None, str | None, str | None, str | None]


@dataclass(frozen=True, slots=True)
class Impl:
    """One row of a table."""

    case: str
    name: str
    prepare: Callable[[Workload], Any]
    run: Callable[[Any], Any]
    #: Short column name when this row is a named baseline (ratio column), else None.
    label: str | None = None
    #: Optional third-party modules the row needs (``importlib.util.find_spec``).
    requires: tuple[str, ...] = ()
    #: Codec functions the row needs (``syncml_codec.<name>``).
    codec: tuple[str, ...] = ()
    note: str = ""
    #: Extra availability check (for example: is there a bundled schema yet?).
    check: Callable[[], str | None] | None = None
    #: Largest N this row is run at (a row too slow for the big workloads), or None.
    max_n: int | None = None

    def unavailable(self) -> str | None:
        """Why this row cannot run here, or None."""
        for mod in self.requires:
            if importlib.util.find_spec(mod) is None:
                return f"{mod} not installed (pip install syncml-codec[bench])"
        for fn in self.codec:
            if codec_function(fn) is None:
                return f"syncml_codec.{fn} {UNAVAILABLE_CODEC}"
        return self.check() if self.check is not None else None


def codec_function(name: str) -> Callable[..., Any] | None:
    """``syncml_codec.<name>`` if the codec has it yet, else None."""
    try:
        mod = importlib.import_module("syncml_codec")
    except ImportError:
        return None
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None


def _codec(name: str) -> Callable[..., Any]:
    fn = codec_function(name)
    if fn is None:
        raise RuntimeError(f"syncml_codec.{name} {UNAVAILABLE_CODEC}")
    return fn


# --- pyexpat baselines ------------------------------------------------------------------------


def raw_pyexpat(data: bytes) -> None:
    """No handlers; the same configuration as the codec's parser (STYLE §5), one ``Parse``."""
    p = ParserCreate()
    p.buffer_text = True
    p.ordered_attributes = True
    p.Parse(data, True)


def _extractor(emit: Callable[[ItemTuple], object]) -> Any:
    """A hand-tuned pyexpat reader emitting ``(loc_uri, format, type, data)`` per Item.

    No namespace processing (``Format xmlns="syncml:metinf"`` is just an attribute), text
    collected with ``list.append`` and joined at the end tag; only Items are looked at.
    """
    p = ParserCreate()
    p.buffer_text = True
    p.ordered_attributes = True
    text: list[str] = []
    clear = text.clear
    join = "".join
    loc: str | None = None
    fmt: str | None = None
    typ: str | None = None
    data: str | None = None
    in_item = False

    def start(name: str, attrs: list[str]) -> None:
        nonlocal in_item, loc, fmt, typ, data
        clear()
        if name == "Item":
            in_item = True
            loc = fmt = typ = data = None

    def end(name: str) -> None:
        nonlocal in_item, loc, fmt, typ, data
        if not in_item:
            return
        if name == "Data":
            data = join(text)
        elif name == "LocURI":
            loc = join(text)
        elif name == "Format":
            fmt = join(text)
        elif name == "Type":
            typ = join(text)
        elif name == "Item":
            in_item = False
            emit((loc, fmt, typ, data))

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = text.append
    return p


def hand_extract(data: bytes) -> list[ItemTuple]:
    """All Items of an in-memory package, via the hand-tuned extractor."""
    out: list[ItemTuple] = []
    _extractor(out.append).Parse(data, True)
    return out


def hand_stream(path: Path | str, chunk: int = CHUNK) -> Iterator[ItemTuple]:
    """Items of a package on disk, read in ``chunk``-byte pieces (constant memory)."""
    out: list[ItemTuple] = []
    parser = _extractor(out.append)
    with open(path, "rb") as f:
        while block := f.read(chunk):
            parser.Parse(block, False)
            yield from out
            out.clear()
    parser.Parse(b"", True)
    yield from out


def _count(it: Iterator[Any]) -> int:
    n = 0
    for _ in it:
        n += 1
    return n


# --- tree baselines ---------------------------------------------------------------------------

_S = "{" + NS_SYNCML + "}"
_M = "{" + NS_METINF + "}"
_LOC = f"{_S}Source/{_S}LocURI"
_FMT = f"{_S}Meta/{_M}Format"
_TYP = f"{_S}Meta/{_M}Type"
_DATA = f"{_S}Data"


def _etree_iter(path: Path) -> Iterator[ItemTuple]:
    parent: Any = None
    for event, el in ET.iterparse(path, events=("start", "end")):
        if event == "start":
            if el.tag == _S + "Results":
                parent = el
        elif el.tag == _S + "Item":
            yield (el.findtext(_LOC), el.findtext(_FMT), el.findtext(_TYP), el.findtext(_DATA))
            if parent is not None:
                parent.remove(el)


def _lxml_iter(path: Path) -> Iterator[ItemTuple]:
    from lxml import etree

    for _, el in etree.iterparse(str(path), events=("end",), tag=_S + "Item"):
        yield (el.findtext(_LOC), el.findtext(_FMT), el.findtext(_TYP), el.findtext(_DATA))
        el.clear(keep_tail=True)
        while el.getprevious() is not None:
            del el.getparent()[0]


def _lxml_fromstring(data: bytes) -> Any:
    from lxml import etree

    return etree.fromstring(data)


def _defused_fromstring(data: bytes) -> Any:
    import defusedxml.ElementTree as DET

    return DET.fromstring(data)


def _xmltodict_parse(data: bytes) -> Any:
    import xmltodict

    return xmltodict.parse(data)


@functools.cache
def _xsdata_parser() -> Any:
    from xsdata.formats.dataclass.parsers import XmlParser

    return XmlParser()


def _xsdata_parse(data: bytes) -> Any:
    from ._xsdata_models import SyncML

    return _xsdata_parser().from_bytes(data, SyncML)


@functools.cache
def _xsdata_serializer() -> Any:
    from xsdata.formats.dataclass.serializers import XmlSerializer

    return XmlSerializer()


def _xsdata_render(obj: Any) -> bytes:
    out: str = _xsdata_serializer().render(obj, ns_map={None: NS_SYNCML, "mi": NS_METINF})
    return out.encode("utf-8")


def _lxml_tree(w: Workload) -> Any:
    from lxml import etree

    return build_etree(w.specs, etree)


def _lxml_tostring(root: Any) -> bytes:
    from lxml import etree

    out: bytes = etree.tostring(root, encoding="utf-8")
    return out


def _lxml_build_tostring(specs: list[Any]) -> bytes:
    """Objects -> bytes with lxml: build the tree from the objects, then ``tostring``.

    This is what serializing a model with lxml costs (the tree does not exist beforehand);
    the ``lxml.etree.tostring`` row times only the last step.
    """
    from lxml import etree

    out: bytes = etree.tostring(build_etree(specs, etree), encoding="utf-8")
    return out


def _etree_build_tostring(specs: list[Any]) -> bytes:
    """Objects -> bytes with the stdlib: build the ElementTree tree, then ``tostring``."""
    out: bytes = ET.tostring(build_etree(specs), encoding="utf-8")
    return out


def _etree_tostring(root: ET.Element) -> bytes:
    out: bytes = ET.tostring(root, encoding="utf-8")
    return out


# --- codec plug points ------------------------------------------------------------------------


def _codec_parse(data: bytes) -> Any:
    return _codec("parse")(data)


def _codec_iter_items(path: Path) -> int:
    return _count(iter(_codec("iter_items")(path)))


def _file_chunks(path: Path) -> Iterator[bytes]:
    """The file as an iterable of 64 KiB chunks, the way an HTTP body arrives."""
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            yield block


def _codec_iter_items_chunks(path: Path) -> int:
    return _count(iter(_codec("iter_items")(_file_chunks(path))))


def _codec_serialize(obj: Any) -> bytes:
    out: bytes = _codec("serialize")(obj)
    return out


def _codec_serialize_wbxml(obj: Any) -> bytes:
    out: bytes = _codec("serialize")(obj, format="wbxml")
    return out


def _codec_validate(data: bytes) -> list[Any]:
    return list(_codec("validate")(data))


def _wbxml_bytes(w: Workload) -> bytes:
    return _codec_serialize_wbxml(build_codec_model(w.specs))


# --- WBXML: our codec against libwbxml's command-line tools (the real peer) -----------------


def _libwbxml_check() -> str | None:
    missing = [t for t in ("xml2wbxml", "wbxml2xml") if shutil.which(t) is None]
    if not missing:
        return None
    return f"{', '.join(missing)} not installed (apt-get install libwbxml2-utils)"


def _wbxml_file(w: Workload) -> Path:
    """The workload as WBXML on disk (our encoder's output, which libwbxml reads)."""
    path = w.path.with_suffix(".wbxml")
    if not path.exists():
        path.write_bytes(_wbxml_bytes(w))
    return path


def _libwbxml(tool: str, src: Path) -> int:
    """One whole ``tool`` process (start, read, convert, write), as a user of the CLI pays."""
    out = src.with_suffix(src.suffix + ".out")
    subprocess.run([tool, "-o", str(out), str(src)], check=True, capture_output=True)
    return out.stat().st_size


def _wbxml2xml(src: Path) -> int:
    return _libwbxml("wbxml2xml", src)


def _xml2wbxml(src: Path) -> int:
    return _libwbxml("xml2wbxml", src)


# --- validation -------------------------------------------------------------------------------


def _bundled_xsd() -> Any:
    """The codec's own reference: the bundled SyncML 1.2 XSD (with MetInf), built once, offline."""
    return importlib.import_module("syncml_codec._validate.xsd").schema_12()


def _prepare_bundled(w: Workload) -> tuple[Any, bytes]:
    return _bundled_xsd(), w.data


def _is_valid(arg: tuple[Any, bytes]) -> bool:
    schema, data = arg
    return bool(schema.is_valid(io.BytesIO(data)))


def _iter_errors(arg: tuple[Any, bytes]) -> int:
    schema, data = arg
    return _count(schema.iter_errors(io.BytesIO(data)))


def _bundled_check() -> str | None:
    return None if importlib.util.find_spec("syncml_codec._validate.xsd") else "no bundled XSD"


def _data(w: Workload) -> bytes:
    return w.data


def _path(w: Workload) -> Path:
    return w.path


def _specs(w: Workload) -> Any:
    return w.specs


def _etree_model(w: Workload) -> Any:
    return build_etree(w.specs)


def _xsdata_model(w: Workload) -> Any:
    return build_xsdata(w.specs)


def _codec_model(w: Workload) -> Any:
    return build_codec_model(w.specs)


def _hand_stream_count(path: Path) -> int:
    return _count(hand_stream(path))


def _etree_iter_count(path: Path) -> int:
    return _count(_etree_iter(path))


def _lxml_iter_count(path: Path) -> int:
    return _count(_lxml_iter(path))


IMPLS: tuple[Impl, ...] = (
    # parse: bytes in memory -> something
    Impl("parse", "raw pyexpat (no handlers)", _data, raw_pyexpat, label="raw"),
    Impl("parse", "etree.fromstring (C)", _data, ET.fromstring, label="etree"),
    Impl("parse", "hand-tuned pyexpat extractor", _data, hand_extract, label="hand"),
    Impl("parse", "lxml.etree.fromstring", _data, _lxml_fromstring, label="lxml",
         requires=("lxml",)),
    Impl("parse", "xmltodict.parse", _data, _xmltodict_parse, label="x2d",
         requires=("xmltodict",)),
    Impl("parse", "xsdata XmlParser", _data, _xsdata_parse, label="xsdata",
         requires=("xsdata",), note="default handler (lxml if installed)"),
    Impl("parse", "defusedxml.ElementTree", _data, _defused_fromstring,
         requires=("defusedxml",)),
    Impl("parse", "syncml_codec.parse", _data, _codec_parse, codec=("parse",)),
    Impl("parse", "syncml_codec.parse (wbxml)", _wbxml_bytes, _codec_parse,
         codec=("parse", "serialize"), note="input from serialize(format='wbxml')"),
    # stream: path on disk -> Items, chunked
    Impl("stream", "hand-tuned pyexpat, 64K chunks", _path, _hand_stream_count, label="hand"),
    Impl("stream", "etree.iterparse + remove", _path, _etree_iter_count, label="iterparse"),
    Impl("stream", "lxml.iterparse + clear", _path, _lxml_iter_count, label="lxml",
         requires=("lxml",)),
    Impl("stream", "syncml_codec.iter_items", _path, _codec_iter_items, codec=("iter_items",)),
    Impl("stream", "syncml_codec.iter_items (chunks)", _path, _codec_iter_items_chunks,
         codec=("iter_items",), note="an iterable of 64 KiB chunks: the fast path, spilled"),
    # serialize: equivalent object -> bytes
    Impl("serialize", "str.join + manual escape", _specs, _render_package, label="join"),
    Impl("serialize", "etree.tostring", _etree_model, _etree_tostring, label="etree"),
    Impl("serialize", "lxml.etree.tostring", _lxml_tree, _lxml_tostring, label="lxml",
         requires=("lxml",)),
    Impl("serialize", "lxml: build tree + tostring", _specs, _lxml_build_tostring,
         label="lxml-b", requires=("lxml",), note="objects -> bytes, tree built in the run"),
    Impl("serialize", "etree: build tree + tostring", _specs, _etree_build_tostring,
         label="etree-b", note="objects -> bytes, tree built in the run"),
    Impl("serialize", "xsdata XmlSerializer", _xsdata_model, _xsdata_render, label="xsdata",
         requires=("xsdata",)),
    Impl("serialize", "syncml_codec.serialize", _codec_model, _codec_serialize,
         codec=("serialize",)),
    Impl("serialize", "syncml_codec.serialize (wbxml)", _codec_model, _codec_serialize_wbxml,
         codec=("serialize",)),
    # validate: bytes -> verdict
    Impl("validate", "xmlschema.is_valid (bundled XSD)", _prepare_bundled, _is_valid,
         label="xsd", requires=("xmlschema",), check=_bundled_check,
         note="the reference: the bundled 1.2 XSD"),
    Impl("validate", "xmlschema.iter_errors (bundled XSD)", _prepare_bundled, _iter_errors,
         label="xsd-err", requires=("xmlschema",), check=_bundled_check),
    Impl("validate", "syncml_codec.validate", _data, _codec_validate, codec=("validate",)),
    # wbxml: decode and encode, ours against libwbxml's CLI (a whole process each run)
    Impl("wbxml", "syncml_codec.parse (xml)", _data, _codec_parse, label="parse",
         codec=("parse",)),
    Impl("wbxml", "syncml_codec.parse (wbxml)", _wbxml_bytes, _codec_parse, codec=("parse",)),
    Impl("wbxml", "libwbxml wbxml2xml (process)", _wbxml_file, _wbxml2xml, label="w2x",
         check=_libwbxml_check, note="whole process: start, decode, write XML",
         max_n=10_000),  # libwbxml's decoder is superlinear: >150 s for 40 MB
    Impl("wbxml", "syncml_codec.serialize (xml)", _codec_model, _codec_serialize, label="ser",
         codec=("serialize",)),
    Impl("wbxml", "syncml_codec.serialize (wbxml)", _codec_model, _codec_serialize_wbxml,
         codec=("serialize",)),
    Impl("wbxml", "libwbxml xml2wbxml (process)", _path, _xml2wbxml, label="x2w",
         check=_libwbxml_check, note="whole process: start, encode, write WBXML",
         max_n=1_000),  # libwbxml's encoder: ~2 s for 0.4 MB, superlinear beyond
    # csp: validate with and without the CSP rules, on N Replace of real DDF nodes
    Impl("csp", "syncml_codec.validate (CSP package)", csp_workload.csp_package,
         csp_workload.validate_only, label="validate", codec=("validate",)),
    Impl("csp", "validate + check_csp (validate --csp)", csp_workload.prepare_csp,
         csp_workload.validate_csp, codec=("validate",), note="target: x validate >= 0.5"),
)  # fmt: skip


from .packing_workload import packing_impls  # noqa: E402 - the packing rows live there

IMPLS += packing_impls(Impl)


def impls_for(case: str) -> list[Impl]:
    """The rows of one case, in table order."""
    return [i for i in IMPLS if i.case == case]


def find_impl(case: str, name: str) -> Impl:
    """Look a row up by case and name (used by the memory subprocess)."""
    for impl in IMPLS:
        if impl.case == case and impl.name == name:
            return impl
    raise KeyError(f"{case}/{name}")
