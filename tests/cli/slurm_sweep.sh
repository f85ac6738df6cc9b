#!/usr/bin/env bash
# slurm_sweep.sh CAIRN SWEEP WORK_DIR BASE_PORT
#
# Starts a single-node Slurm on this machine — munged with a key of its own,
# slurmctld and slurmd from a minimal slurm.conf written into WORK_DIR,
# listening on BASE_PORT and BASE_PORT+1 — runs SWEEP locally and through
# Slurm (`cairn sweep --slurm --wait`, one array task per variant x
# replicate), and checks that the merged results are the same bytes, and
# each task's outputs too. Then it loses a task and reruns it through Slurm
# alone. Slurm is stopped on every path out. Needs root (as CI runs), and
# Debian's slurm-wlm and munge (scripts/setup.sh); exits 77 (skipped) when
# not root.
set -u
if [ $# -ne 4 ]; then
  echo "usage: $0 CAIRN SWEEP WORK_DIR BASE_PORT" >&2
  exit 2
fi
cairn=$1 sweep=$2 work=$3 port=$4
fail() {
  echo "slurm_sweep.sh: $*" >&2
  for log in "$work/slurm/slurmctld.log" "$work/slurm/slurmd.log" "$work/slurm/munged.log"; do
    [ -f "$log" ] && { echo "--- last lines of $log" >&2; tail -n 15 "$log" >&2; }
  done
  exit 1
}
if [ "$(id -u)" -ne 0 ]; then
  echo "slurm_sweep.sh: starts munged, slurmctld and slurmd as root; not root, skipped"
  exit 77
fi
export PATH=$PATH:/usr/sbin:/sbin  # the daemons live in sbin
for command in munged slurmctld slurmd sbatch squeue sinfo scontrol; do
  command -v "$command" >/dev/null || fail "$command is not installed (bash scripts/setup.sh installs slurm-wlm and munge)"
done
[ -n "$work" ] && [ "$work" != "/" ] || fail "refusing WORK_DIR '$work'"
rm -rf -- "$work"
s=$work/slurm
mkdir -p "$s/state" "$s/spool"
chmod 755 "$work" "$s"

stop_slurm() {
  if [ -f "$s/slurm.conf" ]; then
    SLURM_CONF=$s/slurm.conf scontrol shutdown >/dev/null 2>&1
    for _ in $(seq 50); do
      alive=0
      for pidfile in "$s/slurmctld.pid" "$s/slurmd.pid"; do
        [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && alive=1
      done
      [ "$alive" -eq 0 ] && break
      sleep 0.2
    done
    for pidfile in "$s/slurmctld.pid" "$s/slurmd.pid"; do
      [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null
    done
  fi
  if [ -f "$s/munged.pid" ]; then
    munged --stop --socket="$s/munge.sock" >/dev/null 2>&1 || kill "$(cat "$s/munged.pid")" 2>/dev/null
  fi
}
trap stop_slurm EXIT

# munge: a key of its own, its socket in the work folder.
head -c 1024 /dev/urandom >"$s/munge.key"
chmod 600 "$s/munge.key"
munged --force --socket="$s/munge.sock" --key-file="$s/munge.key" --pid-file="$s/munged.pid" \
  --log-file="$s/munged.log" --seed-file="$s/munged.seed" || fail "munged did not start"

node=$(hostname -s)
cat >"$s/slurm.conf" <<CONF
# A single-node Slurm for the sweep test; everything in $s.
ClusterName=cairn-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$s/munge.sock
CredType=cred/munge
StateSaveLocation=$s/state
SlurmdSpoolDir=$s/spool
SlurmctldPidFile=$s/slurmctld.pid
SlurmdPidFile=$s/slurmd.pid
SlurmctldLogFile=$s/slurmctld.log
SlurmdLogFile=$s/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=cairn Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$s/slurm.conf
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
for _ in $(seq 100); do
  sinfo -h -n "$node" -o %t 2>/dev/null | grep -q idle && break
  sleep 0.2
done
sinfo -h -n "$node" -o %t | grep -q idle || fail "the node did not become idle: $(sinfo 2>&1)"
echo "single-node Slurm up: $(sinfo -h -o '%P %D %t %c CPUs')"

ms() { echo $(($(date +%s%N) / 1000000)); }
t0=$(ms)
"$cairn" sweep "$sweep" --out "$work/local" >"$work/local.out" 2>"$work/local.err" ||
  fail "local sweep exited $?: $(cat "$work/local.err")"
t1=$(ms)
"$cairn" sweep "$sweep" --out "$work/slurm-run" --slurm --wait >"$work/slurm.out" 2>"$work/slurm.err" ||
  fail "Slurm sweep exited $?: $(cat "$work/slurm.err" "$work/slurm.out")"
t2=$(ms)
cat "$work/slurm.err" "$work/slurm.out"
tasks=$(($(wc -l <"$work/local/tasks.csv") - 1))
printf 'local: %d tasks in %d.%03d s; through Slurm (submit, run, follow, merge): %d.%03d s\n' "$tasks" \
  $(((t1 - t0) / 1000)) $(((t1 - t0) % 1000)) $(((t2 - t1) / 1000)) $(((t2 - t1) % 1000))

grep -q "submitted job array" "$work/slurm.err" || fail "no job array was submitted"
time_limit=$(awk '/^slurm:/ { in_slurm = 1; next } /^[^ #]/ { in_slurm = 0 }
                  in_slurm && $1 == "time:" { gsub(/"/, "", $2); print $2; exit }' "$sweep")
if [ -n "$time_limit" ]; then
  grep -q "^#SBATCH --time=$time_limit$" "$work/slurm-run/slurm/sweep.sbatch" || fail "the sweep's slurm.time is not in the script"
fi
logs=$(ls "$work/slurm-run/slurm/logs" | wc -l)
[ "$logs" -eq "$tasks" ] || fail "expected $tasks array task logs, found $logs"
grep -lq "done in" "$work/slurm-run/slurm/logs/"* || fail "the array tasks' logs do not show cairn sweep task"
for f in results.csv tasks.csv; do
  cmp "$work/local/$f" "$work/slurm-run/$f" || fail "$f differs between the local and the Slurm run"
done
for task in "$work"/local/tasks/*/; do
  id=$(basename "$task")
  for f in timeseries.csv events.csv cost.csv; do
    cmp -s "$task/$f" "$work/slurm-run/tasks/$id/$f" || fail "task $id: $f differs between the local and the Slurm run"
  done
done
echo "merged results equal byte for byte: results.csv, tasks.csv and every task's outputs"

# A lost task: only it is submitted again, and the merge is the same bytes.
lost=$(ls "$work/slurm-run/tasks" | grep -v '\.log$' | sed -n 2p)
rm -rf -- "$work/slurm-run/tasks/$lost" "$work/slurm-run/results.csv"
"$cairn" sweep "$sweep" --out "$work/slurm-run" --slurm --wait >"$work/again.out" 2>"$work/again.err" ||
  fail "the Slurm rerun exited $?: $(cat "$work/again.err")"
grep -q ", 1 to run on Slurm" "$work/again.err" || fail "the rerun did not submit exactly the lost task: $(cat "$work/again.err")"
cmp "$work/local/results.csv" "$work/slurm-run/results.csv" || fail "results.csv differs after rerunning $lost"
echo "lost task $lost reran through Slurm identically"
echo "slurm_sweep.sh: ok"
