#!/usr/bin/env bash
# bench/durability_speed.sh — what `cairn plan --nines` costs: for each
# scenario, on one core (--jobs 1, pinned with taskset when there is one), the
# number of runs and the wall-clock time it takes until the durability
# estimate's 95 % interval lies within ±WIDTH nines of its mean. A benchmark,
# not a test: it prints figures and asserts nothing (the issue's target: the
# default scenario within ±0.3 nines in under a minute on one core).
#
# Runs double from --start until the interval is narrow enough or --max runs
# were spent. Each attempt is a fresh `cairn plan` of that many runs (the
# seeds of a smaller attempt are a prefix of a larger one's), and its wall
# and CPU time (user + system, of cairn and the run processes it forks) are
# what the line reports: the cost of asking for that many runs at once. On a
# shared machine the CPU time is the steadier figure.
#
# usage: bench/durability_speed.sh [--cairn PATH] [--width NINES] [--start N]
#                                  [--max N] [--bias B] [SCENARIO...]
#   --width  half-width of the interval sought, in nines (default 0.3)
#   --start  runs of the first attempt (default 16)
#   --max    gives up after an attempt of this many runs (default 1024)
#   --bias   passed to cairn plan (failure biasing; default 1, none)
# Scenarios default to scenarios/tertiary-hospital.yaml.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cairn=$root/build/cli/cairn
width=0.3 start=16 max=1024 bias=1
scenarios=()
while [ $# -gt 0 ]; do
  case $1 in
    --cairn) cairn=$2; shift 2 ;;
    --width) width=$2; shift 2 ;;
    --start) start=$2; shift 2 ;;
    --max) max=$2; shift 2 ;;
    --bias) bias=$2; shift 2 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    -*) echo "durability_speed.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) scenarios+=("$1"); shift ;;
  esac
done
[ ${#scenarios[@]} -gt 0 ] || scenarios=("$root/scenarios/tertiary-hospital.yaml")
[ -x "$cairn" ] || { echo "durability_speed.sh: no cairn at $cairn (build it: cmake --build build --target cairn)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "durability_speed.sh: needs python3 to read summary.json" >&2; exit 2; }
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "nines low high ess" from a summary.json; "inf" where a bound is unbounded.
read_nines() {
  python3 - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["durability"]
n = d["nines"]
f = lambda v: "inf" if v is None else "%.3f" % v
print(f(n["mean"]), f(n["low95"]), f(n["high95"]), "%.1f" % d["effective_sample_size"])
EOF
}

echo "scenario  runs  nines  (95% CI)  half-widths  ESS  wall-s cpu-s  verdict"
for scenario in "${scenarios[@]}"; do
  runs=$start
  while :; do
    out=$tmp/$runs
    TIMEFORMAT='%R %U %S'
    if ! { time "${pin[@]}" "$cairn" plan "$scenario" --nines --bias "$bias" --runs "$runs" --jobs 1 --quiet \
        --out "$out" >"$tmp/log" 2>&1; } 2>"$tmp/time"; then
      echo "durability_speed.sh: cairn plan failed on $scenario:" >&2
      cat "$tmp/log" >&2
      break
    fi
    read -r mean low high ess < <(read_nines "$out/summary.json")
    read -r real user sys <"$tmp/time"
    wall=$(awk -v r="$real" -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f %.1f", r, u + s }')
    verdict=$(awk -v m="$mean" -v l="$low" -v h="$high" -v w="$width" 'BEGIN {
      if (m == "inf" || l == "inf" || h == "inf") { print "wider"; exit }
      print (m - l <= w && h - m <= w) ? "within" : "wider" }')
    below=$(awk -v m="$mean" -v l="$low" 'BEGIN { if (m == "inf" || l == "inf") print "?"; else printf "-%.2f", m - l }')
    above=$(awk -v m="$mean" -v h="$high" 'BEGIN { if (m == "inf" || h == "inf") print "+inf"; else printf "+%.2f", h - m }')
    printf '%s  %d  %s  (%s .. %s)  %s/%s  %s  %s  %s ±%s\n' "$(basename "$scenario" .yaml)" "$runs" "$mean" \
      "$low" "$high" "$below" "$above" "$ess" "$wall" "$verdict" "$width"
    [ "$verdict" = within ] && break
    [ "$runs" -ge "$max" ] && { echo "  (gave up at --max $max runs)"; break; }
    runs=$((runs * 2))
  done
done
