#include "cluster-ref/lab/lab.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster-ref/net/pool.h"
#include "cluster-ref/net/secret.h"
#include "engine/write_round.h"

namespace cairn {
namespace fs = std::filesystem;
namespace {

fs::path pid_file(const fs::path& dir, uint32_t node) {
  return dir / ("node-" + std::to_string(node) + ".pid");
}
fs::path log_file(const fs::path& dir, uint32_t node) {
  return dir / ("node-" + std::to_string(node) + ".log");
}

std::string log_tail(const fs::path& dir, uint32_t node, size_t lines_max = 5) {
  std::ifstream in(log_file(dir, node));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > lines_max) lines.erase(lines.begin());
  }
  std::string out;
  for (const auto& l : lines) out += "\n    " + l;
  return out;
}

// True when `pid` runs cairn-node (guards against a reused pid).
bool is_node_process(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (cmdline.find("cairn-node") == std::string::npos) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = s.rfind(')');
  return close != std::string::npos && close + 2 < s.size() && s[close + 2] != 'Z';
}

Result<ClusterMap> load_lab(const fs::path& dir) {
  if (!fs::exists(dir / "cluster.yaml")) {
    return not_found("no lab in " + dir.string() + " (no cluster.yaml); start one with `cairn lab up`");
  }
  return load_cluster(dir / "cluster.yaml");
}

Result<int> spawn(const fs::path& dir, uint32_t node, const fs::path& binary) {
  const std::string log = log_file(dir, node).string();
  const std::string cluster = (dir / "cluster.yaml").string();
  const std::string id = std::to_string(node);
  const pid_t pid = fork();
  if (pid < 0) return Status(StatusCode::kIoError, "fork failed");
  if (pid == 0) {
    setsid();
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    if (null >= 0) dup2(null, STDIN_FILENO);
    execlp(binary.c_str(), "cairn-node", "--cluster", cluster.c_str(), "--node", id.c_str(),
          static_cast<char*>(nullptr));
    dprintf(STDERR_FILENO, "cannot run %s: %s\n", binary.c_str(), strerror(errno));
    _exit(127);
  }
  std::ofstream(pid_file(dir, node)) << pid << "\n";
  return static_cast<int>(pid);
}

Result<SecretPtr> lab_secret(const fs::path& dir) { return load_cluster_secret(dir / "cluster.yaml"); }

// Waits until `node` answers a ping, its process dies, or 20 s pass.
Status wait_serving(const fs::path& dir, const ClusterMap& map, uint32_t node, int pid) {
  auto secret = lab_secret(dir);
  if (!secret) return secret.status();
  ConnectionPool pool(Millis(500), *secret);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      fs::remove(pid_file(dir, node));
      return unavailable("node " + std::to_string(node) + " exited at start; its log " +
                         log_file(dir, node).string() + " ends:" + log_tail(dir, node));
    }
    if (pool.call(map.node(NodeId(node)).management, wire::MsgType::kPing, {}, Millis(500))) {
      return Status::ok();
    }
    std::this_thread::sleep_for(Millis(50));
  }
  return Status(StatusCode::kTimeout, "node " + std::to_string(node) +
                                          " did not answer within 20 s; its log ends:" +
                                          log_tail(dir, node));
}

// Waits until every running node of the lab lists every running node as up
// (a node that started before its peers saw them down for a moment), for at
// most 10 s.
Status wait_running_see_each_other(const fs::path& dir, const ClusterMap& map) {
  std::vector<uint32_t> running;
  for (const NodeConfig& n : map.config.nodes) {
    if (lab_pid(dir, n.id) != 0) running.push_back(n.id);
  }
  auto secret = lab_secret(dir);
  if (!secret) return secret.status();
  ConnectionPool pool(Millis(500), *secret);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    size_t agreeing = 0;
    for (uint32_t id : running) {
      auto reply = pool.call(map.node(NodeId(id)).management, wire::MsgType::kStatus, {}, Millis(1000));
      auto status = reply ? wire::StatusReply::decode(reply->payload) : Result<wire::StatusReply>(reply.status());
      if (!status) break;
      auto json = nlohmann::json::parse(status->json, nullptr, false);
      if (!json.is_object()) break;
      std::vector<uint32_t> up = json.value("peers_up", std::vector<uint32_t>{});
      if (!std::includes(up.begin(), up.end(), running.begin(), running.end())) break;
      ++agreeing;
    }
    if (agreeing == running.size()) return Status::ok();
    std::this_thread::sleep_for(Millis(50));
  }
  return Status(StatusCode::kTimeout, "the running nodes did not all see each other up within 10 s");
}

