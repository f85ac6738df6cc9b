// The client commands of the reference cluster: status, put, get, ls, stat,
// rm and check. Each finds the cluster from --cluster or $CAIRN_CLUSTER.
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/cluster_common.h"
#include "cli/commands.h"
#include "engine/codec.h"
#include "engine/layout.h"
#include "engine/retention.h"

namespace cairn::cli {
namespace fs = std::filesystem;
namespace {

struct Options {
  std::string cluster;
  std::string local;
  std::string remote;
  std::string prefix = "/";
  uint32_t threads = 4;
  bool json = false;
  bool long_format = false;
  bool deep = false;
  bool now = false;
  std::string timeout = "1 h";
};

int64_t mtime_ns_of(const fs::path& file) {
  struct stat st{};
  if (::stat(file.c_str(), &st) != 0) return 0;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

Result<std::vector<std::byte>> read_local(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(StatusCode::kIoError, "cannot read " + file.string());
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(bytes.size());
  std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

Status write_local(const fs::path& file, std::span<const std::byte> data) {
  std::error_code ec;
  if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
  const fs::path tmp = file.string() + ".cairn-part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    if (!out) return Status(StatusCode::kIoError, "cannot write " + tmp.string());
  }
  fs::rename(tmp, file, ec);
  if (ec) return Status(StatusCode::kIoError, "cannot rename to " + file.string() + ": " + ec.message());
  return Status::ok();
}

std::string join_remote(std::string base, const std::string& rest) {
  if (base.empty() || base.back() != '/') base += '/';
  return base + rest;
}

// Runs `work(i)` for i in [0, n) on `threads` threads, printing progress to
// stderr every half second when it takes a while. Returns the failures.
template <class Work>
uint64_t run_parallel(size_t n, uint32_t threads, const char* verb, Work work) {
  std::atomic<size_t> next{0}, done{0};
  std::atomic<uint64_t> failed{0};
  std::vector<std::thread> pool;
  for (uint32_t t = 0; t < std::max<uint32_t>(1, threads); ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < n;) {
        if (!work(i)) failed.fetch_add(1);
        done.fetch_add(1);
      }
    });
  }
  // Progress on stderr after half a second, then twice a second.
  auto next_report = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  bool shown = false;
  while (done.load() < n) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (n > 1 && std::chrono::steady_clock::now() >= next_report) {
      std::cerr << "\r" << verb << " " << done.load() << "/" << n << " files" << std::flush;
      shown = true;
      next_report += std::chrono::milliseconds(500);
    }
  }
  for (auto& t : pool) t.join();
  if (shown) std::cerr << "\r" << verb << " " << n << "/" << n << " files\n";
  return failed.load();
}

int do_put(const Options& o) {
  // The local side first: a missing file is said before any cluster is asked.
  std::vector<std::pair<fs::path, std::string>> jobs;  // local file, remote path
  std::error_code ec;
  if (fs::is_directory(o.local, ec)) {
    for (const auto& e : fs::recursive_directory_iterator(o.local, ec)) {
      if (e.is_regular_file()) {
        jobs.emplace_back(e.path(), join_remote(o.remote, fs::relative(e.path(), o.local).generic_string()));
      }
    }
    std::sort(jobs.begin(), jobs.end());
  } else if (fs::is_regular_file(o.local, ec)) {
    std::string remote = o.remote;
    if (!remote.empty() && remote.back() == '/') remote += fs::path(o.local).filename().string();
    jobs.emplace_back(o.local, remote);
  } else {
    return usage_error("put", o.local + ": no such file or directory");
  }
  auto client = open_client("put", o.cluster);
  if (!client) return 2;
  std::atomic<uint64_t> bytes{0};
  std::mutex print;
  const auto start = std::chrono::steady_clock::now();
  const uint64_t failed = run_parallel(jobs.size(), o.threads, "stored", [&](size_t i) {
    auto data = read_local(jobs[i].first);
    Result<wire::PutReply> reply = data ? client->put(jobs[i].second, *data, mtime_ns_of(jobs[i].first))
                                        : Result<wire::PutReply>(data.status());
    if (!reply) {
      std::lock_guard lock(print);
      std::cerr << "cairn put: " << jobs[i].second << ": " << reply.status().message() << "\n";
      return false;
    }
    bytes.fetch_add(data->size());
    if (FragmentSet(reply->owed).size() > 0) {
      std::lock_guard lock(print);
      std::cerr << "cairn put: " << jobs[i].second << ": stored; " << FragmentSet(reply->owed).size()
                << " member(s) down will be healed\n";
    }
    return true;
  });
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "stored " << (jobs.size() - failed) << " of " << jobs.size() << " files, "
            << human_bytes(static_cast<double>(bytes.load())) << " in " << s << " s\n";
  return failed == 0 ? 0 : 1;
}

