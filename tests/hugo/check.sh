#!/usr/bin/env bash
# Builds a real Hugo site from `postevent export --to hugo` and fails on any Hugo error or
# warning. Usage: tests/hugo/check.sh POSTEVENT_BINARY
set -euo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/hugo.toml" "$here/layouts" "$work/"
"$bin" export --to hugo "$root/incidents" "$root/tests/fixtures/site" \
  "$root/tests/fixtures/report/hostile.yaml" "$root/tests/fixtures/export/controls.yaml" \
  -o "$work/content/incidents"
hugo --source "$work" --destination "$work/public" --panicOnWarning
page="$work/public/incidents/aws-us-east-1-2025-10-20/index.html"
test -f "$page" || { echo "hugo did not build $page" >&2; exit 1; }
grep -q "DynamoDB DNS race" "$page" || { echo "$page lacks its title" >&2; exit 1; }
grep -q 'language-mermaid' "$page" || { echo "$page lacks the Mermaid block" >&2; exit 1; }
grep -q 'cache-stampede-2026-05-02' "$work/public/incidents/index.html" \
  || { echo "the section page does not list every incident" >&2; exit 1; }
test -f "$work/public/tags/dns/index.html" || { echo "no page for the tag dns" >&2; exit 1; }
# DEL and C1 controls in a title and a tag (issue 10) reach Hugo as front-matter escapes.
test -f "$work/public/incidents/control-characters-2026-02-02/index.html" \
  || { echo "hugo did not build the page whose title holds DEL and C1 controls" >&2; exit 1; }
echo "hugo built $(find "$work/public" -name index.html | wc -l) pages from the export"
