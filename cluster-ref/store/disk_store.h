// DiskStore: one disk of a node — a directory with a capacity — holding the
// copies, fragments and tombstones of the groups the disk is a member of.
//
// On-disk layout (format version kDiskFormatVersion), under the disk's root:
//
//   CAIRN-DISK          identity, text: "cairn-disk <format>\nnode <id>\ndisk <id>\n"
//   data/<path>         a live member's payload: for a replicated file the
//                       whole file, byte for byte, so that an engineer can
//                       read it with plain tools; for an erasure-coded file
//                       the member's fragment (engine/geometry.h). Its
//                       FileRecord (record.h, 64 bytes) is the file's
//                       extended attribute "user.cairn.record"
//                       (disk_format::kRecordAttrName)
//   tombstones/<path>   a tombstone's FileRecord, 64 bytes; no data file
//   tmp/                files being written; emptied when the store opens
//   preserved/<key>/<path>
//                       (format 2) a version kept for a snapshot after it
//                       was replaced or deleted: a hard link to the data file
//                       the version had (same bytes, same record attribute);
//                       <key> is "<snapshot name>@<cut as 16 hex digits>",
//                       so a snapshot deleted and made again under its name
//                       never sees the old one's versions
//
// Format 1 is format 2 without preserved/; open() reads it and rewrites its
// identity as format 2.
//
// Snapshots (engine/snapshot.h): the node hands the store the map's
// snapshots (set_snapshots); before a put replaces a live version, the
// store asks the engine's preserve_for_snapshot for each snapshot covering
// the path and links the version into that snapshot's area (fsync'd before
// the put goes on; a failure fails the put: a version is never dropped
// silently). Preserved versions count in used bytes. remove(),
// remove_if_same() and drop_if_corrupt() preserve nothing: they drop an
// incomplete version, a copy moved elsewhere, a corrupt one.
//
// `path` is the file's absolute archive path without its leading '/'. The
// file system must keep user extended attributes (ext4, xfs and btrfs do);
// open() refuses one that does not. Copying a data file with a tool that
// drops extended attributes (plain `cp`) leaves it without a record, which
// read() reports as kCorrupt and heal repairs.
//
// Durability: put() of a live member writes the payload to tmp/, sets the
// record attribute on that file and fsyncs it once (data and attribute
// together), renames it into data/, then fsyncs data/'s directory (group
// commit: one fsync serves every put renamed into that directory before it
// began). A put of a tombstone writes and fsyncs its record file in tmp/,
// renames it into tombstones/, unlinks the data file if any, and fsyncs both
// directories (in parallel). A live put that finds a tombstone of the path
// unlinks it after its rename and syncs its directory in parallel with
// data/'s. One file fsync and one shared directory fsync per live put: fsync
// is what a put waits on.
//
// A crash between the rename and the unlink can leave a data file and a
// tombstone for one path. stat(), read() and list() then use the record with
// the higher version, the tombstone on a tie; used bytes count both until
// the next put() or remove() of the path deletes the loser. A put that
// crashes before its directory syncs end was not acknowledged and may be
// lost whole; on a file system that persists an unlink ahead of an earlier
// rename (ext4 and xfs journal them in order) such a crash may even leave
// neither kind of the path, which heal restores from the other members.
//
// Threading: every method may be called from several threads at once; two
// puts of one path race and one of them wins whole. put() and remove() of one
// path are serialised by a lock striped over paths (distinct paths rarely
// share one); read() and stat() take it shared, since a put that turns a
// live member into a tombstone (or back) changes two directories. list()
// takes no lock: a path that a concurrent put turns from live to tombstone
// or back may be missing from that one listing. One process owns a store at
// a time: open() holds an advisory lock on the root until the store is
// destroyed.
//
// Used bytes are what the records claim: payload_bytes + kRecordBytes per
// record (data file, tombstone or preserved version, each link counted),
// counted by walking data/, tombstones/ and preserved/ at open; a record that fails its checks (or a data file without one)
// counts kRecordBytes.
#pragma once
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cluster-ref/store/dir_syncer.h"
#include "cluster-ref/formats/record.h"
#include "engine/snapshot.h"
#include "engine/status.h"
#include "cluster-ref/store/disk_format.h"

