#!/usr/bin/env bash
# Install the FHIR test server used by tests/test_upload*.py (Medplum's fhir-router and validators, pinned in
# tests/server/package-lock.json) from the npm registry with `npm ci`. Called by scripts/test.sh; skipped when
# node_modules was installed from the same lock file (stamp = its sha256).
set -euo pipefail
cd "$(dirname "$0")/../tests/server"
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "install-test-server: node/npm not found; the upload tests need Node >= 20.19 and npm" >&2
    exit 1
fi
stamp=node_modules/.fhirconv-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
