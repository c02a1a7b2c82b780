"""``syncml-codec rules``: every rule code explained, and every example does what it claims.

For each entry of ``_rule_docs.RULE_DOCS`` the bad example, checked with the entry's options,
reports the entry's code, and the good example (the same, fixed) reports nothing at all:
through ``validate()`` for ``RULES`` codes, through ``auth.check_message`` for the auth rules
``validate()`` does not run yet, through ``csp.check_csp`` for the CSP rules. The docs page
``docs/pages/rules.md`` must equal what ``rules --format markdown`` prints.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from syncml_codec import RULES, validate
from syncml_codec._rule_docs import RULE_DOCS, RuleDoc
from syncml_codec.auth import AUTH_RULES, check_message
from syncml_codec.cli import main
from syncml_codec.csp import CSP_RULES, check_csp
from syncml_codec.diagnostics import Diagnostic
from syncml_codec.parse import parse, parse_fragment

ROOT = Path(__file__).resolve().parent.parent
AUTH_CODES = {r.code for r in AUTH_RULES}
CSP_CODES = {r.code for r in CSP_RULES}
ALL_CODES = set(RULES) | AUTH_CODES | CSP_CODES


def _source(doc: RuleDoc, text: str) -> str | bytes:
    return bytes.fromhex(text) if doc.wbxml else text


def _findings(code: str, doc: RuleDoc, text: str) -> list[Diagnostic]:
    """Everything the checks that own ``code`` report on one example, with its options."""
    source = _source(doc, text)
    if code in CSP_CODES:
        return check_csp(parse_fragment(source), os_build=doc.os_build)
    found = validate(
        source, profile=doc.profile, request=doc.request, schema=doc.schema, limits=doc.limits
    )
    if code in AUTH_CODES:
        found += check_message(parse(source), profile=doc.profile)
    return found


def test_every_rule_code_is_explained_and_nothing_else() -> None:
    assert set(RULE_DOCS) == ALL_CODES


@pytest.mark.parametrize("code", sorted(RULE_DOCS))
def test_bad_example_reports_the_code(code: str) -> None:
    doc = RULE_DOCS[code]
    codes = [d.code for d in _findings(code, doc, doc.bad)]
    assert code in codes


@pytest.mark.parametrize("code", sorted(RULE_DOCS))
def test_good_example_is_clean(code: str) -> None:
    doc = RULE_DOCS[code]
    assert _findings(code, doc, doc.good) == []
    if code in CSP_CODES:  # the CSP examples are also valid commands for the protocol rules
        assert validate(doc.good, profile=doc.profile) == []


@pytest.mark.parametrize(
    "code", sorted(c for c, d in RULE_DOCS.items() if not d.wbxml and c not in CSP_CODES)
)
def test_examples_are_what_the_cli_reads(code: str) -> None:
    """A user saving an example to a file gets the same findings as the string gives."""
    doc = RULE_DOCS[code]
    for text in (doc.bad, doc.good):
        as_text = validate(text, profile=doc.profile, request=doc.request, limits=doc.limits)
        as_bytes = validate(
            text.encode("utf-8"), profile=doc.profile, request=doc.request, limits=doc.limits
        )
        assert [d.code for d in as_bytes] == [d.code for d in as_text]


@pytest.mark.parametrize("code", sorted(RULE_DOCS))
def test_rules_code_prints_why_and_both_examples(code: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["rules", code.lower()], stdout=out, stderr=err) == 0
    text = out.getvalue()
    doc = RULE_DOCS[code]
    assert text.startswith(f"{code}: ")
    assert "source:" in text  # the lines rules printed before stay
    assert "\nwhy:\n" in text and doc.why.split()[0] in text
    bad, _, good = text.partition("\nbad:\n")[2].partition("\ngood:\n")
    assert bad.split() == doc.bad.split()
    assert good.split() == doc.good.split()


def test_rules_lists_auth_and_csp_codes() -> None:
    out = io.StringIO()
    assert main(["rules"], stdout=out, stderr=io.StringIO()) == 0
    listed = [line.split()[0] for line in out.getvalue().splitlines()]
    assert listed[: len(RULES)] == list(RULES)
    assert set(listed) == ALL_CODES


def test_docs_page_is_the_markdown_output() -> None:
    page = ROOT / "docs" / "pages" / "rules.md"
    if not page.is_file():
        pytest.skip("docs/ is not part of an installed wheel")
    out = io.StringIO()
    assert main(["rules", "--format", "markdown"], stdout=out, stderr=io.StringIO()) == 0
    assert page.read_text("utf-8") == out.getvalue(), (
        "regenerate: syncml-codec rules --format markdown > docs/pages/rules.md"
    )
    for code in ALL_CODES:
        assert f"\n## {code}\n" in out.getvalue()


def test_markdown_for_one_rule_is_its_page_section() -> None:
    one, page = io.StringIO(), io.StringIO()
    assert main(["rules", "DM224", "--format", "markdown"], stdout=one, stderr=io.StringIO()) == 0
    assert main(["rules", "--format", "markdown"], stdout=page, stderr=io.StringIO()) == 0
    assert one.getvalue().startswith("## DM224\n")
    assert one.getvalue() in page.getvalue()
