#!/usr/bin/env bash
# Installs what the dashboard needs and serves it at http://127.0.0.1:8050 on demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e .
exec .venv/bin/python app.py
