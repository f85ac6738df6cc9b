#include "cluster-ref/net/listener.h"

#include <boost/asio.hpp>

#include "cluster-ref/net/connection_impl.h"
#include "cluster-ref/net/log.h"

namespace cairn {
namespace asio = boost::asio;
using asio::ip::tcp;

struct Listener::State {
  asio::io_context context{1};
  tcp::acceptor acceptor{context};
  std::string name;
  uint32_t connections_max = 0;
  SecretPtr secret;
  Millis frame_deadline{0};
  Handler handler;
  std::atomic<bool> stopping{false};
  std::atomic<uint32_t> active{0};  // connections being served
};

uint32_t Listener::connections() const { return state_ ? state_->active.load() : 0; }

Listener::~Listener() { stop(); }

Result<std::unique_ptr<Listener>> Listener::start(const Endpoint& at, std::string name,
                                                  uint32_t connections_max, SecretPtr secret,
                                                  Millis frame_deadline, Handler handler) {
  CAIRN_ASSERT(secret != nullptr && frame_deadline.count() > 0);
  std::unique_ptr<Listener> listener(new Listener());
  auto state = std::make_shared<State>();
  state->secret = std::move(secret);
  state->frame_deadline = frame_deadline;
  state->name = std::move(name);
  state->connections_max = connections_max;
  state->handler = std::move(handler);
  boost::system::error_code ec;
  const auto address = asio::ip::make_address_v4(at.host, ec);
  if (ec) return invalid_argument("bad address " + at.host);
  const tcp::endpoint endpoint(address, at.port);
  state->acceptor.open(endpoint.protocol(), ec);
  if (!ec) state->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) state->acceptor.bind(endpoint, ec);
  if (!ec) state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return unavailable("cannot listen on " + at.to_string() + " (" + state->name + "): " +
                       ec.message());
  }
  listener->state_ = std::move(state);
  listener->thread_ = std::thread([l = listener.get()] { l->accept_loop(); });
  return listener;
}

void Listener::stop() {
  if (!state_ || state_->stopping.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  boost::system::error_code ignored;
  state_->acceptor.close(ignored);
}

// Accepts with a short deadline in a loop so that stop() is noticed without
// closing the acceptor from another thread (which Asio does not allow).
void Listener::accept_loop() {
  State& s = *state_;
  while (!s.stopping.load()) {
    auto impl = std::make_unique<Connection::Impl>();
    bool accepted = false;
    boost::system::error_code error;
    s.acceptor.async_accept(impl->socket, [&](const boost::system::error_code& e) {
      accepted = true;
      error = e;
    });
    while (!accepted) {
      s.context.restart();
      s.context.run_for(Millis(200));
      if (!accepted && s.stopping.load()) {
        s.acceptor.cancel(error);
        s.context.restart();
        s.context.run();
        return;
      }
    }
    if (error) {
      log::warn() << s.name << ": accept failed: " << error.message();
      continue;
    }
    boost::system::error_code ignored;
    impl->socket.set_option(tcp::no_delay(true), ignored);
    std::unique_ptr<Connection> connection(new Connection(std::move(impl)));
    if (s.active.load() >= s.connections_max) {
      log::warn() << s.name << ": refusing " << connection->peer() << ": already "
                  << s.connections_max << " connections";
      continue;  // destroying it closes the socket
    }
    s.active.fetch_add(1);
    // The thread shares the state, so it may outlive the Listener.
    std::thread([state = state_, connection = std::move(connection)]() mutable {
      Status shook = connection->accept_handshake(*state->secret, state->frame_deadline);
      if (shook.is_ok()) {
        state->handler(*connection);
      } else if (shook.code() == StatusCode::kUnavailable) {
        // Closed before proving anything (a port probe): nothing was refused.
        log::info() << state->name << ": " << connection->peer() << " closed before its hello";
      } else {
        log::warn() << state->name << ": refusing " << connection->peer() << ": " << shook.message();
      }
      connection.reset();
      state->active.fetch_sub(1);
    }).detach();
  }
}

}  // namespace cairn
