#!/usr/bin/env bash
# Test stand-ins, not providers: builds the stand-in `aws`, `awsx` and `docker-build` resource
# plugins that tests/engine runs the real Pulumi engine with (no AWS account, no Docker).
#
#   tests/engine/standin/build.sh [OUT_DIR] [PULUMI_HOME]
#
# OUT_DIR (default: .tools/standin at the repository root) receives the three binaries, and
# aws-contract, the AWS request contract's command for the mock tier (tests/contract.ts).
# With PULUMI_HOME, they are also installed there as the plugins the engine looks for.
#
# How the engine finds them (pulumi v3.260.0, sdk/go/common/workspace/plugins.go,
# getPluginInfoAndPath, called by GetPluginPath): in this order,
#   1. a project plugin declared in Pulumi.yaml `plugins:` (the project declares none);
#   2. an "ambient" pulumi-resource-<name> on $PATH (exec.LookPath), whatever its version,
#      unless PULUMI_IGNORE_AMBIENT_PLUGINS is set; the engine then warns "using
#      pulumi-resource-aws from $PATH at ..." on every run;
#   3. the plugin cache, $PULUMI_HOME/plugins (GetPluginDir -> GetPlugins -> GetPluginsFromDir):
#      a *directory* (tryPlugin skips symlinked directories) named resource-<name>-v<version>,
#      with no sibling <dir>.partial file, holding the executable pulumi-resource-<name>;
#      SelectCompatiblePlugin picks the version the SDK asks for (7.48.0, 3.9.0, 0.0.22).
# With PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true nothing is downloaded, so one of those
# must hold. This script installs into the cache (3): no warning, and the versions are checked.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="${1:-$root/.tools/standin}"
home="${2:-}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# name:version of each plugin: the version of its npm package in package-lock.json, which the SDK
# asks the engine for; the binaries report it too (GetPluginInfo), set at link time below.
lock="$root/package-lock.json"
version_of() { node -p "require('$lock').packages['node_modules/@pulumi/$1'].version"; }
plugins=("aws:$(version_of aws)" "awsx:$(version_of awsx)" "docker-build:$(version_of docker-build)")
pkg=flask-fargate/tests/engine/standin/internal/standin
versions="-X $pkg.AWSVersion=${plugins[0]#*:} -X $pkg.AWSXVersion=${plugins[1]#*:} -X $pkg.DockerBuildVersion=${plugins[2]#*:}"

start=$SECONDS
cd "$here"
# Up to date when every binary is newer than every source and than package-lock.json (the
# versions): linking three binaries is most of a warm build (~30s on two busy cores), so skip it.
fresh=true
for bin in "${plugins[@]/#/$out/pulumi-resource-}" "$out/aws-contract"; do
    bin="${bin%%:*}"
    if [[ ! -x "$bin" || "$lock" -nt "$bin" || -n "$(find . \( -name '*.go' ! -name '*_test.go' -o -name go.mod -o -name go.sum \) -newer "$bin" -print -quit)" ]]; then
        fresh=false
    fi
done
if $fresh; then
    echo "stand-in plugins in $out are up to date"
else
    echo "building the stand-in plugins and aws-contract into $out"
    # go.sum matches tools/pulumi's: the modules the CLI build downloaded, and the Go build cache it
    # filled, serve the stand-ins too. -s -w: no symbols, faster links.
    GOFLAGS="${GOFLAGS:-} -mod=readonly" go build -trimpath -ldflags="-s -w $versions" -o "$out/" \
        ./cmd/pulumi-resource-aws ./cmd/pulumi-resource-awsx ./cmd/pulumi-resource-docker-build ./cmd/aws-contract
    echo "built pulumi-resource-{aws,awsx,docker-build} and aws-contract in $((SECONDS - start))s"
fi

if [[ -n "$home" ]]; then
    for p in "${plugins[@]}"; do
        name="${p%%:*}" version="${p#*:}"
        dir="$home/plugins/resource-$name-v$version"
        mkdir -p "$dir"
        ln -sf "$out/pulumi-resource-$name" "$dir/pulumi-resource-$name"
        echo "installed $dir/pulumi-resource-$name -> $out/pulumi-resource-$name"
    done
fi
