#!/usr/bin/env bash
# The repository stands alone: no tracked file may send a reader outside it —
# to a sibling folder of the checkout or to the working notes the project
# started from. The rules and the API reference live in docs/domain.md and
# docs/api.md (docs/decisions.md, "Hardening (issue 9): the repository
# stands alone"). Fails listing each offending line.
#
# The patterns below are written with bracket expressions so that this file
# does not match itself; it is also excluded by name.
set -u
root="${1:?repository root}"
cd "$root" || exit 2
self="tests/architecture/stands_alone.sh"

pattern='[.][.]/shared|/work/shared|(DOMAIN|API|DESIGN|STYLE)[.]md|STACK[-]NOTES'

# The pattern must catch what it is meant to catch (a typo in it would let
# everything pass), and must not catch the repository's own documents.
status=0
# The samples are assembled from pieces, so that no line here reads as one.
dots=".."
bad_samples=("see $dots/shared/ for" "/work""/shared/x" "STACK""-NOTES: x")
for name in DOMAIN API DESIGN STYLE; do bad_samples+=("$name"".md \"Section\""); done
for bad in "${bad_samples[@]}"; do
  if ! printf '%s\n' "$bad" | grep -qE "$pattern"; then
    echo "FAIL: the pattern misses '$bad'"
    status=1
  fi
done
for good in "docs/domain.md" "docs/api.md" "docs/decisions.md" "docs/openapi.yaml" "bench/README.md"; do
  if printf '%s\n' "$good" | grep -qE "$pattern"; then
    echo "FAIL: the pattern catches the repository's own '$good'"
    status=1
  fi
done

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked files, and new files not yet added (unless ignored).
  hits=$(git grep -n -I -E --untracked "$pattern" -- . ":(exclude)$self")
else
  hits=$(grep -rnI -E --exclude-dir=.git --exclude-dir=build --exclude-dir=var "$pattern" . | grep -v "^\./$self:")
fi

if [ -n "$hits" ]; then
  echo "FAIL: files refer outside the repository (point them at docs/domain.md, docs/api.md, docs/decisions.md or docs/operations.md):"
  echo "$hits"
  status=1
else
  echo "ok: no file refers outside the repository"
fi
exit $status
