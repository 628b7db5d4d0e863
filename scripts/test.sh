#!/usr/bin/env bash
# Installs everything (Chromium and chromedriver from the OS packages included) and runs all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver python3-venv >/dev/null
fi
python3 -m venv .venv
# The exact versions and file hashes of requirements-test.lock (runtime + test extra; regenerate
# with scripts/lock.sh); tests/test_lock.py fails when the lock and pyproject.toml disagree.
.venv/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-test.lock
.venv/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
exec .venv/bin/python -m pytest "$@"
