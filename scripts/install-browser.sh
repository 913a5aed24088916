#!/usr/bin/env bash
# Install Debian's chromium and chromedriver for the browser tests (tests/test_show_browser.py), when missing.
# CI runs as root on a fresh machine: it installs them. A developer without root or sudo gets a notice and the
# browser tests skip on that machine (they never skip in CI: the test fails there if the browser is missing).
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "install-browser.sh: chromium/chromedriver missing and no root: browser tests will skip" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
echo "install-browser.sh: installed $(chromium --version 2>/dev/null || echo chromium)" >&2
