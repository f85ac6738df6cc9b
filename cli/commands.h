// The `cairn` command's subcommands. Each add_*_command registers itself on the
// root app; its callback runs the command and stores the process exit code in
// *exit_code: 0 success, 1 a runtime failure, 2 bad arguments or input that
// cannot be satisfied (always with a one-line message on stderr).
#pragma once

#include <CLI/CLI.hpp>

namespace cairn::cli {

void add_layout_command(CLI::App& app, int* exit_code);
void add_bench_command(CLI::App& app, int* exit_code);
void add_durability_command(CLI::App& app, int* exit_code);
void add_plan_command(CLI::App& app, int* exit_code);
// `sweep`, `sweep merge`, `sweep task`: grids of `cairn plan` runs (needs the simulator).
void add_sweep_command(CLI::App& app, int* exit_code);
void add_lab_command(CLI::App& app, int* exit_code);
void add_cluster_commands(CLI::App& app, int* exit_code);
// `retention set|lift|show`: WORM policies of a reference cluster.
void add_retention_command(CLI::App& app, int* exit_code);
// `snapshot create|list|restore|delete`: point-in-time views of a reference cluster.
void add_snapshot_command(CLI::App& app, int* exit_code);
// `mount`: the cluster as a FUSE folder.
void add_mount_command(CLI::App& app, int* exit_code);
// `bench put` and `bench get` under the existing `bench` command.
void add_cluster_bench_commands(CLI::App& bench, int* exit_code);
// `bench lifecycle`: rebuild and rebalance rates on a lab of its own.
void add_lifecycle_bench_command(CLI::App& bench, int* exit_code);
// `lab calibrate` under the existing `lab` command (needs the simulator too).
void add_calibrate_command(CLI::App& lab, int* exit_code);

// Prints "cairn <command>: error: <message>" to stderr and returns 2.
int usage_error(const std::string& command, const std::string& message);

}  // namespace cairn::cli
