"""``validate`` (files and directories, one report in five formats) and ``rules``."""

from __future__ import annotations

import argparse
import difflib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from syncml_codec._validate import PROFILES, RULES, Rule, validate
from syncml_codec._validate.rules import selected_codes
from syncml_codec.diagnostics import render_text
from syncml_codec.errors import DecodeError
from syncml_codec.model import SyncML
from syncml_codec.parse import parse
from syncml_codec.report import FileOutcome, Report, RuleInfo, RunOptions

from . import _csp
from ._common import EXIT_OK, Usage, read_input
from ._csp import applicability, csp_option

__all__ = ["add_parsers"]

_SUFFIXES = (".xml", ".wbxml")
_PROGRESS_MIN_FILES = 20


def _inputs(paths: Sequence[str], report: Report) -> list[str | FileOutcome]:
    """Expand PATH arguments: files as given, directories recursively (*.xml, *.wbxml).

    A path that does not exist, or a broken link found in a directory, is recorded in the
    report as an unreadable input; a directory with no input is a run-level problem.
    Suffixes match without regard to case (``.XML`` counts).
    """
    inputs: list[str | FileOutcome] = []
    for path in paths:
        if path == "-":
            inputs.append(path)
        elif os.path.isdir(path):
            found: list[str | FileOutcome] = []
            for p in sorted(Path(path).rglob("*")):
                if p.suffix.lower() not in _SUFFIXES:
                    continue
                if p.is_file():
                    found.append(str(p))
                elif p.is_symlink() and not p.exists():
                    found.append(FileOutcome(str(p), error="broken symbolic link"))
            if not found:
                report.problems.append(f"{path}: no *.xml or *.wbxml file in this directory")
            inputs.extend(found)
        elif os.path.exists(path):
            inputs.append(path)
        else:
            inputs.append(FileOutcome(path, error="no such file or directory"))
    return inputs


class _Progress:
    """``checked N/M`` on stderr, only on a TTY, in text mode, for many files, outside CI.

    Findings are printed above it: the line is cleared before anything else is written and
    drawn again after.
    """

    def __init__(self, args: argparse.Namespace, total: int, err: TextIO) -> None:
        self.err = err
        self.total = total
        self.on = (
            args.format == "text"
            and not args.quiet
            and total > _PROGRESS_MIN_FILES
            and not os.environ.get("CI")
            and hasattr(err, "isatty")
            and err.isatty()
        )
        self.drawn = False

    def clear(self) -> None:
        if self.drawn:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self.drawn = False

    def draw(self, done: int, invalid: int) -> None:
        if self.on:
            self.err.write(f"\rchecked {done}/{self.total}, {invalid} invalid")
            self.err.flush()
            self.drawn = True


def _read_request(args: argparse.Namespace) -> SyncML | None:
    if args.request is None:
        return None
    data, name = read_input(args.request)
    try:
        return parse(data)
    except DecodeError as exc:
        raise Usage(f"--request {name}: cannot read the request: {exc}") from None


def _check_schema_support(args: argparse.Namespace) -> None:
    if not args.schema:
        return
    try:
        import xmlschema  # noqa: F401
    except ImportError:
        raise Usage(
            "--schema needs the xmlschema package, which is not installed:"
            " pip install 'xmlschema>=4.3'"
        ) from None


def _codes(value: str | None) -> tuple[str, ...] | None:
    """``--select``/``--ignore``: comma-separated codes or prefixes (repeatable)."""
    if value is None:
        return None
    return tuple(c.strip().upper() for c in value.split(",") if c.strip())


def _run_options(args: argparse.Namespace) -> RunOptions:
    """The run's options, as the report records them; an unknown rule code is a usage error."""
    select, ignore = _codes(args.select), _codes(args.ignore)
    try:
        selected_codes(select, ignore)
    except ValueError as exc:
        raise Usage(str(exc)) from None
    return RunOptions(
        profile=args.profile,
        strict=args.strict,
        schema=args.schema,
        request=args.request,
        select=select or (),
        ignore=ignore or (),
        csp=bool(args.csp or args.ddf or args.os_build),
        ddf=args.ddf,
        os_build=args.os_build,
    )


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _check_schema_support(args)
    options = _run_options(args)
    report = Report(options)
    inputs = _inputs(args.paths, report)
    if not inputs and not report.problems:
        report.problems.append("no *.xml or *.wbxml input found")
    request = _read_request(args)
    progress = _Progress(args, len(inputs), err)
    invalid = 0
    for n, path in enumerate(inputs, 1):
        if isinstance(path, FileOutcome):
            report.add(path)
            continue
        try:
            data, name = read_input(path)
        except Usage as exc:
            report.add(FileOutcome(path, error=str(exc).removeprefix(f"{path}: ")))
            continue
        diags = validate(
            data,
            profile=args.profile,
            request=request,
            schema=args.schema,
            csp=csp_option(args) or False,
            os_build=args.os_build,
            select=_codes(args.select),
            ignore=_codes(args.ignore),
        )
        diags = applicability(diags, args)
        outcome = FileOutcome(name, tuple(diags))
        report.add(outcome)
        invalid += outcome.outcome(args.strict) == "invalid"
        if args.format == "text" and diags:
            progress.clear()
            out.write(render_text(name, diags))
            out.flush()
        progress.draw(n, invalid)
    progress.clear()
    _write_report(args, report, out, err)
    return report.exit_code


