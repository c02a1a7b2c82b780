"""The README's examples run as written and print what the README shows.

Every ```python block runs; when the block is followed by "It prints:" and a ```text block,
its printed output must equal that text exactly (the docs are tested, not trusted). The docs
site's quickstart page holds the same quickstart block, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")
EXAMPLE = re.compile(r"```python\n(.*?)```\n(?:\nIt prints:\n\n```text\n(.*?)```\n)?", re.S)
BLOCKS = EXAMPLE.findall(README)


def test_readme_has_examples_with_their_output() -> None:
    assert len(BLOCKS) >= 2
    assert all(shown for _, shown in BLOCKS)  # every example shows what it prints


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_example_prints_what_the_readme_shows(
    index: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code, shown = BLOCKS[index]
    exec(compile(code, f"README.md block {index + 1}", "exec"), {})
    assert capsys.readouterr().out == shown


def test_docs_quickstart_is_the_readme_quickstart() -> None:
    page = ROOT / "docs" / "pages" / "quickstart.md"
    if not page.is_file():
        pytest.skip("docs/ is not part of this tree")
    assert BLOCKS[0][0] in page.read_text("utf-8")


def test_readme_names_only_files_that_exist() -> None:
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if "://" not in target:
            assert (ROOT / target).exists(), target
