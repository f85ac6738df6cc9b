// OwedLog: the paths whose group members may disagree — a member was down or
// failed during a write, or a scan found a difference — kept durably in the
// node's state directory until heal has made the group agree again.
//
// On disk (format 1): STATE/owed/<16 hex digits of XXH3-64(path)>, one file
// per path holding the path's bytes (at most wire::kPathBytesMax). add() is durable (file and directory
// fsync'd) before it returns, because a write is acknowledged only after
// the heal it owes has been recorded. Thread-safe.
#pragma once
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cluster-ref/formats/messages.h"
#include "engine/status.h"

namespace cairn {

class OwedLog {
 public:
  // Creates STATE/owed when absent and loads what it holds.
  static Result<std::unique_ptr<OwedLog>> open(const std::filesystem::path& state_dir);
  Status add(std::string_view path);
  // An entry and the number of times it was added, so that heal removes it
  // only if no write added it again while heal was working on it.
  struct Entry {
    std::string path;
    uint64_t generation = 0;
  };
  std::vector<Entry> entries() const;  // in path order
  Status remove(const Entry& entry);
  size_t size() const;

 private:
  explicit OwedLog(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path file_of(std::string_view path) const;
  std::filesystem::path dir_;
  std::atomic<uint64_t> tmp_counter_{0};
  mutable std::mutex mutex_;
  std::map<std::string, uint64_t, std::less<>> paths_;  // path -> generation
};

}  // namespace cairn
