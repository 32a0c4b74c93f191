#!/usr/bin/env bash
# Installs everything the tests need, from the project's own files: the Node packages
# (package-lock.json) and, in .venv, the app's Python packages (hash-checked requirements).
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: \
    -r app/requirements.txt -r app/requirements-dev.txt
echo "set up: node_modules/ and .venv/ ($(.venv/bin/python --version))"
