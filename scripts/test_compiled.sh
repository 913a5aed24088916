#!/usr/bin/env bash
# The compiled build (setup.py, FHIRCONV_COMPILE=1) writes the same bytes as the pure one. Builds the wheel into a
# throwaway venv, then:
#   1. converts the seeds (and ../shared/corpora/dev/*.jsonl when present) with both builds and compares the
#      bundles, mentions, qualifiers, cues, timeline and dropped mentions (scripts/compare_builds.py);
#   2. runs the tests that check outputs (golden facts, invariants, properties on generated texts ...) against the
#      compiled install. Not the whole suite: tests that monkeypatch module internals cannot patch compiled code.
# Called by scripts/test.sh (about 5 minutes, most of it the C compilation); needs gcc and the Python headers.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 -m venv "$tmp/venv"
PY=$tmp/venv/bin/python
"$PY" -m pip install -q --upgrade pip
echo "test_compiled.sh: building the compiled wheel (mypyc + gcc, a few minutes)" >&2
FHIRCONV_COMPILE=1 "$PY" -m pip install -q ".[test]"
# from outside the checkout, so that nothing imports the source tree by accident
(cd "$tmp" && "$PY" -c "import fhirconv, sys; sys.exit(0 if fhirconv.COMPILED else 'not compiled: ' + fhirconv.__file__)")
"$tmp/venv/bin/fhirconv" --version | grep -q "compiled with mypyc"

texts=(fixtures/*.txt)
[[ -d ../shared/corpora/dev ]] && texts+=(../shared/corpora/dev/*.jsonl)
(cd "$tmp" && FHIRCONV_CACHE=off "$PY" "$ROOT/scripts/compare_builds.py" --expect compiled compiled.out "${texts[@]/#/$ROOT/}")
FHIRCONV_CACHE=off .venv/bin/python scripts/compare_builds.py --expect pure "$tmp/pure.out" "${texts[@]}"
if ! cmp -s "$tmp/pure.out" "$tmp/compiled.out"; then
    echo "test_compiled.sh: the compiled build's output differs from the pure one's on:" >&2
    diff <(cut -f1,3 "$tmp/pure.out") <(cut -f1,3 "$tmp/compiled.out") | head -20 >&2
    diff <(cut -f1,2 "$tmp/pure.out") <(cut -f1,2 "$tmp/compiled.out") | cut -c1-300 | head -20 >&2
    exit 1
fi
echo "test_compiled.sh: compiled and pure builds agree on ${#texts[@]} input file(s)" >&2

# The output tests, from a copy of tests/ + fixtures/ + mappings/ (pytest would put the checkout on sys.path)
mkdir "$tmp/src"
cp -r tests fixtures mappings "$tmp/src/"
rm -rf "$tmp/src/tests/server"
(cd "$tmp/src" && "$PY" -m pytest -q -p no:cacheprovider \
    tests/test_golden.py tests/test_invariants.py tests/test_regressions.py tests/test_properties.py \
    tests/test_qualifiers.py tests/test_dates.py tests/test_values.py tests/test_medications.py \
    tests/test_observations.py tests/test_procedures.py tests/test_findings.py tests/test_family.py \
    tests/test_staging.py tests/test_grade.py tests/test_tumour_sites.py tests/test_robustness.py \
    -k "not the_checks_catch")
