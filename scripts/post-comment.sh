#!/usr/bin/env bash
# Posts a comment (the file $1, which starts with its marker line: the cost, a stack's preview, the
# review stack) on pull request $PR of $GITHUB_REPOSITORY, or edits the comment that already starts
# with that marker. Needs gh and GH_TOKEN.
set -euo pipefail
body_file=$1
marker=$(head -n 1 "$body_file")
existing=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR/comments" \
    --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)
if [ -n "$existing" ]; then
    gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" -F "body=@$body_file" > /dev/null
    echo "updated comment $existing"
else
    gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$PR/comments" -F "body=@$body_file" > /dev/null
    echo "posted a new comment"
fi
