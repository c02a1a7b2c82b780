"""The xmlschema wrapper: cached offline schemas and XSD diagnostics with line and column.

Strategy:
    1. One pyexpat scan of the bytes (``_scan``) is the gate: it refuses a DOCTYPE, entity
       declarations and external references (defusedxml's policy, DTDs always refused),
       reports input that is not well-formed (XML001, XML002), and records the 1-based start
       position of every element in document order. Cost: O(n), a small fraction of the
       schema validation that follows.
    2. xmlschema parses the same bytes again (``defuse="always"``, ``allow="none"``: no
       resource may be fetched) and validates the tree with the schema chosen by the root
       namespace: ``SYNCML:SYNCML1.1`` selects the 1.1 schema, anything else the 1.2 one.
    3. Each xmlschema error names an element of that tree. Stdlib elements carry no source
       line, so the k-th element of the tree in document order is mapped to the k-th start
       position recorded by the scan. Both parsers see the same elements in the same order.

Paths are built by ``_paths.format_path`` (the one form: ``[n]`` exactly where the table
says a child repeats). Two checks complement xmlschema where it departs from XML 1.0 or where
a profile relaxes the schema: text in element-only content that ``str.isspace`` accepts but
XML 1.0 does not call white space (U+2003 EM SPACE) is an XSD001 like any other text there;
with ``windows=True`` the documented relaxations S117 (Meta before Target/Source in Item) and
S118 (Format/Type without ``syncml:metinf``) are reported as warnings and the tree is put in
the strict form before the schema sees it. xmlschema's own nesting limit is a LIMIT finding.

Fragments (the root is a command such as ``<Alert>`` with no namespace, as in the OMA
specification examples) are validated against the global 1.2 declarations: their
namespace-less elements are moved into ``SYNCML:SYNCML1.2`` first, except inside ``Data``,
whose content is open. A namespace-less ``<SyncML>`` root is not a fragment and is reported.

The schemas are built once per process under ``functools.cache`` (a build costs ~115 ms),
from the bundled files only: ``allow="sandbox"`` confines every load to the schema directory
and ``locations`` maps ``syncml:metinf`` to the bundled ``metinf12.xsd``.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final
from xml.etree.ElementTree import Element
from xml.parsers import expat

from syncml_codec import model
from syncml_codec._expat import scan_elements
from syncml_codec._paths import format_path, root_spec
from syncml_codec._resources import schema_root
from syncml_codec._table import CLASS_SPECS, COMMAND_CLASSES, ClassSpec
from syncml_codec.codes import NS_METINF, NS_SYNCML11, NS_SYNCML12
from syncml_codec.diagnostics import Diagnostic, Severity
from syncml_codec.errors import ForbiddenConstruct

if TYPE_CHECKING:  # xmlschema costs ~250 ms to import: only the XSD path pays for it
    import xmlschema

__all__ = [
    "CODE_FORBIDDEN",
    "CODE_LIMIT",
    "CODE_NOT_WELL_FORMED",
    "CODE_SCHEMA",
    "schema_11",
    "schema_12",
    "schema_for",
    "xsd_diagnostics",
]

#: Rule code: the document breaks the bundled XSD (order, cardinality, value, unknown element).
CODE_SCHEMA = "XSD001"
#: Rule code: the input is not well-formed XML (what expat rejects).
CODE_NOT_WELL_FORMED = "XML001"
#: Rule code: a DOCTYPE, entity declaration or external reference, which are refused.
CODE_FORBIDDEN = "XML002"
#: Rule code: the input exceeds a limit (``Limits``, or xmlschema's own nesting limit).
CODE_LIMIT = "LIMIT"

_SCHEMA_FILES = {NS_SYNCML12: "syncml12.xsd", NS_SYNCML11: "syncml11.xsd"}
_METINF_FILE = "metinf12.xsd"


def _build(name: str) -> xmlschema.XMLSchema10:
    import xmlschema

    root = schema_root()
    return xmlschema.XMLSchema10(
        str(root / name),
        base_url=str(root),
        allow="sandbox",
        defuse="always",
        locations={NS_METINF: str(root / _METINF_FILE)},
    )


@functools.cache
def schema_12() -> xmlschema.XMLSchema10:
    """Return the bundled SyncML 1.2 schema (with MetInf), built once per process."""
    return _build(_SCHEMA_FILES[NS_SYNCML12])


@functools.cache
def schema_11() -> xmlschema.XMLSchema10:
    """Return the bundled SyncML 1.1 (OMA DM 1.1.2) schema (with MetInf), built once."""
    return _build(_SCHEMA_FILES[NS_SYNCML11])


def schema_for(namespace: str) -> xmlschema.XMLSchema10:
    """Return the schema for a root namespace: 1.1 for ``SYNCML:SYNCML1.1``, else 1.2."""
    return schema_11() if namespace == NS_SYNCML11 else schema_12()


# --- the pyexpat gate and position recorder --------------------------------------------------


@dataclass(slots=True)
class _Scan:
    """What the pyexpat scan found: element start positions or the first problem."""

    starts: list[tuple[int, int]] = field(default_factory=list)
    problem: Diagnostic | None = None


def _scan(data: bytes) -> _Scan:
    result = _Scan()
    starts = result.starts
    try:
        scan_elements(
            data,
            lambda _n, _a, line, col: starts.append((line, col)),
            namespaces=True,
            refuse_dtd=True,
        )
    except ForbiddenConstruct as exc:
        line, col = (exc.position.line, exc.position.column) if exc.position else (0, 0)
        result.problem = Diagnostic("error", CODE_FORBIDDEN, exc.message, line, col)
    except expat.ExpatError as exc:
        message = f"XML syntax error: {expat.ErrorString(exc.code)}"
        result.problem = Diagnostic(
            "error", CODE_NOT_WELL_FORMED, message, exc.lineno, exc.offset + 1
        )
    return result


# --- error mapping ---------------------------------------------------------------------------

_SYNCML_NS_RE = re.compile(r"\{SYNCML:SYNCML1\.[12]\}")
_PREFIX_RE = re.compile(r"'(s|mi):([\w.-]+)'")


def _clean(reason: str) -> str:
    """Drop SyncML namespaces and schema-internal prefixes from an xmlschema reason."""
    reason = _SYNCML_NS_RE.sub("", reason)
    return _PREFIX_RE.sub(
        lambda m: f"'{m[2]}'" if m[1] == "s" else f"'{{{NS_METINF}}}{m[2]}'", reason
    )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class _TreeIndex:
    """Document order and parents of the elements of one tree, built on first use."""

    def __init__(self, root: Element) -> None:
        self.order: dict[int, int] = {}
        self.parent: dict[int, Element] = {}
        for elem in root.iter():
            if isinstance(elem.tag, str):
                self.order[id(elem)] = len(self.order)
            for child in elem:
                self.parent[id(child)] = elem

    def xpath(self, elem: Element) -> str:
        """The element's path in the one form of ``_paths`` (``[n]`` where the table repeats)."""
        steps: list[tuple[str, int]] = []
        node: Element | None = elem
        while node is not None:
            parent = self.parent.get(id(node))
            n = 1
            if parent is not None:
                for sibling in parent:
                    if sibling is node:
                        break
                    n += sibling.tag == node.tag
            steps.append((_local(node.tag), n))
            node = parent
        return format_path(reversed(steps))


