#!/usr/bin/env bash
# check_plan_outputs.sh CAIRN SCENARIO OUT_DIR MONTHS [EVENT_KIND...]
#
# Runs `CAIRN plan SCENARIO --out OUT_DIR --quiet` and checks what it wrote:
# timeseries.csv, events.csv and summary.json exist; the CSV headers carry
# exactly the documented columns; timeseries.csv has MONTHS monthly rows
# (0 .. MONTHS-1) and every row has as many fields as its header;
# summary.json holds the key figures; and events.csv has at least one line
# of each EVENT_KIND given. OUT_DIR is emptied first so stale files from an
# earlier run cannot pass.
set -u
if [ $# -lt 4 ]; then
  echo "usage: $0 CAIRN SCENARIO OUT_DIR MONTHS [EVENT_KIND...]" >&2
  exit 2
fi
cairn=$1 scenario=$2 out=$3 months=$4
shift 4

fail() {
  echo "check_plan_outputs.sh: $*" >&2
  exit 1
}

[ -n "$out" ] && [ "$out" != "/" ] || fail "refusing OUT_DIR '$out'"
rm -rf -- "$out"
"$cairn" plan "$scenario" --out "$out" --quiet || fail "cairn plan exited with $?"

timeseries_header="month,raw_tb,usable_tb,used_tb,nodes,disks,disk_failures,heals_in_flight,heals_completed,degraded_groups,bytes_at_risk,bytes_lost,rebalance_bytes,heal_p50_h,heal_p99_h,client_busy_max,management_busy_max"
events_header="time_s,time_days,kind,node,disk,group,bytes,files,detail"

for f in timeseries.csv events.csv summary.json; do
  [ -s "$out/$f" ] || fail "$out/$f is missing or empty"
done

[ "$(head -n 1 "$out/timeseries.csv")" = "$timeseries_header" ] ||
  fail "timeseries.csv header is '$(head -n 1 "$out/timeseries.csv")', expected '$timeseries_header'"
[ "$(head -n 1 "$out/events.csv")" = "$events_header" ] ||
  fail "events.csv header is '$(head -n 1 "$out/events.csv")', expected '$events_header'"

rows=$(($(wc -l <"$out/timeseries.csv") - 1))
[ "$rows" -eq "$months" ] || fail "timeseries.csv has $rows monthly rows, expected $months"
# Every row has the header's 17 fields, and months run 0 .. MONTHS-1 in order.
awk -F, -v n=17 'NR > 1 && (NF != n || $1 != NR - 2) { print "row " NR ": " $0; bad = 1 } END { exit bad }' \
  "$out/timeseries.csv" || fail "timeseries.csv rows do not match the header or are out of order"

for key in scenario seed run_seeds scenario_xxh64 engine_version nodes_bought_per_year_mean peak_fill \
  longest_heal_h probability_of_loss bytes_lost peak_client_busy peak_management_busy warnings\
  simulated_years_per_wall_s reproduce per_run; do
  grep -q "\"$key\":" "$out/summary.json" || fail "summary.json has no \"$key\""
done
[ "$(head -c 1 "$out/summary.json")" = "{" ] && [ "$(tail -n 1 "$out/summary.json")" = "}" ] ||
  fail "summary.json is not one JSON object"

for kind in "$@"; do
  cut -d, -f3 "$out/events.csv" | grep -qx -- "$kind" || fail "events.csv has no $kind line"
done

echo "check_plan_outputs.sh: ok ($rows months, events: $(($(wc -l <"$out/events.csv") - 1)))"
