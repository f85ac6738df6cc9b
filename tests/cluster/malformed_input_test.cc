// A node under hostile input (label `cluster`): garbage, truncated frames,
// lengths far past the limit, bad checksums, unknown types and requests on
// the wrong network each close only their own connection, with a logged
// reason, while the node keeps serving a well-behaved client.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "cluster-ref/formats/bytes.h"
#include "engine/checksum.h"
#include "cluster-ref/formats/wire.h"
#include "engine/random.h"
#include "lab_fixture.h"

namespace cairn {
namespace {

// A raw TCP connection, to send what no Cairn client would.
class RawSocket {
 public:
  explicit RawSocket(const Endpoint& to) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(to.port);
    inet_pton(AF_INET, to.host.c_str(), &addr.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~RawSocket() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send(std::span<const std::byte> bytes) {
    (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
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
  // The reply's message type, reading one whole frame.
  int reply_type() {
    std::byte header[wire::kHeaderBytes];
    size_t got = 0;
    while (got < sizeof header) {
      const ssize_t n = ::recv(fd_, header + got, sizeof header - got, 0);
      if (n <= 0) return -1;
      got += static_cast<size_t>(n);
    }
    return static_cast<int>(header[5]);
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
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
  const Endpoint& client_endpoint() const { return map_->node(NodeId(0)).client; }

  testing::LabCluster lab_{3, 1, Scheme::replica(3)};
  std::unique_ptr<Client> client_;
  std::shared_ptr<const ClusterMap> map_;
};

TEST_F(MalformedInput, GarbageClosesOnlyThatConnection) {
  SplitMix64 rng(7);
  for (int round = 0; round < 20; ++round) {
    RawSocket s(client_endpoint());
    ASSERT_TRUE(s.connected());
    // At least a header's worth: fewer bytes just wait for the rest (until the idle timeout).
    std::vector<std::byte> junk(wire::kHeaderBytes + rng.below(2000));
    for (auto& b : junk) b = static_cast<std::byte>(rng.next());
    s.send(junk);
    EXPECT_TRUE(s.closed_by_peer()) << "round " << round;
  }
  expect_serving("garbage");
  EXPECT_NE(read_log(lab_.spec().dir / "node-0.log").find("bad magic"), std::string::npos);
}

TEST_F(MalformedInput, OversizedLengthIsRefusedBeforeAnyPayload) {
  auto header = wire::encode_header(wire::MsgType::kPut, 1, {});
  // Claim a 4 GiB payload and fix the header CRC so only the length is wrong.
  std::span<std::byte> h(header);
  bytes::store_le<uint32_t>(h, 16, 0xFFFFFFF0);
  bytes::store_le<uint32_t>(h, 24, crc32c(std::span<const std::byte>(header).first(24)));
  RawSocket s(client_endpoint());
  s.send(header);
  EXPECT_TRUE(s.closed_by_peer());
  expect_serving("oversized");
  EXPECT_NE(read_log(lab_.spec().dir / "node-0.log").find("closing"), std::string::npos);
}

TEST_F(MalformedInput, TruncatedAndCorruptFramesCloseTheirConnection) {
  const wire::PutRequest put{1, "/x", 0, std::vector<std::byte>(1000, std::byte{1})};
  const auto frame = wire::encode_frame(wire::MsgType::kPut, 9, put.encode());
  {
    RawSocket s(client_endpoint());  // header and half the payload, then silence
    s.send(std::span(frame).first(wire::kHeaderBytes + 100));
  }
  {
    RawSocket s(client_endpoint());  // a flipped payload byte: payload CRC fails
    auto bad = frame;
    bad[wire::kHeaderBytes + 50] ^= std::byte{1};
    s.send(bad);
    EXPECT_TRUE(s.closed_by_peer());
  }
  {
    RawSocket s(client_endpoint());  // an unknown message type
    auto bad = frame;
    bad[5] = std::byte{200};
    s.send(bad);
    EXPECT_TRUE(s.closed_by_peer());
  }
  {
    RawSocket s(client_endpoint());  // a well-framed payload that decodes to nonsense
    const std::vector<std::byte> nonsense(10, std::byte{0xff});
    s.send(wire::encode_frame(wire::MsgType::kPut, 3, nonsense));
    EXPECT_EQ(s.reply_type(), static_cast<int>(wire::MsgType::kError));
  }
  expect_serving("truncated");
}

TEST_F(MalformedInput, RequestsOnTheWrongNetworkAreRefused) {
  RawSocket s(map_->node(NodeId(0)).management);
  const wire::PutRequest put{1, "/x", 0, {}};
  s.send(wire::encode_frame(wire::MsgType::kPut, 1, put.encode()));
  EXPECT_EQ(s.reply_type(), static_cast<int>(wire::MsgType::kError));
  expect_serving("wrong-network");
}

}  // namespace
}  // namespace cairn
