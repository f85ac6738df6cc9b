#!/usr/bin/env bash
# The main job on the default input: set-up, build, then the placement
# inspector on the default cluster (4 racks, 24 nodes x 12 disks of 20 TB,
# ec:8+3 across nodes, fixed groups, then 11 nodes added).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/cli/cairn layout --add-nodes 11 --files 100000
