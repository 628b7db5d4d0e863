#!/usr/bin/env bash
# Regenerates requirements.lock (runtime) and requirements-test.lock (runtime + test extra) from
# pyproject.toml: every package pinned with the hashes of its files on PyPI, for Python 3.11 on
# Linux x86_64 (the container and CI). Run after changing a dependency in pyproject.toml, then
# commit both files; tests/test_lock.py fails while they disagree with pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.8
TOOLS="${TMPDIR:-/tmp}/proeftuinmonitor-lock-tools"
if ! "$TOOLS/bin/uv" --version 2>/dev/null | grep -q " $UV_VERSION"; then
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
# The build backend (pyproject's [build-system] requires) is locked too: the install scripts
# build the editable package with --no-build-isolation, so nothing is fetched without a hash.
build_requires() {
    python3 -c 'import sys, tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))'
}
compile() {
    "$TOOLS/bin/uv" pip compile --quiet --no-config --generate-hashes --python-version 3.11 \
        --python-platform x86_64-manylinux_2_28 --index-url https://pypi.org/simple \
        --custom-compile-command "bash scripts/lock.sh" "$@"
}
build_requires | compile pyproject.toml - --output-file requirements.lock
# The test set is constrained by the runtime lock, so the app runs on the same versions in both.
build_requires | compile pyproject.toml - --extra test --constraint requirements.lock --output-file requirements-test.lock
echo "requirements.lock: $(grep -c '^[a-z0-9]' requirements.lock) pakketten; requirements-test.lock: $(grep -c '^[a-z0-9]' requirements-test.lock) pakketten"
