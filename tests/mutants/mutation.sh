#!/bin/sh
# Mutation testing with mutmut (docs/pages/testing.md), in a copy of the project so that
# mutmut's mutants/ directory and cache never land in the checkout.
#
#   pip install -e '.[test,mutation]'
#   sh tests/mutants/mutation.sh                          # the whole [tool.mutmut] scope
#   sh tests/mutants/mutation.sh 'syncml_codec.serialize*' 'syncml_codec._validate.protocol*'
#
# Scope and tests: [tool.mutmut] in pyproject.toml; ONLY="syncml_codec/serialize.py ..." and
# TESTS="tests/test_serialize.py ..." narrow both for one run (mutmut's first, coverage-
# collecting run goes through every selected test with every scoped module instrumented, so a
# narrow run starts much sooner). Arguments are mutant-name globs passed to `mutmut run`.
# WORK (default /tmp/syncml-mutmut) keeps mutmut's results between runs; TIMEOUT (seconds, default 1800) bounds the run;
# the results are printed at the end either way.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/syncml-mutmut}
TIMEOUT=${TIMEOUT:-1800}
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
mkdir -p "$WORK"
for item in syncml_codec schemas tests pyproject.toml README.md; do
    rm -rf "${WORK:?}/$item"
    cp -R "$ROOT/$item" "$WORK/$item"
done
cd "$WORK"
# ONLY (module paths) and TESTS (test files), space-separated, narrow the copy's [tool.mutmut]
if [ -n "${ONLY:-}${TESTS:-}" ]; then
    "$PYTHON" - "${ONLY:-}" "${TESTS:-}" <<'PY'
import re, sys
only, tests = (a.split() for a in sys.argv[1:3])
text = open("pyproject.toml", encoding="utf-8").read()
def put(key: str, values: list[str]) -> None:
    global text
    if values:
        new = f"{key} = [" + ", ".join(f'"{v}"' for v in values) + "]"
        text = re.sub(rf"^{key} = \[.*?\]", lambda _: new, text, count=1, flags=re.S | re.M)
put("only_mutate", only)
put("pytest_add_cli_args_test_selection", tests)
open("pyproject.toml", "w", encoding="utf-8").write(text)
PY
fi
status=0
timeout "$TIMEOUT" nice -n 10 "$PYTHON" -m mutmut run --max-children 2 "$@" || status=$?
"$PYTHON" -m mutmut export-cicd-stats >/dev/null 2>&1 || true
[ -f mutants/mutmut-cicd-stats.json ] && cat mutants/mutmut-cicd-stats.json && echo
exit "$status"
