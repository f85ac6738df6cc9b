// Shared by the commands that talk to a reference cluster: where the cluster
// file is and how to open a client on it.
#pragma once
#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "cluster-ref/client/client.h"

namespace cairn::cli {

// Adds --cluster FILE to `command` (default: $CAIRN_CLUSTER).
void add_cluster_option(CLI::App* command, std::string* cluster_file);

// Opens a client, or prints "cairn <command>: error: ..." and returns null.
// The cluster file: `cluster_file`, else $CAIRN_CLUSTER; empty (and said on
// stderr, as `cairn COMMAND: error: ...`) when neither names one.
std::string cluster_file_of(const std::string& command, const std::string& cluster_file);
std::unique_ptr<Client> open_client(const std::string& command, const std::string& cluster_file);

// Creates `file` with `data`, fsyncs and closes it: the per-file cost a
// local directory pays, the ceiling the cluster's benchmarks compare with.
Status write_local(const std::filesystem::path& file, std::span<const std::byte> data);

// "1.5 MB", "312 kB": sizes for people.
std::string human_bytes(double bytes);
// The lab folder a `cairn lab` command works on: `dir` when given, else the
// folder of $CAIRN_CLUSTER, else ./cairn-lab.
std::filesystem::path lab_folder(const std::string& dir);
// "0.22 s", "3.5 min", "2.1 h", "3.0 days": durations for people.
std::string human_seconds(double seconds);

}  // namespace cairn::cli