Status write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status(StatusCode::kIoError, "cannot write " + file.string());
  return Status::ok();
}

}  // namespace

Result<ClusterConfig> lab_config(const LabSpec& spec) {
  if (spec.nodes == 0 || spec.nodes > kLabNodesMax) {
    return invalid_argument("a lab has 1 to " + std::to_string(kLabNodesMax) + " nodes");
  }
  if (spec.disks_per_node == 0 || spec.disks_per_node > kDisksPerNodeMax) {
    return invalid_argument("a lab node has 1 to 256 disks");
  }
  if (spec.base_port == 0 || spec.base_port > 65533) return invalid_argument("bad base port");
  const fs::path dir = fs::absolute(spec.dir).lexically_normal();
  ClusterConfig c;
  c.name = "lab";
  c.pool.scheme = spec.scheme;
  c.pool.domain = spec.domain;
  c.pool.strategy = spec.strategy;
  c.min_live = spec.min_live != 0 ? spec.min_live : default_min_live(spec.scheme);
  if (Status st = check_min_live(spec.scheme, c.min_live); !st.is_ok()) return st;
  c.heal_interval_ms = 500;
  c.peer_timeout_ms = 2000;
  for (uint32_t i = 0; i < spec.nodes; ++i) {
    NodeConfig n;
    n.id = i;
    n.rack = 0;
    const std::string host = "127.0.0." + std::to_string(10 + i);
    n.client = {host, spec.base_port};
    n.storage = {host, static_cast<uint16_t>(spec.base_port + 1)};
    n.management = {host, static_cast<uint16_t>(spec.base_port + 2)};
    const fs::path node_dir = dir / ("node-" + std::to_string(i));
    n.state_dir = (node_dir / "state").string();
    for (uint32_t d = 0; d < spec.disks_per_node; ++d) {
      const uint32_t id = i * spec.disks_per_node + d;
      n.disks.push_back({id, (node_dir / ("disk-" + std::to_string(d))).string(), spec.disk_capacity_bytes, false});
    }
    c.nodes.push_back(std::move(n));
  }
  return c;
}

Status lab_up(const LabSpec& spec, const fs::path& node_binary) {
  auto config = lab_config(spec);
  if (!config) return config.status();
  const fs::path dir = fs::absolute(spec.dir).lexically_normal();
  for (uint32_t i = 0; i < spec.nodes; ++i) {
    if (lab_pid(dir, i) != 0) return refused("a lab is already running in " + dir.string() +
                                             "; `cairn lab down --dir " + dir.string() + "` first");
  }
  // Checked before anything is written: e.g. too few nodes for the scheme.
  const std::string yaml = to_yaml(*config);
  auto map = build_map(yaml, (dir / "cluster.yaml").string());
  if (!map) return map.status();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status(StatusCode::kIoError, "cannot create " + dir.string() + ": " + ec.message());
  for (const NodeConfig& n : config->nodes) {
    fs::create_directories(fs::path(n.state_dir).parent_path(), ec);
    if (ec) return Status(StatusCode::kIoError, "cannot create " + n.state_dir + ": " + ec.message());
  }
  if (Status st = write_text(dir / "cluster.yaml", yaml); !st.is_ok()) return st;
  // The cluster's secret, beside the cluster file: kept when a lab was here
  // before (its clients hold it), made fresh from the OS otherwise.
  const fs::path secret_file = secret_file_for(dir / "cluster.yaml");
  if (!fs::exists(secret_file)) {
    if (Status st = write_new_secret(secret_file); !st.is_ok()) return st;
  }
  if (auto secret = load_secret(secret_file); !secret) return secret.status();
  std::vector<int> pids;
  for (uint32_t i = 0; i < spec.nodes; ++i) {
    auto pid = spawn(dir, i, node_binary);
    if (!pid) return pid.status();
    pids.push_back(*pid);
  }
  for (uint32_t i = 0; i < spec.nodes; ++i) {
    if (Status st = wait_serving(dir, *map, i, pids[i]); !st.is_ok()) {
      lab_down(dir);
      return st;
    }
  }
  if (Status st = wait_running_see_each_other(dir, *map); !st.is_ok()) {
    lab_down(dir);
    return st;
  }
  return Status::ok();
}