def _as_fragment(root: Element) -> None:
    """Move namespace-less elements into the 1.2 namespace, leaving Data content alone."""
    stack = [root]
    while stack:
        elem = stack.pop()
        if isinstance(elem.tag, str) and not elem.tag.startswith("{"):
            elem.tag = f"{{{NS_SYNCML12}}}{elem.tag}"
        if _local(elem.tag) != "Data":
            stack.extend(elem)


_COMMAND_NAMES: Final = frozenset(cls.XML_NAME for cls in COMMAND_CLASSES)  # type: ignore[attr-defined]


def _assign_cmd_ids(container: Element, namespace: str) -> None:
    """Give each command of a snippet file without a CmdID one, as the server will."""
    for cmd in container:
        local = _local(cmd.tag) if isinstance(cmd.tag, str) else ""
        if local not in _COMMAND_NAMES:
            continue
        if not any(isinstance(c.tag, str) and _local(c.tag) == "CmdID" for c in cmd):
            assigned = Element(f"{{{namespace}}}CmdID")
            assigned.text = "1"
            cmd.insert(0, assigned)
        if local in ("Atomic", "Sequence"):
            _assign_cmd_ids(cmd, namespace)


# XML 1.0 production S: only these four are white space. str.isspace() (which xmlschema's
# content check follows) also accepts U+2003 EM SPACE, U+00A0 and others.
_XML_SPACE: Final = " \t\r\n"


