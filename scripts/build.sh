#!/usr/bin/env bash
# Installs the Debian packages (scripts/setup.sh) and builds everything with
# the `default` CMake preset into build/. Extra arguments go to the configure
# step (e.g. -DCAIRN_BUILD_GUI=OFF).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset default "$@"
cmake --build --preset default -j "$(nproc)"
