#include "cluster-ref/formats/file_codec.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <string>

#include "engine/checksum.h"
#include "engine/geometry.h"

namespace cairn {

Codec& codec_for(const Scheme& scheme) {
  thread_local std::map<std::pair<uint32_t, uint32_t>, Codec> codecs;
  const auto key = std::make_pair(scheme.k, scheme.m + (scheme.is_replica() ? 1000U : 0U));
  auto it = codecs.find(key);
  if (it == codecs.end()) {
    auto created = Codec::create(scheme);
    CAIRN_ASSERT(created.is_ok());
    it = codecs.emplace(key, std::move(created).value()).first;
  }
  return it->second;
}

namespace {

FileRecord base_record(const Scheme& scheme, const FileIdentity& id, const FileGeometry& g,
                       uint32_t file_crc) {
  FileRecord r;
  r.scheme = scheme;
  r.form = g.form;
  r.group = id.group;
  r.version = id.version;
  r.file_bytes = g.file_bytes;
  r.mtime_ns = id.mtime_ns;
  r.retain_until_ns = id.retain_until_ns;
  r.committed = id.committed;
  r.file_crc = file_crc;
  return r;
}

// Data fragment i of the file: bytes [i*F, (i+1)*F), zero-padded to F.
std::vector<std::byte> data_fragment(std::span<const std::byte> file, uint64_t fragment_bytes,
                                     uint32_t i) {
  std::vector<std::byte> out(fragment_bytes, std::byte{0});
  const uint64_t begin = std::min<uint64_t>(file.size(), i * fragment_bytes);
  const uint64_t end = std::min<uint64_t>(file.size(), begin + fragment_bytes);
  if (end > begin) std::memcpy(out.data(), file.data() + begin, end - begin);
  return out;
}

}  // namespace

Result<std::vector<MemberPart>> encode_file(const Scheme& scheme, const FileIdentity& id,
                                            std::span<const std::byte> file) {
  auto geometry = file_geometry(scheme, file.size());
  if (!geometry) return geometry.status();
  const FileGeometry& g = *geometry;
  const uint32_t file_crc = file_checksum(file);
  std::vector<MemberPart> parts(g.members_used);
  if (g.form == StorageForm::kReplicated) {
    for (uint32_t i = 0; i < g.members_used; ++i) parts[i].payload = file;
  } else {
    for (uint32_t i = 0; i < scheme.k; ++i) parts[i].owned = data_fragment(file, g.fragment_bytes, i);
    std::vector<std::span<const std::byte>> data;
    std::vector<std::span<std::byte>> parity;
    for (uint32_t i = 0; i < scheme.k; ++i) data.emplace_back(parts[i].owned);
    for (uint32_t i = scheme.k; i < scheme.width(); ++i) {
      parts[i].owned.assign(g.fragment_bytes, std::byte{0});
      parity.emplace_back(parts[i].owned);
    }
    if (Status st = codec_for(scheme).encode(data, parity); !st.is_ok()) return st;
    for (MemberPart& part : parts) part.payload = part.owned;
  }
  for (uint32_t i = 0; i < g.members_used; ++i) {
    parts[i].member = i;
    parts[i].record = base_record(scheme, id, g, file_crc);
    parts[i].record.member = static_cast<uint8_t>(i);
    parts[i].record.payload_bytes = static_cast<uint32_t>(parts[i].payload.size());
    // A copy's payload is the file itself: its CRC is the file's.
    parts[i].record.payload_crc =
        g.form == StorageForm::kReplicated ? file_crc : crc32c(parts[i].payload);
  }
  return parts;
}

std::vector<MemberPart> encode_tombstone(const Scheme& scheme, const FileIdentity& id) {
  std::vector<MemberPart> parts(scheme.width());
  for (uint32_t i = 0; i < scheme.width(); ++i) {
    parts[i].member = i;
    FileRecord& r = parts[i].record;
    r.tombstone = true;
    r.member = static_cast<uint8_t>(i);
    r.scheme = scheme;
    r.group = id.group;
    r.version = id.version;
    r.mtime_ns = id.mtime_ns;
    r.payload_crc = crc32c({});
  }
  return parts;
}

Result<std::vector<std::byte>> decode_file(
    const Scheme& scheme, const FileRecord& current,
    std::span<const std::optional<std::vector<std::byte>>> parts) {
  CAIRN_ASSERT(parts.size() == scheme.width());
  auto geometry = file_geometry(scheme, current.file_bytes);
  if (!geometry) return geometry.status();
  const FileGeometry& g = *geometry;
  std::vector<std::byte> file;
  if (g.form == StorageForm::kReplicated) {
    for (uint32_t i = 0; i < g.members_used && file.empty(); ++i) {
      if (parts[i] && parts[i]->size() == current.file_bytes && crc32c(*parts[i]) == current.file_crc) {
        file = *parts[i];
      }
    }
    if (file.empty() && current.file_bytes > 0) {
      return Status(StatusCode::kDataLoss, "no intact copy among the parts read");
    }
    return file;
  }
  FragmentSet present;
  std::vector<std::vector<std::byte>> fragments(scheme.width());
  for (uint32_t i = 0; i < scheme.width(); ++i) {
    if (parts[i] && parts[i]->size() == g.fragment_bytes) {
      fragments[i] = *parts[i];
      present.insert(i);
    } else {
      fragments[i].assign(g.fragment_bytes, std::byte{0});
    }
  }
  if (present.size() < scheme.k) {
    return Status(StatusCode::kDataLoss, "only " + std::to_string(present.size()) + " of the " +
                                             std::to_string(scheme.k) + " fragments needed");
  }
  FragmentSet wanted;
  for (uint32_t i = 0; i < scheme.k; ++i) {
    if (!present.contains(i)) wanted.insert(i);
  }
  if (!wanted.empty()) {
    std::vector<std::span<std::byte>> spans(fragments.begin(), fragments.end());
    if (Status st = codec_for(scheme).decode(spans, present, wanted); !st.is_ok()) return st;
  }
  file.reserve(current.file_bytes);
  for (uint32_t i = 0; i < scheme.k && file.size() < current.file_bytes; ++i) {
    const uint64_t take = std::min<uint64_t>(g.fragment_bytes, current.file_bytes - file.size());
    file.insert(file.end(), fragments[i].begin(), fragments[i].begin() + static_cast<ptrdiff_t>(take));
  }
  if (crc32c(file) != current.file_crc) {
    return corrupt("file rebuilt from fragments fails its checksum");
  }
  return file;
}

MemberCopy member_copy(const Result<FileRecord>& record) {
  MemberCopy c;
  if (record) {
    c = {MemberCopy::State::kPresent, record->version, record->mtime_ns, record->file_crc,
         record->file_bytes, record->tombstone};
  } else if (record.status().code() == StatusCode::kNotFound) {
    c.state = MemberCopy::State::kAbsent;
  } else if (record.status().code() == StatusCode::kCorrupt) {
    c.state = MemberCopy::State::kCorrupt;
  } else {
    c.state = MemberCopy::State::kUnreachable;
  }
  return c;
}

bool members_agree(const Scheme& scheme, std::span<const std::optional<FileRecord>> records) {
  CAIRN_ASSERT(records.size() == scheme.width());
  std::vector<MemberCopy> copies(records.size());
  for (size_t m = 0; m < records.size(); ++m) {
    if (records[m]) copies[m] = member_copy(*records[m]);
  }
  return plan_reconcile(scheme, copies).outcome == ReconcilePlan::Outcome::kInSync;
}

}  // namespace cairn
