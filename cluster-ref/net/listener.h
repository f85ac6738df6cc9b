// Listener: accepts TCP connections on one endpoint and serves each on a
// thread of its own, at most `connections_max` at once (more are closed on
// arrival, with a log line). Each connection first runs the acceptor's side
// of the handshake (Connection::accept_handshake) within `frame_deadline`;
// one that fails it is closed with a log line naming the peer and the
// reason, and the handler never sees it. The handler owns the connection until it
// returns; it reads requests and writes replies, and returns when the peer
// goes away or sends something that breaks framing.
//
// Threads are detached: a node is built to survive being killed at any
// instant (every acknowledged write is already on disk), so it does not wait
// for idle connections when it stops; Listener::stop only stops accepting.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "cluster-ref/map/cluster_file.h"
#include "cluster-ref/net/connection.h"
#include "cluster-ref/net/secret.h"

namespace cairn {

class Listener {
 public:
  using Handler = std::function<void(Connection&)>;
  ~Listener();
  // kUnavailable naming the address when it cannot be bound.
  static Result<std::unique_ptr<Listener>> start(const Endpoint& at, std::string name,
                                                 uint32_t connections_max, SecretPtr secret,
                                                 Millis frame_deadline, Handler handler);
  void stop();
  uint32_t connections() const;

  struct State;

 private:
  Listener() = default;
  void accept_loop();
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace cairn
