#!/bin/sh
# Mutation testing with mutmut (docs/pages/testing.md), in a copy of the project so that
# mutmut's mutants/ directory and cache never land in the checkout.
#
#   pip install -e '.[test,mutation]'
#   sh tests/mutants/mutation.sh                          # the whole [tool.mutmut] scope
#   sh tests/mutants/mutation.sh 'syncml_codec.serialize*' 'syncml_codec._validate.protocol*'
#
# Scope and tests: [tool.mutmut] in pyproject.toml. Arguments are mutant-name globs passed to
# `mutmut run` (one module: 'syncml_codec.serialize*'). WORK (default /tmp/syncml-mutmut)
# keeps mutmut's results between runs; TIMEOUT (seconds, default 1800) bounds the run;
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
status=0
timeout "$TIMEOUT" nice -n 10 "$PYTHON" -m mutmut run --max-children 2 "$@" || status=$?
"$PYTHON" -m mutmut export-cicd-stats >/dev/null 2>&1 || true
[ -f mutants/mutmut-cicd-stats.json ] && cat mutants/mutmut-cicd-stats.json && echo
exit "$status"
