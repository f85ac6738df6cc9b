// CRC-32C: the standard check values, agreement with a bitwise reference at
// every length around ISA-L's SIMD block sizes, and the incremental API.
#include "engine/checksum.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string_view>
#include <vector>

#include "engine/random.h"

namespace cairn {
namespace {

std::span<const std::byte> bytes_of(std::string_view s) {
  return std::as_bytes(std::span(s));
}

std::vector<std::byte> random_bytes(uint64_t seed, size_t n) {
  SplitMix64 rng(seed);
  std::vector<std::byte> out(n);
  for (auto& b : out) b = static_cast<std::byte>(rng.next() >> 56);
  return out;
}

// Bit-at-a-time CRC-32C, straight from the definition (reflected 0x82F63B78).
uint32_t reference_crc32c(std::span<const std::byte> bytes) {
  uint32_t crc = 0xFFFFFFFFU;
  for (std::byte b : bytes) {
    crc ^= std::to_integer<uint32_t>(b);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0x82F63B78U & (0U - (crc & 1U)));
  }
  return ~crc;
}

TEST(Crc32c, StandardCheckValue) {
  EXPECT_EQ(crc32c(bytes_of("123456789")), 0xE3069283U);
  EXPECT_EQ(crc32c({}), 0U);
}

// RFC 3720 (iSCSI) appendix B.4 test vectors.
TEST(Crc32c, Rfc3720Vectors) {
  std::vector<std::byte> buf(32);
  EXPECT_EQ(crc32c(buf), 0x8A9136AAU);  // 32 zero bytes
  std::memset(buf.data(), 0xFF, buf.size());
  EXPECT_EQ(crc32c(buf), 0x62A8AB43U);
  for (size_t i = 0; i < 32; ++i) buf[i] = static_cast<std::byte>(i);
  EXPECT_EQ(crc32c(buf), 0x46DD794EU);  // ascending
  for (size_t i = 0; i < 32; ++i) buf[i] = static_cast<std::byte>(31 - i);
  EXPECT_EQ(crc32c(buf), 0x113FDB5CU);  // descending
}

TEST(Crc32c, GoldenRandomBuffer) {
  // Pins the value of a SplitMix64-filled 4 KiB block, as stored in records.
  const auto buf = random_bytes(1, 4096);
  EXPECT_EQ(crc32c(buf), reference_crc32c(buf));
  EXPECT_EQ(crc32c(buf), 0x9C11164CU);
}

TEST(Crc32c, MatchesReferenceAtEveryLengthUpTo1100) {
  const auto buf = random_bytes(2, 1100);
  for (size_t n = 0; n <= buf.size(); ++n) {
    auto piece = std::span(buf).first(n);
    ASSERT_EQ(crc32c(piece), reference_crc32c(piece)) << "length " << n;
  }
}

TEST(Crc32c, MatchesReferenceOnLargeUnalignedBuffer) {
  const auto buf = random_bytes(3, (size_t{1} << 20) + 13);
  auto piece = std::span(buf).subspan(5);  // unaligned start
  EXPECT_EQ(crc32c(piece), reference_crc32c(piece));
}

TEST(Crc32c, ExtendEqualsWholeAtEverySplit) {
  const auto buf = random_bytes(4, 300);
  const uint32_t whole = crc32c(buf);
  for (size_t split = 0; split <= buf.size(); ++split) {
    auto head = std::span(buf).first(split);
    auto tail = std::span(buf).subspan(split);
    ASSERT_EQ(crc32c_extend(crc32c(head), tail), whole) << "split " << split;
  }
}

TEST(Crc32c, StreamingObjectEqualsWhole) {
  const auto buf = random_bytes(5, 10000);
  Crc32c crc;
  SplitMix64 rng(6);
  for (size_t at = 0; at < buf.size();) {
    size_t n = std::min<size_t>(buf.size() - at, rng.below(700));
    crc.update(std::span(buf).subspan(at, n));
    at += n;
  }
  EXPECT_EQ(crc.value(), crc32c(buf));
  crc.reset();
  EXPECT_EQ(crc.value(), 0U);
  crc.update(bytes_of("123456789"));
  EXPECT_EQ(crc.value(), 0xE3069283U);
}

TEST(Crc32c, DetectsEverySingleBitFlip) {
  auto buf = random_bytes(7, 256);
  const uint32_t good = crc32c(buf);
  for (size_t i = 0; i < buf.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      buf[i] ^= std::byte{1} << bit;
      ASSERT_NE(crc32c(buf), good) << "byte " << i << " bit " << bit;
      buf[i] ^= std::byte{1} << bit;
    }
  }
}

TEST(FileChecksum, IsCrc32cOfTheFileBytes) {
  const auto buf = random_bytes(8, 5000);
  EXPECT_EQ(file_checksum(buf), crc32c(buf));
  EXPECT_EQ(file_checksum(bytes_of("123456789")), 0xE3069283U);
}

}  // namespace
}  // namespace cairn
