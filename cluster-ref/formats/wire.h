// Wire framing of the Cairn protocol (version kWireVersion = 2): how one
// message travels on a TCP stream between clients and nodes and between nodes.
//
// Version 2 (what this build sends): a fixed 68-byte header followed by the
// payload, little-endian:
//
//   off size field
//    0   4   magic, the bytes "CRNW"
//    4   1   wire version, 2
//    5   1   message type (MsgType, cluster-ref/formats/messages.h)
//    6   2   flags, must be 0
//    8   8   request id (a reply carries its request's id)
//   16   4   payload length in bytes, at most the receiver's limit
//   20   4   CRC-32C of the payload (engine/checksum.h)
//   24   8   sequence number: 0, 1, 2 ... per connection and direction
//   32  32   tag: HMAC-SHA256 under the connection's session key (auth.h) of
//            one direction byte ('C' connector to acceptor, 'S' acceptor to
//            connector), header bytes 0..31, and the payload
//   64   4   CRC-32C of header bytes 0..63
//
// A connection starts with a handshake: the acceptor sends kChallenge (its
// nonce; sequence 0, tag all zero: it proves nothing), the connector answers
// kHello (its own nonce; sequence 0, tagged). The session key is
// HMAC-SHA256(cluster secret, "cairn wire 2 session" || acceptor nonce ||
// connector nonce), so a frame captured on one connection fails its tag on
// any other, and the sequence number refuses a frame repeated on its own.
// auth.h computes and checks tags; this file only lays the bytes out.
//
// Version 1 (28-byte header: bytes 0..23 as above, then the CRC-32C of
// bytes 0..23 at 24) is still decoded, e.g. by tools reading old captures,
// but it carries no proof of the secret and nodes never serve it.
//
// A receiver checks the header (magic, version, flags, known type, length
// limit, header CRC) before it reads or allocates any payload, so a hostile
// length never costs memory; then it checks the payload CRC. Any failure is a
// Status naming the reason, after which the connection is closed: a stream
// that lost framing cannot be resynchronised safely. The byte layouts are
// pinned by golden vectors in tests/cluster/wire_test.cc.
//
// Pure functions and a decoder object; no I/O. A FrameDecoder is not
// thread-safe; use one per connection.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "cluster-ref/formats/messages.h"
#include "engine/status.h"

namespace cairn::wire {

inline constexpr uint8_t kWireVersion = 2;
inline constexpr size_t kHeaderBytesV1 = 28;
inline constexpr size_t kHeaderBytes = 68;  // version 2
inline constexpr size_t kTaggedHeaderBytes = 32;  // header bytes a version 2 tag covers
inline constexpr size_t kTagBytes = 32;
using Tag = std::array<std::byte, kTagBytes>;
inline constexpr std::array<std::byte, 4> kMagic{std::byte{'C'}, std::byte{'R'}, std::byte{'N'},
                                                 std::byte{'W'}};
// The largest payload any node accepts: a whole file of kFileBytesMax plus
// room for the message fields around it.
inline constexpr uint32_t kPayloadBytesMax = kFileBytesMax + (uint32_t{1} << 20);

struct Header {
  uint8_t version = kWireVersion;
  MsgType type = MsgType::kError;
  uint64_t request_id = 0;
  uint32_t payload_bytes = 0;
  uint32_t payload_crc = 0;
  uint64_t sequence = 0;  // version 2
  Tag tag{};              // version 2
};

struct Frame {
  uint8_t version = kWireVersion;
  MsgType type = MsgType::kError;
  uint64_t request_id = 0;
  uint64_t sequence = 0;  // version 2
  Tag tag{};              // version 2
  std::vector<std::byte> payload;
};

// A version 2 header with every field as given (auth.h's Session fills in
// the sequence and tag). CAIRN_ASSERTs a known type and a length within
// kPayloadBytesMax.
std::array<std::byte, kHeaderBytes> encode_header(const Header& header);
// Header bytes 0..31 of `header` in version 2: what its tag covers.
std::array<std::byte, kTaggedHeaderBytes> tagged_bytes(const Header& header);
// A version 2 frame: `header` with the payload's length and CRC, then the payload.
std::vector<std::byte> encode_frame(Header header, std::span<const std::byte> payload);

// Version 1, for tools and tests that write old streams; nodes refuse them.
std::array<std::byte, kHeaderBytesV1> encode_header_v1(MsgType type, uint64_t request_id,
                                                       uint32_t payload_bytes, uint32_t payload_crc);
std::vector<std::byte> encode_frame_v1(MsgType type, uint64_t request_id,
                                       std::span<const std::byte> payload);

// From a header's first kHeaderBytesV1 (or more) bytes: how long the whole
// header is (kHeaderBytesV1 or kHeaderBytes). kCorrupt for a bad magic,
// kInvalidArgument for a version this build does not know.
Result<size_t> header_size(std::span<const std::byte> first);
// Checks and decodes a whole header of either version (`bytes` is exactly
// header_size() long). kCorrupt for a bad magic or header CRC,
// kInvalidArgument for an unknown version, type or nonzero flags, kRefused for
// a payload longer than `payload_bytes_max`. Checks no tag (auth.h does).
Result<Header> decode_header(std::span<const std::byte> bytes,
                             uint32_t payload_bytes_max = kPayloadBytesMax);
// kCorrupt when the payload's length or CRC does not match the header.
Status check_payload(const Header& header, std::span<const std::byte> payload);

// Incremental decoder for a byte stream of frames of either version (a
// capture): feed() what arrived, then call next() until it returns no frame.
// It checks framing and CRCs, not tags (it has no key). After an error every later call returns
// the same error, and fed bytes are dropped. It holds only bytes it was fed
// and has not yet returned, never reserves memory for a declared length, and
// checks each header before it waits for that payload: a caller that drains
// next() after every feed() holds at most one header plus one payload plus
// the bytes of one feed().
class FrameDecoder {
 public:
  explicit FrameDecoder(uint32_t payload_bytes_max = kPayloadBytesMax)
      : payload_bytes_max_(payload_bytes_max) {}
  void feed(std::span<const std::byte> bytes);
  Result<std::optional<Frame>> next();
  size_t buffered_bytes() const { return buffer_.size() - start_; }

 private:
  // Drops the bytes of frames already returned (kept until then so that
  // consuming many small frames from one feed() stays linear).
  void compact();
  Status fail(Status status);

  uint32_t payload_bytes_max_;
  std::vector<std::byte> buffer_;
  size_t start_ = 0;  // buffer_[0, start_) belongs to frames already returned
  std::optional<Header> header_;
  Status error_;
};

}  // namespace cairn::wire
