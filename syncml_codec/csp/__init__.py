"""Windows CSP definitions (DDF) as a node catalogue, and the CSP rules C301-C308.

- ``read_ddf`` reads DDF v1/v2 files (a file, a directory or Microsoft's zip, not unpacked);
- ``Catalogue`` merges them into device and user trees and looks LocURIs up;
  ``bundled_catalogue()`` is the catalogue shipped with the package (Microsoft's Feb 2025
  release; see ``NOTICE`` beside it for provenance and Microsoft's MIT notice), loaded on
  first use; ``load_catalogue(path)`` reads another release;
- ``check_csp`` checks a message, a command or a tuple of commands against a catalogue and
  returns ``Diagnostic`` values with the codes of ``CSP_RULES``.
"""

from __future__ import annotations

from .catalogue import (
    BUNDLED_NAME,
    Catalogue,
    Match,
    WindowsScope,
    bundled_catalogue,
    load_catalogue,
)
from .ddf import DdfFile, read_ddf, read_ddf_bytes
from .node import AllowedValues, Applicability, CspNode
from .rules import CSP_RULES, check_csp, parse_os_build

__all__ = [
    "BUNDLED_NAME",
    "CSP_RULES",
    "AllowedValues",
    "Applicability",
    "Catalogue",
    "CspNode",
    "DdfFile",
    "Match",
    "WindowsScope",
    "bundled_catalogue",
    "check_csp",
    "load_catalogue",
    "parse_os_build",
    "read_ddf",
    "read_ddf_bytes",
]
