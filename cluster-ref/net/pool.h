// ConnectionPool: reusable connections to the nodes of a cluster, shared by
// the threads of a client or a node. A thread takes a connection for one
// call and gives it back; at most `idle_max` idle connections are kept per
// endpoint. Thread-safe.
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cluster-ref/net/connection.h"
#include "cluster-ref/net/secret.h"

namespace cairn {

class ConnectionPool {
 public:
  // Every connection proves `secret` (Connection::connect).
  ConnectionPool(Millis connect_timeout, SecretPtr secret, size_t idle_max = 16)
      : connect_timeout_(connect_timeout), secret_(std::move(secret)), idle_max_(idle_max) {
    CAIRN_ASSERT(secret_ != nullptr);
  }

  // A request and its reply (see call() in connection.h). A reused
  // connection that turns out closed (the peer restarted) is replaced and the
  // request sent once more; every request of the protocol may be repeated.
  Result<wire::Frame> call(const Endpoint& to, wire::MsgType type,
                           std::span<const std::byte> payload, Millis timeout);
  // The same, with an ErrorReply returned as a kError frame (see exchange()).
  Result<wire::Frame> exchange(const Endpoint& to, wire::MsgType type,
                               std::span<const std::byte> payload, Millis timeout);

  // For pipelining to several peers: take a connection, send on it, receive
  // later, give it back (only if it is still open).
  Result<std::unique_ptr<Connection>> take(const Endpoint& to);
  void give_back(const Endpoint& to, std::unique_ptr<Connection> connection);

 private:
  Millis connect_timeout_;
  SecretPtr secret_;
  size_t idle_max_;
  std::mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;
};

}  // namespace cairn
