"""Shared pytest configuration: the atheris harness in tests/fuzz is never collected."""

from __future__ import annotations

collect_ignore = ["fuzz"]
