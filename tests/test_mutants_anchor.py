"""The mutant script (tests/mutants/inject.py) keeps working as the code changes (issue 14).

Every mutant is a patch found by an exact text anchor in today's package source. When a change
moves or rewrites an anchor, this test fails with the mutant's name, so the script is updated
in the same change instead of silently testing nothing.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).parent / "mutants" / "inject.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("syncml_mutants_inject", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


INJECT = _load()


@pytest.mark.parametrize("mutant", INJECT.MUTANTS, ids=lambda m: m.name)
def test_anchor_matches_exactly_once(mutant: Any) -> None:
    source = (INJECT.PACKAGE / mutant.path).read_text("utf-8")
    count = source.count(mutant.anchor)
    assert count == 1, (
        f"mutant {mutant.name}: its anchor occurs {count} times in syncml_codec/"
        f"{mutant.path}; update tests/mutants/inject.py to today's code"
    )
    patched = mutant.apply(source)
    assert patched != source
    compile(patched, mutant.path, "exec")  # still Python


def test_every_mutant_names_existing_test_files() -> None:
    root = INJECT.ROOT
    names = [m.name for m in INJECT.MUTANTS]
    assert len(set(names)) == len(names) == 7
    for m in INJECT.MUTANTS:
        for test in m.tests:
            assert (root / test).is_file(), (m.name, test)


def test_a_stale_anchor_is_refused_with_the_mutant_name() -> None:
    with pytest.raises(ValueError, match=r"mutant 6-locuri-trailing-slash: anchor found 0 times"):
        INJECT.MUTANTS[5].apply("nothing to see")
