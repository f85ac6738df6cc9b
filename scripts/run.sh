#!/usr/bin/env bash
# The main job on the default input: set-up, build, then fifteen simulated
# years of the default scenario (a tertiary hospital, scenarios/
# tertiary-hospital.yaml), writing out/tertiary/{timeseries.csv,events.csv,
# summary.json} and printing the summary; 20 replicates give the
# probability of data loss a 95 % interval.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/cli/cairn plan scenarios/tertiary-hospital.yaml --out out/tertiary --runs 20
