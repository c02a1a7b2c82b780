"""Shared configuration: Hypothesis profiles, the test helpers' folder on sys.path, and the
atheris harness in tests/fuzz kept out of collection.

Test modules import shared helpers (``strategies``, ``corpus``) from this folder, which is put
on ``sys.path`` here because ``--import-mode=importlib`` does not do it.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

collect_ignore = ["fuzz"]

#: The one Hypothesis profile of a run: HYPOTHESIS_PROFILE ("ci" or "dev"), default "dev".
PROFILES: dict[str, int] = {"ci": 200, "dev": 60}  # profile -> max_examples


def load_profile() -> str:
    """Register this suite's profiles and load the one the environment names."""
    for name, examples in PROFILES.items():
        settings.register_profile(
            name,
            max_examples=examples,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
    name = os.environ.get("HYPOTHESIS_PROFILE", "dev")
    settings.load_profile(name)
    return name


load_profile()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Set the profile once more after every test module is imported: a module that registers
    or loads a profile at import time must not change the example count of the others
    (which would then depend on collection order)."""
    load_profile()


DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(autouse=True)
def _every_json_report_is_schema_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever test renders a validate JSON report, the report must validate against the
    shipped JSON Schema and carry the exit code the run returns."""
    import jsonschema

    from syncml_codec import report

    original = report.Report.to_json

    @functools.wraps(original)  # the docs test reads its docstring
    def checked(self: report.Report) -> str:
        text = original(self)
        document = json.loads(text)
        jsonschema.validate(document, report.report_schema())
        assert document["exit_code"] == self.exit_code
        assert document["verdict"] == self.verdict
        return text

    monkeypatch.setattr(report.Report, "to_json", checked)
