#!/usr/bin/env bash
# expect.sh CODE REGEX -- COMMAND...: runs COMMAND and passes when it exits
# with CODE and its combined output matches REGEX (extended grep). For CODE 2
# (usage errors) stderr must also be exactly one line.
set -u
code=$1 regex=$2
shift 2
[ "$1" = "--" ] && shift
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$@" >"$out" 2>"$err"
rc=$?
cat "$out" "$err"
if [ "$rc" -ne "$code" ]; then
  echo "expect.sh: exit code $rc, expected $code" >&2
  exit 1
fi
if ! cat "$out" "$err" | grep -qE -- "$regex"; then
  echo "expect.sh: output does not match: $regex" >&2
  exit 1
fi
if [ "$code" -eq 2 ] && [ "$(wc -l <"$err")" -ne 1 ]; then
  echo "expect.sh: a usage error must be one line on stderr, got $(wc -l <"$err")" >&2
  exit 1
fi
echo "expect.sh: ok"
