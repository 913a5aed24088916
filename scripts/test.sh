#!/usr/bin/env bash
# Install what the tests need into .venv and run the test suite (README: "Run the tests").
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test,spark]"
bash scripts/install-browser.sh       # chromium + chromedriver for tests/test_show_browser.py
bash scripts/install-test-server.sh   # npm ci of the FHIR test server (tests/server)
# then the mypyc-compiled build (setup.py) against the pure one: same bytes (scripts/test_compiled.sh, README "Speed")
bash scripts/lint.sh && .venv/bin/python -m pytest -q --cov --cov-report=term:skip-covered "$@" \
    && bash scripts/test_compiled.sh
