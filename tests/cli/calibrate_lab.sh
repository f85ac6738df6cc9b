#!/usr/bin/env bash
# calibrate_lab.sh CAIRN WORK_DIR BASE_PORT
#
# Runs `cairn lab calibrate` on a small lab as a new user would — lab up,
# files stored with `cairn put`, calibrate --json — and checks that every
# figure it reports is present and positive: the disks' rates, the network,
# the pilot's per-file costs, and predicted, measured and ratio for the
# rebuild and the rebalance, and that the scenario it wrote is there and
# plans. The ±15 % is a measurement for people, not asserted here (the
# machine is shared). The lab is stopped on every path out.
set -u
if [ $# -ne 3 ]; then
  echo "usage: $0 CAIRN WORK_DIR BASE_PORT" >&2
  exit 2
fi
cairn=$1 work=$2 port=$3
lab=$work/lab

fail() {
  echo "calibrate_lab.sh: $*" >&2
  exit 1
}
[ -n "$work" ] && [ "$work" != "/" ] || fail "refusing WORK_DIR '$work'"
"$cairn" lab down --dir "$lab" >/dev/null 2>&1
rm -rf -- "$work"
mkdir -p "$work/files"
trap '"$cairn" lab down --dir "$lab" >/dev/null 2>&1' EXIT

for i in $(seq 1 60); do
  head -c $((100000 + i * 1000)) /dev/urandom > "$work/files/IM-$i.dcm"
done
"$cairn" lab up --dir "$lab" --nodes 3 --disks-per-node 1 --scheme replica:2 --base-port "$port" \
  || fail "lab up exited with $?"
"$cairn" put "$work/files" /study/ --cluster "$lab/cluster.yaml" >/dev/null || fail "put exited with $?"
"$cairn" lab calibrate --dir "$lab" --json --pilot-files 30 > "$work/calibrate.json" \
  || fail "lab calibrate exited with $?"
cat "$work/calibrate.json"

json=$work/calibrate.json
for key in write_bytes_per_s read_bytes_per_s ops_per_s bytes_per_s latency_s put_file_s heal_fixed_s heal_file_s \
           move_fixed_s move_file_s predicted_s model_s measured_s ratio; do
  values=$(grep -o "\"$key\": [-0-9.e+]*" "$json" | awk '{print $2}')
  [ -n "$values" ] || fail "no $key in the JSON"
  for v in $values; do
    awk -v v="$v" 'BEGIN { exit !(v > 0) }' || fail "$key is $v, not positive"
  done
done
[ "$(grep -c '"predicted_s"' "$json")" -eq 2 ] || fail "expected predicted_s under rebuild and rebalance"
grep -q '"rebuild": {' "$json" || fail "no rebuild figures"
grep -q '"rebalance": {' "$json" || fail "no rebalance figures"
scenario=$(grep -o '"scenario": "[^"]*"' "$json" | sed 's/.*: "//; s/"$//')
[ -f "$scenario" ] || fail "the scenario $scenario is missing"
"$cairn" plan "$scenario" --out "$work/plan" --quiet >/dev/null || fail "the written scenario does not plan"
grep -q "replace_disk node [0-9]* disk [0-9]*" "$work/plan/events.csv" || fail "the scenario does not replay the rebuild"
echo "calibrate_lab.sh: every figure present and positive"
