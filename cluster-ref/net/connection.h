// Connection: one TCP connection carrying Cairn frames (wire.h), used
// blocking with a deadline on every operation. Boost.Asio underneath: each
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
#include "cluster-ref/formats/wire.h"
#include "engine/status.h"

namespace cairn {

using Millis = std::chrono::milliseconds;

class Connection {
 public:
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // kUnavailable when refused or unreachable, kTimeout past the deadline.
  static Result<std::unique_ptr<Connection>> connect(const Endpoint& to, Millis timeout);

  Status send(wire::MsgType type, uint64_t request_id, std::span<const std::byte> payload,
              Millis timeout);
  // One frame whose payload is `pieces` back to back, written without
  // joining them (a message head and a large part where it lies).
  Status send(wire::MsgType type, uint64_t request_id,
              std::span<const std::span<const std::byte>> pieces, Millis timeout);
  // The next frame; its header is checked before the payload is read, against
  // `payload_bytes_max`. kUnavailable when the peer closed the connection.
  Result<wire::Frame> receive(Millis timeout, uint32_t payload_bytes_max = wire::kPayloadBytesMax);

  bool is_open() const;
  void close();
  // "127.0.0.1:51234", for logs.
  const std::string& peer() const { return peer_; }

  struct Impl;

 private:
  explicit Connection(std::unique_ptr<Impl> impl);
  friend class Listener;
  std::unique_ptr<Impl> impl_;
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
