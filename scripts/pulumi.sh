#!/usr/bin/env bash
# Runs the Pulumi CLI for the package.json scripts (preview:dev, deploy:dev, ...) at the version the
# program is built against: that of @pulumi/pulumi in package-lock.json. It takes <repo>/.tools/bin/pulumi
# (which `npm run setup` builds), else `pulumi` on PATH; when neither is there at that version, it
# says what is missing and how to get it, instead of a bare "pulumi: not found".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

want=$(node -p 'require(process.argv[1]).packages["node_modules/@pulumi/pulumi"].version' "$root/package-lock.json")
install_hint="npm run setup builds it into .tools/bin (it needs Go), or install it: curl -fsSL https://get.pulumi.com | sh -s -- --version $want (https://www.pulumi.com/docs/install/)"

version_of() {
    PULUMI_SKIP_UPDATE_CHECK=true "$1" version 2>/dev/null | tr -d '[:space:]' || true
}

found=""
for cli in "$root/.tools/bin/pulumi" "$(command -v pulumi || true)"; do
    [ -n "$cli" ] && [ -x "$cli" ] || continue
    have=$(version_of "$cli")
    if [ "$have" = "v$want" ]; then
        exec "$cli" "$@"
    fi
    found="$found
  $cli is ${have:-of unknown version}"
done

if [ -z "$found" ]; then
    echo "The Pulumi CLI is not installed (no .tools/bin/pulumi, no pulumi on PATH): this project needs v$want." >&2
else
    echo "No Pulumi CLI v$want (the version of @pulumi/pulumi in package-lock.json) was found:$found" >&2
fi
echo "Get it: $install_hint" >&2
exit 127
