// Running a sweep (cli/sweep_spec.h): its folder, its tasks, locally or on
// Slurm, and merging their results.
//
// The folder of a sweep holds everything a task needs, so that any machine
// that sees it (a Slurm node on a shared file system) can run any task:
//
//   sweep.json             the plan: scenario hash, base seed, replicates, axes, variants
//   variants/v003.yaml     each variant's scenario
//   tasks/v003-r02/        a finished task: `cairn plan` outputs (summary.json, timeseries.csv, ...)
//   tasks/v003-r02.log     what its `cairn plan` printed
//   tasks.csv, results.csv the merged results: one row per task, one per variant
//   slurm/sweep.sbatch     with --slurm: the array job script; slurm/logs/ its output
//
// A task is one `cairn plan VARIANT --seed SEED --runs 1` process writing
// into tasks/ID.tmp, renamed to tasks/ID when it succeeded: a task folder
// exists only whole, a task is done when its folder exists, and running a
// sweep again runs only what is missing. The same function runs a task
// locally and as a Slurm array task (`cairn sweep task DIR INDEX`), and the
// merged CSVs hold no path or time, so a merged Slurm run equals a local run
// of the same sweep byte for byte.
//
// Progress goes to stderr, tables to stdout. Exit codes as for every
// command: 0 success, 1 a task or Slurm failed, 2 bad input.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cli/sweep_spec.h"

namespace cairn::cli {

// This process's executable (for spawning `cairn plan` and array tasks).
std::string self_executable();

// Writes the sweep's folder for `spec`, or checks that an existing one holds
// the same sweep (then it is resumed). Errors name what differs.
Status prepare_sweep_dir(const SweepSpec& spec, const std::filesystem::path& dir);

// The sweep a folder holds (from sweep.json; variants without their YAML).
Result<SweepSpec> load_sweep_dir(const std::filesystem::path& dir);

std::filesystem::path task_dir(const std::filesystem::path& dir, const SweepTask& task);
bool task_done(const std::filesystem::path& dir, const SweepTask& task);
std::vector<size_t> pending_tasks(const std::filesystem::path& dir, const SweepSpec& spec);

// Runs task `index` of the sweep in `dir` (nothing when it is done already);
// 0 when its results are there. `quiet`: no line on stdout.
int run_task(const std::filesystem::path& dir, const SweepSpec& spec, size_t index, bool quiet);

// Runs every pending task, `jobs` at a time, each in a process of its own,
// then (with `merge`) merges them.
int run_local(const std::filesystem::path& dir, const SweepSpec& spec, unsigned jobs, bool merge = true);

// Writes and submits the Slurm array job(s) for the pending tasks; with
// `wait`, follows them until they end and merges. `dry_run`: writes the
// script and prints the sbatch commands only.
int run_slurm(const std::filesystem::path& dir, const SweepSpec& spec, bool wait, bool dry_run);

// Reads every task's summary.json, writes tasks.csv and results.csv, and
// prints the results table. 1 (naming them) when tasks are missing.
int merge_sweep(const std::filesystem::path& dir);

// Shared helpers: "cairn sweep: error: ..." on stderr and the exit code.
int sweep_error(int code, const std::string& message);
std::string seconds_text(double s);
// `s` in single quotes for a shell, quotes inside escaped.
std::string shell_quoted(const std::string& s);
// A number as CSV and command lines write it ("%.10g").
std::string number_text(double v);

}  // namespace cairn::cli
