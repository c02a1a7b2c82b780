"""Diagnostics: deviations found by the tolerant parser and findings of the validator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Diagnostic", "Severity"]

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a stable rule code, a message, and where (1-based line and column)."""

    severity: Severity
    code: str
    message: str
    line: int = 0
    column: int = 0
    xpath: str = ""

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}: " if self.line else ""
        tail = f" - at {self.xpath}" if self.xpath else ""
        return f"{where}{self.severity}: {self.message} [{self.code}]{tail}"
