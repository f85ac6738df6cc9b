#include "cluster-ref/net/connection.h"

#include <atomic>
#include <boost/asio.hpp>

#include "cluster-ref/net/connection_impl.h"
#include "cluster-ref/net/secret.h"
#include "engine/checksum.h"

namespace cairn {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

std::atomic<uint64_t> g_request_ids{1};

// A socket error, as the caller's peer being unreachable.
Status transport_error(const boost::system::error_code& ec, const std::string& peer,
                       const char* what) {
  return unavailable(std::string(what) + " " + peer + ": " + ec.message());
}

using Clock = std::chrono::steady_clock;

Millis left_until(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
  return std::max(left, Millis(1));
}

}  // namespace

// Runs one asynchronous operation to completion or to its deadline. On a
// timeout the socket is closed, which completes the operation with
// operation_aborted, and the result is kTimeout.
Status Connection::Impl::run(Millis timeout, const char* what, const std::string& peer) {
  context.restart();
  context.run_for(timeout);
  if (!done) {
    boost::system::error_code ignored;
    socket.close(ignored);
    context.restart();
    context.run();
    return Status(StatusCode::kTimeout, std::string(what) + " " + peer + ": no answer in " +
                                            std::to_string(timeout.count()) + " ms");
  }
  if (error) {
    boost::system::error_code ignored;
    socket.close(ignored);
    return transport_error(error, peer, what);
  }
  return Status::ok();
}

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  boost::system::error_code ec;
  const auto remote = impl_->socket.remote_endpoint(ec);
  peer_ = ec ? "?" : remote.address().to_string() + ":" + std::to_string(remote.port());
}

Connection::~Connection() = default;

Result<std::unique_ptr<Connection>> Connection::connect(const Endpoint& to, const wire::Secret& secret,
                                                       Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  auto impl = std::make_unique<Impl>();
  boost::system::error_code ec;
  const auto address = asio::ip::make_address_v4(to.host, ec);
  if (ec) return invalid_argument("bad address " + to.host);
  impl->start();
  impl->socket.async_connect(tcp::endpoint(address, to.port),
                             [raw = impl.get()](const boost::system::error_code& e) {
                               raw->finish(e);
                             });
  Status st = impl->run(timeout, "connect to", to.to_string());
  if (!st.is_ok()) return st;
  impl->socket.set_option(tcp::no_delay(true), ec);
  std::unique_ptr<Connection> c(new Connection(std::move(impl)));
  // The acceptor's challenge: the only frame taken without a tag (it binds
  // the session key, so a forged one only makes the hello fail).
  auto challenge = c->read_frame(left_until(deadline), wire::kNonceBytes, left_until(deadline));
  if (!challenge) return challenge.status();
  auto& [header, payload] = *challenge;
  auto nonce = wire::Handshake::decode(payload);
  if (header.type != wire::MsgType::kChallenge || header.sequence != 0 || !nonce) {
    c->close();
    return refused("handshake with " + to.to_string() + ": the first frame is " + wire::to_string(header.type) +
                   " (sequence " + std::to_string(header.sequence) + "), not a challenge");
  }
  wire::Nonce mine{};
  random_bytes(mine);
  c->session_ = std::make_unique<wire::Session>(wire::session_key(secret, nonce->nonce, mine), wire::Role::kConnector);
  if (Status sent = c->send(wire::MsgType::kHello, 0, wire::Handshake{mine}.encode(), left_until(deadline));
      !sent.is_ok()) {
    return sent;
  }
  return c;
}

Status Connection::accept_handshake(const wire::Secret& secret, Millis deadline_in) {
  const auto deadline = Clock::now() + deadline_in;
  wire::Nonce mine{};
  random_bytes(mine);
  wire::Header challenge;
  challenge.type = wire::MsgType::kChallenge;
  const auto bytes = wire::encode_frame(challenge, wire::Handshake{mine}.encode());
  impl_->start();
  asio::async_write(impl_->socket, asio::buffer(bytes.data(), bytes.size()),
                    [raw = impl_.get()](const boost::system::error_code& e, size_t) { raw->finish(e); });
  if (Status st = impl_->run(left_until(deadline), "send to", peer_); !st.is_ok()) return st;
  // A hello's payload is one nonce: a longer declared length is refused
  // before anything is read, so an unauthenticated peer costs no memory.
  auto hello = read_frame(left_until(deadline), wire::kNonceBytes, left_until(deadline));
  if (!hello) return hello.status();
  auto& [header, payload] = *hello;
  auto nonce = wire::Handshake::decode(payload);
  if (header.type != wire::MsgType::kHello || !nonce) {
    close();
    return refused(std::string("unauthenticated ") + wire::to_string(header.type) +
                   " frame: a connection must start with a hello");
  }
  auto session = std::make_unique<wire::Session>(wire::session_key(secret, mine, nonce->nonce), wire::Role::kAcceptor);
  if (Status st = session->open(header, payload); !st.is_ok()) {
    close();
    return st;
  }
  session_ = std::move(session);
  return Status::ok();
}

Status Connection::send(wire::MsgType type, uint64_t request_id,
                        std::span<const std::byte> payload, Millis timeout) {
  const std::array<std::span<const std::byte>, 1> one{payload};
  return send(type, request_id, one, timeout);
}

