// Store operations: what the reference store (cluster-ref/store) does on a
// disk for one member of one file — a replica's copy or an erasure-coded
// fragment — counted by kind, and which of those operations wait on the
// device. One description that both faces follow (DESIGN rule 2): the
// store's tests count its file-system calls against it, and the model
// charges every heal, rebalance and ingest the device operations it lists.
//
// Small files make this decisive: a 20 TB disk of 0.2 MB files holds ~10^8
// of them, and each put waits on two device flushes whatever its size.
//
// Counting is by file-system call as cluster-ref/store/posix_file.h makes
// them: a read of a payload counts one kRead however many read(2) calls it
// takes; opening a path that is absent counts a kLookup (the kernel answers
// from its directory cache), opening one that exists a kOpen.
//
// Which operations wait on the device (device_reads, device_writes): a file's fsync and a
// directory's fsync (each a journal commit and a cache flush), reading a
// record attribute (the inode, on a cold cache) and reading a payload (its
// data, a seek). Creates, renames, unlinks and attribute writes are journalled
// and reach the device with the next fsync; lookups and opens are answered
// from the directory and inode caches once the attribute read has brought
// the inode in. A StoreOps counts the calls of one piece of work on one path,
// so its first record read brings the inode in and the others find it cached:
// device_ops() counts at most one. An engineer who measures otherwise changes
// it here.
// Pure values.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cairn {

enum class StoreOp : uint8_t {
  kLookup,   // lstat, or an open that finds nothing
  kOpen,     // open of an existing file
  kCreate,   // open(O_CREAT | O_EXCL) of a staging file in tmp/
  kWrite,    // the payload written
  kSetAttr,  // the record written as an extended attribute
  kGetAttr,  // the record read from its extended attribute
  kRead,     // the payload (or a tombstone's record) read
  kFsync,    // fsync of a file
  kRename,   // rename from tmp/ into place
  kUnlink,   // unlink of a file
  kMkdir,    // a directory created
  kSyncDir,  // fsync of a directory
};
inline constexpr size_t kStoreOpKinds = 12;

std::string_view store_op_name(StoreOp op);

struct StoreOps {
  std::array<uint32_t, kStoreOpKinds> count{};

  uint32_t operator[](StoreOp op) const { return count[static_cast<size_t>(op)]; }
  uint32_t& operator[](StoreOp op) { return count[static_cast<size_t>(op)]; }
  StoreOps& operator+=(const StoreOps& other);
  friend StoreOps operator+(StoreOps a, const StoreOps& b) { return a += b; }
  bool operator==(const StoreOps&) const = default;
  // The operations that wait on the device: what a disk's operation rate
  // pays for. The record is read from the device once per path (above).
  uint32_t device_ops() const;
  // The same, split by the side of the disk that pays: reads (the record,
  // the payload) and writes (flushes).
  uint32_t device_reads() const;
  uint32_t device_writes() const;
};

// One member of a file, on one disk, as the store does it. Each assumes the
// common case: the archive path's directory already exists on that disk and
// no tombstone of the path is there.
StoreOps member_put_ops();     // DiskStore::put of a live member the disk does not hold
StoreOps member_stat_ops();    // DiskStore::stat of a member the disk holds
StoreOps member_absent_stat_ops();  // DiskStore::stat of a member the disk does not hold
StoreOps member_read_ops();    // DiskStore::read of a member the disk holds
StoreOps member_remove_ops();  // DiskStore::remove_if_same of a member the disk holds

// A member's share of the cluster's background work, per file, by role:
// - heal source: every member is asked for its record, the sources are read;
// - heal target: asked for its record (it has none), then the rebuilt member
//   is put;
// - move source: read, then removed once its new place holds it;
// - move target: put_unless_newer (a record check, then the put), then asked
//   for its record before the source lets go;
// - ingest: a client put stores each member once.
// The members a heal neither reads nor writes are asked for their record
// (member_stat_ops).
StoreOps heal_source_ops();
StoreOps heal_target_ops();
StoreOps move_source_ops();
StoreOps move_target_ops();
StoreOps ingest_member_ops();

}  // namespace cairn
