// The on-disk frame of a DiskStore (layout in disk_store.h): formatting an
// empty directory, checking the CAIRN-DISK identity of a formatted one,
// preparing data/, meta/ and tmp/ at open, and reading record files.
//
// prepare() and count_used_bytes() run inside DiskStore::open, while the
// caller holds the root's lock; read_record_file() and charged_bytes() are
// pure or read-only and safe from any thread.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "cluster-ref/record.h"
#include "engine/status.h"

namespace cairn::disk_format {

inline constexpr char kIdentityFileName[] = "CAIRN-DISK";
// An identity file longer than this is not one of ours.
inline constexpr size_t kIdentityBytesMax = 256;

// The exact identity text: "cairn-disk <format>\nnode <node>\ndisk <disk>\n".
std::string identity_text(uint32_t node, uint32_t disk);

// Makes `root` (an existing directory) an open-able store of `node`/`disk`:
// formats it when it holds no identity and nothing else (or only the tmp/ of
// a format a crash interrupted), writing the identity durably; otherwise
// checks the identity. Then makes sure data/, meta/ and tmp/ exist and
// empties tmp/. kRefused, naming what it found, for another node's or disk's
// identity, another format version, an unreadable identity, or a non-empty
// directory without one; kIoError when the OS refuses.
Status prepare(const std::string& root, uint32_t node, uint32_t disk);

// The record of archive path `path` stored in `file`. kNotFound when absent,
// kCorrupt (naming `path`) when it fails its checks, kIoError when unreadable.
Result<FileRecord> read_record_file(const std::string& file, std::string_view path);

// The bytes a store charges for what read_record_file() returned: nothing
// when there is no record, payload_bytes + kRecordBytes for a good one, and
// kRecordBytes for one that cannot be read or decoded (its payload size is
// unknown; replacing or removing it gives the same amount back).
uint64_t charged_bytes(const Result<FileRecord>& record);

// The sum of charged_bytes() over every record file under `root`/meta.
Result<uint64_t> count_used_bytes(const std::string& root);

// `text` for an error message: at most `bytes_max` bytes, newlines and bytes
// outside printable ASCII escaped ("\n", "\x00"), "..." when cut.
std::string printable(std::string_view text, size_t bytes_max);

}  // namespace cairn::disk_format