int do_get(const Options& o) {
  auto client = open_client("get", o.cluster);
  if (!client) return 2;
  if (!o.remote.empty() && o.remote.back() == '/') {
    auto files = client->list(o.remote);
    if (!files) return std::cerr << "cairn get: error: " << files.status().message() << "\n", 1;
    const uint64_t failed = run_parallel(files->size(), o.threads, "read", [&](size_t i) {
      const std::string& path = (*files)[i].path;
      auto file = client->get(path);
      Status st = file ? write_local(fs::path(o.local) / path.substr(o.remote.size()), file->data)
                       : file.status();
      if (!st.is_ok()) std::cerr << "cairn get: " << path << ": " << st.message() << "\n";
      return st.is_ok();
    });
    std::cout << "read " << (files->size() - failed) << " of " << files->size() << " files into "
              << o.local << "\n";
    return failed == 0 ? 0 : 1;
  }
  auto file = client->get(o.remote);
  if (!file) return std::cerr << "cairn get: error: " << file.status().message() << "\n", 1;
  if (o.local == "-") {
    std::cout.write(reinterpret_cast<const char*>(file->data.data()),
                    static_cast<std::streamsize>(file->data.size()));
    return 0;
  }
  fs::path target = o.local;
  if (fs::is_directory(target)) target /= fs::path(o.remote).filename();
  if (Status st = write_local(target, file->data); !st.is_ok()) {
    return std::cerr << "cairn get: error: " << st.message() << "\n", 1;
  }
  return 0;
}

nlohmann::json record_json(const std::string& path, const FileRecord& r) {
  return {{"path", path},       {"bytes", r.file_bytes},  {"version", r.version},
          {"mtime_ns", r.mtime_ns}, {"group", r.group},   {"scheme", r.scheme.to_string()},
          {"form", to_string(r.form)}, {"crc32c", r.file_crc},
          {"committed", r.committed}, {"retain_until_ns", r.retain_until_ns}};
}

int do_ls(const Options& o) {
  auto client = open_client("ls", o.cluster);
  if (!client) return 2;
  auto files = client->list(o.prefix);
  if (!files) return std::cerr << "cairn ls: error: " << files.status().message() << "\n", 1;
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& f : *files) out.push_back(record_json(f.path, f.record));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  for (const auto& f : *files) {
    if (o.long_format) std::cout << f.record.file_bytes << "\t" << f.record.version << "\t";
    std::cout << f.path << "\n";
  }
  return 0;
}

int do_stat(const Options& o) {
  auto client = open_client("stat", o.cluster);
  if (!client) return 2;
  auto record = client->stat(o.remote);
  if (!record) return std::cerr << "cairn stat: error: " << record.status().message() << "\n", 1;
  auto map = client->map();
  const Group& group = map->pool.group(map->pool.lookup(o.remote));
  nlohmann::json j = record_json(o.remote, (*record));
  j["members"] = nlohmann::json::array();
  for (DiskId d : group.members) {
    j["members"].push_back({{"disk", d.value}, {"node", map->node_of(d).value}});
  }
  if (o.json) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "path     " << o.remote << "\nsize     " << (*record).file_bytes << " bytes\nversion  "
            << (*record).version << "\nscheme   " << (*record).scheme.to_string() << " ("
            << to_string((*record).form) << ")\ngroup    " << (*record).group << " on nodes";
  for (DiskId d : group.members) std::cout << " " << map->node_of(d).value;
  std::cout << "\ncrc32c   " << (*record).file_crc << "\n";
  if ((*record).committed) {
    std::cout << "worm     committed; stamped retain-until " << utc_time_string((*record).retain_until_ns)
              << " (`cairn retention show " << o.remote << "` judges it now)\n";
  }
  return 0;
}

