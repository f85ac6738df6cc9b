#!/usr/bin/env bash
# check_purchase_plan.sh CAIRN SCENARIO OUT_DIR
#
# The purchase plan against what the run did: `cairn plan SCENARIO --runs 1`
# writes purchases.csv and summary.json "purchase_plan"; every purchase and
# refresh in them is a purchase_arrival / refresh_arrival line of events.csv
# (same day, same node count) and back, year by year; the plan's nodes by
# year equal nodes_bought_per_year (plus the initial cluster in year 1); and
# the nodes, racks and switches they price are the capex cost.csv charges.
# Then with --runs 3: by_year is the mean over per_run, and each purchase's
# arrival-year shares sum to 1. OUT_DIR is emptied first.
set -u
[ $# -eq 3 ] || { echo "usage: $0 CAIRN SCENARIO OUT_DIR" >&2; exit 2; }
cairn=$1 scenario=$2 out=$3
fail() { echo "check_purchase_plan.sh: $*" >&2; exit 1; }
[ -n "$out" ] && [ "$out" != "/" ] || fail "refusing OUT_DIR '$out'"
rm -rf -- "$out"
"$cairn" plan "$scenario" --runs 1 --out "$out/one" --quiet >"$out.one.txt" || fail "cairn plan exited with $?"
grep -q "^purchase plan" "$out.one.txt" || fail "the printed summary has no purchase plan"
"$cairn" plan "$scenario" --runs 3 --jobs 2 --out "$out/three" --quiet >/dev/null || fail "cairn plan --runs 3 exited with $?"
python3 - "$out" <<'PY' || fail "the purchase plan disagrees with the run (above)"
import csv, json, math, sys
out = sys.argv[1]
one = json.load(open(f"{out}/one/summary.json"))
plan = one["purchase_plan"]
rows = list(csv.DictReader(open(f"{out}/one/purchases.csv")))
events = list(csv.DictReader(open(f"{out}/one/events.csv")))
ok = True
def check(cond, what):
    global ok
    if not cond:
        print("FAIL:", what); ok = False
assert rows and rows[0]["kind"] == "initial", "purchases.csv must start with the initial cluster"
for kind, event in (("purchase", "purchase_arrival"), ("refresh", "refresh_arrival")):
    # events.csv writes days to 6 digits; a tier's detail starts "[tier] ".
    mine = [(float(r["arrival_day"]), int(r["nodes"])) for r in rows if r["kind"] in
            ((kind, "event") if kind == "purchase" else (kind,))]
    seen = [(float(e["time_days"]), int(e["detail"].split("] ")[-1].split()[0])) for e in events if e["kind"] == event]
    check(len(mine) == len(seen) and all(abs(a[0] - b[0]) < 0.01 and a[1] == b[1] for a, b in zip(mine, seen)),
          f"{kind}s in purchases.csv {mine} != {event} lines of events.csv {seen}")
    for r in rows:
        if r["kind"] == kind:
            check(int(r["year"]) == int(float(r["arrival_day"]) * 86400 // (365.25 * 86400)) + 1, f"year of {r}")
check(len(plan["run0"]) == len(rows), "run0 and purchases.csv differ in length")
bought = one["nodes_bought_per_year_mean"]
refreshed = one["nodes_refreshed_per_year_mean"]
years = len(plan["by_year"])
check(years == len(bought), f"by_year has {years} years, nodes_bought_per_year {len(bought)}")
cost = one["cost"]["per_year"]
scenario_node = None
for y in range(years):
    row = plan["by_year"][y]
    initial = sum(int(r["nodes"]) for r in rows if r["kind"] == "initial" and int(r["year"]) == y + 1)
    check(abs(row["nodes"] - (bought[y] + initial)) < 1e-9, f"year {y+1}: plan {row['nodes']} nodes, run {bought[y]} + {initial} initial")
    check(abs(row["refresh_nodes"] - refreshed[y]) < 1e-9, f"year {y+1}: refresh {row['refresh_nodes']} != {refreshed[y]}")
    in_year = [r for r in rows if int(r["year"]) == y + 1]
    check(abs(row["price"] + row["refresh_price"] - sum(float(r["price"]) for r in in_year)) < 1e-6 * max(1, row["price"]),
          f"year {y+1}: prices do not add up")
    check(row["share_of_runs"] == (1.0 if any(r["kind"] in ("purchase", "event") for r in in_year) else 0.0),
          f"year {y+1}: share_of_runs {row['share_of_runs']}")
    # Nodes, racks and switches are bought only in purchases: the plan's
    # prices minus the disks must be that capex; disks add replacements.
    nodes = sum(int(r["nodes"]) for r in in_year)
    if nodes:
        node_price = cost[y]["nodes"] / nodes
        if scenario_node is None: scenario_node = node_price
        check(abs(node_price - scenario_node) < 1e-6, f"year {y+1}: node price {node_price} != {scenario_node}")
    check(sum(float(r["price"]) for r in in_year) <= cost[y]["capex"] + 1e-6,
          f"year {y+1}: purchases {sum(float(r['price']) for r in in_year)} above the year's capex {cost[y]['capex']}")
three = json.load(open(f"{out}/three/summary.json"))
p3 = three["purchase_plan"]
for y in range(years):
    want = sum(r["nodes_bought_per_year"][y] for r in three["per_run"]) / 3
    initial = sum(p["nodes"] for p in three["per_run"][0]["purchases"] if p["kind"] == "initial") if y == 0 else 0
    check(abs(p3["by_year"][y]["nodes"] - want - initial) < 1e-9, f"runs 3, year {y+1}: {p3['by_year'][y]['nodes']} != {want} + {initial}")
for p in p3["purchases"]:
    check(abs(sum(s["share"] for s in p["arrival_years"]) - 1) < 1e-9, f"shares of {p['kind']} {p['ordinal']} do not sum to 1")
    check(0 < p["share_of_runs"] <= 1, f"share_of_runs {p['share_of_runs']}")
    check(p["order_month"] <= p["arrival_month"] + 1e-9, "ordered after it arrived")
print(f"purchases: {len(rows)} in run 0, {len(p3['purchases'])} over 3 runs")
sys.exit(0 if ok else 1)
PY
echo "check_purchase_plan.sh: ok"
