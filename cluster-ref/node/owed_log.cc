#include "cluster-ref/node/owed_log.h"

#include <xxhash.h>

#include <cstdio>
#include <memory>

#include "cluster-ref/store/posix_file.h"

namespace cairn {

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
    auto text = posix::read_file(entry.path().string(), wire::kPathBytesMax);
    if (!text) return text.status();
    if (!text->empty()) {
      log->paths_.emplace(std::string(reinterpret_cast<const char*>(text->data()), text->size()), 1);
    }
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
  // Written under a name of its own, fsync'd, renamed into place, and the
  // directory synced: the entry survives a crash once add() returns.
  const std::string target = file_of(path).string();
  const std::string tmp = target + "." + std::to_string(tmp_counter_.fetch_add(1)) + ".tmp";
  Status st = posix::write_new_file_synced(tmp, std::as_bytes(std::span(path.data(), path.size())));
  if (st.is_ok()) st = posix::rename_file(tmp, target);
  if (st.is_ok()) st = posix::sync_dir(dir_.string());
  if (!st.is_ok()) return st;
  std::lock_guard lock(mutex_);
  ++paths_[std::string(path)];
  return Status::ok();
}

Status OwedLog::remove(const Entry& entry) {
  std::lock_guard lock(mutex_);
  auto it = paths_.find(entry.path);
  if (it == paths_.end() || it->second != entry.generation) return Status::ok();
  paths_.erase(it);
  return posix::unlink_file(file_of(entry.path).string());
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
