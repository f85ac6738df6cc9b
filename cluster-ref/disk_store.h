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
// Durability: put() writes payload and record to tmp/ and fsyncs both (in
// parallel), renames the data file into place, then the record, and fsyncs
// both directories (in parallel) before it returns ok. A crash before those
// syncs end can leave a record that does not match its data, which read()
// reports as kCorrupt and heal repairs; the put was not acknowledged. Two
// fsync latencies per put, not four: fsync is what a put waits on.
//
// Threading: every method may be called from several threads at once; two
// puts of one path race and one of them wins whole. put() and remove() of one
// path are serialised by a lock striped over paths (distinct paths rarely
// share one), read() takes it shared so it never sees a record and a data
// file from two different puts; stat() and list() need no lock, since a
// record is replaced by one rename. One process owns a store at a time: open()
// holds an advisory lock on the root until the store is destroyed.
//
// Used bytes are what the records claim: payload_bytes + kRecordBytes per
// record, counted by walking meta/ at open; a record that fails its checks
// counts kRecordBytes.
#pragma once
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cluster-ref/dir_syncer.h"
#include "cluster-ref/record.h"
#include "engine/status.h"

namespace cairn {

inline constexpr uint32_t kDiskFormatVersion = 1;
inline constexpr size_t kPathComponentBytesMax = 255;

// kInvalidArgument unless `path` is an archive path: starts with '/', at most
// 4096 bytes, no empty, "." or ".." component, no NUL, components of at most
// kPathComponentBytesMax bytes, not "/" itself.
Status validate_path(std::string_view path);

namespace posix {
class DirLock;
}

class DiskStore {
 public:
  DiskStore(const DiskStore&) = delete;
  DiskStore& operator=(const DiskStore&) = delete;
  ~DiskStore();

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
  //
  // `prefix` is a string prefix of the archive path: "/2026/" lists that
  // directory recursively, "/2026/1" lists "/2026/1", "/2026/10/..." and
  // "/2026/1x/...". Path order is byte order of the archive paths. It must
  // start with '/' and its part up to the last '/' must be a valid directory
  // (no empty, "." or ".." component), else kInvalidArgument. The walk stops
  // at the first record past `limit`, so `corrupt` counts the records walked.
  struct Listing {
    std::vector<Entry> entries;
    bool truncated = false;
    uint32_t corrupt = 0;
  };
  Result<Listing> list(std::string_view prefix, size_t limit) const;

  uint64_t used_bytes() const { return used_bytes_.load(); }
  uint64_t capacity_bytes() const { return capacity_bytes_; }
  const std::filesystem::path& root() const { return root_; }
  uint32_t node() const { return node_; }
  uint32_t disk() const { return disk_; }

  // Test-only fault injection (the torn-write tests). put() calls the hook
  // after each durable step — "tmp-synced" (payload and record written and
  // synced in tmp/), "data-renamed" (data file renamed into place, or
  // unlinked for a tombstone), "record-renamed" — and, when it returns false,
  // stops there as a crash would (no cleanup) and returns kIoError. Set it
  // before other threads use the store; empty (the default) never stops.
  using FaultHook = std::function<bool(std::string_view step)>;
  void set_fault_hook_for_test(FaultHook hook) { fault_hook_ = std::move(hook); }

 private:
  static constexpr size_t kPathLockStripes = 64;

  DiskStore(std::filesystem::path root, uint32_t node, uint32_t disk, uint64_t capacity_bytes);
  std::shared_mutex& path_lock(std::string_view path) const;
  std::string data_file(std::string_view path) const;  // root/data<path>
  std::string meta_file(std::string_view path) const;  // root/meta<path>
  std::string next_tmp_file(std::string_view suffix);  // root/tmp/<n>.<suffix>
  // used += add - sub, atomically; kRefused when it grows past capacity.
  Status adjust_used(uint64_t add_bytes, uint64_t sub_bytes, bool within_capacity);
  // Creates the missing parent directories of `path` under meta/ (and data/).
  Status make_parents(std::string_view path, bool with_data) const;
  // Stages and renames into place; `record_replaced` once the record moved.
  Status install(std::string_view path, const FileRecord& record, std::span<const std::byte> payload,
                 bool& record_replaced);
  bool fault_at(std::string_view step) const { return fault_hook_ && !fault_hook_(step); }

  std::filesystem::path root_;
  uint32_t node_;
  uint32_t disk_;
  uint64_t capacity_bytes_;
  std::atomic<uint64_t> used_bytes_{0};
  std::atomic<uint64_t> tmp_counter_{0};
  std::unique_ptr<posix::DirLock> lock_;
  mutable std::array<std::shared_mutex, kPathLockStripes> path_locks_;
  // Shared to check that a parent directory exists, exclusive to create one
  // and sync its parent (see make_parents).
  mutable std::shared_mutex dirs_lock_;
  FaultHook fault_hook_;
  DirSyncer dir_syncer_;  // group commit of the directory fsyncs of puts
};

}  // namespace cairn
