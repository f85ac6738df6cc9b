// `cairn snapshot create|list|restore|delete`: point-in-time views of the
// files under a prefix (engine/snapshot.h, Client::create_snapshot). A
// snapshot lives in the cluster map: making or deleting one is the next map
// epoch, installed on every node, then written to the cluster file so that a
// node started later has it too. A restore reads the version the snapshot
// sees and writes it back as a new version through the ordinary write path,
// so retention still refuses to overwrite a retained file.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cluster_common.h"
#include "cli/commands.h"
#include "cluster-ref/store/disk_store.h"
#include "cluster-ref/store/posix_file.h"

namespace cairn::cli {
namespace {

struct Options {
  std::string cluster;
  std::string prefix;
  std::string name;
  std::string path;
  std::string to;
  bool json = false;
};

int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// 2 for bad input (a bad or unknown name, a bad prefix or path), 1 otherwise.
int failure(const std::string& command, const Status& st) {
  std::cerr << "cairn snapshot " << command << ": error: " << st.message() << "\n";
  return st.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

int save_map(const std::string& command, const Options& o, const SnapshotChange& change) {
  if (Status st = posix::replace_file_durably(cluster_file_of("snapshot " + command, o.cluster), change.map->yaml);
      !st.is_ok()) {
    std::cerr << "cairn snapshot " << command << ": error: the nodes run map epoch " << change.map->epoch()
              << " but the cluster file was not updated: " << st.message() << "\n";
    return 1;
  }
  for (uint32_t n : change.nodes_unreachable)
    std::cout << "node " << n << " did not answer; it takes map epoch " << change.map->epoch() << " when it starts\n";
  return 0;
}

int do_create(const Options& o) {
  if (Status st = check_snapshot(Snapshot{o.name, o.prefix, 0, 1}); !st.is_ok())
    return usage_error("snapshot create", st.message());
  auto client = open_client("snapshot create", o.cluster);
  if (!client) return 2;
  auto change = client->create_snapshot(o.name, o.prefix, wall_now_ns());
  if (!change) return failure("create", change.status());
  if (int rc = save_map("create", o, *change); rc != 0) return rc;
  std::cout << "snapshot " << o.name << " of " << o.prefix << " made at map epoch " << change->map->epoch()
            << " (cut " << utc_time_string(static_cast<int64_t>(change->snapshot.cut)) << ")\n";
  return 0;
}

int do_list(const Options& o) {
  auto client = open_client("snapshot list", o.cluster);
  if (!client) return 2;
  auto list = client->snapshots();
  if (!list) return failure("list", list.status());
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const SnapshotInfo& s : *list) {
      out.push_back({{"name", s.snapshot.name},
                     {"prefix", s.snapshot.prefix},
                     {"created", utc_time_string(s.snapshot.created_ns)},
                     {"cut", s.snapshot.cut},
                     {"files_held", s.files_held},
                     {"bytes_held", s.bytes_held}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (list->empty()) {
    std::cout << "no snapshots\n";
    return 0;
  }
  std::cout << "name\tprefix\tcreated\tfiles held\tbytes held\n";
  for (const SnapshotInfo& s : *list) {
    std::cout << s.snapshot.name << "\t" << s.snapshot.prefix << "\t" << utc_time_string(s.snapshot.created_ns)
              << "\t" << s.files_held << "\t" << s.bytes_held << " (" << human_bytes(static_cast<double>(s.bytes_held))
              << ")\n";
  }
  return 0;
}

// A folder: every file the snapshot holds under it, each to the same place
// under --to (or in place).
int restore_folder(const Options& o, Client& client) {
  const std::string target = o.to.empty() ? o.path : o.to;
  if (target.back() != '/') return usage_error("snapshot restore", "--to " + target + ": a folder ends with '/'");
  auto candidates = client.snapshot_candidates(o.name, o.path);
  if (!candidates) return failure("restore", candidates.status());
  uint64_t restored = 0, failed = 0;
  for (const std::string& path : *candidates) {
    auto file = client.snapshot_get(o.name, path);
    if (!file && file.status().code() == StatusCode::kNotFound) continue;  // not in the snapshot
    const std::string to = target + path.substr(o.path.size());
    Status st = file.status();
    if (file) {
      auto put = client.put(to, file->data, file->record.mtime_ns);
      st = put ? Status::ok() : put.status();
    }
    if (!st.is_ok()) {
      std::cerr << "cairn snapshot restore: " << path << ": " << st.message() << "\n";
      ++failed;
      continue;
    }
    ++restored;
  }
  std::cout << "restored " << restored << " files of " << o.path << " as of snapshot " << o.name << " to " << target
            << (failed > 0 ? "; " + std::to_string(failed) + " failed" : "") << "\n";
  return failed == 0 ? 0 : 1;
}

int do_restore(const Options& o) {
  if (Status st = check_snapshot_name(o.name); !st.is_ok()) return usage_error("snapshot restore", st.message());
  const std::string target = o.to.empty() ? o.path : o.to;
  const bool folder = !o.path.empty() && o.path.back() == '/';
  if (Status st = o.path == "/" ? Status::ok() : validate_path(folder ? o.path.substr(0, o.path.size() - 1) : o.path);
      !st.is_ok())
    return usage_error("snapshot restore", st.message());
  if (!folder) {
    if (Status st = validate_path(target); !st.is_ok()) return usage_error("snapshot restore", st.message());
  }
  auto client = open_client("snapshot restore", o.cluster);
  if (!client) return 2;
  if (folder) return restore_folder(o, *client);
  auto file = client->snapshot_get(o.name, o.path);
  if (!file) return failure("restore", file.status());
  auto put = client->put(target, file->data, file->record.mtime_ns);
  if (!put) return failure("restore", Status(put.status().code(), target + ": " + put.status().message()));
  std::cout << "restored " << o.path << " as of snapshot " << o.name << " (" << file->data.size() << " bytes, version "
            << file->record.version << ") to " << target << " as version " << put->version << "\n";
  return 0;
}

int do_delete(const Options& o) {
  if (Status st = check_snapshot_name(o.name); !st.is_ok()) return usage_error("snapshot delete", st.message());
  auto client = open_client("snapshot delete", o.cluster);
  if (!client) return 2;
  auto change = client->delete_snapshot(o.name);
  if (!change) return failure("delete", change.status());
  if (int rc = save_map("delete", o, *change); rc != 0) return rc;
  std::cout << "snapshot " << o.name << " deleted at map epoch " << change->map->epoch()
            << "; the nodes freed what it held\n";
  return 0;
}

}  // namespace

void add_snapshot_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<Options>();
  CLI::App* snapshot = app.add_subcommand(
      "snapshot", "Point-in-time views of the files under a prefix, across every node, to recover from a mistaken "
                  "delete or overwrite");
  snapshot->require_subcommand(1);

  CLI::App* create = snapshot->add_subcommand(
      "create", "Make a snapshot: every write acknowledged before this command starts is in it, none begun after "
                "it returns. From now on a file under the prefix that is overwritten or deleted keeps its old "
                "version on disk until the snapshot is deleted");
  create->add_option("prefix", o->prefix, "archive path prefix, e.g. /2026/ or / for everything")->required();
  create->add_option("name", o->name, "the snapshot's name: letters, digits, '.', '_', '-' (at most 64)")->required();
  add_cluster_option(create, &o->cluster);
  create->callback([o, exit_code] { *exit_code = do_create(*o); });

  CLI::App* list = snapshot->add_subcommand(
      "list", "List the snapshots: name, prefix, creation time, and the files and bytes each holds (versions "
              "overwritten or deleted since)");
  list->add_flag("--json", o->json, "JSON on stdout");
  add_cluster_option(list, &o->cluster);
  list->callback([o, exit_code] { *exit_code = do_list(*o); });

  CLI::App* restore = snapshot->add_subcommand(
      "restore", "Write a file (or every file of a folder) back as the snapshot saw it, as a new version (a "
                 "retained file is still refused)");
  restore->add_option("name", o->name, "the snapshot")->required();
  restore->add_option("path", o->path, "the file's archive path, or a folder ending in '/'")->required();
  restore->add_option("--to", o->to, "write it to this archive path instead of PATH (a folder: ending in '/')");
  add_cluster_option(restore, &o->cluster);
  restore->callback([o, exit_code] { *exit_code = do_restore(*o); });

  CLI::App* del = snapshot->add_subcommand(
      "delete", "Delete a snapshot; every node frees the versions it held");
  del->add_option("name", o->name, "the snapshot")->required();
  add_cluster_option(del, &o->cluster);
  del->callback([o, exit_code] { *exit_code = do_delete(*o); });
}

}  // namespace cairn::cli
