#!/usr/bin/env bash
# Installs what the dashboard needs and serves it at http://127.0.0.1:8050 on demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
# The exact versions and file hashes of requirements.lock (regenerate with scripts/lock.sh); the
# package itself is built with the locked setuptools, so nothing is fetched without a hash.
.venv/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
.venv/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
exec .venv/bin/python app.py
