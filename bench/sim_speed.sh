#!/usr/bin/env bash
# bench/sim_speed.sh — simulation speed of `cairn plan`: simulated years per
# wall-clock second, on one core (--jobs 1), for the default scenario and the
# 1,000-node, 24,000-disk scenario. A benchmark, not a test: it prints
# figures and asserts nothing (the issue's targets: the default in about a
# second, the large case in under ten seconds).
#
# usage: bench/sim_speed.sh [--cairn PATH] [--runs N] [--horizon "2 years"]
#                           [--timeout SECONDS] [SCENARIO...]
#   --horizon   runs a copy of each scenario with this horizon instead (to see
#               how the cost grows with simulated time)
#   --timeout   gives up on a scenario after this long (default 1200 s) and
#               says so, rather than hanging a CI job
# Scenarios default to scenarios/tertiary-hospital.yaml and
# scenarios/large-1000-nodes.yaml.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cairn=$root/build/cli/cairn
runs=1 horizon="" timeout_s=1200
scenarios=()
while [ $# -gt 0 ]; do
  case $1 in
    --cairn) cairn=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --horizon) horizon=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) scenarios+=("$1"); shift ;;
  esac
done
[ ${#scenarios[@]} -gt 0 ] ||
  scenarios=("$root/scenarios/tertiary-hospital.yaml" "$root/scenarios/large-1000-nodes.yaml")
[ -x "$cairn" ] || { echo "sim_speed.sh: no cairn at $cairn (build it: cmake --build build --target cairn)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The mean of "simulated_years_per_wall_s" (and of "final_nodes") in a summary.json.
figure() {
  awk -v key="\"$2\"" -v digits="$3" '$1 == key":" { inside = 1 }
    inside && $1 == "\"mean\":" { gsub(",", "", $2); printf "%.*f\n", digits, $2; exit }' "$1"
}

printf '%-28s %8s %6s %10s %12s %14s\n' scenario horizon runs wall_s final_nodes "sim_years/s"
for scenario in "${scenarios[@]}"; do
  name=$(basename "$scenario" .yaml)
  file=$scenario
  if [ -n "$horizon" ]; then
    file=$tmp/$name.yaml
    sed "s/^horizon:.*/horizon: $horizon/" "$scenario" >"$file"
  fi
  start=$(date +%s.%N)
  timeout "$timeout_s" "$cairn" plan "$file" --runs "$runs" --jobs 1 --json --quiet >"$tmp/$name.json" 2>"$tmp/$name.err"
  rc=$?
  wall=$(echo "$(date +%s.%N) - $start" | bc)
  shown_horizon=${horizon:-$(sed -n 's/^horizon: *\([^#]*[^ #]\).*/\1/p' "$scenario")}
  if [ $rc -eq 124 ]; then
    printf '%-28s %8s %6s %10.1f %12s %14s\n' "$name" "${shown_horizon// /}" "$runs" "$wall" - "gave up after ${timeout_s} s"
    continue
  elif [ $rc -ne 0 ]; then
    echo "sim_speed.sh: cairn plan $file failed ($rc): $(head -n 3 "$tmp/$name.err")" >&2
    continue
  fi
  printf '%-28s %8s %6s %10.1f %12s %14s\n' "$name" "${shown_horizon// /}" "$runs" "$wall" \
    "$(figure "$tmp/$name.json" final_nodes 1)" "$(figure "$tmp/$name.json" simulated_years_per_wall_s 2)"
done
echo "(cairn plan --jobs 1: one core; sim_years/s from summary.json simulated_years_per_wall_s, mean over runs)"