def _write_report(args: argparse.Namespace, report: Report, out: TextIO, err: TextIO) -> None:
    if args.format == "json":
        out.write(report.to_json())
    elif args.format == "github":
        out.write(report.to_github())
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as fh:
                fh.write(report.github_step_summary())
    elif args.format == "sarif":
        out.write(report.to_sarif(_rule_infos()))
    elif args.format == "junit":
        out.write(report.to_junit())
    else:  # text: the findings were written as they came; now the unreadable inputs
        for f in report.files:
            if f.error is not None:
                err.write(f"syncml-codec: error: {f.path}: {f.error}\n")
        for problem in report.problems:
            err.write(f"syncml-codec: error: {problem}\n")
        if not args.quiet:
            err.write(report.summary_line() + "\n")


def _rule_infos() -> dict[str, RuleInfo]:
    return {code: RuleInfo(rule.summary, rule.cite) for code, rule in RULES.items()}


def _cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from syncml_codec._rule_pages import all_rules, markdown_page, markdown_rule

    rules = all_rules()  # RULES plus the auth (DM26x) and CSP (C3xx) rules
    if args.code is None:
        if args.format == "markdown":
            out.write(markdown_page())
            return EXIT_OK
        for code, rule in rules.items():
            out.write(f"{code:7} {rule.oma or 'off':7} {rule.windows or 'off':7} {rule.summary}\n")
        return EXIT_OK
    code = args.code.upper()
    found = rules.get(code)
    if found is None:
        close = difflib.get_close_matches(code, list(rules), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise Usage(f"unknown rule code {args.code!r}{hint}; `syncml-codec rules` lists them")
    if args.format == "markdown":
        out.write(markdown_rule(code, found))
        return EXIT_OK
    out.write(_explain_rule(code, found))
    return EXIT_OK


def _explain_rule(code: str, rule: Rule) -> str:
    from syncml_codec._rule_pages import LAYERS, explain_examples

    layer = LAYERS.get(rule.layer, str(rule.layer))
    lines = [
        f"{code}: {rule.summary}",
        f"  layer:    {layer}",
        f"  severity: {rule.oma or 'off'} (profile oma), {rule.windows or 'off'} (profile windows)",
        f"  source:   {rule.cite}",
    ]
    return "\n".join(lines) + "\n" + explain_examples(code)


def add_parsers(sub: Any) -> None:
    """The ``validate`` sub-command (with the CSP options), then ``csp`` and ``rules``."""
    p = sub.add_parser(
        "validate",
        help="check messages: structure (the bundled XSD) and OMA DM protocol rules",
        description="Exit 0 when every input is valid, 1 when any is invalid, 2 when an input"
        " could not be checked.",
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files, directories (searched recursively for *.xml and *.wbxml), or - for stdin",
    )
    p.add_argument("--profile", choices=PROFILES, default="oma", help="rule set (default oma)")
    p.add_argument(
        "--format",
        choices=("text", "json", "github", "sarif", "junit"),
        default="text",
        help="report format: text; json (the whole run, see report.schema.json); github"
        " (annotations and a summary); sarif (2.1.0, code scanning); junit (GitLab, Jenkins)",
    )
    p.add_argument("--strict", action="store_true", help="warnings make a file invalid too")
    p.add_argument("--schema", action="store_true", help="judge structure with xmlschema")
    p.add_argument(
        "--request", metavar="FILE", help="the request these messages answer (Status matching)"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress or summary line")
    p.add_argument(
        "--select",
        metavar="CODES",
        help="report only these rules: comma-separated codes or prefixes (DM2,S1,C305)",
    )
    p.add_argument(
        "--ignore", metavar="CODES", help="do not report these rules (codes or prefixes)"
    )
    p.set_defaults(func=_cmd_validate)
    _csp.add_validate_arguments(p)
    _csp.add_parser(sub)

    p = sub.add_parser("rules", help="list the validation rules, or explain one")
    p.add_argument("code", nargs="?", help="a rule code such as DM224 (exit 2 if unknown)")
    p.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="text, or markdown (the docs page: every rule with its examples)",
    )
    p.set_defaults(func=_cmd_rules)