namespace cairn {

inline constexpr uint32_t kDiskFormatVersion = 2;
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

  // Forgets `path` (data file and tombstone); ok when absent. Used by heal to drop a
  // version no member can complete.
  Status remove(std::string_view path);
  // put(), unless this disk already holds `path` at `record`'s version or a
  // newer one (a rebalance moving an old copy must never overwrite a write
  // that reached the new place first). `*stored` says whether it stored.
  Status put_unless_newer(std::string_view path, const FileRecord& record, std::span<const std::byte> payload,
                          bool* stored);
  // remove(), only if the path's record is still `expected` (a mover drops
  // its copy once the new place holds it, never a newer write).
  Status remove_if_same(std::string_view path, const FileRecord& expected, bool* removed);
  // Removes `path` only if what this disk holds for it still fails its
  // checks (read() would say kCorrupt): a scrubber's or a reader's finding,
  // checked again under the path's lock, so that a copy written since the
  // finding is never dropped. `*dropped` says whether it was. Heal then
  // rebuilds the path from the group's good members.
  Status drop_if_corrupt(std::string_view path, bool* dropped);

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

  // Snapshots: the map's snapshots, whose versions put() preserves from now
  // on. Forgets the preserved areas of snapshots not in `snapshots` (deleted
  // ones) and syncs. Waits for puts in progress.
  Status set_snapshots(std::vector<Snapshot> snapshots);
  // What `snapshot` sees of `path` on this disk (engine/snapshot.h
  // snapshot_source): the preserved version or the current one, checked as
  // read() checks. kNotFound when it sees nothing (the path is newer than
  // the snapshot, or this disk never held it); kInvalidArgument when the
  // snapshot does not cover the path.
  Result<Stored> read_snapshot(const Snapshot& snapshot, std::string_view path, bool record_only) const;
  // Files and bytes this disk preserves for `snapshot`.
  disk_format::PreservedUsage preserved_usage(const Snapshot& snapshot) const;
  // The preserved area's directory name of `snapshot`: "<name>@<cut hex>".
  static std::string preserved_key(const Snapshot& snapshot);

  // ok while the disk's directory is the one opened and holds its identity
  // file; kIoError once it is gone, replaced or unreadable (a failed disk).
  Status check_present() const;
  uint64_t used_bytes() const { return used_bytes_.load(); }
  uint64_t capacity_bytes() const { return capacity_bytes_; }
  const std::filesystem::path& root() const { return root_; }
  uint32_t node() const { return node_; }
  uint32_t disk() const { return disk_; }

  // Asked under the path's lock before put(), remove() and a put_unless_newer()
  // that would store change what the disk holds: `current()` reads the path's
  // record (null when absent or failing its checks; read only if asked, so a
  // guard that has nothing to protect costs no I/O), `incoming` is the record
  // to store (null: remove). A non-ok answer is returned and nothing changes.
  // The node installs its retention verdict here (engine/retention.h), so no
  // request reaches a disk without it. remove_if_same() and drop_if_corrupt()
  // are not asked: they drop only a copy the mover has placed elsewhere and
  // one that fails its checks, and no request reaches them. Set it before
  // other threads use the store; empty (the default) allows everything.
  using CurrentRecord = std::function<std::optional<FileRecord>()>;
  using WriteGuard =
      std::function<Status(std::string_view path, const CurrentRecord& current, const FileRecord* incoming)>;
  void set_write_guard(WriteGuard guard) { write_guard_ = std::move(guard); }