int do_rm(const Options& o) {
  auto client = open_client("rm", o.cluster);
  if (!client) return 2;
  auto reply = client->remove(o.remote);
  if (!reply) return std::cerr << "cairn rm: error: " << reply.status().message() << "\n", 1;
  return 0;
}

}  // namespace

int run_status(const std::string& cluster, bool json);
int run_check(const std::string& cluster, bool json, bool deep);
int run_scrub(const std::string& cluster, bool now, bool json, const std::string& timeout);

void add_cluster_commands(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<Options>();
  CLI::App* put = app.add_subcommand("put", "Store a file, or a folder recursively, in the cluster");
  put->add_option("local", o->local, "local file or folder")->required();
  put->add_option("remote", o->remote, "archive path (a folder's files go under it; ending in / keeps the name)")
      ->required();
  put->add_option("--threads", o->threads, "files stored in parallel")->capture_default_str();
  add_cluster_option(put, &o->cluster);
  put->callback([o, exit_code] { *exit_code = do_put(*o); });

  CLI::App* get = app.add_subcommand("get", "Read a file (or, for a path ending in /, a folder) back");
  get->add_option("remote", o->remote, "archive path")->required();
  get->add_option("local", o->local, "local file, folder, or - for standard output")->required();
  get->add_option("--threads", o->threads, "files read in parallel")->capture_default_str();
  add_cluster_option(get, &o->cluster);
  get->callback([o, exit_code] { *exit_code = do_get(*o); });

  CLI::App* ls = app.add_subcommand("ls", "List the files under an archive path prefix");
  ls->add_option("prefix", o->prefix, "path prefix")->capture_default_str();
  ls->add_flag("-l,--long", o->long_format, "size and version before each path");
  ls->add_flag("--json", o->json, "JSON array on stdout");
  add_cluster_option(ls, &o->cluster);
  ls->callback([o, exit_code] { *exit_code = do_ls(*o); });

  CLI::App* st = app.add_subcommand("stat", "Show a file's record: size, version, checksums, members");
  st->add_option("remote", o->remote, "archive path")->required();
  st->add_flag("--json", o->json, "JSON on stdout");
  add_cluster_option(st, &o->cluster);
  st->callback([o, exit_code] { *exit_code = do_stat(*o); });

  CLI::App* rm = app.add_subcommand("rm", "Delete a file (a tombstone on every member)");
  rm->add_option("remote", o->remote, "archive path")->required();
  add_cluster_option(rm, &o->cluster);
  rm->callback([o, exit_code] { *exit_code = do_rm(*o); });

  CLI::App* status = app.add_subcommand("status", "Nodes up/down, groups healthy/degraded, heals pending, capacity");
  status->add_flag("--json", o->json, "JSON on stdout");
  add_cluster_option(status, &o->cluster);
  status->callback([o, exit_code] { *exit_code = run_status(o->cluster, o->json); });

  CLI::App* check = app.add_subcommand("check", "Compare every member of every group, file by file");
  check->add_flag("--json", o->json, "JSON on stdout");
  check->add_flag("--deep", o->deep,
                  "read every copy and fragment and check its bytes against its record's checksums "
                  "(a bad one counts as differing, and its node repairs it)");
  add_cluster_option(check, &o->cluster);
  check->callback([o, exit_code] { *exit_code = run_check(o->cluster, o->json, o->deep); });

  CLI::App* scrub = app.add_subcommand(
      "scrub", "Start a scrub pass on every node (verify every copy, compare every group's members) and wait "
               "until each has ended and its findings are repaired");
  scrub->add_flag("--now", o->now, "read at full speed instead of the cluster file's budget.scrub");
  scrub->add_flag("--json", o->json, "JSON on stdout");
  scrub->add_option("--timeout", o->timeout, "give up waiting after this long (the passes go on)")
      ->capture_default_str();
  add_cluster_option(scrub, &o->cluster);
  scrub->callback([o, exit_code] { *exit_code = run_scrub(o->cluster, o->now, o->json, o->timeout); });
}

}  // namespace cairn::cli
