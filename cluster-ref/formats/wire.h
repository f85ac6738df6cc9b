// Wire framing of the Cairn protocol (version kWireVersion): how one message
// travels on a TCP stream between clients and nodes and between nodes.
//
// A frame is a fixed 28-byte header followed by the payload, little-endian:
//
//   off size field
//    0   4   magic, the bytes "CRNW"
//    4   1   wire version (kWireVersion)
//    5   1   message type (MsgType, cluster-ref/messages.h)
//    6   2   flags, must be 0 in version 1
//    8   8   request id (a reply carries its request's id)
//   16   4   payload length in bytes, at most the receiver's limit
//   20   4   CRC-32C of the payload (engine/checksum.h)
//   24   4   CRC-32C of header bytes 0..23
//
// A receiver checks the header (magic, version, flags, known type, length
// limit, header CRC) before it reads or allocates any payload, so a hostile
// length never costs memory; then it checks the payload CRC. Any failure is a
// Status naming the reason, after which the connection is closed: a stream
// that lost framing cannot be resynchronised safely. The byte layout is pinned
// by golden vectors in tests/cluster/wire_test.cc.
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

inline constexpr uint8_t kWireVersion = 1;
inline constexpr size_t kHeaderBytes = 28;
inline constexpr std::array<std::byte, 4> kMagic{std::byte{'C'}, std::byte{'R'}, std::byte{'N'},
                                                 std::byte{'W'}};
// The largest payload any node accepts: a whole file of kFileBytesMax plus
// room for the message fields around it.
inline constexpr uint32_t kPayloadBytesMax = kFileBytesMax + (uint32_t{1} << 20);

struct Header {
  MsgType type = MsgType::kError;
  uint64_t request_id = 0;
  uint32_t payload_bytes = 0;
  uint32_t payload_crc = 0;
};

struct Frame {
  MsgType type = MsgType::kError;
  uint64_t request_id = 0;
  std::vector<std::byte> payload;
};

// Header and payload, ready to send. CAIRN_ASSERTs payload.size() <= kPayloadBytesMax.
std::vector<std::byte> encode_frame(MsgType type, uint64_t request_id,
                                    std::span<const std::byte> payload);
// The header alone (for writing a large payload without copying it).
std::array<std::byte, kHeaderBytes> encode_header(MsgType type, uint64_t request_id,
                                                  std::span<const std::byte> payload);
// The same from the payload's length and CRC-32C, for a payload sent in
// pieces (crc32c_extend over the pieces in order).
std::array<std::byte, kHeaderBytes> encode_header(MsgType type, uint64_t request_id,
                                                  uint32_t payload_bytes, uint32_t payload_crc);

// Checks and decodes a header. kCorrupt for a bad magic or header CRC,
// kInvalidArgument for an unknown version, type or nonzero flags, kRefused for
// a payload longer than `payload_bytes_max`.
Result<Header> decode_header(std::span<const std::byte, kHeaderBytes> bytes,
                             uint32_t payload_bytes_max = kPayloadBytesMax);
// kCorrupt when the payload's length or CRC does not match the header.
Status check_payload(const Header& header, std::span<const std::byte> payload);

// Incremental decoder for a byte stream: feed() what arrived, then call
// next() until it returns no frame. After an error every later call returns
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
