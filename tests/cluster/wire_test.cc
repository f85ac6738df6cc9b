// Wire framing: version 2's 68-byte header and version 1's 28-byte header
// pinned byte for byte, the handshake's session key and tags pinned against
// an independent HMAC-SHA256 (Python's hmac), every header check, a
// Session's refusals (another key, another connection, a repeated frame),
// and the incremental decoder fed in every way a TCP stream can cut bytes.
#include "cluster-ref/formats/wire.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "cluster-ref/formats/auth.h"
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
using HeaderBytes = std::array<std::byte, kHeaderBytesV1>;  // version 1

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

// A version 1 header with one field rewritten and its CRC made valid again,
// so that the check under test is the one that fires.
template <class T>
HeaderBytes patched(HeaderBytes header, size_t offset, T value) {
  bytes::store_le<T>(header, offset, value);
  bytes::store_le<uint32_t>(header, 24, crc32c(std::span(header).first(24)));
  return header;
}

HeaderBytes ping_header() { return encode_header_v1(MsgType::kPing, 1, 0, 0); }

std::array<std::byte, kHeaderBytesV1> header_v1(MsgType type, uint64_t id, std::span<const std::byte> payload) {
  return encode_header_v1(type, id, static_cast<uint32_t>(payload.size()), crc32c(payload));
}

Header header_v2(MsgType type, uint64_t id, std::span<const std::byte> payload, uint64_t sequence = 0) {
  Header h;
  h.type = type;
  h.request_id = id;
  h.payload_bytes = static_cast<uint32_t>(payload.size());
  h.payload_crc = crc32c(payload);
  h.sequence = sequence;
  for (size_t i = 0; i < kTagBytes; ++i) h.tag[i] = static_cast<std::byte>(i);
  return h;
}

template <size_t N>
std::array<std::byte, N> counting(uint8_t from) {
  std::array<std::byte, N> out{};
  for (size_t i = 0; i < N; ++i) out[i] = static_cast<std::byte>(from + i);
  return out;
}

// Version 2. Changing this breaks every node and client already deployed:
// bump kWireVersion instead. Computed independently (a bitwise CRC-32C and
// Python's hmac/hashlib).
TEST(WireHeaderV2, GoldenPutFrame) {
  const auto payload = bytes_of("abc");
  EXPECT_EQ(hex(encode_frame(header_v2(MsgType::kPut, 0x0102030405060708ULL, payload, 5), payload)),
            "43524e57" "02" "05" "0000"  // "CRNW", version 2, type put (5), flags
            "0807060504030201"           // request id 0x0102030405060708
            "03000000"                   // payload length 3
            "b73f4b36"                   // payload CRC 0x364b3fb7
            "0500000000000000"           // sequence 5
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"  // tag (as given)
            "1b00df95"                   // header CRC of bytes 0..63
            "616263");                   // "abc"
}

