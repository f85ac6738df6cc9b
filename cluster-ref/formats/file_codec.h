// FileCodec: a whole file to the parts its group's members store, and back.
// The cut follows engine/geometry.h exactly (fragment size, the small-file
// policy, which members are used); parity comes from engine/codec.h; each
// part carries its FileRecord with both checksums. Coordinators encode with
// it, readers and heal decode with it, so there is one way a file is laid out.
//
// Stateless functions; each thread uses its own engine Codec (codec_for).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "cluster-ref/formats/record.h"
#include "engine/codec.h"
#include "engine/reconcile.h"
#include "engine/scheme.h"
#include "engine/status.h"

namespace cairn {

struct FileIdentity {
  uint32_t group = 0;
  uint64_t version = 0;
  int64_t mtime_ns = 0;
  int64_t retain_until_ns = 0;
  bool committed = false;  // WORM: committed when written (engine/retention.h retention_stamp)
};

// One member's part. A copy of a replicated file is a view of the file given
// to encode_file (which must outlive the part); a fragment is owned. Moving a
// part keeps its view valid; copying it would not, so it cannot be copied.
struct MemberPart {
  uint32_t member = 0;
  FileRecord record;
  std::span<const std::byte> payload;
  std::vector<std::byte> owned;  // the fragment's bytes, when `payload` views them

  MemberPart() = default;
  MemberPart(MemberPart&&) = default;
  MemberPart& operator=(MemberPart&&) = default;
  MemberPart(const MemberPart&) = delete;
  MemberPart& operator=(const MemberPart&) = delete;
};

// This thread's codec for `scheme` (built once per thread and scheme).
Codec& codec_for(const Scheme& scheme);

// The parts of every used member, in member order. Copies view `file`.
Result<std::vector<MemberPart>> encode_file(const Scheme& scheme, const FileIdentity& id,
                                            std::span<const std::byte> file);

// One tombstone record per member of the group.
std::vector<MemberPart> encode_tombstone(const Scheme& scheme, const FileIdentity& id);

// The file from the parts at hand (index = member; nullopt = not available).
// Needs one copy for the replicated form, any k fragments for the erasure-coded
// form. Parts must already match their own records (DiskStore::read and the
// frame CRC check that); the result is checked against the file CRC
// (kCorrupt), and kDataLoss says too few parts were given.
Result<std::vector<std::byte>> decode_file(const Scheme& scheme, const FileRecord& current,
                                           std::span<const std::optional<std::vector<std::byte>>> parts);

// What a member's answer for a path tells reconcile: its record, or absent
// (kNotFound), corrupt (kCorrupt), or unreachable (any other error).
MemberCopy member_copy(const Result<FileRecord>& record);

// Whether the records a group's members hold for one path (index = member;
// nullopt = nothing) agree, i.e. the engine's reconcile finds nothing to do.
// The one test for "healed": node scans and `cairn check` both use it.
bool members_agree(const Scheme& scheme, std::span<const std::optional<FileRecord>> records);

}  // namespace cairn
