"""What the catalogue knows about one node of a Windows CSP's management tree.

A ``CspNode`` carries the DDF ``DFProperties`` of one ``<Node>`` (OMA-TS-DM_TND "DDF" section;
Microsoft Learn "Configuration service provider DDF files", DDF v2 ``MSFT:`` elements) and
its children: static children by name, and at most one dynamic child (a node whose
``NodeName`` is empty, so the server or the client chooses the name).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["AllowedValues", "Applicability", "CspNode"]


@dataclass(frozen=True, slots=True)
class AllowedValues:
    """``MSFT:AllowedValues``: what a value written to the node may be.

    Attributes:
        kind: the ``ValueType``: ``ENUM``, ``Range``, ``RegEx``, ``ADMX``, ``Flag``, ``XSD``,
            ``JSON``, ``SDDL`` or ``None``.
        values: the ``MSFT:Enum`` values (ENUM, Flag), or the single ``MSFT:Value`` text
            (Range such as ``[0-23]``, RegEx, XSD).
        descriptions: the ``MSFT:ValueDescription`` of each enum value (same order).
        admx: ``(Area, Name, File)`` of ``MSFT:AdmxBacked``, for ADMX-backed policies.
    """

    kind: str
    values: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()
    admx: tuple[str, str, str] | None = None


@dataclass(frozen=True, slots=True)
class Applicability:
    """``MSFT:Applicability``: the OS builds and CSP version that have the node.

    Attributes:
        os_build: ``MSFT:OsBuildVersion`` as written, e.g. ``10.0.14393`` or the list form
            ``10.0.22621, 10.0.22000.918`` (first build of each servicing branch).
        csp_version: ``MSFT:CspVersion``.
        editions: ``MSFT:EditionAllowList`` as written (``0x4;0x1B;...``), or empty.
    """

    os_build: str = ""
    csp_version: str = ""
    editions: str = ""


@dataclass(slots=True, eq=False)
class CspNode:
    """One node of the management tree, with its DDF properties.

    Attributes:
        name: the ``NodeName``; empty for a dynamic node.
        title: ``DFTitle`` (the display name of a dynamic node), or empty.
        access: the ``AccessType`` commands (Add, Delete, Exec, Get, Replace; v1 files may
            also have Copy or a non-standard Set).
        format: the ``DFFormat`` (chr, int, bool, node, null, b64, xml, time, bin, float).
        occurrence: the ``Occurrence`` (One, ZeroOrOne, ZeroOrMore, OneOrMore, ...).
        scope: the DDF ``Scope``: ``Permanent`` or ``Dynamic`` (not device/user).
        mime: the ``DFType`` text (``MIME`` or ``DDFName``), or empty.
        default: ``DefaultValue``, or None.
        allowed: ``MSFT:AllowedValues``, or None.
        applicability: ``MSFT:Applicability``, or None.
        atomic_required: ``MSFT:AtomicRequired``: writes must be inside an Atomic.
        deprecated: None when not deprecated; else the ``OsBuildDeprecated`` (may be empty).
        description: the ``Description`` text, stripped.
        source: the DDF file that declared the node.
        children: the static children by name.
        dynamic: the dynamic child (empty ``NodeName``), or None.
        name_must_contain: a dynamic child matches only names containing this text (used
            for Policy ``Config/<Area>``: an area no DDF names must be an ingested ADMX area).
        mirror: for ``Policy/Result``: the ``Config`` node whose children this one reports
            read-only (Get), as the Policy CSP page describes.
    """

    name: str
    title: str = ""
    access: frozenset[str] = frozenset()
    format: str = ""
    occurrence: str = ""
    scope: str = ""
    mime: str = ""
    default: str | None = None
    allowed: AllowedValues | None = None
    applicability: Applicability | None = None
    atomic_required: bool = False
    deprecated: str | None = None
    description: str = ""
    source: str = ""
    children: dict[str, CspNode] = field(default_factory=dict)
    dynamic: CspNode | None = None
    name_must_contain: str = ""
    mirror: CspNode | None = None

    @property
    def display(self) -> str:
        """The name shown in paths: the NodeName, or ``{DFTitle}`` (``{Name}``) when dynamic."""
        if self.name:
            return self.name
        return "{" + (self.title or "Name") + "}"

    def child(self, name: str) -> CspNode | None:
        """The static child ``name``, else the dynamic child if ``name`` may be its name."""
        node = self.children.get(name)
        if node is not None:
            return node
        dyn = self.dynamic
        if dyn is not None and (not dyn.name_must_contain or dyn.name_must_contain in name):
            return dyn
        return None

    def count(self) -> tuple[int, int]:
        """(nodes, dynamic nodes) in this subtree, this node included (mirrors excluded)."""
        nodes, dynamic = 1, 0 if self.name else 1
        subs = list(self.children.values())
        if self.dynamic is not None:
            subs.append(self.dynamic)
        for sub in subs:
            n, d = sub.count()
            nodes += n
            dynamic += d
        return nodes, dynamic
