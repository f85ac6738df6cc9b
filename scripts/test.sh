#!/usr/bin/env bash
# Set-up, build, and every test (unit, cli, lint; later sim, cluster, gui),
# ending with ctest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --preset default -j "$(nproc)"
