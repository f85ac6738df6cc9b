#include "cluster-ref/formats/record.h"

#include <cstring>
#include <string>

#include "cluster-ref/formats/bytes.h"
#include "engine/checksum.h"

namespace cairn {
namespace {

constexpr std::byte kMagic[4] = {std::byte{'C'}, std::byte{'R'}, std::byte{'E'}, std::byte{'C'}};
constexpr uint8_t kFlagTombstone = 1;
constexpr uint8_t kFlagCommitted = 2;
constexpr size_t kCrcOffset = 60;

}  // namespace

std::array<std::byte, kRecordBytes> encode_record(const FileRecord& r) {
  CAIRN_ASSERT(r.scheme.k <= 255 && r.scheme.m <= 255);
  std::array<std::byte, kRecordBytes> out{};
  std::span<std::byte> s(out);
  std::memcpy(out.data(), kMagic, 4);
  bytes::store_le<uint16_t>(s, 4, kRecordFormatVersion);
  const uint8_t flags = static_cast<uint8_t>((r.tombstone ? kFlagTombstone : 0) |
                                             (r.committed ? kFlagCommitted : 0));
  bytes::store_le<uint8_t>(s, 6, flags);
  bytes::store_le<uint8_t>(s, 7, r.member);
  bytes::store_le<uint8_t>(s, 8, static_cast<uint8_t>(r.scheme.kind));
  bytes::store_le<uint8_t>(s, 9, static_cast<uint8_t>(r.scheme.k));
  bytes::store_le<uint8_t>(s, 10, static_cast<uint8_t>(r.scheme.m));
  bytes::store_le<uint8_t>(s, 11, static_cast<uint8_t>(r.form));
  bytes::store_le<uint32_t>(s, 12, r.group);
  bytes::store_le<uint64_t>(s, 16, r.version);
  bytes::store_le<uint64_t>(s, 24, r.file_bytes);
  bytes::store_le<int64_t>(s, 32, r.mtime_ns);
  bytes::store_le<int64_t>(s, 40, r.retain_until_ns);
  bytes::store_le<uint32_t>(s, 48, r.file_crc);
  bytes::store_le<uint32_t>(s, 52, r.payload_crc);
  bytes::store_le<uint32_t>(s, 56, r.payload_bytes);
  bytes::store_le<uint32_t>(s, kCrcOffset, crc32c(s.first(kCrcOffset)));
  return out;
}

Result<FileRecord> decode_record(std::span<const std::byte> in) {
  if (in.size() != kRecordBytes) {
    return Status(StatusCode::kCorrupt,
                  "file record is " + std::to_string(in.size()) + " bytes, expected 64");
  }
  if (std::memcmp(in.data(), kMagic, 4) != 0) return corrupt("file record has a bad magic");
  if (bytes::load_le<uint32_t>(in, kCrcOffset) != crc32c(in.first(kCrcOffset))) {
    return corrupt("file record fails its CRC");
  }
  const auto format = bytes::load_le<uint16_t>(in, 4);
  if (format != kRecordFormatVersion) {
    return invalid_argument("file record format " + std::to_string(format) +
                            " is not supported (this build reads format 1)");
  }
  const auto flags = bytes::load_le<uint8_t>(in, 6);
  if ((flags & ~(kFlagTombstone | kFlagCommitted)) != 0) {
    return invalid_argument("file record has unknown flag bits");
  }
  FileRecord r;
  r.tombstone = (flags & kFlagTombstone) != 0;
  r.committed = (flags & kFlagCommitted) != 0;
  r.member = bytes::load_le<uint8_t>(in, 7);
  const auto kind = bytes::load_le<uint8_t>(in, 8);
  const auto k = bytes::load_le<uint8_t>(in, 9);
  const auto m = bytes::load_le<uint8_t>(in, 10);
  const auto form = bytes::load_le<uint8_t>(in, 11);
  if (kind > 1 || form > 1) return invalid_argument("file record has an unknown scheme or form");
  r.scheme = kind == 0 ? Scheme::replica(1U + m) : Scheme::erasure(k, m);
  if (kind == 0 && k != 1) return invalid_argument("file record: a replica scheme has k = 1");
  if (k == 0 || r.scheme.width() > Scheme::kMaxWidth) {
    return invalid_argument("file record has an impossible scheme");
  }
  if (r.member >= r.scheme.width()) {
    return invalid_argument("file record names member " + std::to_string(r.member) +
                            " outside its scheme " + r.scheme.to_string());
  }
  r.form = static_cast<StorageForm>(form);
  r.group = bytes::load_le<uint32_t>(in, 12);
  r.version = bytes::load_le<uint64_t>(in, 16);
  r.file_bytes = bytes::load_le<uint64_t>(in, 24);
  r.mtime_ns = bytes::load_le<int64_t>(in, 32);
  r.retain_until_ns = bytes::load_le<int64_t>(in, 40);
  r.file_crc = bytes::load_le<uint32_t>(in, 48);
  r.payload_crc = bytes::load_le<uint32_t>(in, 52);
  r.payload_bytes = bytes::load_le<uint32_t>(in, 56);
  if (r.tombstone && r.payload_bytes != 0) {
    return invalid_argument("file record: a tombstone with a payload");
  }
  return r;
}

}  // namespace cairn
