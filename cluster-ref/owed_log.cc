#include "cluster-ref/owed_log.h"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

namespace cairn {
namespace {

Status io_error(const std::string& what, const std::filesystem::path& p) {
  return Status(StatusCode::kIoError, what + " " + p.string() + ": " + std::strerror(errno));
}

Status fsync_path(const std::filesystem::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return io_error("open", p);
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::ok() : io_error("fsync", p);
}

Status write_durably(const std::filesystem::path& target, std::string_view bytes) {
  const std::filesystem::path tmp = target.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("create", tmp);
  const ssize_t n = ::write(fd, bytes.data(), bytes.size());
  const bool ok = n == static_cast<ssize_t>(bytes.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return io_error("write", tmp);
  if (::rename(tmp.c_str(), target.c_str()) != 0) return io_error("rename", tmp);
  return fsync_path(target.parent_path(), O_RDONLY | O_DIRECTORY);
}

}  // namespace

Result<std::unique_ptr<OwedLog>> OwedLog::open(const std::filesystem::path& state_dir) {
  std::unique_ptr<OwedLog> log(new OwedLog(state_dir / "owed"));
  std::error_code ec;
  std::filesystem::create_directories(log->dir_, ec);
  if (ec) return Status(StatusCode::kIoError, "create " + log->dir_.string() + ": " + ec.message());
  for (const auto& entry : std::filesystem::directory_iterator(log->dir_, ec)) {
    if (entry.path().extension() == ".tmp") {
      std::filesystem::remove(entry.path(), ec);
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!text.str().empty()) log->paths_.emplace(text.str(), 1);
  }
  if (ec) return Status(StatusCode::kIoError, "list " + log->dir_.string() + ": " + ec.message());
  return log;
}

std::filesystem::path OwedLog::file_of(std::string_view path) const {
  char name[17];
  std::snprintf(name, sizeof name, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(path.data(), path.size())));
  return dir_ / name;
}

Status OwedLog::add(std::string_view path) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = paths_.find(path); it != paths_.end()) {
      ++it->second;
      return Status::ok();
    }
  }
  if (Status st = write_durably(file_of(path), path); !st.is_ok()) return st;
  std::lock_guard lock(mutex_);
  ++paths_[std::string(path)];
  return Status::ok();
}

Status OwedLog::remove(const Entry& entry) {
  std::lock_guard lock(mutex_);
  auto it = paths_.find(entry.path);
  if (it == paths_.end() || it->second != entry.generation) return Status::ok();
  paths_.erase(it);
  const auto file = file_of(entry.path);
  if (::unlink(file.c_str()) != 0 && errno != ENOENT) return io_error("unlink", file);
  return Status::ok();
}

std::vector<OwedLog::Entry> OwedLog::entries() const {
  std::lock_guard lock(mutex_);
  std::vector<Entry> out;
  for (const auto& [path, generation] : paths_) out.push_back({path, generation});
  return out;
}

size_t OwedLog::size() const {
  std::lock_guard lock(mutex_);
  return paths_.size();
}

}  // namespace cairn
