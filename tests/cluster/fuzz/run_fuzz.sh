#!/usr/bin/env bash
# Builds the wire-protocol fuzz target (frame_fuzz.cc) with clang++ and
# libFuzzer, AddressSanitizer and UBSan into BUILD_DIR, then runs it for a
# bounded number of inputs from the committed seed corpus. Exits nonzero on
# any crash, sanitizer report, leak or single allocation over 1 MiB (no
# input here is larger than 70,000 bytes, so a bigger allocation means a
# declared length was trusted); the failing input is left in
# BUILD_DIR/frame_fuzz_work/artifacts/.
#
# The main build uses g++, so this compiles the few sources the target needs
# directly. The binary is rebuilt only when a source or header under
# cluster-ref/, engine/ or tests/cluster/fuzz/ is newer than it.
#
# usage: run_fuzz.sh BUILD_DIR [extra libFuzzer flags]
# env:   CAIRN_FUZZ_SEED  libFuzzer seed (default 1125; printed, to replay a run)
#        CAIRN_FUZZ_RUNS  inputs to run (default 200000)
#        CAIRN_FUZZ_CXX   compiler (default clang++)
# replay one input: BUILD_DIR/frame_fuzz BUILD_DIR/frame_fuzz_work/artifacts/crash-...
set -euo pipefail

root="$(cd "$(dirname "$0")/../../.." && pwd)"
if [ $# -lt 1 ]; then
  echo "usage: $0 BUILD_DIR [extra libFuzzer flags]" >&2
  exit 2
fi
mkdir -p "$1"
build="$(cd "$1" && pwd)"
shift
cxx="${CAIRN_FUZZ_CXX:-clang++}"
seed="${CAIRN_FUZZ_SEED:-1125}"
runs="${CAIRN_FUZZ_RUNS:-200000}"
binary="$build/frame_fuzz"

sources=(
  tests/cluster/fuzz/frame_fuzz.cc
  cluster-ref/formats/wire.cc cluster-ref/formats/messages.cc cluster-ref/formats/codec_io.cc cluster-ref/formats/record.cc
  engine/checksum.cc engine/scheme.cc
)
# The project's warning set (CMakeLists.txt, cairn_warnings), which clang
# understands too.
warnings=(-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough)

stale() {
  [ ! -x "$binary" ] && return 0
  [ "$0" -nt "$binary" ] && return 0
  [ -n "$(cd "$root" && find cluster-ref engine tests/cluster/fuzz \
    \( -name '*.cc' -o -name '*.h' \) -newer "$binary" -print -quit)" ]
}

if stale; then
  echo "run_fuzz.sh: building $binary with $cxx"
  # shellcheck disable=SC2046  # pkg-config prints several words on purpose
  (cd "$root" && "$cxx" -std=c++20 -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all "${warnings[@]}" \
    -I"$root" "${sources[@]}" $(pkg-config --cflags --libs libisal) -o "$binary.tmp")
  mv "$binary.tmp" "$binary"
fi

# A fresh working corpus each run, so that one seed always replays the same run.
work="$build/frame_fuzz_work"
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
echo "run_fuzz.sh: seed=$seed runs=$runs (replay with CAIRN_FUZZ_SEED=$seed $0 $build)"
"$binary" -seed="$seed" -runs="$runs" -max_len=70000 -timeout=10 -malloc_limit_mb=1 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$@" \
  "$work/corpus" "$root/tests/cluster/fuzz/corpus"
