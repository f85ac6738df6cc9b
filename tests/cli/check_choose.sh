#!/usr/bin/env bash
# check_choose.sh CAIRN CHOOSE_FILE OUT_DIR
#
# `cairn plan --choose` against the runs it made, recomputed here from each
# task's summary.json: with --min-nines 3 it recommends the cheapest variant
# whose durability reaches 3 nines (on the test file: replica:3, the only one
# that never met a fatal hazard), with the margins it prints; with a budget
# no variant meets (--budget 1) it says none is feasible and names the
# nearest miss (the cheapest); the sensitivity ends are the choices the
# moved sweeps' own summaries give; bad constraints are refused (exit 2).
set -u
[ $# -eq 3 ] || { echo "usage: $0 CAIRN CHOOSE_FILE OUT_DIR" >&2; exit 2; }
cairn=$1 file=$2 out=$3
fail() { echo "check_choose.sh: $*" >&2; exit 1; }
[ -n "$out" ] && [ "$out" != "/" ] || fail "refusing OUT_DIR '$out'"
rm -rf -- "$out"
"$cairn" plan --choose "$file" --out "$out/feasible" --min-nines 3 >"$out.feasible.txt" 2>"$out.feasible.err" ||
  fail "cairn plan --choose --min-nines 3 exited with $? ($(tail -3 "$out.feasible.err"))"
"$cairn" plan --choose "$file" --out "$out/none" --budget 1 --no-sensitivity >"$out.none.txt" 2>/dev/null ||
  fail "cairn plan --choose --budget 1 exited with $?"
grep -q "^Choose v002 (pool.scheme=replica:3)" "$out.feasible.txt" || fail "the text does not recommend v002: $(cat "$out.feasible.txt")"
grep -q "^None of the 3 variants meets every constraint; the nearest miss is" "$out.none.txt" ||
  fail "the text does not say none is feasible: $(cat "$out.none.txt")"
python3 - "$out" <<'PY' || fail "choose.json disagrees with the runs (above)"
import glob, json, math, os, statistics, sys
out = sys.argv[1]
ok = True
def check(cond, what):
    global ok
    if not cond:
        print("FAIL:", what); ok = False

def figures(sweep_dir):
    """variant id -> (mean cost, mean P(group loss)) from the task folders."""
    by = {}
    for summary in sorted(glob.glob(f"{sweep_dir}/tasks/v*-r*/summary.json")):
        v = os.path.basename(os.path.dirname(summary)).split("-")[0]
        s = json.load(open(summary))
        by.setdefault(v, []).append((s["cost"]["total"]["mean"], s["durability"]["probability_of_group_loss"]["mean"]))
    return {v: (statistics.mean(c for c, _ in rows), statistics.mean(p for _, p in rows)) for v, rows in by.items()}

def nines(p):
    return math.inf if p <= 0 else -math.log10(p)

def cheapest_feasible(figs, min_nines):
    ok_ids = [v for v, (c, p) in figs.items() if nines(p) >= min_nines]
    return min(ok_ids, key=lambda v: figs[v][0]) if ok_ids else None

feasible = json.load(open(f"{out}/feasible/choose.json"))
base = figures(f"{out}/feasible/runs/choose-smoke")
check(len(base) == 3, f"expected 3 variants of runs, found {sorted(base)}")
want = cheapest_feasible(base, 3.0)
check(want == "v002", f"the runs make {want} the answer; the test file expects replica:3 (v002)")
check(feasible["recommended"] == want, f"recommended {feasible['recommended']}, the runs say {want}")
check(feasible["nearest_miss"] is None, "a nearest miss beside a recommendation")
for v in feasible["variants"]:
    cost, p = base[v["id"]]
    check(abs(v["cost"]["mean"] - cost) < 1e-6 * cost, f"{v['id']}: cost {v['cost']['mean']} != {cost}")
    n = nines(p)
    checks = {c["name"]: c for c in v["checks"]}
    check(set(checks) == {"min_nines", "max_fill"}, f"{v['id']}: checks {sorted(checks)}")
    c = checks["min_nines"]
    if math.isinf(n):
        check(c["value"] is None and c["margin"] is None and c["met"], f"{v['id']}: unbounded nines as {c}")
    else:
        check(abs(c["value"] - n) < 1e-9 and abs(c["margin"] - (n - 3)) < 1e-9, f"{v['id']}: nines check {c}")
        check(c["met"] == (n >= 3), f"{v['id']}: met {c['met']} for {n} nines")
    check(v["feasible"] == all(x["met"] for x in v["checks"]), f"{v['id']}: feasible flag")
    if not v["feasible"]:
        check(v["verdict"].startswith("fails: durability"), f"{v['id']}: verdict {v['verdict']}")
sens = feasible["sensitivity"]
check(sens is not None and len(sens["factors"]) == 1, "one sensitivity factor expected")
for end in ("low", "high"):
    f = sens["factors"][0]
    moved = figures(f"{out}/feasible/runs/choose-smoke-s0-{end}")
    w = cheapest_feasible(moved, 3.0)
    check(f[f"at_{end}"]["recommended"] == w, f"at {end}: recommended {f[f'at_{end}']['recommended']}, runs say {w}")
    if w:
        check(abs(f[f"at_{end}"]["cost"] - moved[w][0]) < 1e-6 * moved[w][0], f"at {end}: cost")
    check(abs(f[f"at_{end}"]["base_choice_cost"] - moved[want][0]) < 1e-6 * moved[want][0], f"at {end}: base choice cost")

none = json.load(open(f"{out}/none/choose.json"))
figs = figures(f"{out}/none/runs/choose-smoke")
cheapest = min(figs, key=lambda v: figs[v][0])
check(none["recommended"] is None, f"recommended {none['recommended']} under an impossible budget")
check(none["nearest_miss"] == cheapest, f"nearest miss {none['nearest_miss']}, the cheapest is {cheapest}")
check(none["sensitivity"] is None, "--no-sensitivity ran sensitivity")
check(all(not v["feasible"] and "budget" in v["verdict"] for v in none["variants"]), "every variant fails the budget")
print(f"recommended {feasible['recommended']}; none feasible under budget 1, nearest miss {none['nearest_miss']}")
sys.exit(0 if ok else 1)
PY
# Bad input: refused before anything runs, with the file's line and column.
bad="$out/bad.yaml"
sed 's/^  max_fill: 95 %/  max_fil: 95 %/' "$file" >"$bad"
# the scenario path is relative to the choose file: keep it resolvable from OUT_DIR
sed -i "s|^scenario: .*|scenario: $(cd "$(dirname "$file")" && pwd)/$(sed -n 's/^scenario: //p' "$file")|" "$bad"
"$cairn" plan --choose "$bad" --out "$out/bad" 2>"$out.bad.err" >/dev/null
rc=$?
[ "$rc" -eq 2 ] || fail "an unknown constraint exited with $rc, expected 2"
grep -q "bad.yaml:11:3: constraints.max_fil: unknown key (did you mean max_fill?)" "$out.bad.err" ||
  fail "unknown constraint message: $(cat "$out.bad.err")"
[ ! -e "$out/bad" ] || fail "a refused choose file still created its --out folder"
"$cairn" plan --choose "$file" --max-fill lots --out "$out/bad2" 2>"$out.bad2.err" >/dev/null
[ $? -eq 2 ] && grep -q -- "--max-fill" "$out.bad2.err" || fail "--max-fill lots was not refused: $(cat "$out.bad2.err")"
echo "check_choose.sh: ok"
