"""Run Cairn from a notebook and read what it writes.

Every notebook calls `cairn` itself, so its figures come from the code beside
it and never from stale files. The command is build/cli/cairn in this
repository (`bash scripts/build.sh` makes it), or $CAIRN_BIN. Runs and figures
go under $CAIRN_NOTEBOOK_OUT, by default out/notebooks/ in the repository
(which git ignores), one folder per notebook.

Scenarios are the repository's YAML files (scenarios/), changed key by key:

    doc = with_keys(load_scenario("tertiary-hospital"), {"pool.scheme": "replica:3"})
    run = plan(doc, "replica3", runs=8)
    run.summary["final_nodes"]["mean"], run.timeseries, run.events, run.cost
"""
from __future__ import annotations

import copy
import json
import os
import pathlib
import shutil
import subprocess
import time
from dataclasses import dataclass

import matplotlib
import pandas as pd
import yaml

REPO = pathlib.Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "scenarios"


def cairn_bin() -> pathlib.Path:
    """The `cairn` command: $CAIRN_BIN, else build/cli/cairn in this repository."""
    path = pathlib.Path(os.environ.get("CAIRN_BIN") or REPO / "build" / "cli" / "cairn")
    if not path.is_file():
        raise FileNotFoundError(f"no cairn command at {path}: build it (bash scripts/build.sh) or set CAIRN_BIN")
    return path


def out_dir(notebook: str) -> pathlib.Path:
    """Where a notebook's runs and figures go: $CAIRN_NOTEBOOK_OUT/<notebook>."""
    base = pathlib.Path(os.environ.get("CAIRN_NOTEBOOK_OUT") or REPO / "out" / "notebooks")
    path = base / notebook
    path.mkdir(parents=True, exist_ok=True)
    return path


