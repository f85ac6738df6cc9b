// FileCodec: a file to its members' parts and back, by the engine's geometry.
#include "cluster-ref/formats/file_codec.h"

#include <gtest/gtest.h>

#include "engine/checksum.h"
#include "engine/random.h"

namespace cairn {
namespace {

std::vector<std::byte> random_file(size_t bytes, uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<std::byte> out(bytes);
  for (auto& b : out) b = static_cast<std::byte>(rng.next());
  return out;
}

std::vector<std::optional<std::vector<std::byte>>> as_read(const std::vector<MemberPart>& parts,
                                                           uint32_t width) {
  std::vector<std::optional<std::vector<std::byte>>> read(width);
  for (const MemberPart& p : parts) read[p.member] = std::vector<std::byte>(p.payload.begin(), p.payload.end());
  return read;
}

TEST(FileCodec, ReplicaPartsAreTheFileItself) {
  const auto file = random_file(300'000, 1);
  auto parts = encode_file(Scheme::replica(3), {7, 42, 100, 0}, file);
  ASSERT_TRUE(parts.is_ok());
  ASSERT_EQ(parts->size(), 3U);
  for (const MemberPart& p : *parts) {
    EXPECT_EQ(p.payload.data(), file.data());  // a view, not a copy
    EXPECT_EQ(p.record.payload_crc, crc32c(file));
    EXPECT_EQ(p.record.file_crc, crc32c(file));
    EXPECT_EQ(p.record.version, 42U);
    EXPECT_EQ(p.record.group, 7U);
  }
  auto read = as_read(*parts, 3);
  read[0].reset();
  read[1].reset();
  auto back = decode_file(Scheme::replica(3), (*parts)[2].record, read);
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(*back, file);
}

TEST(FileCodec, ErasureCodedFileSurvivesAnyMLosses) {
  const Scheme ec = Scheme::erasure(4, 2);
  const auto file = random_file(262'147, 2);
  auto parts = encode_file(ec, {1, 5, 0, 0}, file);
  ASSERT_TRUE(parts.is_ok());
  ASSERT_EQ(parts->size(), 6U);
  for (const MemberPart& p : *parts) {
    EXPECT_EQ(p.record.form, StorageForm::kErasureCoded);
    EXPECT_EQ(p.record.payload_crc, crc32c(p.payload));
    EXPECT_EQ(p.payload.data(), p.owned.data());
  }
  for (uint32_t a = 0; a < 6; ++a) {
    for (uint32_t b = a + 1; b < 6; ++b) {
      auto read = as_read(*parts, 6);
      read[a].reset();
      read[b].reset();
      auto back = decode_file(ec, (*parts)[0].record, read);
      ASSERT_TRUE(back.is_ok()) << a << "," << b;
      EXPECT_EQ(*back, file) << a << "," << b;
    }
  }
  auto read = as_read(*parts, 6);
  read[0].reset();
  read[1].reset();
  read[2].reset();
  EXPECT_EQ(decode_file(ec, (*parts)[0].record, read).status().code(), StatusCode::kDataLoss);
}

TEST(FileCodec, SmallFileUnderErasureCodeIsCopiedAsGeometrySays) {
  const auto file = random_file(1000, 3);
  auto parts = encode_file(Scheme::erasure(4, 2), {0, 1, 0, 0}, file);
  ASSERT_TRUE(parts.is_ok());
  ASSERT_EQ(parts->size(), 3U);  // m+1 copies on members 0..2 (engine/geometry.h)
  EXPECT_EQ((*parts)[2].record.form, StorageForm::kReplicated);
}

TEST(FileCodec, CorruptRebuildIsCaught) {
  const auto file = random_file(100'000, 4);
  auto parts = encode_file(Scheme::replica(2), {0, 1, 0, 0}, file);
  ASSERT_TRUE(parts.is_ok());
  auto read = as_read(*parts, 2);
  (*read[0])[10] ^= std::byte{1};
  (*read[1])[10] ^= std::byte{1};
  EXPECT_FALSE(decode_file(Scheme::replica(2), (*parts)[0].record, read).is_ok());
}

TEST(FileCodec, MemberCopyReadsRecordsAndErrors) {
  FileRecord r;
  r.version = 9;
  r.file_bytes = 5;
  EXPECT_EQ(member_copy(r).state, MemberCopy::State::kPresent);
  EXPECT_EQ(member_copy(r).version, 9U);
  EXPECT_EQ(member_copy(not_found("x")).state, MemberCopy::State::kAbsent);
  EXPECT_EQ(member_copy(corrupt("x")).state, MemberCopy::State::kCorrupt);
  EXPECT_EQ(member_copy(unavailable("x")).state, MemberCopy::State::kUnreachable);
}

TEST(FileCodec, MembersAgreeOnlyWhenReconcileHasNothingToDo) {
  const Scheme ec = Scheme::erasure(4, 2);
  const auto file = random_file(200'000, 5);
  auto parts = encode_file(ec, {0, 3, 0, 0}, file);
  ASSERT_TRUE(parts.is_ok());
  std::vector<std::optional<FileRecord>> row(6);
  for (const MemberPart& p : *parts) row[p.member] = p.record;
  EXPECT_TRUE(members_agree(ec, row));
  row[5].reset();  // a member lacks its fragment
  EXPECT_FALSE(members_agree(ec, row));
  row[5] = (*parts)[5].record;
  row[2]->mtime_ns += 1;  // same version, another write: not the same copy
  EXPECT_FALSE(members_agree(ec, row));
  EXPECT_TRUE(members_agree(ec, std::vector<std::optional<FileRecord>>(6)));  // nothing anywhere
}

}  // namespace
}  // namespace cairn