def _unicode_space(text: str | None) -> bool:
    """Text that ``str.isspace`` calls white space but XML 1.0 does not."""
    if not text:
        return False
    return text.strip(_XML_SPACE) != "" and not text.strip()


def _text_in_element_only(root: Element) -> Iterator[tuple[Element, str]]:
    """Elements of element-only content holding non-XML white space (S107's reading)."""
    start = root_spec(_local(root.tag))
    stack: list[tuple[Element, ClassSpec | None]] = [(root, start)]
    while stack:
        elem, spec = stack.pop()
        if spec is None:
            continue  # a leaf (text, Data, an unknown element): not element-only
        if _unicode_space(elem.text):
            yield elem, elem.text or ""
        for child in elem:
            if _unicode_space(child.tail):
                yield elem, child.tail or ""
            sub = spec.children.get(_local(child.tag))
            stack.append((child, sub.spec if sub is not None else None))


def _relax_windows(root: Element) -> Iterator[tuple[str, Element, str]]:
    """Apply the windows profile's documented relaxations (S117, S118) to the tree in place.

    Yields (rule code, element, message) for each; the tree then holds what the strict
    schema checks (Meta moved after Target/Source, Format/Type put into syncml:metinf).
    """
    order = [g[0].name for g in CLASS_SPECS[model.Item].fields]
    rank = {name: i for i, name in enumerate(order)}
    items = [e for e in root.iter() if isinstance(e.tag, str) and _local(e.tag) == "Item"]
    for item in items:
        names = [_local(c.tag) if isinstance(c.tag, str) else "" for c in item]
        rest = [rank.get(n, -1) for n in names if n != "Meta"]
        if "Meta" in names and rest == sorted(rest):
            meta = item[names.index("Meta")]
            moved = [
                c for c in item if c is not meta and rank.get(_local(c.tag), 99) < rank["Meta"]
            ]
            late = [c for c in moved if names.index(_local(c.tag)) > names.index("Meta")]
            if late:
                for c in late:
                    yield "S117", c, f"{_local(c.tag)} after Meta in Item; expected Meta after it"
                item.remove(meta)
                item.insert(list(item).index(late[-1]) + 1, meta)
        for meta in (c for c in item if isinstance(c.tag, str) and _local(c.tag) == "Meta"):
            for child in meta:
                if isinstance(child.tag, str) and _local(child.tag) in ("Format", "Type"):
                    ns = child.tag[1:].partition("}")[0] if child.tag.startswith("{") else ""
                    if ns != NS_METINF and ns in ("", NS_SYNCML12, NS_SYNCML11):
                        yield (
                            "S118",
                            child,
                            f'MetInf element {_local(child.tag)} has no xmlns="{NS_METINF}"',
                        )
                        child.tag = f"{{{NS_METINF}}}{_local(child.tag)}"


def _load(data: bytes) -> Element | Diagnostic:
    import xmlschema
    from xmlschema.exceptions import (
        XMLResourceExceeded,
        XMLResourceForbidden,
        XMLResourceParseError,
    )

    try:
        resource = xmlschema.XMLResource(io.BytesIO(data), allow="none", defuse="always")
    except XMLResourceForbidden as exc:  # the scan refuses more; kept as a second line
        return Diagnostic("error", CODE_FORBIDDEN, str(exc))
    except XMLResourceParseError as exc:
        return Diagnostic("error", CODE_NOT_WELL_FORMED, f"XML syntax error: {exc}")
    except (XMLResourceExceeded, RecursionError) as exc:
        return Diagnostic("error", CODE_LIMIT, f"the XSD reference validator's limit: {exc}")
    except (ValueError, KeyError) as exc:  # its defusing SAX pass splits expanded names on
        # white space: a namespace URI holding Unicode white space breaks it
        return Diagnostic("error", CODE_SCHEMA, f"the XSD validator cannot read it: {exc!r}")
    root: Element = resource.root
    return root


