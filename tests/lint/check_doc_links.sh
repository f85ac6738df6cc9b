#!/usr/bin/env bash
# Fails when a Markdown link in the repository's documents points at a file
# that is not there: every [text](target) whose target is not a URL or an
# anchor must name a file or folder relative to the document (an "#anchor"
# after it is ignored). Documents are the *.md files git lists under ROOT
# (every *.md outside .git and build*/ when ROOT is not a work tree).
#
#   check_doc_links.sh ROOT
#   check_doc_links.sh --self-test   a made-up tree with a broken link must fail
set -u
root=${1:?usage: check_doc_links.sh ROOT | --self-test}
if [ "$root" = --self-test ]; then
  tmp=$(mktemp -d) || exit 2
  trap 'rm -rf -- "$tmp"' EXIT
  mkdir -p "$tmp/docs"
  printf '# A\nSee [the model](MODEL.md#losses), [the web](https://example.org) and `[code](x)`.\n' >"$tmp/docs/A.md"
  printf '# M\n' >"$tmp/docs/MODEL.md"
  bash "$0" "$tmp" >/dev/null || { echo "self-test: good links were refused"; exit 1; }
  printf 'Read [the design](../elsewhere/DESIGN.md).\n' >"$tmp/README.md"
  out=$(bash "$0" "$tmp") && { echo "self-test: a broken link passed"; exit 1; }
  echo "$out"
  grep -qF "README.md:1: link to ../elsewhere/DESIGN.md" <<<"$out" || { echo "self-test: not named"; exit 1; }
  echo "check_doc_links: self-test passed"
  exit 0
fi
[ -d "$root" ] || { echo "check_doc_links: no directory $root" >&2; exit 2; }
cd "$root" || exit 2

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  list() { git ls-files -z --cached --others --exclude-standard -- '*.md'; }
else
  list() { find . -name '*.md' -not -path './.git/*' -not -path './build*' -print0 | sed -z 's|^\./||'; }
fi

found=0 checked=0
while IFS= read -r -d '' doc; do
  [ -f "$doc" ] || continue
  dir=$(dirname "$doc")
  # Links outside code: drop fenced blocks and inline code first.
  while IFS=: read -r line target; do
    target=${target%%#*}
    [ -n "$target" ] || continue
    checked=$((checked + 1))
    if [ ! -e "$dir/$target" ]; then
      echo "$doc:$line: link to $target, which is not in the repository"
      found=1
    fi
  done < <(awk '/^```/ { fenced = !fenced; next } !fenced { gsub(/`[^`]*`/, ""); print NR ":" $0 }' "$doc" |
           grep -oE '^[0-9]+:|\]\([^)[:space:]]+\)' |
           awk '/^[0-9]+:$/ { line = substr($0, 1, length($0) - 1); next }
                { t = substr($0, 3, length($0) - 3); if (t !~ /^[a-z]+:/ && t !~ /^#/) print line ":" t }')
done < <(list)

if [ "$found" -ne 0 ]; then
  echo "check_doc_links: FAILED"
  exit 1
fi
echo "check_doc_links: $checked links, every one resolves"
