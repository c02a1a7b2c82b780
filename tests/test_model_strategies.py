"""The Hypothesis strategies generate the strings that break writers, on purpose.

``hypothesis.find`` searches each strategy for a value holding each hard string; a strategy
that never produces one (the old text strategy gave ``]]>`` in 0 of 3,000 values) fails here.
"""

from __future__ import annotations

import pytest
from hypothesis import find, settings
from strategies import HARD, data_values, texts

import syncml_codec as sc

SEARCH = settings(max_examples=2000, database=None)


@pytest.mark.parametrize("hard", HARD, ids=ascii)
def test_texts_hold_each_hard_string(hard: str) -> None:
    assert hard in find(texts, lambda s: hard in s, settings=SEARCH)


@pytest.mark.parametrize("hard", ["]]>", "&", "<", ">", "\r", "\U0010ffff"], ids=ascii)
def test_data_holds_each_hard_string(hard: str) -> None:
    assert hard in find(data_values, lambda s: hard in s, settings=SEARCH)


def test_cdata_data_holds_the_cdata_end() -> None:
    found = find(data_values, lambda s: isinstance(s, sc.CData) and "]]>" in s, settings=SEARCH)
    assert "]]>" in sc.serialize(sc.Item(data=found)).decode().replace("]]]]><![CDATA[>", "")
