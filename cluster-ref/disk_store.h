// DiskStore: one disk of a node — a directory with a capacity — holding the
// copies, fragments and tombstones of the groups the disk is a member of.
//
// On-disk layout (format version kDiskFormatVersion), under the disk's root:
//
//   CAIRN-DISK          identity, text: "cairn-disk <format>\nnode <id>\ndisk <id>\n"
//   data/<path>         the member's payload: for a replicated file the whole
//                       file, byte for byte, so that an engineer can read it
//                       with plain tools; for an erasure-coded file the
//                       member's fragment (engine/geometry.h)
//   meta/<path>         the member's FileRecord (record.h), 64 bytes
//   tmp/                files being written; emptied when the store opens
//
// `path` is the file's absolute archive path without its leading '/'. A
// tombstone has a record and no data file.
//
// Durability: put() writes payload and record to tmp/, fsyncs both, renames
// the data file into place, then the record, and fsyncs the directories it
// changed before it returns ok; the record is renamed last, so a crash in
// between leaves a record that does not match its data, which read() reports
// as kCorrupt and heal repairs. A put is acknowledged only after this.
//
// Threading: every method may be called from several threads at once; two
// puts of one path race and one of them wins whole.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cluster-ref/record.h"
#include "engine/status.h"

namespace cairn {

inline constexpr uint32_t kDiskFormatVersion = 1;
inline constexpr size_t kPathComponentBytesMax = 255;

// kInvalidArgument unless `path` is an archive path: starts with '/', at most
// 4096 bytes, no empty, "." or ".." component, no NUL, components of at most
// kPathComponentBytesMax bytes, not "/" itself.
Status validate_path(std::string_view path);

class DiskStore {
 public:
  // Opens the store at `root`, creating and formatting it when the directory
  // is absent or empty. kRefused when it holds another node's or disk's
  // identity or a different format version; kIoError when the OS refuses.
  static Result<std::unique_ptr<DiskStore>> open(const std::filesystem::path& root, uint32_t node,
                                                 uint32_t disk, uint64_t capacity_bytes);

  // Durably replaces whatever this disk holds for `path`. kRefused when the
  // payload would take used bytes past capacity or a path component collides
  // with an existing file; kInvalidArgument when the payload's length or CRC
  // does not match the record or the record is a tombstone with a payload.
  Status put(std::string_view path, const FileRecord& record, std::span<const std::byte> payload);

  // The record alone. kNotFound when absent, kCorrupt when it fails its checks.
  Result<FileRecord> stat(std::string_view path) const;

  struct Stored {
    FileRecord record;
    std::vector<std::byte> payload;
  };
  // Record and payload, the payload checked against the record's length and
  // CRC (kCorrupt on a mismatch). A tombstone returns an empty payload.
  Result<Stored> read(std::string_view path) const;

  // Forgets `path` (data and record); ok when absent. Used by heal to drop a
  // version no member can complete.
  Status remove(std::string_view path);

  struct Entry {
    std::string path;  // with its leading '/'
    FileRecord record;
  };
  // Records under `prefix` (an archive path prefix: "/" for all, "/2026/" for
  // a directory), in path order, at most `limit`; `truncated` says more match.
  // Records that fail their checks are skipped and counted in `corrupt`.
  struct Listing {
    std::vector<Entry> entries;
    bool truncated = false;
    uint32_t corrupt = 0;
  };
  Result<Listing> list(std::string_view prefix, size_t limit) const;

  uint64_t used_bytes() const { return used_bytes_.load(); }
  uint64_t capacity_bytes() const { return capacity_bytes_; }
  const std::filesystem::path& root() const { return root_; }

 private:
  DiskStore(std::filesystem::path root, uint64_t capacity_bytes)
      : root_(std::move(root)), capacity_bytes_(capacity_bytes) {}
  std::filesystem::path root_;
  uint64_t capacity_bytes_;
  std::atomic<uint64_t> used_bytes_{0};
  std::atomic<uint64_t> tmp_counter_{0};
};

}  // namespace cairn
