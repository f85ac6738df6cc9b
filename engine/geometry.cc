#include "engine/geometry.h"

#include <algorithm>
#include <string>

namespace cairn {
namespace {

constexpr uint64_t round_up(uint64_t bytes, uint64_t unit) {
  return (bytes + unit - 1) / unit * unit;
}

MemberGeometry member(MemberRole role, uint64_t payload_bytes, uint64_t slot_bytes) {
  MemberGeometry g;
  g.role = role;
  g.payload_bytes = payload_bytes;
  g.padding_bytes = slot_bytes - payload_bytes;
  g.record_bytes = kMemberRecordBytes;
  g.stored_bytes = slot_bytes + kMemberRecordBytes;
  g.allocated_bytes = round_up(g.stored_bytes, kDiskBlockBytes);
  return g;
}

void add_totals(FileGeometry& g) {
  for (uint32_t i = 0; i < g.members_used; ++i) {
    g.stored_bytes_total += g.members[i].stored_bytes;
    g.allocated_bytes_total += g.members[i].allocated_bytes;
  }
}

FileGeometry replicated(const Scheme& scheme, uint64_t file_bytes, uint32_t copies) {
  FileGeometry g;
  g.scheme = scheme;
  g.file_bytes = file_bytes;
  g.form = StorageForm::kReplicated;
  g.fragment_bytes = round_up(file_bytes, kFragmentAlignmentBytes);
  g.members_used = copies;
  for (uint32_t i = 0; i < copies; ++i)
    g.members[i] = member(MemberRole::kCopy, file_bytes, g.fragment_bytes);
  add_totals(g);
  return g;
}

FileGeometry erasure_coded(const Scheme& scheme, uint64_t file_bytes) {
  FileGeometry g;
  g.scheme = scheme;
  g.file_bytes = file_bytes;
  g.form = StorageForm::kErasureCoded;
  const uint64_t k = scheme.k;
  g.fragment_bytes = round_up((file_bytes + k - 1) / k, kFragmentAlignmentBytes);
  g.members_used = scheme.width();
  for (uint32_t i = 0; i < scheme.k; ++i) {
    const uint64_t start = uint64_t{i} * g.fragment_bytes;
    const uint64_t payload =
        file_bytes > start ? std::min(g.fragment_bytes, file_bytes - start) : 0;
    g.members[i] = member(MemberRole::kData, payload, g.fragment_bytes);
  }
  for (uint32_t i = scheme.k; i < scheme.width(); ++i)
    g.members[i] = member(MemberRole::kParity, g.fragment_bytes, g.fragment_bytes);
  add_totals(g);
  return g;
}

}  // namespace

const char* to_string(StorageForm form) {
  return form == StorageForm::kErasureCoded ? "erasure-coded" : "replicated";
}

Result<FileGeometry> file_geometry(const Scheme& scheme, uint64_t file_bytes) {
  if (scheme.k < 1 || scheme.width() > Scheme::kMaxWidth ||
      (scheme.is_replica() && scheme.k != 1)) {
    return invalid_argument("geometry: invalid scheme " + scheme.to_string());
  }
  if (file_bytes > kFileBytesMax) {
    return invalid_argument("geometry: file of " + std::to_string(file_bytes) +
                            " bytes exceeds the 1 TiB limit");
  }
  if (scheme.is_replica()) return replicated(scheme, file_bytes, scheme.width());
  FileGeometry coded = erasure_coded(scheme, file_bytes);
  FileGeometry copies = replicated(scheme, file_bytes, scheme.m + 1);
  return copies.allocated_bytes_total <= coded.allocated_bytes_total ? copies : coded;
}

Result<MemberBytes> member_bytes(const Scheme& scheme, uint64_t file_bytes) {
  Result<FileGeometry> g = file_geometry(scheme, file_bytes);
  if (!g) return g.status();
  MemberBytes bytes;
  for (uint32_t i = 0; i < g->members_used; ++i) {
    bytes.stored_bytes[i] = g->members[i].stored_bytes;
    bytes.allocated_bytes[i] = g->members[i].allocated_bytes;
  }
  return bytes;
}

}  // namespace cairn
