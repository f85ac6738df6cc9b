#!/usr/bin/env bash
# Fails when a file of the repository names a path of the machine it was
# written on, or a folder outside the repository: a home or work directory
# (/home/NAME, /root/, /Users/NAME, /work/), or a shared folder beside the
# clone (a sibling "shared" folder). Documents, scenario comments, --help texts
# and notebooks must link only into the repository, so that a fresh clone
# stands alone.
#
#   check_no_machine_paths.sh ROOT       checks ROOT's files (git's list when ROOT
#                                        is a work tree: tracked and untracked, not
#                                        ignored; else every file outside .git and build*/)
#   check_no_machine_paths.sh --self-test   checks that each kind is found in a
#                                        made-up tree, and that a clean tree passes
#
# Binary files are skipped. This script names the patterns, so it skips itself.
set -u

patterns=(
  '/work/|a work directory'
  '/home/[A-Za-z0-9._-]+|a home directory'
  '/root/|root'\''s home directory'
  '/Users/[A-Za-z0-9._-]+|a home directory'
  '\.\./shared|a folder outside the repository'
  '(^|[[:space:]`"'\''(<\[])shared/|a folder outside the repository'
)

list_files() {
  local root=$1
  if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
     [ "$(cd "$root" && git rev-parse --show-toplevel)" = "$(cd "$root" && pwd -P)" ]; then
    git -C "$root" ls-files -z --cached --others --exclude-standard
  else
    (cd "$root" && find . -type f -not -path './.git/*' -not -path './build*' -print0 | sed -z 's|^\./||')
  fi
}

check() {
  local root=$1 self found=0 files=() file hit
  root=$(cd "$root" && pwd -P)
  self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/$(basename "${BASH_SOURCE[0]}")
  while IFS= read -r -d '' file; do
    [ -f "$root/$file" ] && [ "$root/$file" != "$self" ] && files+=("$file")
  done < <(list_files "$root")
  for rule in "${patterns[@]}"; do
    pattern=${rule%|*}
    what=${rule##*|}
    # One grep per pattern over every file: FILE:LINE:TEXT.
    while IFS= read -r hit; do
      [ -n "$hit" ] || continue
      file=${hit%%:*}
      hit=${hit#*:}
      echo "$file:${hit%%:*}: names $what ('$(grep -oE -m1 "$pattern" <<<"${hit#*:}" | sed -E 's/^[[:space:]`"'\''(<\[]//')'): link into the repository instead"
      found=1
    done < <(cd "$root" && printf '%s\0' "${files[@]}" | xargs -0 -r grep -I -n -H -E -- "$pattern" 2>/dev/null)
  done
  if [ "$found" -ne 0 ]; then
    echo "check_no_machine_paths: FAILED for $root"
    return 1
  fi
  echo "check_no_machine_paths: no machine paths in $root"
}

self_test() {
  local tmp rc out
  tmp=$(mktemp -d) || exit 2
  trap 'rm -rf -- "$tmp"' RETURN
  mkdir -p "$tmp/docs" "$tmp/scenarios"
  printf 'See docs/DESIGN.md and ../scenarios/README.md; network/crosstraffic is fine.\n' >"$tmp/docs/ok.md"
  check "$tmp" >/dev/null || { echo "self-test: a clean tree was refused"; return 1; }
  printf 'Read ../%s/DESIGN.md first.\n' shared >"$tmp/README.md"  # assembled, so this file names no such path
  printf '# source: /home/alice/notes/backblaze.csv\nx: 1\n' >"$tmp/scenarios/a.yaml"
  printf 'cd /work/main && make\n' >"$tmp/docs/build.md"
  printf '{"text": "see shared/STYLE.md"}\n' >"$tmp/docs/n.ipynb"
  out=$(check "$tmp"); rc=$?
  echo "$out"
  [ "$rc" -ne 0 ] || { echo "self-test: machine paths were not found"; return 1; }
  for want in "README.md:1: names a folder outside the repository" \
              "scenarios/a.yaml:1: names a home directory ('/home/alice')" \
              "docs/build.md:1: names a work directory" \
              "docs/n.ipynb:1: names a folder outside the repository ('shared/')"; do
    grep -qF "$want" <<<"$out" || { echo "self-test: missing: $want"; return 1; }
  done
  echo "check_no_machine_paths: self-test passed"
}

case "${1:-}" in
  --self-test) self_test ;;
  '') echo "usage: check_no_machine_paths.sh ROOT | --self-test" >&2; exit 2 ;;
  *) [ -d "$1" ] || { echo "check_no_machine_paths: no directory $1" >&2; exit 2; }
     check "$1" ;;
esac
