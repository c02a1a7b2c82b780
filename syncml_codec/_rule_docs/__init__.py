"""Why each rule exists, with a minimal bad and good example (``syncml-codec rules CODE``).

One table, ``RULE_DOCS``: rule code -> ``RuleDoc``, for every code of ``validate.RULES``,
``auth.AUTH_RULES`` and ``csp.CSP_RULES``. The ``why`` says what goes wrong on a real device
or server when the rule is broken and cites the primary document. ``bad`` reports the code
and ``good`` (the same, fixed) does not, when checked with the entry's options: ``profile``,
``request`` and ``schema`` as ``validate()`` takes them, ``limits`` for ``LIMIT``, and for the
``C3xx`` codes ``check_csp`` (``validate --csp``) with ``os_build``. tests/test_rule_docs.py
holds every example to that, so the examples cannot drift from the checks.
"""

from __future__ import annotations

from typing import Final

from ._common import RuleDoc
from ._families import DOCS as _FAMILIES
from ._protocol import DOCS as _PROTOCOL
from ._structure import DOCS as _STRUCTURE

__all__ = ["RULE_DOCS", "RuleDoc"]

#: Rule code -> its explanation: one table, kept in three files by layer.
RULE_DOCS: Final[dict[str, RuleDoc]] = {**_STRUCTURE, **_PROTOCOL, **_FAMILIES}
