#!/usr/bin/env bash
# Makes the Pulumi CLI that the tests and the `pulumi` npm scripts run available as .tools/bin/pulumi,
# at the version of @pulumi/pulumi in package-lock.json (tools/pulumi/go.mod requires the same).
# Uses `pulumi` from PATH when it is that version; otherwise installs it with the SDK's
# PulumiCommand.install (automation/pulumiCli.ts: get.pulumi.com's install script, seconds where the
# machine can download it); and where it cannot, builds it from its Go module
# github.com/pulumi/pulumi/pkg/v3 (package cmd/pulumi): about 8-15 minutes and 2.3 GB of memory cold
# on 2 cores (downloads included), seconds once the Go build cache is warm. It says which way it
# took, and how long that took.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(node -p 'require("./package-lock.json").packages["node_modules/@pulumi/pulumi"].version')
required=$(sed -n 's|^require github.com/pulumi/pulumi/pkg/v3 v||p; s|^\tgithub.com/pulumi/pulumi/pkg/v3 v\([0-9.]*\)$|\1|p' tools/pulumi/go.mod | head -n 1)
if [ "$version" != "$required" ]; then
    echo "tools/pulumi/go.mod requires pkg/v3 v$required but package-lock.json has @pulumi/pulumi $version: make them equal" >&2
    exit 1
fi

mkdir -p .tools/bin
cli=.tools/bin/pulumi
if [ -x "$cli" ] && [ "$("$cli" version 2>/dev/null)" = "v$version" ]; then
    echo "Pulumi CLI v$version: $cli (already there)"
    exit 0
fi
if command -v pulumi >/dev/null 2>&1 && [ "$(pulumi version 2>/dev/null)" = "v$version" ]; then
    ln -sf "$(command -v pulumi)" "$cli"
    echo "Pulumi CLI v$version: $(command -v pulumi) (from PATH)"
    exit 0
fi
start=$SECONDS
if [ -d node_modules/@pulumi/pulumi ]; then
    if why=$(node -r ts-node/register/transpile-only automation/pulumiCli.ts install .tools 2>&1 >/dev/null) \
        && [ "$("$cli" version 2>/dev/null)" = "v$version" ]; then
        echo "Pulumi CLI v$version: installed into .tools/bin by PulumiCommand.install (get.pulumi.com) in $((SECONDS - start)) s"
        exit 0
    fi
    echo "Pulumi CLI v$version: PulumiCommand.install could not install it in $((SECONDS - start)) s (${why:-another version}); building it from Go instead"
fi
if ! command -v go >/dev/null 2>&1; then
    echo "Pulumi CLI v$version is not on PATH, could not be downloaded, and Go is not installed to build it: install one of them (https://www.pulumi.com/docs/install/ or Go >= 1.25)" >&2
    exit 1
fi
start=$SECONDS
echo "Pulumi CLI v$version: building from github.com/pulumi/pulumi/pkg/v3 with $(go version | cut -d' ' -f3) (8-15 minutes cold on 2 cores, seconds when the Go cache is warm)..."
(cd tools/pulumi && go build -trimpath \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
    -o ../../"$cli" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
echo "Pulumi CLI v$version: built $cli from Go in $((SECONDS - start)) s"
