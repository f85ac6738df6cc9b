// Connection: one TCP connection carrying authenticated Cairn frames (wire
// version 2, wire.h and formats/auth.h), used blocking with a deadline on
// every operation. connect() and the listener run the handshake before
// anything else: a connection exists only once both ends proved they hold
// the cluster's secret, and every frame received after that is checked (tag
// and sequence) before it is returned. Boost.Asio underneath: each
// connection owns its own io_context and runs it only for the operation in
// progress, so a thread blocks only on its own connection and a peer that
// stops answering costs a timeout, never a hung thread.
//
// A Connection whose operation failed or timed out is closed: the stream's
// framing can no longer be trusted. Not thread-safe; one thread at a time.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "cluster-ref/map/cluster_file.h"
#include "cluster-ref/formats/auth.h"
#include "cluster-ref/formats/wire.h"
#include "engine/status.h"

namespace cairn {

using Millis = std::chrono::milliseconds;

class Connection {
 public:
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects and runs the handshake under `secret` (all within `timeout`).
  // kUnavailable when refused or unreachable, kTimeout past the deadline,
  // kRefused when the peer's handshake is not version 2's.
  static Result<std::unique_ptr<Connection>> connect(const Endpoint& to, const wire::Secret& secret,
                                                     Millis timeout);
  // The acceptor's side of the handshake (Listener): sends the challenge and
  // checks the connector's hello, all within `deadline`. kRefused naming why
  // (an unauthenticated or version 1 frame, a wrong tag), kTimeout.
  Status accept_handshake(const wire::Secret& secret, Millis deadline);

  Status send(wire::MsgType type, uint64_t request_id, std::span<const std::byte> payload,
              Millis timeout);
  // One frame whose payload is `pieces` back to back, written without
  // joining them (a message head and a large part where it lies).
  Status send(wire::MsgType type, uint64_t request_id,
              std::span<const std::span<const std::byte>> pieces, Millis timeout);
  // The next frame; its header is checked before the payload is read, against
  // `payload_bytes_max`, and its tag and sequence once it is in.
  // kUnavailable when the peer closed the connection. The first byte may
  // take `timeout`; once it is in, the rest of the frame must arrive within
  // `frame_deadline` (zero: `timeout` again), or the connection is closed
  // with kTimeout: a peer cannot hold it with a frame it never finishes.
  // kRefused (and closed) for a frame that is not version 2 or fails its
  // tag or sequence.
  Result<wire::Frame> receive(Millis timeout, uint32_t payload_bytes_max = wire::kPayloadBytesMax,
                              Millis frame_deadline = Millis(0));

  bool is_open() const;
  void close();
  // "127.0.0.1:51234", for logs.
  const std::string& peer() const { return peer_; }

  struct Impl;

 private:
  explicit Connection(std::unique_ptr<Impl> impl);
  friend class Listener;
  // A frame off the stream, checked for framing and CRCs but not its tag;
  // frames other than version 2 are refused at their header.
  Result<std::pair<wire::Header, std::vector<std::byte>>> read_frame(Millis timeout, uint32_t payload_bytes_max,
                                                                     Millis frame_deadline);
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<wire::Session> session_;
  std::string peer_;
};

// A request and its reply on a connection: sends, receives and matches the
// request id. An ErrorReply comes back as a frame of type kError, so that a
// caller can tell a node that answered "no" from one it could not reach.
Result<wire::Frame> exchange(Connection& connection, wire::MsgType type,
                             std::span<const std::byte> payload, Millis timeout);
// The Status an ErrorReply frame carries (kCorrupt when it does not decode).
Status error_of(const wire::Frame& reply);
// exchange(), with an ErrorReply turned into its Status.
Result<wire::Frame> call(Connection& connection, wire::MsgType type,
                         std::span<const std::byte> payload, Millis timeout);

}  // namespace cairn
