#!/usr/bin/env bash
# Stops early, saying what to do, when the Node.js on PATH is older than package.json's
# `engines.node` (">=22": @pulumi/pulumi 3.260 declares the same). npm itself only warns
# (EBADENGINE) and the tests would run on an unsupported Node; `npm run setup` and `npm test`
# call this first.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
    echo "Node.js is not on PATH: this project needs Node.js 22 or newer (see docs/development.md)." >&2
    exit 1
fi
required=$(node -p 'require("./package.json").engines.node')
need=${required#>=}
have=$(node -p 'process.versions.node')
if ! [[ $need =~ ^[0-9]+$ ]]; then
    echo "scripts/check-node.sh understands only engines.node \">=N\", not \"$required\"" >&2
    exit 1
fi
if [ "${have%%.*}" -lt "$need" ]; then
    cat >&2 <<MSG
Node.js $have is too old: this project needs Node.js $need or newer (package.json engines: "$required";
@pulumi/pulumi requires it). Either:
  - with nvm:   nvm install $need && nvm use $need    (.nvmrc says $need, so later just: nvm use)
  - or without: npm install --no-save --no-package-lock --prefix .ci/node node@$need
                export PATH="\$PWD/.ci/node/node_modules/node/bin:\$PATH"    (as .ci/run does)
then run the command again.
MSG
    exit 1
fi
