#!/usr/bin/env bash
# run_notebook.sh NOTEBOOK OUT_DIR CAIRN
#
# Executes NOTEBOOK as CI does — `jupyter nbconvert --to notebook --execute`,
# with CAIRN as its `cairn` command — writing the executed copy and the
# figures it saves into OUT_DIR. Fails when a cell fails, when the notebook
# saved no figure, or when the committed notebook carries outputs (they would
# show results of another build; commit notebooks cleared).
set -u
if [ $# -ne 3 ]; then
  echo "usage: $0 NOTEBOOK OUT_DIR CAIRN" >&2
  exit 2
fi
notebook=$1 out=$2 cairn=$3
name=$(basename "$notebook" .ipynb)
fail() {
  echo "run_notebook: $notebook FAILED: $*"
  exit 1
}
command -v jupyter-nbconvert >/dev/null || fail "jupyter-nbconvert is not installed (bash scripts/setup.sh)"
/usr/bin/python3 - "$notebook" <<'PY' || fail "commit it without outputs (Jupyter: Edit > Clear All Outputs)"
import json, sys
cells = json.load(open(sys.argv[1]))["cells"]
dirty = [i for i, c in enumerate(cells) if c.get("outputs") or c.get("execution_count")]
if dirty:
    print(f"cells {dirty} carry outputs or execution counts")
    sys.exit(1)
PY
[ -n "$out" ] && [ "$out" != "/" ] || fail "refusing OUT_DIR '$out'"
rm -rf -- "$out/$name" "$out/$name.ipynb"
mkdir -p "$out"
# The kernel runs in the notebook's folder: absolute paths for what it is given.
out=$(realpath "$out") cairn=$(realpath "$cairn")
# Jupyter's and matplotlib's own state in the output folder, so that the run
# needs no home directory and leaves nothing in one.
export JUPYTER_RUNTIME_DIR=$out/.jupyter/runtime JUPYTER_CONFIG_DIR=$out/.jupyter/config \
  IPYTHONDIR=$out/.ipython MPLCONFIGDIR=$out/.matplotlib
start_ms=$(($(date +%s%N) / 1000000))
CAIRN_BIN=$cairn CAIRN_NOTEBOOK_OUT=$out jupyter-nbconvert --to notebook --execute \
  --ExecutePreprocessor.timeout=300 --output-dir "$out" --output "$name" "$notebook" 2>&1 |
  grep -v -e 'frozen modules' -e 'Debugging will proceed' -e 'make the debugger miss' -e '^0.00s - '
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "a cell failed (above)"
figures=$(find "$out/$name" -maxdepth 1 -name '*.png' 2>/dev/null | wc -l)
[ "$figures" -gt 0 ] || fail "it saved no figure into $out/$name"
elapsed_ms=$(($(date +%s%N) / 1000000 - start_ms))
printf 'run_notebook: %s passed in %d.%d s: %s figures in %s\n' "$name" \
  $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100)) "$figures" "$out/$name"
