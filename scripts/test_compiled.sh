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

# The output tests, from a copy of tests/ fixtures/ mappings/ scripts/ (pytest would put the checkout on sys.path)
mkdir "$tmp/src"
tar -cf - --exclude=tests/server tests fixtures mappings scripts | tar -xf - -C "$tmp/src"
# (the conversion tests: every stage's output on written sentences, the seeds' golden facts, generated texts; not
# the CLI, server, browser and maintainer-tool tests: they test what is around the conversion, pure in both builds)
tests=(golden invariants regressions properties robustness tables_cache pickling prefilter qualifiers
    dates values medications medications_lexicon observations observations_samples procedures findings family staging
    grade tumour_sites tumour_names cim10 cim10_refine anaphora ruled_out haematological metastatic_heads
    condition_status condition_cim10_families condition_vocabulary condition_rules_review neoplasm_cim10 icdo_edition
    shapecheck validate_rules serialise_speed word_count)
tests=("${tests[@]/#/tests/test_}")
# test_the_checks_catch_a_shifted_evidence patches a method of a compiled class: compiled callers do not see it
(cd "$tmp/src" && "$PY" -m pytest -q -p no:cacheprovider "${tests[@]/%/.py}" -k "not the_checks_catch")
