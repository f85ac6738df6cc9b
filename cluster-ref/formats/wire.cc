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
constexpr size_t kHeaderCrcOffsetV1 = 24;
static_assert(kHeaderCrcOffsetV1 + 4 == kHeaderBytesV1);
constexpr size_t kSequenceOffset = 24;
constexpr size_t kTagOffset = 32;
constexpr size_t kHeaderCrcOffset = 64;
static_assert(kSequenceOffset + 8 == kTaggedHeaderBytes && kTagOffset == kTaggedHeaderBytes);
static_assert(kTagOffset + kTagBytes == kHeaderCrcOffset && kHeaderCrcOffset + 4 == kHeaderBytes);

// A decoder that has returned a large frame gives its buffer back rather than
// keeping it for the life of the connection.
constexpr size_t kKeptCapacityBytesMax = size_t{1} << 20;

std::string header_error(const std::string& what) { return "frame header: " + what; }

// Bytes 0..23, the same in both versions.
void store_common(std::span<std::byte> s, uint8_t version, MsgType type, uint64_t request_id,
                  uint32_t payload_bytes, uint32_t payload_crc) {
  CAIRN_ASSERT(is_known_type(static_cast<uint8_t>(type)));
  CAIRN_ASSERT(payload_bytes <= kPayloadBytesMax);
  std::memcpy(s.data(), kMagic.data(), kMagic.size());
  bytes::store_le<uint8_t>(s, kVersionOffset, version);
  bytes::store_le<uint8_t>(s, kTypeOffset, static_cast<uint8_t>(type));
  bytes::store_le<uint16_t>(s, kFlagsOffset, 0);
  bytes::store_le<uint64_t>(s, kRequestIdOffset, request_id);
  bytes::store_le<uint32_t>(s, kPayloadBytesOffset, payload_bytes);
  bytes::store_le<uint32_t>(s, kPayloadCrcOffset, payload_crc);
}

}  // namespace

std::array<std::byte, kTaggedHeaderBytes> tagged_bytes(const Header& h) {
  std::array<std::byte, kTaggedHeaderBytes> out{};
  std::span<std::byte> s(out);
  store_common(s, kWireVersion, h.type, h.request_id, h.payload_bytes, h.payload_crc);
  bytes::store_le<uint64_t>(s, kSequenceOffset, h.sequence);
  return out;
}

std::array<std::byte, kHeaderBytes> encode_header(const Header& h) {
  std::array<std::byte, kHeaderBytes> out{};
  std::span<std::byte> s(out);
  const auto tagged = tagged_bytes(h);
  std::copy(tagged.begin(), tagged.end(), out.begin());
  std::copy(h.tag.begin(), h.tag.end(), out.begin() + kTagOffset);
  bytes::store_le<uint32_t>(s, kHeaderCrcOffset, crc32c(s.first(kHeaderCrcOffset)));
  return out;
}

std::vector<std::byte> encode_frame(Header header, std::span<const std::byte> payload) {
  CAIRN_ASSERT(payload.size() <= kPayloadBytesMax);
  header.payload_bytes = static_cast<uint32_t>(payload.size());
  header.payload_crc = crc32c(payload);
  const auto head = encode_header(header);
  // Sized up front and copied into: GCC 12 warns falsely (-Wstringop-overflow)
  // about reserve() followed by two insert()s.
  std::vector<std::byte> out(kHeaderBytes + payload.size());
  std::copy(head.begin(), head.end(), out.begin());
  std::copy(payload.begin(), payload.end(), out.begin() + kHeaderBytes);
  return out;
}

std::array<std::byte, kHeaderBytesV1> encode_header_v1(MsgType type, uint64_t request_id,
                                                       uint32_t payload_bytes, uint32_t payload_crc) {
  std::array<std::byte, kHeaderBytesV1> out{};
  std::span<std::byte> s(out);
  store_common(s, 1, type, request_id, payload_bytes, payload_crc);
  bytes::store_le<uint32_t>(s, kHeaderCrcOffsetV1, crc32c(s.first(kHeaderCrcOffsetV1)));
  return out;
}

