// Writes the seed corpus of frame_fuzz.cc: one valid frame of every message
// type, a stream of several frames fed in small chunks, and a few near
// misses, so the fuzzer starts past the header CRC instead of searching for
// it. The output is committed under tests/cluster/fuzz/corpus/; regenerate it
// after a format change with
//   cmake --build build --target cluster_fuzz_corpus
//   build/tests/cluster/cluster_fuzz_corpus tests/cluster/fuzz/corpus
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "cluster-ref/formats/messages.h"
#include "cluster-ref/formats/wire.h"

namespace cairn::wire {
namespace {

using Bytes = std::vector<std::byte>;

FileRecord record() {
  FileRecord r;
  r.member = 1;
  r.scheme = Scheme::erasure(4, 2);
  r.form = StorageForm::kErasureCoded;
  r.group = 3;
  r.version = 5;
  r.file_bytes = 10;
  r.payload_bytes = 4;
  return r;
}

Bytes text(const std::string& s) {
  Bytes out;
  for (char c : s) out.push_back(static_cast<std::byte>(c));
  return out;
}

// Byte 0 = 0 tells the target to feed the stream in one piece.
Bytes one_feed(const Bytes& stream) {
  Bytes out{std::byte{0}};
  out.insert(out.end(), stream.begin(), stream.end());
  return out;
}

bool write(const std::string& dir, const std::string& name, const Bytes& bytes) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

std::vector<std::pair<std::string, Bytes>> frames() {
  const FileRecord r = record();
  auto frame = [](MsgType type, const Bytes& payload) { return encode_frame_v1(type, 1, payload); };
  // Version 2: a sequence number and a tag (any bytes: the decoder has no key).
  auto frame_v2 = [](MsgType type, const Bytes& payload) {
    Header h;
    h.type = type;
    h.request_id = 1;
    h.sequence = 3;
    for (size_t i = 0; i < kTagBytes; ++i) h.tag[i] = static_cast<std::byte>(0xa0 + i);
    return encode_frame(h, payload);
  };
  Handshake nonce;
  for (size_t i = 0; i < kNonceBytes; ++i) nonce.nonce[i] = static_cast<std::byte>(i);
  return {
      {"error", frame(MsgType::kError, ErrorReply{StatusCode::kStaleEpoch, "stale", 4}.encode())},
      {"ok", frame(MsgType::kOk, {})},
      {"map-request", frame(MsgType::kMapRequest, MapRequest{2}.encode())},
      {"map-reply", frame(MsgType::kMapReply, MapReply{2, "nodes: []\n"}.encode())},
      {"put", frame(MsgType::kPut, PutRequest{2, "/a/b", 7, text("0123456789")}.encode())},
      {"put-reply", frame(MsgType::kPutReply, PutReply{5, 3, 0x3f, 0}.encode())},
      {"store", frame(MsgType::kStore, StoreRequest{2, "/a/b", 1, r, text("0123")}.encode())},
      {"read", frame(MsgType::kRead, ReadRequest{2, "/a/b", 1, true}.encode())},
      {"read-reply", frame(MsgType::kReadReply, ReadReply{r, text("0123")}.encode())},
      {"delete", frame(MsgType::kDelete, DeleteRequest{2, "/a/b"}.encode())},
      {"remove", frame(MsgType::kRemove, RemoveRequest{2, "/a/b", 5}.encode())},
      {"list", frame(MsgType::kList, ListRequest{2, "/", true, 3}.encode())},
      {"list-reply",
       frame(MsgType::kListReply, ListReply{{{"/a", 1, r}, {"/b", 2, r}}, false}.encode())},
      {"status", frame(MsgType::kStatus, {})},
      {"status-reply", frame(MsgType::kStatusReply, StatusReply{"{\"up\":true}"}.encode())},
      {"ping", frame(MsgType::kPing, {})},
      {"pong", frame(MsgType::kPong, {})},
      {"v2-challenge", frame_v2(MsgType::kChallenge, nonce.encode())},
      {"v2-hello", frame_v2(MsgType::kHello, nonce.encode())},
      {"v2-put", frame_v2(MsgType::kPut, PutRequest{2, "/a/b", 7, text("0123456789")}.encode())},
      {"v2-read-reply", frame_v2(MsgType::kReadReply, ReadReply{r, text("0123")}.encode())},
  };
}

int run(const std::string& dir) {
  Bytes stream;
  for (const auto& [name, bytes] : frames()) {
    if (!write(dir, name, one_feed(bytes))) return 1;
    stream.insert(stream.end(), bytes.begin(), bytes.end());
  }
  // Every frame in one stream, fed in pieces of 1, 7 and 30 bytes.
  Bytes chunked{std::byte{3}, std::byte{0}, std::byte{6}, std::byte{29}};
  chunked.insert(chunked.end(), stream.begin(), stream.end());
  if (!write(dir, "stream-chunked", chunked)) return 1;
  // A valid frame cut short, and one followed by half a header.
  const Bytes put = frames()[4].second;
  if (!write(dir, "put-truncated", one_feed(Bytes(put.begin(), put.end() - 3)))) return 1;
  Bytes put_then_half = put;
  put_then_half.insert(put_then_half.end(), put.begin(), put.begin() + 14);
  if (!write(dir, "put-then-half-header", one_feed(put_then_half))) return 1;
  return 0;
}

}  // namespace
}  // namespace cairn::wire

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  const int rc = cairn::wire::run(argv[1]);
  if (rc != 0) std::fprintf(stderr, "cluster_fuzz_corpus: cannot write into %s\n", argv[1]);
  return rc;
}
