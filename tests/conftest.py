"""Shared configuration: Hypothesis profiles, the test helpers' folder on sys.path, and the
atheris harness in tests/fuzz kept out of collection.

Test modules import shared helpers (``strategies``, ``corpus``) from this folder, which is put
on ``sys.path`` here because ``--import-mode=importlib`` does not do it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

collect_ignore = ["fuzz"]

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA
