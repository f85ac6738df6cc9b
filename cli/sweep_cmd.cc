// `cairn sweep`: a grid of scenario variants x replicates, each task a
// `cairn plan` process of its own (SimGrid allows one simulation per process),
// run on every core here or as a Slurm job array, merged into one table.
// The sweep file's schema is sweeps/README.md; the folder's layout is
// cli/sweep_run.h.
#include <unistd.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/sweep_run.h"

namespace cairn::cli {
namespace {

struct SweepArgs {
  std::string sweep_file;
  std::string out_dir;
  unsigned jobs = 0;
  bool slurm = false;
  bool wait = false;
  bool dry_run = false;
  std::string dir;  // merge, task
  size_t index = 0;
};

unsigned cores() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<unsigned>(n) : 1u;
}

void print_plan(const SweepSpec& spec, const std::filesystem::path& dir) {
  std::printf("sweep %s: scenario %s (XXH64 %s), %zu variants x %u replicates = %zu tasks, in %s\n", spec.name.c_str(),
              spec.scenario_file.c_str(), spec.scenario_xxh64.c_str(), spec.variants.size(), spec.replicates,
              spec.task_count(), dir.c_str());
  for (const SweepAxis& a : spec.set) std::printf("  set %s = %s\n", a.key.c_str(), a.values[0].c_str());
  for (const Variant& v : spec.variants) {
    std::string label;
    for (size_t a = 0; a < spec.grid.size(); ++a) label += (a ? ", " : "") + spec.grid[a].key + " = " + v.values[a];
    std::printf("  %s  %s\n", v.id.c_str(), label.c_str());
  }
  for (uint32_t r = 0; r < spec.replicates; ++r)
    std::printf("  replicate %u: seed %llu\n", r, static_cast<unsigned long long>(sweep_task(spec, r).seed));
}

int run_sweep(const SweepArgs& a) {
  Result<SweepSpec> spec = load_sweep(a.sweep_file);
  if (!spec) return sweep_error(2, spec.status().message());
  const std::filesystem::path dir = a.out_dir.empty() ? std::filesystem::path("out") / "sweeps" / spec->name
                                                      : std::filesystem::path(a.out_dir);
  if (Status st = prepare_sweep_dir(*spec, dir); !st.is_ok()) return sweep_error(2, st.message());
  if (a.dry_run) print_plan(*spec, dir);
  if (a.slurm) return run_slurm(dir, *spec, a.wait, a.dry_run);
  if (a.dry_run) return 0;
  return run_local(dir, *spec, a.jobs ? a.jobs : cores());
}

int run_merge(const SweepArgs& a) { return merge_sweep(a.dir); }

int run_one_task(const SweepArgs& a) {
  Result<SweepSpec> spec = load_sweep_dir(a.dir);
  if (!spec) return sweep_error(2, spec.status().message());
  return run_task(a.dir, *spec, a.index, false);
}

}  // namespace

void add_sweep_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<SweepArgs>();
  CLI::App* sweep = app.add_subcommand(
      "sweep",
      "Run a grid of scenario variants x replicates, each task a `cairn plan` process, on every core or on Slurm, "
      "and merge the results into one table (sweep files: sweeps/README.md)");
  sweep->footer(
      "A sweep file names a scenario, the keys to vary and their values, and the replicates:\n"
      "  scenario: ../scenarios/tertiary-hospital.yaml\n"
      "  replicates: 4\n"
      "  grid:\n"
      "    pool.scheme: [replica:3, ec:4+2, ec:8+3]\n"
      "    cluster.node.disk.size: [12 TB, 20 TB]\n"
      "Results: DIR/results.csv (a row per variant), DIR/tasks.csv (a row per task), the table on stdout.\n"
      "Running a sweep again into the same DIR runs only the tasks without results.\n"
      "With --slurm, each task is a Slurm array task running `cairn sweep task DIR INDEX`; then `cairn sweep merge DIR`\n"
      "(or --wait) merges them into the same bytes a local run gives.\n");
  sweep->add_option("sweep", args->sweep_file, "Sweep file (YAML; see sweeps/README.md)");
  sweep->add_option("--out", args->out_dir, "Folder for the sweep's variants, tasks and results (default out/sweeps/NAME)");
  sweep->add_option("--jobs", args->jobs, "Tasks run at once here (default: every core)");
  sweep->add_flag("--slurm", args->slurm,
                  "Submit the tasks as a Slurm job array (sbatch --array, one task per variant x replicate) instead "
                  "of running them here; DIR must be on a file system the nodes share");
  sweep->add_flag("--wait", args->wait, "With --slurm: follow the array until it ends, then merge");
  sweep->add_flag("--dry-run", args->dry_run,
                  "Check the sweep, write its folder, print the variants and seeds (with --slurm: write the job "
                  "script and print the sbatch commands) without running anything");
  sweep->require_subcommand(0, 1);

  CLI::App* merge = sweep->add_subcommand(
      "merge", "Merge the results of a sweep's tasks into DIR/results.csv and DIR/tasks.csv and print the table");
  merge->add_option("dir", args->dir, "The sweep's folder (its --out)")->required();
  merge->callback([args, exit_code] { *exit_code = run_merge(*args); });

  CLI::App* task = sweep->add_subcommand(
      "task",
      "Run one task of a prepared sweep (what each Slurm array task runs; also reruns a lost task identically)");
  task->add_option("dir", args->dir, "The sweep's folder (its --out)")->required();
  task->add_option("index", args->index, "Task index: variant x replicates + replicate")->required();
  task->callback([args, exit_code] { *exit_code = run_one_task(*args); });

  sweep->callback([args, exit_code, sweep] {
    if (!sweep->get_subcommands().empty()) return;
    if (args->sweep_file.empty()) {
      *exit_code = usage_error("sweep", "a sweep file is required (cairn sweep SWEEP.yaml; see cairn sweep --help)");
      return;
    }
    if (args->wait && !args->slurm) {
      *exit_code = usage_error("sweep", "--wait goes with --slurm (a sweep run here always waits)");
      return;
    }
    *exit_code = run_sweep(*args);
  });
}

}  // namespace cairn::cli
