#include "cluster-ref/net/pool.h"

namespace cairn {

Result<std::unique_ptr<Connection>> ConnectionPool::take(const Endpoint& to) {
  {
    std::lock_guard lock(mutex_);
    auto& idle = idle_[to.to_string()];
    while (!idle.empty()) {
      std::unique_ptr<Connection> c = std::move(idle.back());
      idle.pop_back();
      if (c->is_open()) return c;
    }
  }
  return Connection::connect(to, *secret_, connect_timeout_);
}

void ConnectionPool::give_back(const Endpoint& to, std::unique_ptr<Connection> connection) {
  if (!connection || !connection->is_open()) return;
  std::lock_guard lock(mutex_);
  auto& idle = idle_[to.to_string()];
  if (idle.size() < idle_max_) idle.push_back(std::move(connection));
}

Result<wire::Frame> ConnectionPool::call(const Endpoint& to, wire::MsgType type,
                                         std::span<const std::byte> payload, Millis timeout) {
  auto reply = exchange(to, type, payload, timeout);
  if (reply && reply->type == wire::MsgType::kError) return error_of(*reply);
  return reply;
}

Result<wire::Frame> ConnectionPool::exchange(const Endpoint& to, wire::MsgType type,
                                             std::span<const std::byte> payload, Millis timeout) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::unique_ptr<Connection> c;
    bool reused = false;
    {
      std::lock_guard lock(mutex_);
      auto& idle = idle_[to.to_string()];
      if (!idle.empty()) {
        c = std::move(idle.back());
        idle.pop_back();
        reused = true;
      }
    }
    if (!c) {
      auto fresh = Connection::connect(to, *secret_, connect_timeout_);
      if (!fresh) return fresh.status();
      c = std::move(fresh).value();
    }
    auto reply = cairn::exchange(*c, type, payload, timeout);
    // An ErrorReply keeps the connection usable; a transport failure does not.
    if (reply.is_ok() || c->is_open()) {
      give_back(to, std::move(c));
      return reply;
    }
    if (!reused || reply.status().code() != StatusCode::kUnavailable) return reply;
  }
  return unavailable("no connection to " + to.to_string());
}

}  // namespace cairn
