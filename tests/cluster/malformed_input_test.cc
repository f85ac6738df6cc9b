// A node under hostile input (label `cluster`): garbage, truncated frames,
// lengths far past the limit, bad checksums, unknown types, requests on the
// wrong network, unauthenticated frames (no handshake, wire version 1, the
// wrong secret), replayed frames and slow senders each close only their own
// connection, with a logged reason naming the peer, while the node keeps
// serving a well-behaved client — and what was refused was not done.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "cluster-ref/formats/auth.h"
#include "cluster-ref/formats/bytes.h"
#include "cluster-ref/formats/wire.h"
#include "cluster-ref/net/secret.h"
#include "engine/checksum.h"
#include "engine/random.h"
#include "lab_fixture.h"

namespace cairn {
namespace {

// A raw TCP connection, to send what no Cairn client would. authenticate()
// runs the connector's side of the handshake by hand; frame() then seals
// frames as a client does (or a forger with the wrong secret).
class RawSocket {
 public:
  // `receive_timeout_s` only keeps a broken test from hanging: every check
  // waits for the node to act (close, reply), never for a time to pass.
  explicit RawSocket(const Endpoint& to, int receive_timeout_s = 30) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(to.port);
    inet_pton(AF_INET, to.host.c_str(), &addr.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval timeout{receive_timeout_s, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~RawSocket() { ::close(fd_); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
  bool connected() const { return connected_; }
  void send(std::span<const std::byte> bytes) {
    (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  }
  // Reads the node's challenge and answers with a hello under `secret`.
  bool authenticate(const wire::Secret& secret) {
    auto challenge = read_raw();
    if (!challenge || challenge->first.type != wire::MsgType::kChallenge) return false;
    auto nonce = wire::Handshake::decode(challenge->second);
    if (!nonce) return false;
    wire::Nonce mine{};
    random_bytes(mine);
    session_.emplace(wire::session_key(secret, nonce->nonce, mine), wire::Role::kConnector);
    send(frame(wire::MsgType::kHello, 0, wire::Handshake{mine}.encode()));
    return true;
  }
  // The next frame of this connection, sealed (a sequence number used up).
  std::vector<std::byte> frame(wire::MsgType type, uint64_t id, std::span<const std::byte> payload) {
    return session_->frame(type, id, payload);
  }
  // True when the node closed the connection (read returns 0 or reset).
  bool closed_by_peer() {
    std::byte buffer[4096];
    while (true) {
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
    }
  }
  // The reply's message type, reading one whole frame and checking its tag
  // and sequence (-1 when none arrives or it does not check).
  int reply_type() {
    auto reply = read_raw();
    if (!reply || !session_->open(reply->first, reply->second).is_ok()) return -1;
    return static_cast<int>(reply->first.type);
  }

 private:
  bool read_exactly(std::byte* out, size_t bytes) {
    size_t got = 0;
    while (got < bytes) {
      const ssize_t n = ::recv(fd_, out + got, bytes - got, 0);
      if (n <= 0) return false;
      got += static_cast<size_t>(n);
    }
    return true;
  }
  std::optional<std::pair<wire::Header, std::vector<std::byte>>> read_raw() {
    std::array<std::byte, wire::kHeaderBytes> head{};
    if (!read_exactly(head.data(), head.size())) return std::nullopt;
    auto header = wire::decode_header(head);
    if (!header) return std::nullopt;
    std::vector<std::byte> payload(header->payload_bytes);
    if (!read_exactly(payload.data(), payload.size())) return std::nullopt;
    return std::pair{*header, std::move(payload)};
  }

  int fd_ = -1;
  bool connected_ = false;
  std::optional<wire::Session> session_;
};

std::string read_log(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class MalformedInput : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(lab_.up().is_ok());
    auto client = Client::open(lab_.cluster_file());
    ASSERT_TRUE(client.is_ok());
    client_ = std::move(client).value();
    map_ = client_->map();
    auto secret = load_cluster_secret(lab_.cluster_file());
    ASSERT_TRUE(secret.is_ok()) << secret.status().message();
    secret_ = **secret;
  }
  // The node still stores and reads a file for a well-behaved client.
  void expect_serving(const std::string& tag) {
    const std::string path = "/probe/" + tag;
    std::vector<std::byte> data(5000, std::byte{42});
    auto put = client_->put(path, data, 0);
    ASSERT_TRUE(put.is_ok()) << tag << ": " << put.status().message();
    auto got = client_->get(path);
    ASSERT_TRUE(got.is_ok()) << tag << ": " << got.status().message();
    EXPECT_EQ(got->data, data);
  }
  // A raw connection to node 0's client network, authenticated.
  std::unique_ptr<RawSocket> authenticated(const Endpoint& to) {
    auto s = std::make_unique<RawSocket>(to);
    EXPECT_TRUE(s->connected());
    EXPECT_TRUE(s->authenticate(secret_));
    return s;
  }
  std::vector<std::byte> delete_of(const std::string& path) const {
    return wire::DeleteRequest{map_->epoch(), path}.encode();
  }
  std::string log0() const { return read_log(lab_.spec().dir / "node-0.log"); }
  const Endpoint& client_endpoint() const { return map_->node(NodeId(0)).client; }

  testing::LabCluster lab_{3, 1, Scheme::replica(3)};
  std::unique_ptr<Client> client_;
  std::shared_ptr<const ClusterMap> map_;
  wire::Secret secret_{};
};

TEST_F(MalformedInput, GarbageClosesOnlyThatConnection) {
  SplitMix64 rng(7);
  for (int round = 0; round < 20; ++round) {
    // Half the rounds before the handshake, half after it.
    std::unique_ptr<RawSocket> s = round % 2 == 0 ? std::make_unique<RawSocket>(client_endpoint())
                                                  : authenticated(client_endpoint());
    ASSERT_TRUE(s->connected());
    // At least a header's worth: fewer bytes just wait for the rest (until the frame deadline).
    std::vector<std::byte> junk(wire::kHeaderBytes + rng.below(2000));
    for (auto& b : junk) b = static_cast<std::byte>(rng.next());
    s->send(junk);
    EXPECT_TRUE(s->closed_by_peer()) << "round " << round;
  }
  expect_serving("garbage");
  EXPECT_NE(log0().find("bad magic"), std::string::npos);
}

TEST_F(MalformedInput, OversizedLengthIsRefusedBeforeAnyPayload) {
  auto s = authenticated(client_endpoint());
  auto frame = s->frame(wire::MsgType::kPut, 1, {});
  // Claim a 4 GiB payload and fix the header CRC so only the length is wrong.
  std::span<std::byte> h(frame);
  bytes::store_le<uint32_t>(h, 16, 0xFFFFFFF0);
  bytes::store_le<uint32_t>(h, 64, crc32c(std::span<const std::byte>(frame).first(64)));
  s->send(frame);
  EXPECT_TRUE(s->closed_by_peer());
  expect_serving("oversized");
  EXPECT_NE(log0().find("limit"), std::string::npos);
}

TEST_F(MalformedInput, TruncatedAndCorruptFramesCloseTheirConnection) {
  const wire::PutRequest put{1, "/x", 0, std::vector<std::byte>(1000, std::byte{1})};
  {
    auto s = authenticated(client_endpoint());  // header and half the payload, then gone
    const auto frame = s->frame(wire::MsgType::kPut, 9, put.encode());
    s->send(std::span(frame).first(wire::kHeaderBytes + 100));
  }
  {
    auto s = authenticated(client_endpoint());  // a flipped payload byte: payload CRC fails
    auto bad = s->frame(wire::MsgType::kPut, 9, put.encode());
    bad[wire::kHeaderBytes + 50] ^= std::byte{1};
    s->send(bad);
    EXPECT_TRUE(s->closed_by_peer());
  }
  {
    auto s = authenticated(client_endpoint());  // an unknown message type
    auto bad = s->frame(wire::MsgType::kPut, 9, put.encode());
    bad[5] = std::byte{200};
    s->send(bad);
    EXPECT_TRUE(s->closed_by_peer());
  }
  {
    auto s = authenticated(client_endpoint());  // a well-framed payload that decodes to nonsense
    const std::vector<std::byte> nonsense(10, std::byte{0xff});
    s->send(s->frame(wire::MsgType::kPut, 3, nonsense));
    EXPECT_EQ(s->reply_type(), static_cast<int>(wire::MsgType::kError));
  }
  expect_serving("truncated");
}

TEST_F(MalformedInput, RequestsOnTheWrongNetworkAreRefused) {
  auto s = authenticated(map_->node(NodeId(0)).management);
  const wire::PutRequest put{1, "/x", 0, {}};
  s->send(s->frame(wire::MsgType::kPut, 1, put.encode()));
  EXPECT_EQ(s->reply_type(), static_cast<int>(wire::MsgType::kError));
  expect_serving("wrong-network");
}

// Without the secret nothing is done: a delete sent as wire version 1 (what
// every client sent before), as version 2 without a handshake, and after a
// handshake under the wrong secret, on every network. The file survives and
// each refusal is logged with its reason.
TEST_F(MalformedInput, UnauthenticatedFramesAreRefused) {
  const std::vector<std::byte> data(3000, std::byte{7});
  ASSERT_TRUE(client_->put("/victim", data, 0).is_ok());
  const NodeConfig& node = map_->node(NodeId(0));
  for (const Endpoint& at : {node.client, node.storage, node.management}) {
    {
      RawSocket s(at);
      s.send(wire::encode_frame_v1(wire::MsgType::kDelete, 1, delete_of("/victim")));
      EXPECT_TRUE(s.closed_by_peer()) << at.to_string();
    }
    {
      RawSocket s(at);  // tagged with a session of its own making
      wire::Session forged(wire::Secret{}, wire::Role::kConnector);
      s.send(forged.frame(wire::MsgType::kDelete, 1, delete_of("/victim")));
      EXPECT_TRUE(s.closed_by_peer()) << at.to_string();
    }
    {
      RawSocket s(at);  // a full handshake, under the wrong secret
      wire::Secret wrong = secret_;
      wrong[0] ^= std::byte{1};
      ASSERT_TRUE(s.authenticate(wrong));
      s.send(s.frame(wire::MsgType::kDelete, 1, delete_of("/victim")));
      EXPECT_TRUE(s.closed_by_peer()) << at.to_string();
    }
  }
  auto got = client_->get("/victim");
  ASSERT_TRUE(got.is_ok()) << got.status().message();
  EXPECT_EQ(got->data, data);
  expect_serving("unauthenticated");
  const std::string log = log0();
  for (const char* network : {"client", "storage", "management"}) {  // "client: refusing 127.0.0.1:44370: ..."
    EXPECT_NE(log.find(std::string(network) + ": refusing 127.0.0.1:"), std::string::npos) << network << "\n" << log;
  }
  EXPECT_NE(log.find("unauthenticated wire version 1 delete frame"), std::string::npos) << log;
  EXPECT_NE(log.find("a connection must start with a hello"), std::string::npos) << log;
  EXPECT_NE(log.find("fails its tag"), std::string::npos) << log;
}

// A delete captured off a good connection and sent again — on its own
// connection, on another authenticated one, on a fresh one — is refused
// each time: the file written after it stays.
TEST_F(MalformedInput, ReplayedRequestIsRefused) {
  const std::vector<std::byte> first(2000, std::byte{1}), second(2000, std::byte{2});
  ASSERT_TRUE(client_->put("/replayed", first, 0).is_ok());
  auto a = authenticated(client_endpoint());
  const auto captured = a->frame(wire::MsgType::kDelete, 5, delete_of("/replayed"));
  a->send(captured);
  ASSERT_EQ(a->reply_type(), static_cast<int>(wire::MsgType::kPutReply));
  EXPECT_EQ(client_->get("/replayed").status().code(), StatusCode::kNotFound);  // the delete was done once
  ASSERT_TRUE(client_->put("/replayed", second, 0).is_ok());

  a->send(captured);  // the same connection: its sequence number is spent
  EXPECT_TRUE(a->closed_by_peer());
  auto b = authenticated(client_endpoint());
  b->send(captured);  // another connection: another session key, and the same sequence number would be due
  EXPECT_TRUE(b->closed_by_peer());
  RawSocket c(client_endpoint());
  c.send(captured);  // no handshake at all
  EXPECT_TRUE(c.closed_by_peer());

  auto got = client_->get("/replayed");
  ASSERT_TRUE(got.is_ok()) << got.status().message();
  EXPECT_EQ(got->data, second);
  expect_serving("replayed");
  const std::string log = log0();
  EXPECT_NE(log.find("a replayed or reordered frame"), std::string::npos) << log;
  EXPECT_NE(log.find("fails its tag"), std::string::npos) << log;
}

// A peer that starts a frame and stops — in the handshake, half-way through
// a header, half-way through a payload — is cut off by the node at its frame
// deadline (10 s by default); meanwhile and afterwards the node serves
// others. What is asserted is that the node closes each connection, not how
// fast.
TEST_F(MalformedInput, SlowSenderIsCutOff) {
  const wire::PutRequest put{1, "/slow", 0, std::vector<std::byte>(4000, std::byte{3})};
  RawSocket silent(client_endpoint(), 120);  // connects, never says hello
  auto half_header = authenticated(client_endpoint());
  auto half_payload = authenticated(client_endpoint());
  const auto frame_a = half_header->frame(wire::MsgType::kPut, 1, put.encode());
  const auto frame_b = half_payload->frame(wire::MsgType::kPut, 1, put.encode());
  half_header->send(std::span(frame_a).first(wire::kHeaderBytes / 2));
  half_payload->send(std::span(frame_b).first(wire::kHeaderBytes + 2000));
  expect_serving("while-stalled");  // the stalled peers hold no one else up
  EXPECT_TRUE(silent.closed_by_peer());
  EXPECT_TRUE(half_header->closed_by_peer());
  EXPECT_TRUE(half_payload->closed_by_peer());
  expect_serving("after-stalled");
  EXPECT_EQ(client_->get("/slow").status().code(), StatusCode::kNotFound);
  const std::string log = log0();
  EXPECT_NE(log.find("started a frame and did not complete it within 10000 ms"), std::string::npos) << log;
}

}  // namespace
}  // namespace cairn
