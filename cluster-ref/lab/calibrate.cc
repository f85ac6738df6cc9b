#include "cluster-ref/lab/calibrate.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "cluster-ref/client/client.h"
#include "cluster-ref/lab/lab_lifecycle.h"
#include "cluster-ref/store/disk_store.h"
#include "cluster-ref/store/posix_file.h"
#include "engine/pace.h"
#include "engine/random.h"
#include "engine/checksum.h"

namespace cairn {
namespace fs = std::filesystem;
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

constexpr uint64_t kBandwidthFileBytes = uint64_t{64} << 20;

// A socket that closes itself.
struct Socket {
  int fd = -1;
  explicit Socket(int f) : fd(f) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
};

sockaddr_in address_of(const std::string& host, uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, host.c_str(), &a.sin_addr);
  return a;
}

bool send_all(int fd, const std::byte* data, size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool recv_all(int fd, std::byte* data, size_t n) {
  while (n > 0) {
    const ssize_t r = ::recv(fd, data, n, 0);
    if (r <= 0) return false;
    data += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

}  // namespace

std::vector<std::byte> calibration_file(uint64_t size, uint64_t i) {
  SplitMix64 rng(0x63616c6962726174ULL ^ i);
  std::vector<std::byte> out(size);
  for (size_t j = 0; j < out.size(); j += 8) {
    const uint64_t v = rng.next();
    for (size_t b = 0; b < 8 && j + b < out.size(); ++b) out[j + b] = static_cast<std::byte>(v >> (8 * b));
  }
  return out;
}

Result<DiskRates> measure_disk(const fs::path& scratch, uint64_t member_bytes, uint32_t puts) {
  std::error_code ec;
  fs::remove_all(scratch, ec);
  fs::create_directories(scratch, ec);
  if (ec) return Status(StatusCode::kIoError, "create " + scratch.string() + ": " + ec.message());
  DiskRates rates;
  // Bandwidth: one large file, written and synced, then read cold.
  {
    const std::string big = (scratch / "bandwidth").string();
    const std::vector<std::byte> data = calibration_file(kBandwidthFileBytes, 0);
    auto start = std::chrono::steady_clock::now();
    if (Status st = posix::write_new_file_synced(big, data); !st.is_ok()) return st;
    rates.write_bytes_per_s = static_cast<double>(data.size()) / seconds_since(start);
    const int fd = ::open(big.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);  // clean pages: drop them, so the read is the disk's
      ::close(fd);
    }
    start = std::chrono::steady_clock::now();
    auto back = posix::read_file(big, data.size());
    if (!back) return back.status();
    rates.read_bytes_per_s = static_cast<double>(back->size()) / seconds_since(start);
    (void)posix::unlink_file(big);
  }
  // Operation rate: the store's own puts, as many at once as a worker has.
  auto store = DiskStore::open(scratch / "store", 0, 0, uint64_t{1} << 40);
  if (!store) return store.status();
  const std::vector<std::byte> payload = calibration_file(member_bytes, 1);
  FileRecord record;
  record.scheme = Scheme::replica(1);
  record.version = 1;
  record.payload_bytes = static_cast<uint32_t>(payload.size());
  record.payload_crc = crc32c(payload);
  record.file_bytes = payload.size();
  record.file_crc = record.payload_crc;
  // The first put makes the directory, which the counted case assumes exists.
  if (Status st = (*store)->put("/calibrate/first", record, payload); !st.is_ok()) return st;
  const StoreOps before = posix::op_counts();
  std::atomic<uint32_t> next{0};
  std::atomic<bool> failed{false};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (size_t t = 0; t < kFilesInFlight; ++t)
    workers.emplace_back([&] {
      for (uint32_t i; (i = next.fetch_add(1)) < puts;)
        if (!(*store)->put("/calibrate/f" + std::to_string(i), record, payload).is_ok()) failed = true;
    });
  for (auto& w : workers) w.join();
  const double elapsed = seconds_since(start);
  if (failed) return Status(StatusCode::kIoError, "a calibration put failed in " + scratch.string());
  uint32_t device_ops = posix::op_counts().device_ops() - before.device_ops();
  const double byte_time = static_cast<double>(puts) * static_cast<double>(member_bytes) / rates.write_bytes_per_s;
  // The bytes' share is the sequential rate's; what is left is the operations'.
  rates.ops_per_s = static_cast<double>(device_ops) / std::max(elapsed - byte_time, elapsed * 0.05);
  rates.puts = puts;
  store->reset();
  fs::remove_all(scratch, ec);
  return rates;
}

Result<NetworkRates> measure_network(const std::string& from, const std::string& to) {
  Socket listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in at = address_of(to, 0);
  if (listener.fd < 0 || ::bind(listener.fd, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0 ||
      ::listen(listener.fd, 1) != 0)
    return Status(StatusCode::kIoError, "listen on " + to + ": " + std::strerror(errno));
  socklen_t len = sizeof at;
  ::getsockname(listener.fd, reinterpret_cast<sockaddr*>(&at), &len);
  constexpr size_t kChunk = 1 << 20, kChunks = 256, kPings = 2000;
  std::thread server([&] {
    Socket conn(::accept(listener.fd, nullptr, nullptr));
    if (conn.fd < 0) return;
    std::vector<std::byte> buffer(kChunk);
    for (size_t i = 0; i < kChunks; ++i)
      if (!recv_all(conn.fd, buffer.data(), kChunk)) return;
    std::byte one{};
    if (!send_all(conn.fd, &one, 1)) return;  // all received
    const int yes = 1;
    ::setsockopt(conn.fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    for (size_t i = 0; i < kPings; ++i)
      if (!recv_all(conn.fd, &one, 1) || !send_all(conn.fd, &one, 1)) return;
  });
  Socket client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in self = address_of(from, 0);
  NetworkRates rates;
  bool ok = client.fd >= 0 && ::bind(client.fd, reinterpret_cast<sockaddr*>(&self), sizeof self) == 0 &&
            ::connect(client.fd, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0;
  if (ok) {
    const std::vector<std::byte> chunk = calibration_file(kChunk, 2);
    auto start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < kChunks && ok; ++i) ok = send_all(client.fd, chunk.data(), kChunk);
    std::byte one{};
    ok = ok && recv_all(client.fd, &one, 1);
    rates.bytes_per_s = static_cast<double>(kChunk * kChunks) / seconds_since(start);
    const int yes = 1;
    ::setsockopt(client.fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < kPings && ok; ++i) ok = send_all(client.fd, &one, 1) && recv_all(client.fd, &one, 1);
    rates.latency_s = seconds_since(start) / kPings / 2;
  }
  const int err = errno;
  ::shutdown(client.fd, SHUT_RDWR);
  server.join();
  if (!ok) return Status(StatusCode::kIoError, "TCP from " + from + " to " + to + ": " + std::strerror(err));
  return rates;
}

std::pair<uint32_t, uint32_t> disk_to_rebuild(const ClusterMap& map) {
  for (const Group& group : map.pool.placement.groups) {
    if (group.retired || group.members.empty()) continue;
    const DiskId disk = group.members.front();
    const NodeConfig& node = map.node(map.node_of(disk));
    uint32_t position = 0;
    for (const DiskConfig& d : node.disks) {
      if (d.id == disk.value) return {node.id, position};
      position += d.retired ? 0 : 1;
    }
  }
  return {0, 0};
}

Result<PilotCosts> measure_pilots(const LabSpec& shape, uint32_t increment, uint32_t files,
                                  const std::vector<uint64_t>& file_sizes, const CalibrateProgress& progress) {
  if (file_sizes.empty() || files == 0) return invalid_argument("a pilot needs files and their sizes");
  LifecycleOptions quiet;
  quiet.timeout = std::chrono::seconds(1800);
  struct Pilot {
    double put_s = 0;
    LifecycleReport rebuild, grow;
  };
  Pilot pilots[2];
  for (int p = 0; p < 2; ++p) {
    LabSpec spec = shape;
    spec.dir = shape.dir / (p == 0 ? "pilot-empty" : "pilot-files");
    std::error_code ec;
    fs::remove_all(spec.dir, ec);
    const uint32_t count = p == 0 ? 0 : files;
    if (progress) progress("pilot lab " + std::to_string(p + 1) + " of 2: " + std::to_string(count) + " files");
    if (Status st = lab_up(spec, find_node_binary()); !st.is_ok()) return st;
    auto down = [&] {
      (void)lab_down(spec.dir);
      fs::remove_all(spec.dir, ec);
    };
    if (count > 0) {
      auto client = Client::open(spec.dir / "cluster.yaml");
      if (!client) return down(), client.status();
      const auto start = std::chrono::steady_clock::now();
      for (uint32_t i = 0; i < count; ++i) {
        auto put = (*client)->put("/calibrate/pilot/IM-" + std::to_string(i) + ".dcm",
                                  calibration_file(file_sizes[i % file_sizes.size()], i), 0);
        if (!put) return down(), put.status();
      }
      pilots[p].put_s = seconds_since(start) / count;
    }
    // What the puts left dirty is written back now, not during the rebuild
    // it would slow (the lab's own files were stored long before).
    if (Status st = posix::sync_filesystem(spec.dir.string()); !st.is_ok()) return down(), st;
    auto map = load_cluster(spec.dir / "cluster.yaml");
    if (!map) return down(), map.status();
    const auto [node, disk] = disk_to_rebuild(*map);
    auto rebuilt = lab_replace_disk(spec.dir, node, disk, quiet);
    if (!rebuilt) return down(), rebuilt.status();
    pilots[p].rebuild = *rebuilt;
    auto grown = lab_add_nodes(spec.dir, increment, find_node_binary(), quiet);
    if (!grown) return down(), grown.status();
    pilots[p].grow = *grown;
    down();
  }
  PilotCosts costs;
  const Pilot &empty = pilots[0], &full = pilots[1];
  costs.put_file_s = full.put_s;
  costs.heal_fixed_s = empty.rebuild.seconds;
  costs.move_fixed_s = empty.grow.seconds;
  costs.heal_files = full.rebuild.files;
  costs.move_files = full.grow.files;
  if (full.rebuild.files > 0)
    costs.heal_file_s = std::max(0.0, full.rebuild.seconds - empty.rebuild.seconds) /
                        static_cast<double>(full.rebuild.files);
  // The movers of every old node run at once: the cost per file of one node.
  const double per_node = static_cast<double>(full.grow.files) / static_cast<double>(shape.nodes);
  if (per_node > 0) costs.move_file_s = std::max(0.0, full.grow.seconds - empty.grow.seconds) / per_node;
  return costs;
}

}  // namespace cairn
