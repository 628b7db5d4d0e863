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
# The test set (the larger one) is resolved first and the runtime set within it, so the app runs
# on the same versions in both. The other way round, the runtime's urllib3 2.x pushed selenium
# back to 3.141, which breaks against urllib3 2 (dash[testing] caps selenium at 4.2.0).
build_requires | compile pyproject.toml - --extra test --output-file requirements-test.lock
build_requires | compile pyproject.toml - --constraint requirements-test.lock --output-file requirements.lock
echo "requirements.lock: $(grep -c '^[a-z0-9]' requirements.lock) pakketten; requirements-test.lock: $(grep -c '^[a-z0-9]' requirements-test.lock) pakketten"
