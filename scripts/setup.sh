#!/usr/bin/env bash
# Installs everything the tests need, from the project's own files: the Node packages
# (package-lock.json), the app's Python packages (hash-checked requirements) in .venv, and
# actionlint (pinned Go module) into .venv/bin.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: \
    -r app/requirements.txt -r app/requirements-dev.txt
# actionlint, for the GitHub workflows: the real one, built from its Go module.
if command -v go >/dev/null 2>&1; then
    GOBIN="$PWD/.venv/bin" go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
else
    echo "Go not found: actionlint is not installed, so npm test cannot lint the workflows" >&2
fi
echo "set up: node_modules/ and .venv/ ($(.venv/bin/python --version))"
