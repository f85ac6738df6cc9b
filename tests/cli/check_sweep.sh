#!/usr/bin/env bash
# check_sweep.sh CAIRN SWEEP WORK_DIR
#
# Runs a small sweep locally as a user would and checks what `cairn sweep`
# promises: the table on stdout and progress on stderr; results.csv (a row per
# variant) and tasks.csv (a row per task); replicate r runs with the same seed
# in every variant; a task is exactly `cairn plan VARIANT --seed SEED`; a lost
# task is named by merge and reruns identically with `cairn sweep task`;
# running the sweep again runs nothing and merges the same bytes; another
# sweep is refused in the same folder.
set -u
if [ $# -ne 3 ]; then
  echo "usage: $0 CAIRN SWEEP WORK_DIR" >&2
  exit 2
fi
cairn=$1 sweep=$2 work=$3
fail() {
  echo "check_sweep.sh: $*" >&2
  exit 1
}
[ -n "$work" ] && [ "$work" != "/" ] || fail "refusing WORK_DIR '$work'"
rm -rf -- "$work"
mkdir -p "$work"
out=$work/local

start=$(date +%s%N)
"$cairn" sweep "$sweep" --out "$out" --jobs 2 >"$work/run.out" 2>"$work/run.err" || {
  cat "$work/run.out" "$work/run.err"
  fail "cairn sweep exited $?"
}
echo "local sweep: $(( ($(date +%s%N) - start) / 1000000 )) ms"
cat "$work/run.out"
variants=$(ls "$out/variants" | wc -l)
tasks=$(ls -d "$out"/tasks/*/ | wc -l)
[ "$(wc -l <"$out/results.csv")" -eq $((variants + 1)) ] || fail "results.csv: expected $variants rows"
[ "$(wc -l <"$out/tasks.csv")" -eq $((tasks + 1)) ] || fail "tasks.csv: expected $tasks rows"
head -1 "$out/results.csv" | grep -q '^variant,.*,replicates,final_nodes_mean,final_nodes_low95,final_nodes_high95,' ||
  fail "results.csv header: $(head -1 "$out/results.csv")"
grep -qE "^v0*$((variants - 1)) " "$work/run.out" || fail "the table has no row for the last variant"
grep -q "tasks ran in" "$work/run.err" || fail "no progress on stderr"
grep -q "^  \[$tasks/$tasks\]" "$work/run.err" || fail "progress does not count to $tasks"

# Seeds: one per replicate, the same in every variant.
replicates=$(awk -F, 'NR > 1 { print $3 }' "$out/tasks.csv" | sort -u | wc -l)
seeds=$(awk -F, 'NR > 1 { print $3 "," $4 }' "$out/tasks.csv" | sort -u | wc -l)
[ "$seeds" -eq "$replicates" ] || fail "expected one seed per replicate, got $seeds for $replicates replicates"

# Task 3 is `cairn plan` of its variant with its seed, nothing more.
line=$(awk -F, '$1 == 3' "$out/tasks.csv")
variant=$(cut -d, -f2 <<<"$line") replicate=$(cut -d, -f3 <<<"$line") seed=$(cut -d, -f4 <<<"$line")
task=$(cd "$out/tasks" && ls -d "$variant"-r*"$replicate" | head -1)
"$cairn" plan "$out/variants/$variant.yaml" --seed "$seed" --out "$work/plan3" --quiet >/dev/null ||
  fail "cairn plan of task 3's variant failed"
for f in timeseries.csv events.csv cost.csv; do
  cmp -s "$work/plan3/$f" "$out/tasks/$task/$f" || fail "task 3 ($task) differs from cairn plan --seed $seed in $f"
done

# A lost task: merge names it; `sweep task` reruns it identically.
cp -r "$out/tasks/$task" "$work/saved"
rm -rf -- "$out/tasks/$task"
"$cairn" sweep merge "$out" >"$work/merge.out" 2>&1 && fail "merge passed with a task missing"
grep -q "$task" "$work/merge.out" || fail "merge does not name the missing task: $(cat "$work/merge.out")"
"$cairn" sweep task "$out" 3 || fail "cairn sweep task $out 3 failed"
for f in timeseries.csv events.csv cost.csv; do
  cmp -s "$work/saved/$f" "$out/tasks/$task/$f" || fail "task 3 rerun differs in $f"
done

# Again: nothing runs, the same bytes.
cp "$out/results.csv" "$out/tasks.csv" "$work/"
"$cairn" sweep "$sweep" --out "$out" >"$work/again.out" 2>"$work/again.err" || fail "second run exited $?"
grep -q "0 tasks ran" "$work/again.err" || fail "second run ran tasks: $(cat "$work/again.err")"
cmp "$work/results.csv" "$out/results.csv" || fail "results.csv changed"
cmp "$work/tasks.csv" "$out/tasks.csv" || fail "tasks.csv changed"

# Another sweep in the same folder is refused.
scenario=$(cd "$(dirname "$sweep")" && realpath "$(awk '/^scenario:/ { print $2 }' "$sweep")")
sed -e "s|^scenario: .*|scenario: $scenario|" -e 's/^replicates: .*/replicates: 3/' "$sweep" >"$work/other.yaml"
"$cairn" sweep "$work/other.yaml" --out "$out" >"$work/other.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q "holds another sweep" "$work/other.out" || fail "another sweep was not refused: $(cat "$work/other.out")"
echo "check_sweep.sh: ok"