Status Connection::send(wire::MsgType type, uint64_t request_id,
                        std::span<const std::span<const std::byte>> pieces, Millis timeout) {
  if (!is_open()) return unavailable("connection to " + peer_ + " is closed");
  CAIRN_ASSERT(session_ != nullptr);
  uint64_t bytes = 0;
  uint32_t crc = 0;
  for (auto piece : pieces) {
    bytes += piece.size();
    crc = crc32c_extend(crc, piece);
  }
  if (bytes > wire::kPayloadBytesMax) {
    return invalid_argument("a " + std::to_string(bytes) + "-byte message is over the frame limit");
  }
  const wire::Header sealed = session_->seal(type, request_id, pieces, static_cast<uint32_t>(bytes), crc);
  const auto header = wire::encode_header(sealed);
  std::vector<asio::const_buffer> buffers{asio::buffer(header.data(), header.size())};
  for (auto piece : pieces) buffers.push_back(asio::buffer(piece.data(), piece.size()));
  impl_->start();
  asio::async_write(impl_->socket, buffers,
                    [raw = impl_.get()](const boost::system::error_code& e, size_t) {
                      raw->finish(e);
                    });
  return impl_->run(timeout, "send to", peer_);
}

Result<std::pair<wire::Header, std::vector<std::byte>>> Connection::read_frame(Millis timeout,
                                                                               uint32_t payload_bytes_max,
                                                                               Millis frame_deadline) {
  if (!is_open()) return unavailable("connection to " + peer_ + " is closed");
  std::array<std::byte, wire::kHeaderBytes> head{};
  // Whatever has arrived of the header's first kHeaderBytesV1 bytes (never
  // more: a version 1 header is that long), waiting at most `timeout`.
  size_t got = 0;
  impl_->start();
  impl_->socket.async_read_some(asio::buffer(head.data(), wire::kHeaderBytesV1),
                                [raw = impl_.get(), &got](const boost::system::error_code& e, size_t n) {
                                  got = n;
                                  raw->finish(e);
                                });
  if (Status st = impl_->run(timeout, "receive from", peer_); !st.is_ok()) return st;
  // A frame has started: the rest must come within the frame deadline.
  const Millis allowed = frame_deadline.count() > 0 ? frame_deadline : timeout;
  const auto deadline = Clock::now() + allowed;
  auto read_exactly = [&](std::byte* at, size_t bytes) -> Status {
    impl_->start();
    asio::async_read(impl_->socket, asio::buffer(at, bytes),
                     [raw = impl_.get()](const boost::system::error_code& e, size_t) { raw->finish(e); });
    Status st = impl_->run(left_until(deadline), "receive from", peer_);
    if (st.code() == StatusCode::kTimeout) {
      return Status(StatusCode::kTimeout, peer_ + " started a frame and did not complete it within " +
                                              std::to_string(allowed.count()) + " ms");
    }
    return st;
  };
  if (got < wire::kHeaderBytesV1) {
    if (Status st = read_exactly(head.data() + got, wire::kHeaderBytesV1 - got); !st.is_ok()) return st;
  }
  auto size = wire::header_size(std::span<const std::byte>(head).first(wire::kHeaderBytesV1));
  if (!size) {
    close();
    return size.status();
  }
  if (*size != wire::kHeaderBytes) {
    // Decoded for the log line only: version 1 carries no proof of the secret.
    auto old = wire::decode_header(std::span<const std::byte>(head).first(*size), wire::kPayloadBytesMax);
    close();
    return refused("unauthenticated wire version 1 " +
                   std::string(old ? wire::to_string(old->type) : "(unreadable)") +
                   " frame: only version 2 is served");
  }
  if (Status st = read_exactly(head.data() + wire::kHeaderBytesV1, wire::kHeaderBytes - wire::kHeaderBytesV1);
      !st.is_ok()) {
    return st;
  }
  auto header = wire::decode_header(head, payload_bytes_max);
  if (!header) {
    close();
    return header.status();
  }
  std::vector<std::byte> payload(header->payload_bytes);
  if (!payload.empty()) {
    if (Status st = read_exactly(payload.data(), payload.size()); !st.is_ok()) return st;
  }
  if (Status st = wire::check_payload(*header, payload); !st.is_ok()) {
    close();
    return st;
  }
  return std::pair{*header, std::move(payload)};
}

Result<wire::Frame> Connection::receive(Millis timeout, uint32_t payload_bytes_max, Millis frame_deadline) {
  CAIRN_ASSERT(session_ != nullptr);
  auto raw = read_frame(timeout, payload_bytes_max, frame_deadline);
  if (!raw) return raw.status();
  auto& [header, payload] = *raw;
  if (Status st = session_->open(header, payload); !st.is_ok()) {
    close();
    return st;
  }
  return wire::Frame{header.version, header.type, header.request_id, header.sequence, header.tag, std::move(payload)};
}

bool Connection::is_open() const { return impl_->socket.is_open(); }

void Connection::close() {
  boost::system::error_code ignored;
  impl_->socket.shutdown(tcp::socket::shutdown_both, ignored);
  impl_->socket.close(ignored);
}

Result<wire::Frame> exchange(Connection& connection, wire::MsgType type,
                             std::span<const std::byte> payload, Millis timeout) {
  const uint64_t id = g_request_ids.fetch_add(1);
  if (Status st = connection.send(type, id, payload, timeout); !st.is_ok()) return st;
  auto reply = connection.receive(timeout);
  if (!reply) return reply.status();
  if (reply->request_id != id) {
    connection.close();
    return corrupt("reply from " + connection.peer() + " answers request " +
                   std::to_string(reply->request_id) + ", not " + std::to_string(id));
  }
  return reply;
}

Status error_of(const wire::Frame& reply) {
  auto error = wire::ErrorReply::decode(reply.payload);
  if (!error) return error.status();
  return Status(error->code, error->message);
}

Result<wire::Frame> call(Connection& connection, wire::MsgType type,
                         std::span<const std::byte> payload, Millis timeout) {
  auto reply = exchange(connection, type, payload, timeout);
  if (reply && reply->type == wire::MsgType::kError) return error_of(*reply);
  return reply;
}

}  // namespace cairn
