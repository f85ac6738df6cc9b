#include "cluster-ref/formats/wire.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "cluster-ref/formats/bytes.h"
#include "engine/checksum.h"

namespace cairn::wire {
namespace {

constexpr size_t kVersionOffset = 4;
constexpr size_t kTypeOffset = 5;
constexpr size_t kFlagsOffset = 6;
constexpr size_t kRequestIdOffset = 8;
constexpr size_t kPayloadBytesOffset = 16;
constexpr size_t kPayloadCrcOffset = 20;
constexpr size_t kHeaderCrcOffset = 24;
static_assert(kHeaderCrcOffset + 4 == kHeaderBytes);

// A decoder that has returned a large frame gives its buffer back rather than
// keeping it for the life of the connection.
constexpr size_t kKeptCapacityBytesMax = size_t{1} << 20;

bool is_known(uint8_t type) { return type >= 1 && type <= kMsgTypeMax; }

std::string header_error(const std::string& what) { return "frame header: " + what; }

}  // namespace

std::array<std::byte, kHeaderBytes> encode_header(MsgType type, uint64_t request_id,
                                                  uint32_t payload_bytes, uint32_t payload_crc) {
  CAIRN_ASSERT(is_known(static_cast<uint8_t>(type)));
  CAIRN_ASSERT(payload_bytes <= kPayloadBytesMax);
  std::array<std::byte, kHeaderBytes> out{};
  std::span<std::byte> s(out);
  std::memcpy(out.data(), kMagic.data(), kMagic.size());
  bytes::store_le<uint8_t>(s, kVersionOffset, kWireVersion);
  bytes::store_le<uint8_t>(s, kTypeOffset, static_cast<uint8_t>(type));
  bytes::store_le<uint16_t>(s, kFlagsOffset, 0);
  bytes::store_le<uint64_t>(s, kRequestIdOffset, request_id);
  bytes::store_le<uint32_t>(s, kPayloadBytesOffset, payload_bytes);
  bytes::store_le<uint32_t>(s, kPayloadCrcOffset, payload_crc);
  bytes::store_le<uint32_t>(s, kHeaderCrcOffset, crc32c(s.first(kHeaderCrcOffset)));
  return out;
}

std::array<std::byte, kHeaderBytes> encode_header(MsgType type, uint64_t request_id,
                                                  std::span<const std::byte> payload) {
  CAIRN_ASSERT(payload.size() <= kPayloadBytesMax);
  return encode_header(type, request_id, static_cast<uint32_t>(payload.size()), crc32c(payload));
}

std::vector<std::byte> encode_frame(MsgType type, uint64_t request_id,
                                    std::span<const std::byte> payload) {
  const auto header = encode_header(type, request_id, payload);
  // Sized up front and copied into: GCC 12 warns falsely (-Wstringop-overflow)
  // about reserve() followed by two insert()s.
  std::vector<std::byte> out(kHeaderBytes + payload.size());
  std::copy(header.begin(), header.end(), out.begin());
  std::copy(payload.begin(), payload.end(), out.begin() + kHeaderBytes);
  return out;
}

// The version is checked before the CRC: a peer speaking a later version may
// lay out the rest of its header differently, and "version 2" is the useful
// answer then, not "corrupt". Everything after the CRC check is trusted to be
// what the sender meant, so those failures are the sender's mistakes
// (invalid argument, refused), not corruption.
Result<Header> decode_header(std::span<const std::byte, kHeaderBytes> in,
                             uint32_t payload_bytes_max) {
  if (std::memcmp(in.data(), kMagic.data(), kMagic.size()) != 0) {
    return corrupt(header_error("bad magic (not a Cairn stream)"));
  }
  const auto version = bytes::load_le<uint8_t>(in, kVersionOffset);
  if (version != kWireVersion) {
    return invalid_argument(header_error("wire version " + std::to_string(version) +
                                         ", this build speaks version 1"));
  }
  const auto header_crc = bytes::load_le<uint32_t>(in, kHeaderCrcOffset);
  if (header_crc != crc32c(in.first(kHeaderCrcOffset))) {
    return corrupt(header_error("fails its CRC"));
  }
  const auto flags = bytes::load_le<uint16_t>(in, kFlagsOffset);
  if (flags != 0) {
    return invalid_argument(header_error("flags " + std::to_string(flags) +
                                         ", must be 0 in version 1"));
  }
  const auto type = bytes::load_le<uint8_t>(in, kTypeOffset);
  if (!is_known(type)) {
    return invalid_argument(header_error("unknown message type " + std::to_string(type)));
  }
  Header h;
  h.type = static_cast<MsgType>(type);
  h.request_id = bytes::load_le<uint64_t>(in, kRequestIdOffset);
  h.payload_bytes = bytes::load_le<uint32_t>(in, kPayloadBytesOffset);
  h.payload_crc = bytes::load_le<uint32_t>(in, kPayloadCrcOffset);
  if (h.payload_bytes > payload_bytes_max) {
    return refused(header_error(std::string(to_string(h.type)) + " payload of " +
                                std::to_string(h.payload_bytes) + " bytes, limit " +
                                std::to_string(payload_bytes_max)));
  }
  return h;
}

Status check_payload(const Header& header, std::span<const std::byte> payload) {
  if (payload.size() != header.payload_bytes) {
    return corrupt("frame payload: " + std::to_string(payload.size()) + " bytes, header says " +
                   std::to_string(header.payload_bytes));
  }
  if (crc32c(payload) != header.payload_crc) {
    return corrupt(std::string("frame payload: ") + to_string(header.type) + " request " +
                   std::to_string(header.request_id) + " fails its CRC");
  }
  return Status::ok();
}

// ---- FrameDecoder ----

void FrameDecoder::feed(std::span<const std::byte> bytes) {
  if (!error_.is_ok()) return;  // the stream is lost; nothing will be read again
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

Result<std::optional<Frame>> FrameDecoder::next() {
  if (!error_.is_ok()) return error_;
  if (!header_) {
    if (buffered_bytes() < kHeaderBytes) {
      compact();
      return std::optional<Frame>();
    }
    auto header = decode_header(
        std::span<const std::byte, kHeaderBytes>(buffer_.data() + start_, kHeaderBytes),
        payload_bytes_max_);
    if (!header) return fail(header.status());
    header_ = *header;
    start_ += kHeaderBytes;
  }
  const size_t payload_bytes = header_->payload_bytes;
  if (buffered_bytes() < payload_bytes) {
    compact();
    return std::optional<Frame>();
  }
  const auto payload = std::span<const std::byte>(buffer_).subspan(start_, payload_bytes);
  if (Status s = check_payload(*header_, payload); !s.is_ok()) return fail(std::move(s));
  Frame frame{header_->type, header_->request_id, {payload.begin(), payload.end()}};
  start_ += payload_bytes;
  header_.reset();
  return std::optional<Frame>(std::move(frame));
}

void FrameDecoder::compact() {
  if (start_ == 0) return;
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
  start_ = 0;
  if (buffer_.capacity() > kKeptCapacityBytesMax && buffer_.capacity() > 2 * buffer_.size()) {
    buffer_.shrink_to_fit();
  }
}

Status FrameDecoder::fail(Status status) {
  CAIRN_ASSERT(!status.is_ok());
  error_ = std::move(status);
  buffer_ = {};  // releases the memory, not just the contents
  start_ = 0;
  header_.reset();
  return error_;
}

}  // namespace cairn::wire
