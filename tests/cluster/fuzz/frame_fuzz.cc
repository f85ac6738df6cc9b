// libFuzzer target for the wire protocol: whatever bytes a peer sends, a node
// must neither crash, nor read out of bounds, nor accept a frame or message
// that does not re-encode to exactly the bytes it came from. Built and run by
// run_fuzz.sh with clang++ -fsanitize=fuzzer,address,undefined.
//
// Input layout:
//   byte 0          bits 0-2: how many chunk-size bytes follow (0..7);
//                   bits 3-4: the decoder's payload limit (kPayloadBytesMax,
//                   0, 100 or 4096 bytes), so refusals are reached too
//   chunk sizes     each byte b feeds b+1 bytes, in turn, cycling; none: one feed
//   stream          the bytes of the TCP stream
// Streams of both wire versions (the decoder checks framing and CRCs, not
// tags: it has no key). Every frame the decoder yields is decoded as its type's message; the raw
// stream is also decoded as every message type, so the message decoders are
// fuzzed even where the fuzzer has not yet found a valid frame CRC.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "cluster-ref/formats/messages.h"
#include "cluster-ref/formats/wire.h"
#include "engine/status.h"

namespace cairn::wire {
namespace {

using Bytes = std::span<const std::byte>;

bool same(Bytes a, Bytes b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }

// A decode either fails with a format error or yields a message whose
// encoding is exactly its input: one value, one encoding.
template <class Message>
void check_message(Bytes payload) {
  auto message = Message::decode(payload);
  if (!message) {
    const StatusCode code = message.status().code();
    CAIRN_ASSERT(code == StatusCode::kCorrupt || code == StatusCode::kInvalidArgument);
    CAIRN_ASSERT(!message.status().message().empty());
    return;
  }
  CAIRN_ASSERT(same(message->encode(), payload));
}

// No default: -Wswitch names a message type added without a decoder here.
void check_payload_as(MsgType type, Bytes payload) {
  switch (type) {
    case MsgType::kError: return check_message<ErrorReply>(payload);
    case MsgType::kMapRequest: return check_message<MapRequest>(payload);
    case MsgType::kMapReply: return check_message<MapReply>(payload);
    case MsgType::kPut: return check_message<PutRequest>(payload);
    case MsgType::kPutReply: return check_message<PutReply>(payload);
    case MsgType::kStore: return check_message<StoreRequest>(payload);
    case MsgType::kRead: return check_message<ReadRequest>(payload);
    case MsgType::kReadReply: return check_message<ReadReply>(payload);
    case MsgType::kDelete: return check_message<DeleteRequest>(payload);
    case MsgType::kRemove: return check_message<RemoveRequest>(payload);
    case MsgType::kList: return check_message<ListRequest>(payload);
    case MsgType::kListReply: return check_message<ListReply>(payload);
    case MsgType::kStatusReply: return check_message<StatusReply>(payload);
    case MsgType::kHello:
    case MsgType::kChallenge: return check_message<Handshake>(payload);
    case MsgType::kOk:
    case MsgType::kStatus:
    case MsgType::kPing:
    case MsgType::kPong: return;  // no payload to decode
  }
}

// Feeds `stream` in the given chunk sizes, draining next() after each feed.
// Frames must be exactly the stream's bytes in order and within the limit;
// after an error the decoder holds nothing and repeats the error whatever it
// is fed.
void check_stream(Bytes stream, Bytes chunk_sizes, uint32_t payload_bytes_max) {
  FrameDecoder decoder(payload_bytes_max);
  size_t fed = 0;
  size_t consumed = 0;  // bytes of the frames returned so far
  size_t turn = 0;
  Status error;
  while (fed < stream.size()) {
    size_t n = stream.size() - fed;
    if (!chunk_sizes.empty()) {
      const auto size_byte = chunk_sizes[turn++ % chunk_sizes.size()];
      n = std::min(n, size_t{std::to_integer<uint8_t>(size_byte)} + 1);
    }
    decoder.feed(stream.subspan(fed, n));
    fed += n;
    for (;;) {
      auto next = decoder.next();
      if (!next) {
        const StatusCode code = next.status().code();
        CAIRN_ASSERT(code == StatusCode::kCorrupt || code == StatusCode::kInvalidArgument ||
                     code == StatusCode::kRefused);
        CAIRN_ASSERT(error.is_ok() || next.status().message() == error.message());
        error = next.status();
        CAIRN_ASSERT(decoder.buffered_bytes() == 0);
        break;
      }
      CAIRN_ASSERT(error.is_ok());  // an error is forever
      if (!next->has_value()) break;
      const Frame& frame = **next;
      CAIRN_ASSERT(frame.payload.size() <= payload_bytes_max);
      Header header;
      header.type = frame.type;
      header.request_id = frame.request_id;
      header.sequence = frame.sequence;
      header.tag = frame.tag;
      const auto bytes = frame.version == 1 ? encode_frame_v1(frame.type, frame.request_id, frame.payload)
                                            : encode_frame(header, frame.payload);
      CAIRN_ASSERT(consumed + bytes.size() <= fed);
      CAIRN_ASSERT(same(bytes, stream.subspan(consumed, bytes.size())));
      consumed += bytes.size();
      check_payload_as(frame.type, frame.payload);
    }
    CAIRN_ASSERT(decoder.buffered_bytes() <= fed - consumed);
  }
}

}  // namespace
}  // namespace cairn::wire

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::wire;
  if (size == 0) return 0;
  const Bytes input(reinterpret_cast<const std::byte*>(data), size);
  const size_t chunk_count = std::min<size_t>(data[0] & 7U, size - 1);
  const Bytes chunk_sizes = input.subspan(1, chunk_count);
  const Bytes stream = input.subspan(1 + chunk_count);
  constexpr uint32_t kLimits[] = {kPayloadBytesMax, 0, 100, 4096};
  check_stream(stream, chunk_sizes, kLimits[(data[0] >> 3) & 3U]);
  for (uint8_t type = 1; type <= kMsgTypeMax; ++type) {
    check_payload_as(static_cast<MsgType>(type), stream);
  }
  check_payload_as(MsgType::kHello, stream);
  return 0;
}
