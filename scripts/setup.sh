#!/usr/bin/env bash
# Installs everything the tests need, from the project's own files, as a sequence of named steps,
# each printed with how long it took: the Node packages (package-lock.json), the app's Python
# packages (hash-checked requirements) in .venv, the wheels of the image's dependencies for both
# architectures (so the tests check them offline), and actionlint (pinned Go module) into .venv/bin.
set -euo pipefail
cd "$(dirname "$0")/.."

# step "<what>" <command...>: prints what runs, runs it, prints how long it took. A failing command
# stops the set-up (set -e), and the EXIT trap names the step it failed in.
current=""
started=$SECONDS
step() {
    current=$1
    shift
    started=$SECONDS
    printf '\n==> %s\n' "$current"
    "$@"
    printf '<== %s: %d s\n' "$current" $((SECONDS - started))
    current=""
}
trap 'status=$?; if [ "$status" -ne 0 ] && [ -n "$current" ]; then printf "\nsetup FAILED in step \"%s\" after %d s (exit %d)\n" "$current" $((SECONDS - started)) "$status" >&2; fi' EXIT

python_packages() {
    .venv/bin/pip install --disable-pip-version-check --progress-bar off --require-hashes --only-binary=:all: \
        -r app/requirements.txt -r app/requirements-dev.txt
}

# app/tests/test_image.py checks, offline, that the image's runtime dependencies resolve to these
# hash-checked wheels for both platforms the task may run on, on the Dockerfile's Python.
image_wheels() {
    local python
    python=$(sed -n 's/^FROM python:\([0-9]*\.[0-9]*\)\..*/\1/p' app/Dockerfile | head -n 1)
    rm -rf .venv/image-wheels
    # The base image is Debian bookworm (glibc 2.36): manylinux_2_28 wheels (gevent's) run on it too.
    for arch in x86_64 aarch64; do
        .venv/bin/pip download --quiet --disable-pip-version-check --only-binary=:all: \
            --platform "manylinux2014_$arch" --platform "manylinux_2_28_$arch" --python-version "$python" --implementation cp \
            --require-hashes -r app/requirements.txt -d .venv/image-wheels
    done
    echo "$(find .venv/image-wheels -name '*.whl' | wc -l) wheels for Python $python, linux/amd64 and linux/arm64"
}

bash scripts/check-node.sh
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "python3 is $(python3 --version 2>&1): the app's tests need Python 3.11 or newer" >&2
    exit 1
}
total=$SECONDS
echo "setting up with node $(node --version), npm $(npm --version), $(python3 --version)"

step "Node packages: npm ci (package-lock.json)" npm ci --no-audit --no-fund
step "Python virtual environment .venv" python3 -m venv .venv
step "the app's Python packages into .venv (hash-checked wheels)" python_packages
step "wheels of the image's dependencies for amd64 and arm64 (.venv/image-wheels)" image_wheels
if command -v go >/dev/null 2>&1; then
    step "actionlint v1.7.12 (go install) into .venv/bin" \
        env GOBIN="$PWD/.venv/bin" go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
    step "Pulumi CLI at @pulumi/pulumi's version into .tools/bin (Go build: 8-15 min cold, seconds warm)" bash scripts/pulumi-cli.sh
    step "stand-in provider plugins for the engine tests (Go build) into .tools/standin" bash tests/engine/standin/build.sh
else
    echo "Go not found: actionlint, the Pulumi CLI and the engine tests' stand-in plugins are not built, so npm test cannot lint the workflows nor run the engine tier" >&2
fi
printf '\nset up in %d s: node_modules/, .venv/ (%s) and .tools/\n' $((SECONDS - total)) "$(.venv/bin/python --version)"