int lab_pid(const fs::path& dir, uint32_t node) {
  std::ifstream in(pid_file(dir, node));
  int pid = 0;
  if (!(in >> pid) || pid <= 0) return 0;
  return is_node_process(pid) ? pid : 0;
}

Status lab_down(const fs::path& dir) {
  auto map = load_lab(dir);
  if (!map) return map.status();
  const uint32_t nodes = static_cast<uint32_t>(map->config.nodes.size());
  for (uint32_t i = 0; i < nodes; ++i) {
    if (int pid = lab_pid(dir, i)) kill(pid, SIGTERM);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (uint32_t i = 0; i < nodes; ++i) {
    while (lab_pid(dir, i) != 0 && std::chrono::steady_clock::now() < deadline) {
      waitpid(-1, nullptr, WNOHANG);
      std::this_thread::sleep_for(Millis(20));
    }
    if (int pid = lab_pid(dir, i)) kill(pid, SIGKILL);
    fs::remove(pid_file(dir, i));
  }
  return Status::ok();
}

Status lab_kill(const fs::path& dir, uint32_t node) {
  auto map = load_lab(dir);
  if (!map) return map.status();
  if (node >= map->config.nodes.size()) return not_found("the lab has no node " + std::to_string(node));
  const int pid = lab_pid(dir, node);
  if (pid == 0) return refused("node " + std::to_string(node) + " is not running");
  kill(pid, SIGKILL);
  for (int i = 0; i < 250 && is_node_process(pid); ++i) {
    waitpid(pid, nullptr, WNOHANG);
    std::this_thread::sleep_for(Millis(20));
  }
  fs::remove(pid_file(dir, node));
  return Status::ok();
}

Status lab_spawn(const fs::path& dir, uint32_t node, const fs::path& node_binary) {
  auto map = load_lab(dir);
  if (!map) return map.status();
  if (node >= map->config.nodes.size()) return not_found("the lab has no node " + std::to_string(node));
  if (lab_pid(dir, node) != 0) return refused("node " + std::to_string(node) + " is already running");
  auto pid = spawn(dir, node, node_binary);
  if (!pid) return pid.status();
  return wait_serving(dir, *map, node, *pid);
}

Status lab_stop(const fs::path& dir, uint32_t node) {
  const int pid = lab_pid(dir, node);
  if (pid == 0) return Status::ok();
  kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (is_node_process(pid) && std::chrono::steady_clock::now() < deadline) {
    waitpid(pid, nullptr, WNOHANG);
    std::this_thread::sleep_for(Millis(20));
  }
  if (is_node_process(pid)) kill(pid, SIGKILL);
  fs::remove(pid_file(dir, node));
  return Status::ok();
}

Status lab_start(const fs::path& dir, uint32_t node, const fs::path& node_binary) {
  if (Status st = lab_spawn(dir, node, node_binary); !st.is_ok()) return st;
  auto map = load_lab(dir);
  if (!map) return map.status();
  return wait_running_see_each_other(dir, *map);
}

fs::path find_node_binary() {
  if (const char* env = std::getenv("CAIRN_NODE"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& candidate :
         {self.parent_path() / "cairn-node", self.parent_path().parent_path() / "cluster-ref" / "cairn-node"}) {
      if (fs::exists(candidate)) return candidate;
    }
  }
  return "cairn-node";
}

}  // namespace cairn
