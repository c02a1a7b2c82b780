"""Every ```python block of docs/pages/auth.md runs as written; the page lists every rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from syncml_codec.auth import AUTH_RULES

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "pages" / "auth.md"
TEXT = PAGE.read_text("utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, re.S)


def test_page_has_client_server_and_engine_examples() -> None:
    assert len(BLOCKS) == 3


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_page_example_runs(index: int) -> None:
    exec(compile(BLOCKS[index], f"docs/pages/auth.md block {index + 1}", "exec"), {})


def test_page_lists_every_rule_with_its_severities() -> None:
    for rule in AUTH_RULES:
        assert f"| {rule.code} | {rule.oma} | {rule.windows} |" in TEXT


def test_rule_reference_lists_every_rule() -> None:
    rules_page = (ROOT / "docs" / "pages" / "rules.md").read_text("utf-8")
    for rule in AUTH_RULES:
        assert f"## {rule.code}" in rules_page
