"""Validation wing: the rule table, structure, protocol rules, positions, XSD reference.

``syncml_codec.validate`` is the function (``core.validate``); ``syncml_codec.RULES`` is the
documented home of the rule table (``rules.RULES``). Modules:

* ``rules``: ``RULES``, ``Rule``, ``PROFILES``, ``Profile``; ``select``/``ignore`` resolution.
* ``structure``: parser deviations mapped to rules by code; cardinality checks.
* ``protocol``: the DM protocol rules (one walk of the model) and request matching.
* ``positions``: the targeted scans that add line and column to path-only findings.
* ``xsd``: the xmlschema reference validator (``schema=True``).
* ``core``: the entry points ``validate`` and ``validate_or_raise``, and the hook
  ``EXTRA_CHECKERS`` for further rule families.
"""

from __future__ import annotations

from .core import validate, validate_or_raise
from .rules import PROFILES, RULES, Profile, Rule

__all__ = ["PROFILES", "RULES", "Profile", "Rule", "validate", "validate_or_raise"]
