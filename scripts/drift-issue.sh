#!/usr/bin/env bash
# Keeps one open issue per stack about drift, labelled `drift`, found again by the marker line its
# body starts with (automation/drift.ts, driftIssueBody):
#   scripts/drift-issue.sh STACK BODY_FILE   drift found: opens the issue, or updates the open one
#   scripts/drift-issue.sh STACK             no drift: closes the open issue, if any, saying so
# Needs gh, GH_TOKEN (issues: write) and GITHUB_REPOSITORY.
set -euo pipefail
stack=$1
body=${2:-}
marker="<!-- flask-fargate:drift:$stack -->"
existing=$(gh issue list --repo "$GITHUB_REPOSITORY" --state open --label drift --limit 100 --json number,body \
    --jq ".[] | select(.body | startswith(\"$marker\")) | .number" | head -n 1)
if [ -n "$body" ]; then
    if [ -n "$existing" ]; then
        gh issue edit "$existing" --repo "$GITHUB_REPOSITORY" --body-file "$body" > /dev/null
        echo "updated issue #$existing"
    else
        gh label create drift --repo "$GITHUB_REPOSITORY" --color D93F0B --description "A stack changed outside Pulumi" --force > /dev/null
        gh issue create --repo "$GITHUB_REPOSITORY" --title "Drift: stack $stack changed outside Pulumi" --label drift --body-file "$body"
    fi
elif [ -n "$existing" ]; then
    gh issue close "$existing" --repo "$GITHUB_REPOSITORY" --comment "Stack $stack is back in line with its Pulumi state (drift check of $(date -u +%Y-%m-%dT%H:%M:%SZ))." > /dev/null
    echo "closed issue #$existing"
else
    echo "no drift, no open drift issue"
fi
