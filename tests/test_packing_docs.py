"""Every ```python block of docs/pages/packing.md runs as written, in order, in one namespace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "pages" / "packing.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text("utf-8"), re.S)


def test_packing_doc_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(BLOCKS) >= 2
    namespace: dict[str, object] = {}
    for i, block in enumerate(BLOCKS):
        exec(compile(block, f"docs/pages/packing.md block {i + 1}", "exec"), namespace)
    out = capsys.readouterr().out
    assert "True [False, True]" in out  # every message within 4096 bytes; Final on the last
    assert "equal: True ; last answers: []" in out
