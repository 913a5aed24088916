#!/usr/bin/env bash
# Install fhirconv into .venv and convert the example reports in fixtures/ into out/ (README: "Quick start").
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q .
.venv/bin/fhirconv convert fixtures/ -o out/
echo "bundles written to out/"