  // Test-only fault injection (the torn-write tests). put() calls the hook
  // after each step — "tmp-synced" (the data file with its record attribute,
  // or the tombstone file, written and synced in tmp/), "renamed" (renamed
  // into data/ or tombstones/; the other kind of the path not yet unlinked,
  // no directory synced), "synced" (done, not yet acknowledged) — and, when
  // it returns false, stops there as a crash would (no cleanup) and returns
  // kIoError. Set it before other threads use the store; empty (the default)
  // never stops.
  using FaultHook = std::function<bool(std::string_view step)>;
  void set_fault_hook_for_test(FaultHook hook) { fault_hook_ = std::move(hook); }

 private:
  static constexpr size_t kPathLockStripes = 64;

  DiskStore(std::filesystem::path root, uint32_t node, uint32_t disk, uint64_t capacity_bytes);
  std::shared_mutex& path_lock(std::string_view path) const;
  std::string data_file(std::string_view path) const;       // root/data<path>
  std::string tombstone_file(std::string_view path) const;  // root/tombstones<path>
  std::string preserved_file(const Snapshot& s, std::string_view path) const;  // root/preserved/<key><path>
  // Before `incoming_version` replaces what the path holds: links the live
  // version into the area of every snapshot that must keep it. Caller holds
  // the path's lock.
  Status preserve_locked(std::string_view path, uint64_t incoming_version);
  // Creates the missing directories of `path` under `base`, syncing each
  // parent of one created.
  Status make_dirs_synced(const std::string& base, std::string_view path) const;
  std::string next_tmp_file(std::string_view suffix);       // root/tmp/<n>.<suffix>
  // The record that stands for `path`: the data file's or the tombstone's,
  // the newer when both exist. Caller holds the path's lock.
  Result<FileRecord> current_record(std::string_view path) const;
  // read() and remove() with the path's lock already held.
  Result<Stored> read_locked(std::string_view path) const;
  Status remove_locked(std::string_view path);
  Status put_locked(std::string_view path, const FileRecord& record, std::span<const std::byte> payload);
  // used += add - sub, atomically; kRefused when it grows past capacity.
  Status adjust_used(uint64_t add_bytes, uint64_t sub_bytes, bool within_capacity);
  // Creates the missing parent directories of `path` under data/ (a live
  // member) or tombstones/, refusing when a component is a file in either.
  Status make_parents(std::string_view path, bool tombstone) const;
  // How far install() got, for put() to settle used bytes.
  enum class Progress { kNothing, kRenamed, kDone };
  // Stages and renames into place, then unlinks the other kind of the path.
  // `other_present`: the path also has a file of the other kind to unlink.
  Status install(std::string_view path, const FileRecord& record, std::span<const std::byte> payload,
                 bool other_present, Progress& progress);
  bool fault_at(std::string_view step) const { return fault_hook_ && !fault_hook_(step); }
  // The write guard's answer; caller holds the path's lock.
  Status guard_locked(std::string_view path, const FileRecord* incoming) const;

  std::filesystem::path root_;
  uint32_t node_;
  uint32_t disk_;
  uint64_t capacity_bytes_;
  std::atomic<uint64_t> used_bytes_{0};
  uint64_t root_dev_ = 0;
  uint64_t root_ino_ = 0;
  std::atomic<uint64_t> tmp_counter_{0};
  std::unique_ptr<posix::DirLock> lock_;
  mutable std::array<std::shared_mutex, kPathLockStripes> path_locks_;
  // Shared to check that a parent directory exists, exclusive to create one
  // and sync its parent (see make_parents).
  mutable std::shared_mutex dirs_lock_;
  FaultHook fault_hook_;
  WriteGuard write_guard_;
  mutable std::mutex snapshots_mutex_;  // guards snapshots_ and preserved_
  std::vector<Snapshot> snapshots_;
  std::map<std::string, disk_format::PreservedUsage> preserved_;  // by key
  DirSyncer dir_syncer_;  // group commit of the directory fsyncs of puts
};

}  // namespace cairn
