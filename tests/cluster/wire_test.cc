// Wire framing: the 28-byte header pinned byte for byte, every header check,
// and the incremental decoder fed in every way a TCP stream can cut bytes.
#include "cluster-ref/formats/wire.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "cluster-ref/formats/bytes.h"
#include "engine/checksum.h"
#include "engine/random.h"
#include "tests/cluster/alloc_probe.h"
#include "tests/cluster/hex.h"

namespace cairn::wire {
namespace {

using cairn::testing::AllocationProbe;
using cairn::testing::bytes_of;
using cairn::testing::hex;
using HeaderBytes = std::array<std::byte, kHeaderBytes>;

// The seed for the randomised tests; printed so a failure can be replayed.
uint64_t test_seed() {
  static const uint64_t seed = [] {
    const char* env = std::getenv("CAIRN_TEST_SEED");
    uint64_t s = env != nullptr ? std::strtoull(env, nullptr, 0) : 0x5EEDF4A3EULL;
    std::cout << "wire_test seed=" << s << " (replay with CAIRN_TEST_SEED=" << s << ")\n";
    return s;
  }();
  return seed;
}

// A header with one field rewritten and its CRC made valid again, so that the
// check under test is the one that fires.
template <class T>
HeaderBytes patched(HeaderBytes header, size_t offset, T value) {
  bytes::store_le<T>(header, offset, value);
  bytes::store_le<uint32_t>(header, 24, crc32c(std::span(header).first(24)));
  return header;
}

HeaderBytes ping_header() { return encode_header(MsgType::kPing, 1, {}); }

// Version 1. Changing this breaks every node and client already deployed:
// bump kWireVersion instead. The CRCs were checked against an independent
// bitwise CRC-32C (crc32c("abc") is the published 0x364b3fb7).
TEST(WireHeader, GoldenPutFrame) {
  const auto payload = bytes_of("abc");
  EXPECT_EQ(hex(encode_frame(MsgType::kPut, 0x0102030405060708ULL, payload)),
            "43524e57" "01" "05" "0000"  // "CRNW", version 1, type put (5), flags
            "0807060504030201"           // request id 0x0102030405060708
            "03000000"                   // payload length 3
            "b73f4b36"                   // payload CRC 0x364b3fb7
            "41c744c9"                   // header CRC of bytes 0..23
            "616263");                   // "abc"
  EXPECT_EQ(hex(encode_header(MsgType::kPut, 0x0102030405060708ULL, payload)),
            hex(encode_frame(MsgType::kPut, 0x0102030405060708ULL, payload)).substr(0, 56));
}

TEST(WireHeader, GoldenEmptyPingFrame) {
  EXPECT_EQ(hex(encode_frame(MsgType::kPing, 1, {})),
            "43524e57" "01" "0f" "0000"  // "CRNW", version 1, type ping (15), flags
            "0100000000000000"           // request id 1
            "00000000"                   // payload length 0
            "00000000"                   // CRC-32C of nothing is 0
            "2df0120e");                 // header CRC
}

TEST(WireHeader, DecodesWhatItEncodes) {
  const auto payload = bytes_of("hello");
  const auto header = encode_header(MsgType::kReadReply, 0xfedcba9876543210ULL, payload);
  auto h = decode_header(header);
  ASSERT_TRUE(h.is_ok()) << h.status().message();
  EXPECT_EQ(h->type, MsgType::kReadReply);
  EXPECT_EQ(h->request_id, 0xfedcba9876543210ULL);
  EXPECT_EQ(h->payload_bytes, 5U);
  EXPECT_EQ(h->payload_crc, crc32c(payload));
  EXPECT_TRUE(check_payload(*h, payload).is_ok());
}

TEST(WireHeader, EveryFlippedBitIsRejected) {
  const auto good = encode_header(MsgType::kPut, 77, bytes_of("payload"));
  for (size_t bit = 0; bit < kHeaderBytes * 8; ++bit) {
    auto bad = good;
    bad[bit / 8] ^= std::byte{static_cast<unsigned char>(1U << (bit % 8))};
    EXPECT_FALSE(decode_header(bad).is_ok()) << "bit " << bit;
  }
}

TEST(WireHeader, RefusesAnOversizedLengthWithoutAllocating) {
  const auto huge = patched<uint32_t>(ping_header(), 16, 0xFFFFFFFF);
  AllocationProbe probe;
  auto h = decode_header(huge);
  EXPECT_EQ(h.status().code(), StatusCode::kRefused) << h.status().message();
  EXPECT_LT(probe.largest_bytes(), 1024U);
}

TEST(WireHeader, LengthLimitIsInclusive) {
  EXPECT_TRUE(decode_header(patched<uint32_t>(ping_header(), 16, kPayloadBytesMax)).is_ok());
  EXPECT_EQ(decode_header(patched<uint32_t>(ping_header(), 16, kPayloadBytesMax + 1))
                .status().code(),
            StatusCode::kRefused);
  const auto small = patched<uint32_t>(ping_header(), 16, 4096);
  EXPECT_TRUE(decode_header(small, 4096).is_ok());
  EXPECT_EQ(decode_header(small, 4095).status().code(), StatusCode::kRefused);
}

TEST(WireHeader, RejectsUnknownTypeVersionAndFlags) {
  for (uint8_t type : std::initializer_list<uint8_t>{0, kMsgTypeMax + 1, 255}) {
    auto h = decode_header(patched<uint8_t>(ping_header(), 5, type));
    EXPECT_EQ(h.status().code(), StatusCode::kInvalidArgument) << int{type};
    EXPECT_NE(h.status().message().find("unknown message type"), std::string::npos);
  }
  for (uint8_t type = 1; type <= kMsgTypeMax; ++type) {
    EXPECT_TRUE(decode_header(patched<uint8_t>(ping_header(), 5, type)).is_ok()) << int{type};
  }
  EXPECT_EQ(decode_header(patched<uint8_t>(ping_header(), 4, 2)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(decode_header(patched<uint16_t>(ping_header(), 6, 0x8000)).status().code(),
            StatusCode::kInvalidArgument);
  auto bad_magic = patched<uint8_t>(ping_header(), 3, 'X');
  EXPECT_EQ(decode_header(bad_magic).status().code(), StatusCode::kCorrupt);
}

TEST(WirePayload, RejectsWrongLengthOrCrc) {
  const auto payload = bytes_of("0123456789");
  auto h = decode_header(encode_header(MsgType::kPut, 3, payload));
  ASSERT_TRUE(h.is_ok());
  EXPECT_EQ(check_payload(*h, std::span(payload).first(9)).code(), StatusCode::kCorrupt);
  auto longer = payload;
  longer.push_back(std::byte{0});
  EXPECT_EQ(check_payload(*h, longer).code(), StatusCode::kCorrupt);
  auto flipped = payload;
  flipped[4] ^= std::byte{0x10};
  EXPECT_EQ(check_payload(*h, flipped).code(), StatusCode::kCorrupt);
}

// ---- FrameDecoder ----

std::vector<Frame> random_frames(SplitMix64& rng, size_t count) {
  std::vector<Frame> frames(count);
  for (Frame& f : frames) {
    f.type = static_cast<MsgType>(1 + rng.below(kMsgTypeMax));
    f.request_id = rng.next();
    // Mostly small, as on a real connection, sometimes past 64 KiB.
    const size_t size = rng.below(8) == 0 ? rng.below(70'000) : rng.below(300);
    f.payload.resize(size);
    for (std::byte& b : f.payload) b = static_cast<std::byte>(rng.next());
  }
  return frames;
}

std::vector<std::byte> stream_of(const std::vector<Frame>& frames) {
  std::vector<std::byte> out;
  for (const Frame& f : frames) {
    const auto bytes = encode_frame(f.type, f.request_id, f.payload);
    out.insert(out.end(), bytes.begin(), bytes.end());
  }
  return out;
}

struct Decoded {
  std::vector<Frame> frames;
  Status error;
  size_t buffered_bytes_max = 0;  // after each drain
};

// Feeds `stream` in pieces of the sizes `chunk_bytes` returns and drains
// next() after every piece, as a connection's read loop does.
Decoded decode_stream(FrameDecoder& decoder, std::span<const std::byte> stream,
                      const std::function<size_t()>& chunk_bytes) {
  Decoded out;
  size_t offset = 0;
  while (offset < stream.size()) {
    const size_t n = std::min(chunk_bytes(), stream.size() - offset);
    decoder.feed(stream.subspan(offset, n));
    offset += n;
    for (;;) {
      auto next = decoder.next();
      if (!next) {
        out.error = next.status();
        return out;
      }
      if (!next->has_value()) break;
      out.frames.push_back(std::move(**next));
    }
    out.buffered_bytes_max = std::max(out.buffered_bytes_max, decoder.buffered_bytes());
  }
  return out;
}

void expect_same_frames(const std::vector<Frame>& got, const std::vector<Frame>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].type, want[i].type) << "frame " << i;
    EXPECT_EQ(got[i].request_id, want[i].request_id) << "frame " << i;
    EXPECT_TRUE(got[i].payload == want[i].payload) << "frame " << i;
  }
}

size_t largest_payload(const std::vector<Frame>& frames) {
  size_t largest = 0;
  for (const Frame& f : frames) largest = std::max(largest, f.payload.size());
  return largest;
}

TEST(FrameDecoder, OneByteAtATime) {
  SplitMix64 rng(test_seed());
  const auto frames = random_frames(rng, 40);
  const auto stream = stream_of(frames);
  FrameDecoder decoder;
  auto out = decode_stream(decoder, stream, [] { return size_t{1}; });
  ASSERT_TRUE(out.error.is_ok()) << out.error.message();
  expect_same_frames(out.frames, frames);
  EXPECT_EQ(decoder.buffered_bytes(), 0U);
  EXPECT_LT(out.buffered_bytes_max, std::max(largest_payload(frames), kHeaderBytes));
}

TEST(FrameDecoder, RandomChunkSizes) {
  SplitMix64 rng(test_seed() + 1);
  for (int round = 0; round < 50; ++round) {
    const auto frames = random_frames(rng, 1 + rng.below(20));
    const auto stream = stream_of(frames);
    const uint64_t chunk_max = 1 + rng.below(100'000);
    FrameDecoder decoder;
    auto out = decode_stream(decoder, stream, [&] { return 1 + rng.below(chunk_max); });
    ASSERT_TRUE(out.error.is_ok()) << "round " << round << ": " << out.error.message();
    expect_same_frames(out.frames, frames);
    EXPECT_EQ(decoder.buffered_bytes(), 0U);
    // Drained after every feed: at most one frame's payload stays behind.
    EXPECT_LE(out.buffered_bytes_max, largest_payload(frames) + kHeaderBytes);
  }
}

TEST(FrameDecoder, ManyFramesInOneFeed) {
  SplitMix64 rng(test_seed() + 2);
  const auto frames = random_frames(rng, 500);
  const auto stream = stream_of(frames);
  FrameDecoder decoder;
  auto out = decode_stream(decoder, stream, [&] { return stream.size(); });
  ASSERT_TRUE(out.error.is_ok()) << out.error.message();
  expect_same_frames(out.frames, frames);
}

TEST(FrameDecoder, WaitsForATruncatedPayload) {
  std::vector<std::byte> payload(100, std::byte{0x5a});
  const auto frame = encode_frame(MsgType::kStore, 9, payload);
  FrameDecoder decoder;
  decoder.feed(std::span(frame).first(kHeaderBytes + 50));
  auto none = decoder.next();
  ASSERT_TRUE(none.is_ok()) << none.status().message();
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(decoder.buffered_bytes(), 50U);  // the header is checked and kept parsed
  decoder.feed(std::span(frame).subspan(kHeaderBytes + 50));
  auto one = decoder.next();
  ASSERT_TRUE(one.is_ok() && one->has_value());
  EXPECT_TRUE((*one)->payload == payload);
}

TEST(FrameDecoder, RefusesAHostileLengthBeforeItsPayload) {
  FrameDecoder decoder(4096);
  const auto header = patched<uint32_t>(ping_header(), 16, 1U << 20);
  AllocationProbe probe;
  decoder.feed(header);
  auto next = decoder.next();
  EXPECT_EQ(next.status().code(), StatusCode::kRefused);
  EXPECT_EQ(decoder.buffered_bytes(), 0U);
  EXPECT_LT(probe.largest_bytes(), 1024U);
}

// A length within the limit costs only the bytes that really arrive.
TEST(FrameDecoder, NeverAllocatesADeclaredLength) {
  FrameDecoder decoder;
  auto header = patched<uint32_t>(ping_header(), 16, kPayloadBytesMax);
  AllocationProbe probe;
  decoder.feed(header);
  decoder.feed(bytes_of("just ten b"));
  auto next = decoder.next();
  ASSERT_TRUE(next.is_ok()) << next.status().message();
  EXPECT_FALSE(next->has_value());
  EXPECT_EQ(decoder.buffered_bytes(), 10U);
  EXPECT_LT(probe.largest_bytes(), 1024U);
}

TEST(FrameDecoder, AnErrorIsForever) {
  auto stream = encode_frame(MsgType::kPing, 1, {});
  auto second = encode_frame(MsgType::kPut, 2, bytes_of("data"));
  second[kHeaderBytes + 1] ^= std::byte{1};  // payload CRC mismatch
  stream.insert(stream.end(), second.begin(), second.end());

  FrameDecoder decoder;
  decoder.feed(stream);
  auto first = decoder.next();
  ASSERT_TRUE(first.is_ok() && first->has_value());
  auto bad = decoder.next();
  ASSERT_EQ(bad.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(decoder.buffered_bytes(), 0U);

  decoder.feed(encode_frame(MsgType::kPing, 3, {}));
  for (int i = 0; i < 3; ++i) {
    auto again = decoder.next();
    EXPECT_EQ(again.status().code(), StatusCode::kCorrupt);
    EXPECT_EQ(again.status().message(), bad.status().message());
  }
  EXPECT_EQ(decoder.buffered_bytes(), 0U);
}

TEST(FrameDecoder, RejectsGarbageAsSoonAsAHeaderIsIn) {
  FrameDecoder decoder;
  std::vector<std::byte> garbage(kHeaderBytes - 1, std::byte{'G'});
  decoder.feed(garbage);
  auto wait = decoder.next();
  ASSERT_TRUE(wait.is_ok());
  EXPECT_FALSE(wait->has_value());
  decoder.feed(bytes_of("G"));
  EXPECT_EQ(decoder.next().status().code(), StatusCode::kCorrupt);
}

TEST(MsgTypeNames, EveryTypeHasItsOwnName) {
  std::vector<std::string> names;
  for (uint8_t t = 1; t <= kMsgTypeMax; ++t) {
    std::string name = to_string(static_cast<MsgType>(t));
    EXPECT_NE(name, "unknown") << int{t};
    EXPECT_EQ(std::count(names.begin(), names.end(), name), 0) << name;
    names.push_back(name);
  }
  EXPECT_STREQ(to_string(static_cast<MsgType>(0)), "unknown");
  EXPECT_STREQ(to_string(static_cast<MsgType>(kMsgTypeMax + 1)), "unknown");
  EXPECT_STREQ(to_string(MsgType::kListReply), "list-reply");
}

}  // namespace
}  // namespace cairn::wire