def xsd_diagnostics(
    data: bytes,
    *,
    windows: bool = False,
    max_diagnostics: int | None = None,
    snippet: bool = False,
) -> list[Diagnostic]:
    """Validate one message (or fragment) against the bundled schema.

    Args:
        data: the XML bytes, in any encoding expat reads.
        windows: apply the windows profile's relaxations first (S117, S118 warnings).
        max_diagnostics: stop after this many findings (a last LIMIT entry says so).
        snippet: ``data`` is a profile snippet file in its ``SyncBody`` wrapper: its commands
            may leave CmdID out (the server assigns it), so the schema is shown one.

    Returns:
        The diagnostics in document order; empty when the document is valid. ``XML001`` (not
        well-formed), ``XML002`` (DOCTYPE or entity) and ``LIMIT`` (xmlschema's own nesting
        limit) stop the check, so they come alone; every schema violation is an ``XSD001``
        with xmlschema's reason as the message.
    """
    from xmlschema.exceptions import XMLResourceExceeded

    scan = _scan(data)
    if scan.problem is not None:
        return [scan.problem]
    root = _load(data)
    if isinstance(root, Diagnostic):
        return [root]
    namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    if not namespace and root.tag != "SyncML":
        _as_fragment(root)
        namespace = NS_SYNCML12
    index = _TreeIndex(root)  # document order before any relaxation moves an element
    if snippet:
        _assign_cmd_ids(root, namespace)

    def at(severity: Severity, code: str, reason: str, elem: Element) -> Diagnostic:
        order = index.order.get(id(elem))
        line, column = scan.starts[order] if order is not None else (0, 0)
        return Diagnostic(severity, code, reason, line, column, index.xpath(elem))

    diags: list[Diagnostic] = []
    if windows:
        diags.extend(at("warning", code, msg, el) for code, el, msg in _relax_windows(root))
    try:
        diags.extend(_schema_errors(root, namespace, at, max_diagnostics))
    except (XMLResourceExceeded, RecursionError) as exc:
        return [Diagnostic("error", CODE_LIMIT, f"the XSD reference validator's limit: {exc}")]
    except (ValueError, KeyError) as exc:  # xmlschema refuses what it cannot name (a namespace
        # URI holding Unicode white space): the document is not one the schema can judge
        return [Diagnostic("error", CODE_SCHEMA, f"the XSD validator cannot read it: {exc!r}")]
    diags.extend(
        at(
            "error",
            CODE_SCHEMA,
            f"character data {text.strip(_XML_SPACE)[:20]!r} is not allowed in element-only"
            f" content of {_local(elem.tag)} (only space, tab, CR and LF are XML white space)",
            elem,
        )
        for elem, text in _text_in_element_only(root)
    )
    return diags


def _schema_errors(
    root: Element,
    namespace: str,
    at: Callable[[Severity, str, str, Element], Diagnostic],
    cap: int | None,
) -> Iterator[Diagnostic]:
    from xmlschema.validators.exceptions import XMLSchemaChildrenValidationError

    for n, error in enumerate(schema_for(namespace).iter_errors(root)):
        if cap is not None and n >= cap:
            yield Diagnostic(
                "error",
                CODE_LIMIT,
                f"more XSD findings were not reported (limit max_diagnostics={cap})",
            )
            return
        elem = error.elem
        if (
            isinstance(error, XMLSchemaChildrenValidationError)
            and elem is not None
            and 0 <= error.index < len(elem)
        ):
            elem = elem[error.index]  # point at the offending child, not its parent
        reason = _clean(error.reason or error.message)
        if elem is None:
            yield Diagnostic("error", CODE_SCHEMA, reason, xpath=error.path or "")
        else:
            yield at("error", CODE_SCHEMA, reason, elem)