def cairn(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs `cairn ARGS`; on failure raises with what it printed on stderr."""
    done = subprocess.run([str(cairn_bin()), *map(str, args)], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"cairn {' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr}")
    return done


def load_scenario(name: str) -> dict:
    """A scenario of the repository by name ("tertiary-hospital") or path, as YAML data."""
    path = pathlib.Path(name)
    if not path.suffix:
        path = SCENARIOS / f"{name}.yaml"
    with open(path) as f:
        return yaml.safe_load(f)


def with_keys(doc: dict, keys: dict) -> dict:
    """A copy of `doc` with dotted keys set ("pool.scheme": "ec:4+2"); None removes a key."""
    out = copy.deepcopy(doc)
    for dotted, value in keys.items():
        node = out
        *parents, last = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return out


@dataclass
class Run:
    """One `cairn plan` run: its summary.json, and the CSVs of its run 0."""

    name: str
    out: pathlib.Path
    summary: dict
    timeseries: pd.DataFrame
    events: pd.DataFrame
    cost: pd.DataFrame
    wall_s: float

    def estimate(self, key: str) -> dict:
        return self.summary[key]


def plan(doc: dict, name: str, notebook: str, runs: int = 1, seed: int | None = None) -> Run:
    """Writes `doc` as a scenario and runs `cairn plan` on it with `runs` replicates."""
    folder = out_dir(notebook) / name
    folder.mkdir(parents=True, exist_ok=True)
    scenario = folder / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    args = ["plan", scenario, "--out", folder / "out", "--runs", runs, "--jobs", os.cpu_count() or 1, "--quiet"]
    if seed is not None:
        args += ["--seed", seed]
    start = time.monotonic()
    cairn(*args)
    wall_s = time.monotonic() - start
    out = folder / "out"
    return Run(
        name=name,
        out=out,
        summary=json.loads((out / "summary.json").read_text()),
        timeseries=pd.read_csv(out / "timeseries.csv"),
        events=pd.read_csv(out / "events.csv"),
        cost=pd.read_csv(out / "cost.csv"),
        wall_s=wall_s,
    )


def sweep(doc: dict, grid: dict, name: str, notebook: str, replicates: int = 4, set_keys: dict | None = None):
    """Runs `cairn sweep` over `doc` varied by `grid` (key -> list of values).

    Returns (results, tasks): results.csv (a row per variant: each figure's
    _mean, _low95, _high95) and tasks.csv (a row per task) as DataFrames.
    Every task is a `cairn plan` process; they run on every core.
    """
    folder = out_dir(notebook) / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scenario.yaml").write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    spec = {"name": name, "scenario": "scenario.yaml", "replicates": replicates, "grid": grid}
    if set_keys:
        spec["set"] = set_keys
    (folder / "sweep.yaml").write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))
    out = folder / "out"
    if out.exists():
        shutil.rmtree(out)
    start = time.monotonic()
    done = cairn("sweep", folder / "sweep.yaml", "--out", out)
    print(f"cairn sweep: {len(pd.read_csv(out / 'tasks.csv'))} tasks in {time.monotonic() - start:.1f} s")
    return pd.read_csv(out / "results.csv"), pd.read_csv(out / "tasks.csv")


def fmt(estimate: dict, scale: float = 1.0, digits: int = 1, unit: str = "", floor: float | None = 0.0) -> str:
    """"mean (low–high)" of a summary estimate {"mean", "low95", "high95"}.

    The summary's interval is a symmetric t interval, which can reach below
    zero for a count or an amount that cannot; `floor` clips it (None keeps it).
    """
    mean, low, high = (estimate[k] * scale for k in ("mean", "low95", "high95"))
    if floor is not None:
        low = max(low, floor)
    if abs(high - low) < 1e-12 * max(1.0, abs(mean)):
        return f"{mean:,.{digits}f}{unit}"
    return f"{mean:,.{digits}f}{unit} ({low:,.{digits}f}–{high:,.{digits}f})"


def heal_jobs(events: pd.DataFrame) -> pd.DataFrame:
    """Heal jobs of one run: start and end (days), hours, bytes written, and cause.

    A job's heal_end names its duration; its heal_start, at end − duration with
    the same bytes, names its cause: "N groups owed writes" (members of a node
    back from an outage catch up) or "N groups" (members of a failed disk are
    rebuilt). events.csv prints times and bytes to 6 significant digits, so
    they are matched within that precision, the closest start first.
    """
    starts = events[events.kind == "heal_start"]
    ends = events[events.kind == "heal_end"]
    used: set = set()
    rows = []
    for _, end in ends.iterrows():
        hours = float(str(end.detail).replace(" h", ""))
        start_s = end.time_s - hours * 3600
        tolerance_s = 2.0 + 1e-5 * max(end.time_s, 1.0)
        near = starts[(abs(starts.time_s - start_s) <= tolerance_s)
                      & (abs(starts.bytes - end.bytes) <= 1e-5 * max(1.0, end.bytes))
                      & ~starts.index.isin(used)]
        cause = "unknown"
        if len(near):
            best = (near.time_s - start_s).abs().idxmin()
            used.add(best)
            cause = "catch-up" if "owed" in str(near.loc[best].detail) else "rebuild"
        rows.append({"start_days": start_s / 86400, "end_days": end.time_days, "hours": hours,
                     "bytes": end.bytes, "cause": cause})
    return pd.DataFrame(rows, columns=["start_days", "end_days", "hours", "bytes", "cause"])


def rebalances(events: pd.DataFrame) -> pd.DataFrame:
    """Rebalances and drains of one run: start (days), hours and bytes moved."""
    ends = events[events.kind == "rebalance_end"].copy()
    ends["hours"] = ends.detail.str.replace(" h", "", regex=False).astype(float)
    ends["start_days"] = ends.time_days - ends.hours / 24
    return ends[["start_days", "time_days", "hours", "bytes"]].rename(columns={"time_days": "end_days"})


def style() -> None:
    """One readable style for every figure: large type, light grid, no clutter."""
    matplotlib.rcParams.update({
        "figure.figsize": (10, 4.8), "figure.dpi": 100, "savefig.dpi": 110, "font.size": 11,
        "axes.titlesize": 13, "axes.labelsize": 11, "legend.fontsize": 10, "axes.grid": True,
        "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False,
        "figure.constrained_layout.use": True,
    })


def save(fig, notebook: str, name: str) -> pathlib.Path:
    """Saves a figure as PNG beside the notebook's runs and returns its path."""
    path = out_dir(notebook) / f"{name}.png"
    fig.savefig(path)
    return path