std::vector<std::byte> encode_frame_v1(MsgType type, uint64_t request_id,
                                       std::span<const std::byte> payload) {
  CAIRN_ASSERT(payload.size() <= kPayloadBytesMax);
  const auto header =
      encode_header_v1(type, request_id, static_cast<uint32_t>(payload.size()), crc32c(payload));
  std::vector<std::byte> out(kHeaderBytesV1 + payload.size());
  std::copy(header.begin(), header.end(), out.begin());
  std::copy(payload.begin(), payload.end(), out.begin() + kHeaderBytesV1);
  return out;
}

// The version is checked before the CRC: a peer speaking a later version may
// lay out the rest of its header differently, and "version 3" is the useful
// answer then, not "corrupt".
Result<size_t> header_size(std::span<const std::byte> in) {
  CAIRN_ASSERT(in.size() > kVersionOffset);
  if (std::memcmp(in.data(), kMagic.data(), kMagic.size()) != 0) {
    return corrupt(header_error("bad magic (not a Cairn stream)"));
  }
  const auto version = bytes::load_le<uint8_t>(in, kVersionOffset);
  if (version == 1) return kHeaderBytesV1;
  if (version == 2) return kHeaderBytes;
  return invalid_argument(header_error("wire version " + std::to_string(version) +
                                       ", this build speaks versions 1 and 2"));
}

// Everything after the CRC check is trusted to be what the sender meant, so
// those failures are the sender's mistakes (invalid argument, refused), not
// corruption.
Result<Header> decode_header(std::span<const std::byte> in, uint32_t payload_bytes_max) {
  auto size = header_size(in);
  if (!size) return size.status();
  CAIRN_ASSERT(in.size() == *size);
  Header h;
  h.version = bytes::load_le<uint8_t>(in, kVersionOffset);
  const size_t crc_offset = h.version == 1 ? kHeaderCrcOffsetV1 : kHeaderCrcOffset;
  const auto header_crc = bytes::load_le<uint32_t>(in, crc_offset);
  if (header_crc != crc32c(in.first(crc_offset))) {
    return corrupt(header_error("fails its CRC"));
  }
  const auto flags = bytes::load_le<uint16_t>(in, kFlagsOffset);
  if (flags != 0) {
    return invalid_argument(header_error("flags " + std::to_string(flags) + ", must be 0"));
  }
  const auto type = bytes::load_le<uint8_t>(in, kTypeOffset);
  if (!is_known_type(type)) {
    return invalid_argument(header_error("unknown message type " + std::to_string(type)));
  }
  h.type = static_cast<MsgType>(type);
  h.request_id = bytes::load_le<uint64_t>(in, kRequestIdOffset);
  h.payload_bytes = bytes::load_le<uint32_t>(in, kPayloadBytesOffset);
  h.payload_crc = bytes::load_le<uint32_t>(in, kPayloadCrcOffset);
  if (h.version == 2) {
    h.sequence = bytes::load_le<uint64_t>(in, kSequenceOffset);
    std::copy_n(in.begin() + kTagOffset, kTagBytes, h.tag.begin());
  }
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
    if (buffered_bytes() < kHeaderBytesV1) {
      compact();
      return std::optional<Frame>();
    }
    const auto buffered = std::span<const std::byte>(buffer_).subspan(start_);
    auto size = header_size(buffered);
    if (!size) return fail(size.status());
    if (buffered.size() < *size) {
      compact();
      return std::optional<Frame>();
    }
    auto header = decode_header(buffered.first(*size), payload_bytes_max_);
    if (!header) return fail(header.status());
    header_ = *header;
    start_ += *size;
  }
  const size_t payload_bytes = header_->payload_bytes;
  if (buffered_bytes() < payload_bytes) {
    compact();
    return std::optional<Frame>();
  }
  const auto payload = std::span<const std::byte>(buffer_).subspan(start_, payload_bytes);
  if (Status s = check_payload(*header_, payload); !s.is_ok()) return fail(std::move(s));
  Frame frame{header_->version, header_->type,   header_->request_id,
              header_->sequence, header_->tag, {payload.begin(), payload.end()}};
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
