"""One Hypothesis profile for the whole run, whatever the test modules do at import."""

from __future__ import annotations

import os

import conftest
from hypothesis import settings


def current() -> settings:
    default = settings.default
    assert default is not None
    return default


def test_one_profile_for_the_run() -> None:
    name = os.environ.get("HYPOTHESIS_PROFILE", "dev")
    assert current().max_examples == conftest.PROFILES[name]
    assert current().deadline is None


def test_a_module_loading_a_profile_at_import_does_not_win() -> None:
    """What test_hostile does at import (register and load its own profile) is undone once
    collection ends; checked here by doing it and running the conftest hook."""
    before = current().max_examples
    settings.register_profile("imported-module", max_examples=before + 7)
    settings.load_profile("imported-module")
    assert current().max_examples == before + 7
    conftest.pytest_collection_finish(None)  # type: ignore[arg-type]
    assert current().max_examples == before
