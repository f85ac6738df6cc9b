// Fragment geometry: exactly which bytes each member of a group stores for
// one file, and what that costs on disk. This is the one place that decides
// it; the real cluster lays files out by it and the simulator aggregates
// capacity by it (DESIGN.md rule 4), so both always agree.
//
// Layout of one member's stored bytes (format version kGeometryVersion):
//
//   [ payload | zero padding to kFragmentAlignmentBytes | member record ]
//
// - Erasure-coded form (ec:K+M): the file is one stripe. With
//   F = round_up(ceil(file_bytes / K), kFragmentAlignmentBytes), data member
//   i (0..K-1) stores file bytes [i*F, (i+1)*F) (fewer, possibly none, at the
//   end of the file), zero-padded to F; parity member K..K+M-1 stores F
//   parity bytes computed over the padded data fragments (engine/codec.h).
// - Replicated form: each member used stores the whole file, zero-padded to
//   a multiple of kFragmentAlignmentBytes.
// - Every member that stores anything ends with one kMemberRecordBytes
//   record (checksums and metadata; its byte layout belongs to the on-disk
//   format, only its size is fixed here). Members that store nothing have no
//   record.
//
// Small-file policy (a pure function of scheme and file size):
// - replica:N stores N whole copies, on members 0..N-1.
// - ec:K+M stores the file erasure-coded, except when M+1 whole copies on
//   members 0..M would allocate no more disk blocks in total (blocks of
//   kDiskBlockBytes, each member rounded up separately) than the K+M
//   fragments: then it is stored as M+1 copies, which tolerate the same M
//   losses, cost no more space and are read from one member. Members M+1..
//   K+M-1 then store nothing for that file. For ec:8+3 this holds up to
//   8128 bytes (two blocks per copy, 8 blocks against 11).
//
// Pure functions, no state: safe from any thread.
#pragma once

#include <array>
#include <cstdint>

#include "engine/scheme.h"
#include "engine/status.h"

namespace cairn {

// Bumped whenever any number computed here changes for some input.
inline constexpr uint32_t kGeometryVersion = 1;
// Fragments are padded to ISA-L's widest SIMD register (AVX-512, 64 bytes),
// so every fragment and record starts cache-line aligned.
inline constexpr uint64_t kFragmentAlignmentBytes = 64;
// Per-member record: fragment and file checksums, file size, version.
inline constexpr uint64_t kMemberRecordBytes = 64;
// Allocation unit of the disks the policy and the allocated totals assume.
inline constexpr uint64_t kDiskBlockBytes = 4096;
// Largest file the geometry accepts (1 TiB; keeps every total far from
// overflow). Larger inputs are kInvalidArgument.
inline constexpr uint64_t kFileBytesMax = uint64_t{1} << 40;

enum class StorageForm : uint8_t { kErasureCoded = 0, kReplicated = 1 };
const char* to_string(StorageForm form);

enum class MemberRole : uint8_t {
  kUnused = 0,  // stores nothing for this file
  kData = 1,    // a data fragment (erasure-coded form)
  kParity = 2,  // a parity fragment (erasure-coded form)
  kCopy = 3,    // a whole copy (replicated form)
};

struct MemberGeometry {
  MemberRole role = MemberRole::kUnused;
  uint64_t payload_bytes = 0;    // file bytes (data, copy) or parity bytes
  uint64_t padding_bytes = 0;    // zeros after the payload, up to the alignment
  uint64_t record_bytes = 0;     // kMemberRecordBytes, or 0 when unused
  uint64_t stored_bytes = 0;     // payload + padding + record
  uint64_t allocated_bytes = 0;  // stored_bytes rounded up to kDiskBlockBytes
  bool operator==(const MemberGeometry&) const = default;
};

struct FileGeometry {
  Scheme scheme;
  uint64_t file_bytes = 0;
  StorageForm form = StorageForm::kReplicated;
  // Payload + padding of every used member: the fragment size F for the
  // erasure-coded form, the padded copy size for the replicated form.
  uint64_t fragment_bytes = 0;
  uint32_t members_used = 0;  // members 0..members_used-1 store something
  std::array<MemberGeometry, Scheme::kMaxWidth> members{};  // first scheme.width() are meaningful
  uint64_t stored_bytes_total = 0;
  uint64_t allocated_bytes_total = 0;
};

// THE geometry function. kInvalidArgument for a scheme Codec::create would
// refuse (k < 1, wider than 32, a replica with k != 1) or file_bytes above
// kFileBytesMax.
Result<FileGeometry> file_geometry(const Scheme& scheme, uint64_t file_bytes);

// Per-member bytes for one file, for the simulator to multiply by file
// counts and sum per group and disk. Derived from file_geometry(); members
// beyond the scheme's width are zero.
struct MemberBytes {
  std::array<uint64_t, Scheme::kMaxWidth> stored_bytes{};
  std::array<uint64_t, Scheme::kMaxWidth> allocated_bytes{};
};
Result<MemberBytes> member_bytes(const Scheme& scheme, uint64_t file_bytes);

}  // namespace cairn
