// FileRecord: the metadata a disk keeps beside every copy, fragment or
// tombstone it holds — which version of which file this is, its size, its
// checksums, its times and its retention state. It is what a node reads to
// answer stat, what a reader checks bytes against, and what heal compares
// across the members of a group to decide which copy is current.
//
// On-disk and on-wire format (version kRecordFormatVersion): exactly
// kRecordBytes (= engine kMemberRecordBytes, 64) little-endian bytes:
//
//   off size field
//    0   4   magic, the bytes "CREC"
//    4   2   record format version (kRecordFormatVersion)
//    6   1   flags: bit 0 tombstone (the file was deleted; no payload),
//              bit 1 committed (WORM: no change before retain_until_ns);
//              other bits 0
//    7   1   member index in the group (0..width-1)
//    8   1   scheme kind (0 replica, 1 erasure, engine/scheme.h)
//    9   1   k
//   10   1   m
//   11   1   storage form (engine StorageForm: 0 erasure-coded, 1 replicated)
//   12   4   group id
//   16   8   version (assigned by the write's coordinator; higher is newer)
//   24   8   file bytes (the whole file's length)
//   32   8   modification time, ns since the UNIX epoch (signed)
//   40   8   retain until, ns since the UNIX epoch (signed; 0 = no retention)
//   48   4   CRC-32C of the whole file
//   52   4   CRC-32C of this member's payload (the bytes in its data file)
//   56   4   payload bytes (copy: the file's length; fragment: the fragment size)
//   60   4   CRC-32C of bytes 0..59
//
// Pinned by golden vectors in tests/cluster/record_test.cc. Pure functions.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "engine/geometry.h"
#include "engine/scheme.h"
#include "engine/status.h"

namespace cairn {

inline constexpr uint16_t kRecordFormatVersion = 1;
inline constexpr size_t kRecordBytes = 64;
static_assert(kRecordBytes == kMemberRecordBytes);

struct FileRecord {
  bool tombstone = false;
  bool committed = false;
  uint8_t member = 0;
  Scheme scheme;
  StorageForm form = StorageForm::kReplicated;
  uint32_t group = 0;
  uint64_t version = 0;
  uint64_t file_bytes = 0;
  int64_t mtime_ns = 0;
  int64_t retain_until_ns = 0;
  uint32_t file_crc = 0;
  uint32_t payload_crc = 0;
  uint32_t payload_bytes = 0;
  bool operator==(const FileRecord&) const = default;
};

std::array<std::byte, kRecordBytes> encode_record(const FileRecord& record);
// kCorrupt for a bad magic or CRC, kInvalidArgument for an unknown format
// version, unknown flag bits, or fields that contradict each other (member
// outside the scheme's width, a tombstone with a payload).
Result<FileRecord> decode_record(std::span<const std::byte> bytes);

}  // namespace cairn
