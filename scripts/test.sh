#!/usr/bin/env bash
# `npm test`: the checks in order, then the three test suites at once, since they wait on different
# things (the mocks on the CPU, the engine tier on the Pulumi CLI and its plugins, the app's tests on
# servers and deliberate slow clients on loopback): on 2 cores, side by side they take about the
# time of the longest instead of the sum. Each suite's output is printed whole when it ends, and
# the last line counts every test of the three: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/check-node.sh

logs=$(mktemp -d "${TMPDIR:-/tmp}/flask-fargate-test-XXXXXX")
trap 'rm -rf "$logs"' EXIT
echo "==> type-check (tsc --noEmit) and lint (ESLint, ruff, hadolint, actionlint), side by side"
npm run --silent build >"$logs/build" 2>&1 &
build=$!
lint_status=0
npm run --silent lint || lint_status=$?
build_status=0
wait "$build" || build_status=$?
cat "$logs/build"
if [ "$build_status" -ne 0 ] || [ "$lint_status" -ne 0 ]; then
    exit 1
fi

suites=(mocks engine app)
declare -A command=(
    [mocks]="npx mocha"
    [engine]="npm run --silent test:engine"
    [app]="npm run --silent test:app"
)
declare -A pid
start=$SECONDS
echo "==> the mock suite, the engine tier and the app's tests, side by side"
for suite in "${suites[@]}"; do
    ${command[$suite]} >"$logs/$suite" 2>&1 &
    pid[$suite]=$!
done

passed=0 failed=0 broken=()
for suite in "${suites[@]}"; do
    status=0
    wait "${pid[$suite]}" || status=$?
    printf '\n==> %s (%s): exit %d\n' "$suite" "${command[$suite]}" "$status"
    cat "$logs/$suite"
    # mocha: "N passing", "N failing"; pytest: "N passed", "N failed".
    passed=$((passed + $(grep -oE '^ *[0-9]+ (passing|passed)' "$logs/$suite" | grep -oE '[0-9]+' | tail -n 1 || echo 0)))
    failed=$((failed + $(grep -oE '[0-9]+ (failing|failed)' "$logs/$suite" | grep -oE '[0-9]+' | tail -n 1 || echo 0)))
    [ "$status" -eq 0 ] || broken+=("$suite")
done
printf '\nthe three suites took %d s side by side\n' $((SECONDS - start))
if [ "${#broken[@]}" -gt 0 ]; then
    echo "failed: ${broken[*]}" >&2
    [ "$failed" -gt 0 ] || failed=${#broken[@]}
fi
echo "$passed passed, $failed failed"
[ "${#broken[@]}" -eq 0 ]