// The handshake under a fixed secret and fixed nonces: the session key and
// the tags of the connector's hello and the acceptor's first reply.
TEST(WireHeaderV2, GoldenHandshakeAndTags) {
  const auto secret = counting<kSecretBytes>(0x00);
  const auto acceptor = counting<kNonceBytes>(0x20);
  const auto connector = counting<kNonceBytes>(0x40);
  const Secret key = session_key(secret, acceptor, connector);
  EXPECT_EQ(hex(key), "61066197793ea2b9e4f4eee6e84bc8c53fe1d2fb4f06b32b27fff332257dfe25");
  Header challenge;
  challenge.type = MsgType::kChallenge;
  EXPECT_EQ(hex(encode_frame(challenge, Handshake{acceptor}.encode())),
            "43524e57" "02" "29" "0000" "0000000000000000" "20000000" "fd52b0a1" "0000000000000000"
            "0000000000000000000000000000000000000000000000000000000000000000"  // no tag
            "a12bb701"
            "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
  Session connector_side(key, Role::kConnector);
  EXPECT_EQ(hex(connector_side.frame(MsgType::kHello, 0, Handshake{connector}.encode())),
            "43524e57" "02" "28" "0000" "0000000000000000" "20000000" "d958eb8d" "0000000000000000"
            "5b18ef58672dfc38d5db2407344c16a32cfd24839b6e5214f78c229a28290870"  // tag, 'C'
            "b9b016fd"
            "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f");
  Session acceptor_side(key, Role::kAcceptor);
  EXPECT_EQ(hex(acceptor_side.frame(MsgType::kPong, 1, {})),
            "43524e57" "02" "10" "0000" "0100000000000000" "00000000" "00000000" "0100000000000000"
            "f13e103036f53ec90ece19dad0aa247b0b0059db1d1f35181295298bb0592116"  // tag, 'S', sequence 1
            "9f63a6ba");
}

TEST(WireHeaderV2, DecodesWhatItEncodes) {
  const auto payload = bytes_of("hello");
  const auto header = encode_header(header_v2(MsgType::kReadReply, 0xfedcba9876543210ULL, payload, 77));
  auto h = decode_header(header);
  ASSERT_TRUE(h.is_ok()) << h.status().message();
  EXPECT_EQ(h->version, 2);
  EXPECT_EQ(h->type, MsgType::kReadReply);
  EXPECT_EQ(h->request_id, 0xfedcba9876543210ULL);
  EXPECT_EQ(h->payload_bytes, 5U);
  EXPECT_EQ(h->payload_crc, crc32c(payload));
  EXPECT_EQ(h->sequence, 77U);
  EXPECT_TRUE(h->tag == header_v2(MsgType::kPing, 0, {}).tag);
  EXPECT_TRUE(check_payload(*h, payload).is_ok());
  EXPECT_EQ(header_size(header).value(), kHeaderBytes);
}

TEST(WireHeaderV2, EveryFlippedBitIsRejected) {
  const auto payload = bytes_of("payload");
  const auto good = encode_header(header_v2(MsgType::kPut, 77, payload, 3));
  for (size_t bit = 0; bit < kHeaderBytes * 8; ++bit) {
    auto bad = good;
    bad[bit / 8] ^= std::byte{static_cast<unsigned char>(1U << (bit % 8))};
    // A flip in the version byte may turn it into a version 1 header (shorter):
    // header_size() says so, and the prefix then fails version 1's CRC.
    auto size = header_size(bad);
    if (!size) continue;
    EXPECT_FALSE(decode_header(std::span<const std::byte>(bad).first(*size)).is_ok()) << "bit " << bit;
  }
}

TEST(WireHeaderV2, HandshakeTypesAreKnownAndNamed) {
  EXPECT_TRUE(decode_header(encode_header(header_v2(MsgType::kHello, 0, {}))).is_ok());
  EXPECT_TRUE(decode_header(encode_header(header_v2(MsgType::kChallenge, 0, {}))).is_ok());
  EXPECT_STREQ(to_string(MsgType::kHello), "hello");
  EXPECT_STREQ(to_string(MsgType::kChallenge), "challenge");
  EXPECT_FALSE(Handshake::decode(bytes_of("short")).is_ok());
}

// ---- Session: tags and sequence numbers ----

struct Pair {
  Session connector;
  Session acceptor;
};

Pair session_pair(uint8_t secret_from, uint8_t nonce_from) {
  const Secret key =
      session_key(counting<kSecretBytes>(secret_from), counting<kNonceBytes>(nonce_from), counting<kNonceBytes>(99));
  return {Session(key, Role::kConnector), Session(key, Role::kAcceptor)};
}

Status open_frame(Session& at, std::span<const std::byte> frame) {
  auto h = decode_header(frame.first(kHeaderBytes));
  if (!h) return h.status();
  return at.open(*h, frame.subspan(kHeaderBytes));
}

TEST(Session, OpensWhatTheOtherSideSeals) {
  auto [c, a] = session_pair(1, 2);
  for (uint64_t i = 0; i < 5; ++i) {
    const auto payload = bytes_of("request " + std::to_string(i));
    EXPECT_TRUE(open_frame(a, c.frame(MsgType::kPut, i, payload)).is_ok()) << i;
    EXPECT_TRUE(open_frame(c, a.frame(MsgType::kPutReply, i, payload)).is_ok()) << i;
  }
  EXPECT_EQ(a.next_receive(), 5U);
  EXPECT_EQ(c.next_receive(), 6U);  // the acceptor's challenge was 0
}

TEST(Session, RefusesAFrameUnderAnotherSecret) {
  auto [c, a] = session_pair(1, 2);
  auto [other_c, other_a] = session_pair(7, 2);
  const Status st = open_frame(a, other_c.frame(MsgType::kPut, 0, bytes_of("x")));
  EXPECT_EQ(st.code(), StatusCode::kRefused);
  EXPECT_NE(st.message().find("fails its tag"), std::string::npos) << st.message();
  EXPECT_TRUE(open_frame(a, c.frame(MsgType::kPut, 0, bytes_of("x"))).is_ok());  // the right one still opens
}

TEST(Session, RefusesAFrameOfAnotherConnection) {
  auto [c, a] = session_pair(1, 2);
  auto [c2, a2] = session_pair(1, 3);  // same secret, another acceptor nonce
  EXPECT_EQ(open_frame(a2, c.frame(MsgType::kDelete, 0, bytes_of("/a"))).code(), StatusCode::kRefused);
}

TEST(Session, RefusesARepeatedOrReorderedFrame) {
  auto [c, a] = session_pair(1, 2);
  const auto first = c.frame(MsgType::kDelete, 1, bytes_of("/a"));
  const auto second = c.frame(MsgType::kDelete, 2, bytes_of("/b"));
  EXPECT_EQ(open_frame(a, second).code(), StatusCode::kRefused);  // 1 before 0
  ASSERT_TRUE(open_frame(a, first).is_ok());
  const Status again = open_frame(a, first);
  EXPECT_EQ(again.code(), StatusCode::kRefused);
  EXPECT_NE(again.message().find("replayed"), std::string::npos) << again.message();
  EXPECT_TRUE(open_frame(a, second).is_ok());
}

TEST(Session, RefusesItsOwnFrameReflected) {
  auto [c, a] = session_pair(1, 2);
  (void)c.frame(MsgType::kPing, 0, {});
  const auto mine = c.frame(MsgType::kPing, 1, {});
  // Sent back to the connector as the acceptor's frame 1: only the direction
  // byte under the tag differs, and that is enough.
  const Status st = open_frame(c, mine);
  EXPECT_EQ(st.code(), StatusCode::kRefused);
  EXPECT_NE(st.message().find("fails its tag"), std::string::npos) << st.message();
  EXPECT_TRUE(open_frame(a, c.frame(MsgType::kPing, 2, {})).code() == StatusCode::kRefused);  // a expects 0
}

TEST(Session, RefusesVersion1) {
  auto [c, a] = session_pair(1, 2);
  const auto v1 = encode_frame_v1(MsgType::kDelete, 1, bytes_of("/a"));
  auto h = decode_header(std::span<const std::byte>(v1).first(kHeaderBytesV1));
  ASSERT_TRUE(h.is_ok());
  EXPECT_EQ(h->version, 1);
  const Status st = a.open(*h, std::span<const std::byte>(v1).subspan(kHeaderBytesV1));
  EXPECT_EQ(st.code(), StatusCode::kRefused);
  EXPECT_NE(st.message().find("version 1"), std::string::npos) << st.message();
}

// Version 1, still decoded (formats are forever), never served. The CRCs
// were checked against an independent bitwise CRC-32C (crc32c("abc") is the
// published 0x364b3fb7).
TEST(WireHeader, GoldenPutFrame) {
  const auto payload = bytes_of("abc");
  EXPECT_EQ(hex(encode_frame_v1(MsgType::kPut, 0x0102030405060708ULL, payload)),
            "43524e57" "01" "05" "0000"  // "CRNW", version 1, type put (5), flags
            "0807060504030201"           // request id 0x0102030405060708
            "03000000"                   // payload length 3
            "b73f4b36"                   // payload CRC 0x364b3fb7
            "41c744c9"                   // header CRC of bytes 0..23
            "616263");                   // "abc"
  EXPECT_EQ(hex(header_v1(MsgType::kPut, 0x0102030405060708ULL, payload)),
            hex(encode_frame_v1(MsgType::kPut, 0x0102030405060708ULL, payload)).substr(0, 56));
}

TEST(WireHeader, GoldenEmptyPingFrame) {
  EXPECT_EQ(hex(encode_frame_v1(MsgType::kPing, 1, {})),
            "43524e57" "01" "0f" "0000"  // "CRNW", version 1, type ping (15), flags
            "0100000000000000"           // request id 1
            "00000000"                   // payload length 0
            "00000000"                   // CRC-32C of nothing is 0
            "2df0120e");                 // header CRC
}

TEST(WireHeader, DecodesWhatItEncodes) {
  const auto payload = bytes_of("hello");
  const auto header = header_v1(MsgType::kReadReply, 0xfedcba9876543210ULL, payload);
  auto h = decode_header(header);
  ASSERT_TRUE(h.is_ok()) << h.status().message();
  EXPECT_EQ(h->version, 1);
  EXPECT_EQ(h->type, MsgType::kReadReply);
  EXPECT_EQ(h->request_id, 0xfedcba9876543210ULL);
  EXPECT_EQ(h->payload_bytes, 5U);
  EXPECT_EQ(h->payload_crc, crc32c(payload));
  EXPECT_TRUE(check_payload(*h, payload).is_ok());
}

TEST(WireHeader, EveryFlippedBitIsRejected) {
  const auto good = header_v1(MsgType::kPut, 77, bytes_of("payload"));
  for (size_t bit = 0; bit < kHeaderBytesV1 * 8; ++bit) {
    auto bad = good;
    bad[bit / 8] ^= std::byte{static_cast<unsigned char>(1U << (bit % 8))};
    auto size = header_size(bad);
    if (size && *size != kHeaderBytesV1) continue;  // now says version 2: longer, checked by its CRC
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
  for (uint8_t type : std::initializer_list<uint8_t>{0, 39, 42, 255}) {
    auto h = decode_header(patched<uint8_t>(ping_header(), 5, type));
    EXPECT_EQ(h.status().code(), StatusCode::kInvalidArgument) << int{type};
    EXPECT_NE(h.status().message().find("unknown message type"), std::string::npos);
  }
  for (uint8_t type = 1; type <= kMsgTypeMax; ++type) {
    EXPECT_TRUE(decode_header(patched<uint8_t>(ping_header(), 5, type)).is_ok()) << int{type};
  }
  EXPECT_EQ(decode_header(patched<uint8_t>(ping_header(), 4, 3)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(header_size(patched<uint8_t>(ping_header(), 4, 0)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(decode_header(patched<uint16_t>(ping_header(), 6, 0x8000)).status().code(),
            StatusCode::kInvalidArgument);
  auto bad_magic = patched<uint8_t>(ping_header(), 3, 'X');
  EXPECT_EQ(decode_header(bad_magic).status().code(), StatusCode::kCorrupt);
}

TEST(WirePayload, RejectsWrongLengthOrCrc) {
  const auto payload = bytes_of("0123456789");
  auto h = decode_header(header_v1(MsgType::kPut, 3, payload));
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
    // Both versions, as in a capture that spans an upgrade.
    f.version = rng.below(2) == 0 ? 1 : 2;
    f.type = static_cast<MsgType>(1 + rng.below(kMsgTypeMax));
    f.request_id = rng.next();
    if (f.version == 2) {
      f.sequence = rng.next();
      for (std::byte& b : f.tag) b = static_cast<std::byte>(rng.next());
    }
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
    Header h;
    h.type = f.type;
    h.request_id = f.request_id;
    h.sequence = f.sequence;
    h.tag = f.tag;
    const auto bytes = f.version == 1 ? encode_frame_v1(f.type, f.request_id, f.payload) : encode_frame(h, f.payload);
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
    EXPECT_EQ(got[i].version, want[i].version) << "frame " << i;
    EXPECT_EQ(got[i].sequence, want[i].sequence) << "frame " << i;
    EXPECT_TRUE(got[i].tag == want[i].tag) << "frame " << i;
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
  const auto frame = encode_frame(header_v2(MsgType::kStore, 9, payload), payload);
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
  auto stream = encode_frame_v1(MsgType::kPing, 1, {});
  auto second = encode_frame(header_v2(MsgType::kPut, 2, {}), bytes_of("data"));
  second[kHeaderBytes + 1] ^= std::byte{1};  // payload CRC mismatch
  stream.insert(stream.end(), second.begin(), second.end());

  FrameDecoder decoder;
  decoder.feed(stream);
  auto first = decoder.next();
  ASSERT_TRUE(first.is_ok() && first->has_value());
  auto bad = decoder.next();
  ASSERT_EQ(bad.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(decoder.buffered_bytes(), 0U);

  decoder.feed(encode_frame_v1(MsgType::kPing, 3, {}));
  for (int i = 0; i < 3; ++i) {
    auto again = decoder.next();
    EXPECT_EQ(again.status().code(), StatusCode::kCorrupt);
    EXPECT_EQ(again.status().message(), bad.status().message());
  }
  EXPECT_EQ(decoder.buffered_bytes(), 0U);
}

TEST(FrameDecoder, RejectsGarbageAsSoonAsAHeaderIsIn) {
  FrameDecoder decoder;
  std::vector<std::byte> garbage(kHeaderBytesV1 - 1, std::byte{'G'});
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
