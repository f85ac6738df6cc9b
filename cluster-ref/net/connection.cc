#include "cluster-ref/net/connection.h"

#include <atomic>
#include <boost/asio.hpp>

#include "cluster-ref/net/connection_impl.h"
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

Result<std::unique_ptr<Connection>> Connection::connect(const Endpoint& to, Millis timeout) {
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
  return std::unique_ptr<Connection>(new Connection(std::move(impl)));
}

Status Connection::send(wire::MsgType type, uint64_t request_id,
                        std::span<const std::byte> payload, Millis timeout) {
  const std::array<std::span<const std::byte>, 1> one{payload};
  return send(type, request_id, one, timeout);
}

Status Connection::send(wire::MsgType type, uint64_t request_id,
                        std::span<const std::span<const std::byte>> pieces, Millis timeout) {
  if (!is_open()) return unavailable("connection to " + peer_ + " is closed");
  uint64_t bytes = 0;
  uint32_t crc = 0;
  for (auto piece : pieces) {
    bytes += piece.size();
    crc = crc32c_extend(crc, piece);
  }
  if (bytes > wire::kPayloadBytesMax) {
    return invalid_argument("a " + std::to_string(bytes) + "-byte message is over the frame limit");
  }
  const auto header = wire::encode_header(type, request_id, static_cast<uint32_t>(bytes), crc);
  std::vector<asio::const_buffer> buffers{asio::buffer(header.data(), header.size())};
  for (auto piece : pieces) buffers.push_back(asio::buffer(piece.data(), piece.size()));
  impl_->start();
  asio::async_write(impl_->socket, buffers,
                    [raw = impl_.get()](const boost::system::error_code& e, size_t) {
                      raw->finish(e);
                    });
  return impl_->run(timeout, "send to", peer_);
}

Result<wire::Frame> Connection::receive(Millis timeout, uint32_t payload_bytes_max) {
  if (!is_open()) return unavailable("connection to " + peer_ + " is closed");
  std::array<std::byte, wire::kHeaderBytes> header_bytes{};
  impl_->start();
  asio::async_read(impl_->socket, asio::buffer(header_bytes.data(), header_bytes.size()),
                   [raw = impl_.get()](const boost::system::error_code& e, size_t) {
                     raw->finish(e);
                   });
  if (Status st = impl_->run(timeout, "receive from", peer_); !st.is_ok()) return st;
  auto header = wire::decode_header(header_bytes, payload_bytes_max);
  if (!header) {
    close();
    return header.status();
  }
  wire::Frame frame{header->type, header->request_id, {}};
  frame.payload.resize(header->payload_bytes);
  if (!frame.payload.empty()) {
    impl_->start();
    asio::async_read(impl_->socket, asio::buffer(frame.payload.data(), frame.payload.size()),
                     [raw = impl_.get()](const boost::system::error_code& e, size_t) {
                       raw->finish(e);
                     });
    if (Status st = impl_->run(timeout, "receive from", peer_); !st.is_ok()) return st;
  }
  if (Status st = wire::check_payload(*header, frame.payload); !st.is_ok()) {
    close();
    return st;
  }
  return frame;
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
