// The on-disk frame of a DiskStore (layout in disk_store.h): formatting an
// empty directory, checking the CAIRN-DISK identity of a formatted one,
// preparing data/, tombstones/ and tmp/ at open, and reading records (the
// extended attribute of a data file, the content of a tombstone file).
//
// prepare() and count_used_bytes() run inside DiskStore::open, while the
// caller holds the root's lock; the record readers and charged_bytes() are
// pure or read-only and safe from any thread.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "cluster-ref/formats/record.h"
#include "engine/status.h"

namespace cairn::disk_format {

inline constexpr char kIdentityFileName[] = "CAIRN-DISK";
// An identity file longer than this is not one of ours.
inline constexpr size_t kIdentityBytesMax = 256;
// The extended attribute of a data file that holds its FileRecord.
inline constexpr char kRecordAttrName[] = "user.cairn.record";

// The oldest disk format this build opens (format 1: no preserved/ area;
// opening one upgrades its identity to kDiskFormatVersion).
inline constexpr uint32_t kDiskFormatVersionOldest = 1;
// The area of versions kept for snapshots: preserved/<snapshot key>/<path>.
inline constexpr char kPreservedDirName[] = "preserved";

// The exact identity text: "cairn-disk <format>\nnode <node>\ndisk <disk>\n",
// of kDiskFormatVersion or of an older `format`.
std::string identity_text(uint32_t node, uint32_t disk);
std::string identity_text_of_format(uint32_t format, uint32_t node, uint32_t disk);

// Makes `root` (an existing directory) an open-able store of `node`/`disk`:
// formats it when it holds no identity and nothing else (or only the tmp/ of
// a format a crash interrupted), writing the identity durably; otherwise
// checks the identity (format 1 is upgraded: its identity is rewritten as
// kDiskFormatVersion). Then makes sure data/, tombstones/, tmp/ and
// preserved/ exist,
// empties tmp/ and checks that the file system keeps user extended
// attributes (on a probe file in tmp/). kRefused, naming what it found, for
// another node's or disk's identity, another format version, an unreadable
// identity, a non-empty directory without one, or a file system without user
// extended attributes (nothing is formatted then); kIoError when the OS
// refuses.
Status prepare(const std::string& root, uint32_t node, uint32_t disk);

// The tombstone of archive path `path` stored in the record file `file`.
// kNotFound when absent, kCorrupt (naming `path`) when it fails its checks or
// is not a tombstone, kIoError when unreadable.
Result<FileRecord> read_tombstone_file(const std::string& file, std::string_view path);

// The record of the live member of `path` in the kRecordAttrName attribute of
// data file `file`. kNotFound when there is no file; kCorrupt (naming `path`)
// when the attribute is missing, fails its checks or is a tombstone;
// kIoError when unreadable.
Result<FileRecord> read_data_record(const std::string& file, std::string_view path);

// The record that stands for a path given what its data file (`live`) and
// its tombstone file hold: the one present (kNotFound when neither is), or,
// when a crash between a put's rename and its unlink left both, the higher
// version, the tombstone on a tie, so that a delete is never undone by a
// leftover. A failure of either (kCorrupt, kIoError) is the answer: heal
// rewrites the path, which removes both.
Result<FileRecord> newer_record(Result<FileRecord> live, Result<FileRecord> tombstone);

// The bytes a store charges for what a record reader returned: nothing
// when there is no record, payload_bytes + kRecordBytes for a good one, and
// kRecordBytes for one that cannot be read or decoded (its payload size is
// unknown; replacing or removing it gives the same amount back).
uint64_t charged_bytes(const Result<FileRecord>& record);

// What the preserved versions of one snapshot take on a disk.
struct PreservedUsage {
  uint64_t files = 0;
  uint64_t bytes = 0;  // charged_bytes() of each
};
// Per directory of `root`/preserved (a snapshot's key), its files and bytes.
Result<std::map<std::string, PreservedUsage>> count_preserved(const std::string& root);

// The sum of charged_bytes() over every data file under `root`/data and
// every tombstone file under `root`/tombstones.
Result<uint64_t> count_used_bytes(const std::string& root);

// `text` for an error message: at most `bytes_max` bytes, newlines and bytes
// outside printable ASCII escaped ("\n", "\x00"), "..." when cut.
std::string printable(std::string_view text, size_t bytes_max);

}  // namespace cairn::disk_format
