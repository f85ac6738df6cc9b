// Authentication of wire version 2 (wire.h): every frame after the handshake
// carries an HMAC-SHA256 tag under a session key only holders of the
// cluster's secret can derive, and a sequence number that must be exactly
// one more than the last in its direction. A Session is one connection's
// state: it seals the frames this side sends and opens (checks) the frames
// it receives. HMAC-SHA256 is OpenSSL's (libcrypto), never hand-written.
//
// Pure computation, no I/O; the nonces come from the caller (net/secret.h
// draws them from the OS). One Session per connection, one thread at a time.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "cluster-ref/formats/messages.h"
#include "cluster-ref/formats/wire.h"
#include "engine/status.h"

namespace cairn::wire {

inline constexpr size_t kSecretBytes = 32;
using Secret = std::array<std::byte, kSecretBytes>;
using Nonce = std::array<std::byte, kNonceBytes>;

// HMAC-SHA256 of the pieces back to back.
Tag hmac_sha256(std::span<const std::byte> key, std::span<const std::span<const std::byte>> pieces);

// HMAC-SHA256(secret, "cairn wire 2 session" || acceptor nonce || connector nonce).
Secret session_key(const Secret& secret, const Nonce& acceptor, const Nonce& connector);

// Which end of the connection a Session is: the connector (a client, or a
// node calling a peer) or the acceptor (the node that listens).
enum class Role : uint8_t { kConnector, kAcceptor };

class Session {
 public:
  // Both ends start with sequence 0: the connector's kHello and the
  // acceptor's kChallenge. The challenge comes before the session exists
  // (it carries the acceptor's nonce), so the acceptor's first sealed frame
  // and the connector's first opened one are 1.
  Session(const Secret& session_key, Role role);

  // The header of the next frame this side sends: its sequence number and its
  // tag over the payload `pieces` (their length and CRC-32C as given).
  Header seal(MsgType type, uint64_t request_id, std::span<const std::span<const std::byte>> pieces,
              uint32_t payload_bytes, uint32_t payload_crc);
  // The same, for a payload in one piece (tests, tools).
  std::vector<std::byte> frame(MsgType type, uint64_t request_id, std::span<const std::byte> payload);
  // Checks a received frame of the other side: version 2, the tag, and the
  // sequence number. kRefused naming which failed (a wrong tag: another
  // key or another connection's frame; a wrong sequence: a repeated,
  // dropped or reordered frame).
  Status open(const Header& header, std::span<const std::byte> payload);

  uint64_t next_send() const { return send_; }
  uint64_t next_receive() const { return receive_; }

 private:
  Tag tag(const Header& header, uint8_t direction, std::span<const std::span<const std::byte>> pieces) const;

  Secret key_;
  Role role_;
  uint64_t send_;
  uint64_t receive_;
};

}  // namespace cairn::wire
