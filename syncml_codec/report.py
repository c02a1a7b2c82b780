"""The report of one validation run: every input with its outcome, one verdict, five formats.

``syncml-codec validate`` builds one ``Report`` and renders it; a library user who validates
many files can do the same. The verdict and the exit code are computed in one place
(``Report.exit_code``), so no format can contradict another or the process status:

* 2 ("error"): the run could not judge everything: an input was unreadable, a path did not
  exist, a directory held no ``*.xml``/``*.wbxml`` file, or there was no input at all;
* 1 ("invalid"): some input has an error diagnostic (or a warning, with ``strict``);
* 0 ("valid"): otherwise.

Formats: text (GNU style), JSON (``to_json``: the whole truth of the run, described by the
JSON Schema shipped as ``syncml_codec/schemas/report.schema.json``, see ``report_schema()``),
GitHub Actions annotations with a summary (``to_github``), SARIF 2.1.0 for code scanning
(``to_sarif``) and JUnit XML for GitLab and Jenkins (``to_junit``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from ._resources import schema_path
from ._version import __version__
from .diagnostics import Diagnostic, _escape_data, _escape_property, render_text

__all__ = [
    "GITHUB_ANNOTATION_CAP",
    "REPORT_VERSION",
    "FileOutcome",
    "Outcome",
    "Report",
    "RuleInfo",
    "RunOptions",
    "Verdict",
    "from_pairs",
    "report_schema",
]

#: Version of the JSON report's shape; bumped on incompatible changes.
REPORT_VERSION = 2

#: GitHub shows at most 10 error and 10 warning annotations per step (and 10 notices): more
#: are dropped by GitHub itself, so the report writes at most this many of each severity and
#: says how many it left out.
GITHUB_ANNOTATION_CAP = 10

#: What happened to one input.
Outcome: TypeAlias = Literal["valid", "invalid", "unreadable"]
#: The run's verdict, one-to-one with the exit code (0, 1, 2).
Verdict: TypeAlias = Literal["valid", "invalid", "error"]

_INFO_URI = "https://pypi.org/project/syncml-codec/"


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a report says about a rule code (from ``syncml_codec.RULES``)."""

    summary: str  #: one line: what is expected
    cite: str  #: the primary document and section


@dataclass(frozen=True, slots=True)
class RunOptions:
    """The options a run was made with; written into every report.

    ``select``/``ignore`` are the rule codes or prefixes given (``validate --select DM2``);
    ``csp`` is True when the CSP rules ran (``--csp``, ``--ddf`` or ``--os-build``), ``ddf``
    the DDF release they ran against (None: the bundled catalogue) and ``os_build`` the
    Windows build the applicability rule compared with.
    """

    profile: str = "oma"
    strict: bool = False
    schema: bool = False
    request: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    csp: bool = False
    ddf: str | None = None
    os_build: str | None = None


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """One input of the run: its diagnostics, or why it could not be read."""

    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    error: str | None = None  #: set when the input could not be read (outcome "unreadable")

    def outcome(self, strict: bool) -> Outcome:
        """``unreadable``, ``invalid`` (an error, or with ``strict`` a warning) or ``valid``."""
        if self.error is not None:
            return "unreadable"
        failing = ("error", "warning") if strict else ("error",)
        if any(d.severity in failing for d in self.diagnostics):
            return "invalid"
        return "valid"


