// FileRecord: the 64-byte on-disk and on-wire record, pinned byte for byte.
#include "cluster-ref/formats/record.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/cluster/hex.h"
#include "tests/cluster/sample_record.h"

namespace cairn {
namespace {

FileRecord sample() { return testing::sample_record(); }

// Format version 1. If this changes, every disk ever written becomes
// unreadable: bump kRecordFormatVersion and keep a decoder for version 1.
TEST(FileRecord, GoldenBytes) {
  EXPECT_EQ(testing::hex(encode_record(sample())),
            "43524543" "0100" "00" "04" "01" "04" "02" "00" "07000000"  // magic .. group
            "7b00ca67a7fc7a18" "0000040000000000"                    // version, file bytes
            "0000ca67a7fc7a18" "0000000000000000"                    // mtime, retain until
            "efbeadde" "67452301" "00000100" "52abdddb");
}

TEST(FileRecord, RoundTrips) {
  FileRecord r = sample();
  auto bytes = encode_record(r);
  auto back = decode_record(bytes);
  ASSERT_TRUE(back.is_ok()) << back.status().message();
  EXPECT_EQ(*back, r);

  FileRecord tomb;
  tomb.tombstone = true;
  tomb.scheme = Scheme::replica(3);
  tomb.member = 2;
  tomb.version = 9;
  auto t = decode_record(encode_record(tomb));
  ASSERT_TRUE(t.is_ok()) << t.status().message();
  EXPECT_EQ(*t, tomb);
}

TEST(FileRecord, EveryFlippedBitIsCaught) {
  const auto good = encode_record(sample());
  for (size_t bit = 0; bit < kRecordBytes * 8; ++bit) {
    auto bad = good;
    bad[bit / 8] ^= std::byte{static_cast<unsigned char>(1U << (bit % 8))};
    EXPECT_FALSE(decode_record(bad).is_ok()) << "bit " << bit;
  }
}

TEST(FileRecord, RejectsWrongLengthAndContradictions) {
  const auto good = encode_record(sample());
  EXPECT_EQ(decode_record(std::span(good).first(63)).status().code(), StatusCode::kCorrupt);

  FileRecord r = sample();
  r.member = 6;  // ec:4+2 has members 0..5
  EXPECT_EQ(decode_record(encode_record(r)).status().code(), StatusCode::kInvalidArgument);

  r = sample();
  r.tombstone = true;  // with payload_bytes 65536
  EXPECT_EQ(decode_record(encode_record(r)).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cairn
