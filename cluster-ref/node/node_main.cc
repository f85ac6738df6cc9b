// cairn-node: one node of a Cairn reference cluster.
//
//   cairn-node --cluster FILE --node ID [--log-level debug|info|warn|error]
//
// Serves the node's disks until SIGTERM or SIGINT. It may also be killed at
// any instant: every acknowledged write is already durable, and pending heals
// are in the state directory.
//
// CAIRN_NODE_CLOCK_OFFSET_S (tests only): shifts the node's wall clock by
// that many seconds, to show that a clock set back does not move the
// compliance clock (compliance_clock.h) back.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdlib>
#include <iostream>

#include "cluster-ref/net/log.h"
#include "cluster-ref/node/node.h"

int main(int argc, char** argv) {
  CLI::App app{"cairn-node: serve one node of a Cairn reference cluster.", "cairn-node"};
  std::string cluster_file;
  uint32_t node_id = 0;
  std::string level = "info";
  app.add_option("--cluster", cluster_file, "cluster file (YAML) naming every node and disk")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--node", node_id, "this node's id in the cluster file")->required();
  app.add_option("--log-level", level, "least severe messages logged")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  CLI11_PARSE(app, argc, argv);

  using cairn::log::Level;
  cairn::log::set_log_name("node" + std::to_string(node_id));
  cairn::log::set_log_level(level == "debug"  ? Level::kDebug
                            : level == "warn" ? Level::kWarn
                            : level == "error" ? Level::kError
                                               : Level::kInfo);
  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto map = cairn::load_cluster(cluster_file);
  if (!map) {
    std::cerr << "cairn-node: " << map.status().message() << "\n";
    return 1;
  }
  int64_t offset_ns = 0;
  if (const char* offset = std::getenv("CAIRN_NODE_CLOCK_OFFSET_S"); offset != nullptr && *offset != '\0') {
    char* end = nullptr;
    const long long s = std::strtoll(offset, &end, 10);
    if (*end != '\0' || s < -3'153'600'000LL || s > 3'153'600'000LL) {
      std::cerr << "cairn-node: CAIRN_NODE_CLOCK_OFFSET_S must be whole seconds within a century\n";
      return 1;
    }
    offset_ns = s * 1'000'000'000LL;
    cairn::log::warn() << "wall clock shifted by " << s << " s (CAIRN_NODE_CLOCK_OFFSET_S, for tests)";
  }
  auto node = cairn::Node::open(std::move(map).value(), cairn::NodeId(node_id), offset_ns);
  if (!node) {
    std::cerr << "cairn-node: " << node.status().message() << "\n";
    return 1;
  }
  if (cairn::Status st = (*node)->start(); !st.is_ok()) {
    std::cerr << "cairn-node: " << st.message() << "\n";
    return 1;
  }
  int signal = 0;
  sigwait(&stop_signals, &signal);
  cairn::log::info() << "stopping on signal " << signal;
  (*node)->stop();
  return 0;
}