@dataclass(slots=True)
class Report:
    """A whole validation run. Add inputs with ``add``; render with the ``to_*`` methods."""

    options: RunOptions = field(default_factory=RunOptions)
    files: list[FileOutcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  #: run-level: a directory with no input

    def add(self, outcome: FileOutcome) -> None:
        """Record one input."""
        self.files.append(outcome)

    def outcomes(self) -> Counter[Outcome]:
        """How many inputs had each outcome."""
        return Counter(f.outcome(self.options.strict) for f in self.files)

    @property
    def exit_code(self) -> int:
        """0 all valid, 1 some input invalid, 2 the run could not judge everything."""
        counts = self.outcomes()
        if self.problems or counts["unreadable"] or not self.files:
            return 2
        return 1 if counts["invalid"] else 0

    @property
    def verdict(self) -> Verdict:
        """The exit code in words: ``valid``, ``invalid`` or ``error``."""
        verdicts: tuple[Verdict, Verdict, Verdict] = ("valid", "invalid", "error")
        return verdicts[self.exit_code]

    def severity_counts(self) -> Counter[str]:
        """Diagnostics per severity over the whole run."""
        return Counter(d.severity for f in self.files for d in f.diagnostics)

    def rule_counts(self) -> Counter[str]:
        """Diagnostics per rule code over the whole run."""
        return Counter(d.code for f in self.files for d in f.diagnostics)

    # -- renderers ---------------------------------------------------------------------------

    def to_text(self) -> str:
        """GNU-style lines for every diagnostic and every unreadable input."""
        out = []
        for f in self.files:
            if f.error is not None:
                out.append(f"{f.path}: error: {f.error} [IO]\n")
            else:
                out.append(render_text(f.path, f.diagnostics))
        out.extend(f"syncml-codec: error: {p}\n" for p in self.problems)
        return "".join(out)

    def summary_line(self) -> str:
        """One line: how many inputs, how many invalid or unreadable, and the verdict."""
        counts = self.outcomes()
        text = f"{len(self.files)} file(s) checked, {counts['invalid']} invalid"
        if counts["unreadable"]:
            text += f", {counts['unreadable']} unreadable"
        return f"{text}: {self.verdict}"

    def to_json(self) -> str:
        """The whole run as one JSON document (see ``report_schema()``)."""
        counts = self.outcomes()
        severities = self.severity_counts()
        document = {
            "version": REPORT_VERSION,
            "tool": {"name": "syncml-codec", "version": __version__},
            "options": {
                "profile": self.options.profile,
                "strict": self.options.strict,
                "schema": self.options.schema,
                "request": self.options.request,
                "select": list(self.options.select),
                "ignore": list(self.options.ignore),
                "csp": self.options.csp,
                "ddf": self.options.ddf,
                "os_build": self.options.os_build,
            },
            "files": [self._file_json(f) for f in self.files],
            "problems": list(self.problems),
            "summary": {
                "files": len(self.files),
                "valid": counts["valid"],
                "invalid": counts["invalid"],
                "unreadable": counts["unreadable"],
                "errors": severities["error"],
                "warnings": severities["warning"],
                "infos": severities["info"],
            },
            "verdict": self.verdict,
            "exit_code": self.exit_code,
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

    def _file_json(self, f: FileOutcome) -> dict[str, object]:
        outcome = f.outcome(self.options.strict)
        return {
            "path": f.path,
            "outcome": outcome,
            "valid": outcome == "valid",
            "error": f.error,
            "diagnostics": [
                {
                    "line": d.line,
                    "column": d.column,
                    "severity": d.severity,
                    "code": d.code,
                    "message": d.message,
                    "xpath": d.xpath,
                }
                for d in f.diagnostics
            ],
        }

    def to_github(self, cap: int = GITHUB_ANNOTATION_CAP) -> str:
        """GitHub Actions annotations (at most ``cap`` per severity), then a summary.

        Every diagnostic is in the summary's per-rule counts; the annotations are the first
        ``cap`` of each severity, because GitHub drops the rest. Unreadable inputs are error
        annotations too.
        """
        command = {"error": "error", "warning": "warning", "info": "notice"}
        shown: Counter[str] = Counter()
        hidden: Counter[str] = Counter()
        lines = []
        for f in self.files:
            entries = list(f.diagnostics)
            if f.error is not None:
                entries = [Diagnostic("error", "IO", f.error)]
            for d in entries:
                if shown[d.severity] >= cap:
                    hidden[d.severity] += 1
                    continue
                shown[d.severity] += 1
                lines.append(f"::{command[d.severity]} {_github_props(f.path, d)}::")
                lines[-1] += _escape_data(d.message + (f" - at {d.xpath}" if d.xpath else ""))
                lines[-1] += "\n"
        lines.extend(f"::error::{_escape_data(p)}\n" for p in self.problems)
        lines.append(self.summary_line() + "\n")
        for code, n in sorted(self.rule_counts().items()):
            lines.append(f"  {code}: {n}\n")
        if hidden:
            left = ", ".join(f"{n} {sev}" for sev, n in sorted(hidden.items()))
            lines.append(
                f"({left} annotation(s) not written: GitHub shows at most {cap} per severity"
                " per step; run with --format text for every finding)\n"
            )
        return "".join(lines)

    def github_step_summary(self) -> str:
        """A Markdown table for ``$GITHUB_STEP_SUMMARY``: the verdict and counts per rule."""
        rows = [f"### syncml-codec validate: {self.verdict}", "", self.summary_line(), ""]
        counts = self.rule_counts()
        if counts:
            rows += ["| rule | findings |", "| --- | ---: |"]
            rows += [f"| {code} | {n} |" for code, n in sorted(counts.items())]
        return "\n".join(rows) + "\n"

    def to_sarif(self, rules: Mapping[str, RuleInfo]) -> str:
        """A SARIF 2.1.0 log with one run, its rules, one result per diagnostic."""
        used = sorted({d.code for f in self.files for d in f.diagnostics} | self._io_codes())
        index = {code: i for i, code in enumerate(used)}
        driver = {
            "name": "syncml-codec",
            "version": __version__,
            "informationUri": _INFO_URI,
            "rules": [_sarif_rule(code, rules.get(code)) for code in used],
        }
        results = []
        for f in self.files:
            if f.error is not None:
                results.append(_sarif_result(f.path, Diagnostic("error", "IO", f.error), index))
            results.extend(_sarif_result(f.path, d, index) for d in f.diagnostics)
        run = {
            "tool": {"driver": driver},
            "invocations": [
                {
                    "executionSuccessful": self.exit_code != 2,
                    "exitCode": self.exit_code,
                    "toolExecutionNotifications": [
                        {"message": {"text": p}, "level": "error"} for p in self.problems
                    ],
                }
            ],
            "results": results,
        }
        log = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [run],
        }
        return json.dumps(log, ensure_ascii=False, indent=2) + "\n"

    def _io_codes(self) -> set[str]:
        return {"IO"} if any(f.error is not None for f in self.files) else set()

    def to_junit(self) -> str:
        """JUnit XML: one test case per input; an invalid input fails, an unreadable one errs.

        Diagnostics that do not fail the input (warnings without ``strict``, infos) are listed
        in the case's ``system-out``.
        """
        counts = self.outcomes()
        cases = []
        for f in self.files:
            outcome = f.outcome(self.options.strict)
            body = ""
            if outcome == "unreadable":
                body = f'<error message={quoteattr(f.error or "")} type="IO"/>'
            elif outcome == "invalid":
                failing = [d for d in f.diagnostics if _fails(d, self.options.strict)]
                text = escape(render_text(f.path, failing))
                first = failing[0]
                body = (
                    f"<failure message={quoteattr(f'{first.code}: {first.message}')}"
                    f" type={quoteattr(first.code)}>{text}</failure>"
                )
            rest = [d for d in f.diagnostics if not _fails(d, self.options.strict)]
            if rest:
                body += f"<system-out>{escape(render_text(f.path, rest))}</system-out>"
            cases.append(
                f'    <testcase classname="syncml-codec.validate" name={quoteattr(f.path)}>'
                f"{body}</testcase>\n"
            )
        cases.extend(
            '    <testcase classname="syncml-codec.validate" name="(run)">'
            f'<error message={quoteattr(p)} type="run"/></testcase>\n'
            for p in self.problems
        )
        errors = counts["unreadable"] + len(self.problems)
        head = (
            f'  <testsuite name="syncml-codec validate" tests="{len(cases)}"'
            f' failures="{counts["invalid"]}" errors="{errors}" skipped="0">\n'
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
            + head
            + "".join(cases)
            + "  </testsuite>\n</testsuites>\n"
        )


def _fails(d: Diagnostic, strict: bool) -> bool:
    return d.severity == "error" or (strict and d.severity == "warning")


def _github_props(path: str, d: Diagnostic) -> str:
    props = [f"file={_escape_property(path)}"]
    if d.line > 0:
        props.append(f"line={d.line}")
        if d.column > 0:
            props.append(f"col={d.column}")
    props.append(f"title={_escape_property(d.code)}")
    return ",".join(props)


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _sarif_rule(code: str, info: RuleInfo | None) -> dict[str, object]:
    if code == "IO":
        info = RuleInfo("the input must be readable", "operating system")
    summary = info.summary if info else code
    rule: dict[str, object] = {"id": code, "shortDescription": {"text": summary}}
    if info is not None:
        rule["fullDescription"] = {"text": f"{info.summary} ({info.cite})"}
        rule["help"] = {"text": f"syncml-codec rules {code}"}
    return rule


def _sarif_result(path: str, d: Diagnostic, index: Mapping[str, int]) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": {"uri": _uri(path)}}
    if d.line > 0:
        region: dict[str, int] = {"startLine": d.line}
        if d.column > 0:
            region["startColumn"] = d.column
        physical["region"] = region
    location: dict[str, object] = {"physicalLocation": physical}
    if d.xpath:
        location["logicalLocations"] = [{"fullyQualifiedName": d.xpath, "kind": "element"}]
    return {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": _SARIF_LEVEL[d.severity],
        "message": {"text": d.message},
        "locations": [location],
    }


def _uri(path: str) -> str:
    """A relative URI reference for a path as given (SARIF artifactLocation.uri)."""
    return quote(path.replace("\\", "/"), safe="/:@-._~")


def report_schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of ``Report.to_json()``, shipped with the package."""
    loaded: dict[str, object] = json.loads(
        schema_path("report.schema.json").read_text(encoding="utf-8")
    )
    return loaded


def from_pairs(
    results: Sequence[tuple[str, Sequence[Diagnostic]]], options: RunOptions | None = None
) -> Report:
    """A report of ``(path, diagnostics)`` pairs (every path readable)."""
    report = Report(options or RunOptions())
    for path, diags in results:
        report.add(FileOutcome(path, tuple(diags)))
    return report
