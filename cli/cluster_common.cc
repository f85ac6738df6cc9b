#include "cli/cluster_common.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace cairn::cli {

void add_cluster_option(CLI::App* command, std::string* cluster_file) {
  command->add_option("--cluster", *cluster_file,
                      "cluster file (default: $CAIRN_CLUSTER; `cairn lab up` prints it)");
}

std::string cluster_file_of(const std::string& command, const std::string& cluster_file) {
  std::string file = cluster_file;
  if (file.empty()) {
    if (const char* env = std::getenv("CAIRN_CLUSTER"); env != nullptr) file = env;
  }
  if (file.empty()) {
    std::cerr << "cairn " << command
              << ": error: no cluster: pass --cluster FILE or set CAIRN_CLUSTER "
                 "(`cairn lab up` prints the export line)\n";
  }
  return file;
}

std::unique_ptr<Client> open_client(const std::string& command, const std::string& cluster_file) {
  const std::string file = cluster_file_of(command, cluster_file);
  if (file.empty()) return nullptr;
  auto client = Client::open(file);
  if (!client) {
    std::cerr << "cairn " << command << ": error: " << client.status().message() << "\n";
    return nullptr;
  }
  return std::move(client).value();
}

Status write_local(const std::filesystem::path& file, std::span<const std::byte> data) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status(StatusCode::kIoError, "create " + file.string() + ": " + std::strerror(errno));
  const bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) && ::fsync(fd) == 0;
  ::close(fd);
  return ok ? Status::ok() : Status(StatusCode::kIoError, "write " + file.string());
}

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  int u = 0;
  while (bytes >= 1000 && u < 5) {
    bytes /= 1000;
    ++u;
  }
  char out[32];
  std::snprintf(out, sizeof out, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return out;
}

std::string human_seconds(double seconds) {
  char out[32];
  if (seconds < 60) {
    std::snprintf(out, sizeof out, "%.2f s", seconds);
  } else if (seconds < 3600) {
    std::snprintf(out, sizeof out, "%.1f min", seconds / 60);
  } else if (seconds < 48 * 3600) {
    std::snprintf(out, sizeof out, "%.1f h", seconds / 3600);
  } else {
    std::snprintf(out, sizeof out, "%.1f days", seconds / 86400);
  }
  return out;
}

std::filesystem::path lab_folder(const std::string& dir) {
  if (!dir.empty()) return std::filesystem::absolute(dir);
  if (const char* env = std::getenv("CAIRN_CLUSTER"); env != nullptr && *env != '\0') {
    return std::filesystem::absolute(env).parent_path();
  }
  return std::filesystem::absolute("cairn-lab");
}

}  // namespace cairn::cli
