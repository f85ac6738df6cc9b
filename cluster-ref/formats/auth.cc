#include "cluster-ref/formats/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <string>
#include <string_view>

#include "engine/checksum.h"

namespace cairn::wire {
namespace {

constexpr std::string_view kSessionLabel = "cairn wire 2 session";
constexpr uint8_t kToAcceptor = 'C';
constexpr uint8_t kToConnector = 'S';

std::span<const std::byte> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

}  // namespace

Tag hmac_sha256(std::span<const std::byte> key, std::span<const std::span<const std::byte>> pieces) {
  // Fetched once: OpenSSL's HMAC implementation, shared by every thread.
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  CAIRN_ASSERT(mac != nullptr);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0), OSSL_PARAM_construct_end()};
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  CAIRN_ASSERT(ctx != nullptr);
  CAIRN_ASSERT(EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) == 1);
  for (auto piece : pieces) {
    if (!piece.empty()) {
      CAIRN_ASSERT(EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(piece.data()), piece.size()) == 1);
    }
  }
  Tag out{};
  size_t length = 0;
  CAIRN_ASSERT(EVP_MAC_final(ctx, reinterpret_cast<unsigned char*>(out.data()), &length, out.size()) == 1);
  CAIRN_ASSERT(length == kTagBytes);
  EVP_MAC_CTX_free(ctx);
  return out;
}

Secret session_key(const Secret& secret, const Nonce& acceptor, const Nonce& connector) {
  const std::array<std::span<const std::byte>, 3> pieces{as_bytes(kSessionLabel), acceptor, connector};
  return hmac_sha256(secret, pieces);
}

Session::Session(const Secret& session_key, Role role)
    : key_(session_key),
      role_(role),
      send_(role == Role::kAcceptor ? 1 : 0),
      receive_(role == Role::kConnector ? 1 : 0) {}

Tag Session::tag(const Header& header, uint8_t direction,
                 std::span<const std::span<const std::byte>> pieces) const {
  const std::byte dir{direction};
  const auto head = tagged_bytes(header);
  std::vector<std::span<const std::byte>> all;
  all.reserve(pieces.size() + 2);
  all.emplace_back(&dir, 1);
  all.emplace_back(head);
  for (auto p : pieces) all.push_back(p);
  return hmac_sha256(key_, all);
}

Header Session::seal(MsgType type, uint64_t request_id, std::span<const std::span<const std::byte>> pieces,
                     uint32_t payload_bytes, uint32_t payload_crc) {
  Header h;
  h.type = type;
  h.request_id = request_id;
  h.payload_bytes = payload_bytes;
  h.payload_crc = payload_crc;
  h.sequence = send_++;
  h.tag = tag(h, role_ == Role::kConnector ? kToAcceptor : kToConnector, pieces);
  return h;
}

std::vector<std::byte> Session::frame(MsgType type, uint64_t request_id, std::span<const std::byte> payload) {
  const std::array<std::span<const std::byte>, 1> one{payload};
  const Header h = seal(type, request_id, one, static_cast<uint32_t>(payload.size()), crc32c(payload));
  return encode_frame(h, payload);
}

Status Session::open(const Header& header, std::span<const std::byte> payload) {
  if (header.version != kWireVersion) {
    return refused("unauthenticated wire version " + std::to_string(header.version) + " " +
                   to_string(header.type) + " frame: only version 2 is served");
  }
  const std::array<std::span<const std::byte>, 1> one{payload};
  const Tag expected = tag(header, role_ == Role::kConnector ? kToConnector : kToAcceptor, one);
  if (CRYPTO_memcmp(expected.data(), header.tag.data(), kTagBytes) != 0) {
    return refused(std::string(to_string(header.type)) + " frame (sequence " + std::to_string(header.sequence) +
                   ") fails its tag: not made with this cluster's secret on this connection");
  }
  if (header.sequence != receive_) {
    return refused(std::string(to_string(header.type)) + " frame has sequence " +
                   std::to_string(header.sequence) + ", expected " + std::to_string(receive_) +
                   ": a replayed or reordered frame");
  }
  ++receive_;
  return Status::ok();
}

}  // namespace cairn::wire
