#include "cluster-ref/cluster_file.h"

#include <yaml-cpp/yaml.h>

#include <arpa/inet.h>

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/units.h"
#include "engine/write_round.h"

namespace cairn {
namespace {

// A parse error at a node of the document: "FILE:LINE:COL: KEY: MESSAGE".
struct ParseError {
  std::string text;
};

[[noreturn]] void fail(std::string_view source, const YAML::Node& at, const std::string& key,
                       const std::string& message) {
  const YAML::Mark mark = at.Mark();
  const int line = mark.is_null() ? 1 : mark.line + 1;
  const int column = mark.is_null() ? 1 : mark.column + 1;
  throw ParseError{std::string(source) + ":" + std::to_string(line) + ":" + std::to_string(column) +
                   ": " + key + ": " + message};
}

void only_keys(std::string_view source, const YAML::Node& map, const std::string& key,
               const std::set<std::string>& allowed) {
  if (!map.IsMap()) fail(source, map, key, "expected a mapping");
  for (const auto& entry : map) {
    const auto name = entry.first.as<std::string>();
    if (!allowed.contains(name)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail(source, entry.first, key.empty() ? name : key + "." + name,
           "unknown key (allowed: " + list + ")");
    }
  }
}

YAML::Node required(std::string_view source, const YAML::Node& map, const std::string& parent,
                    const char* name) {
  YAML::Node value = map[name];
  if (!value) fail(source, map, parent.empty() ? name : parent + "." + name, "missing");
  return value;
}

std::string scalar(std::string_view source, const YAML::Node& value, const std::string& key) {
  if (!value.IsScalar()) fail(source, value, key, "expected a single value");
  return value.Scalar();
}

uint64_t count(std::string_view source, const YAML::Node& value, const std::string& key) {
  auto parsed = parse_count(scalar(source, value, key));
  if (!parsed) fail(source, value, key, parsed.status().message());
  return *parsed;
}

template <class T>
T checked(std::string_view source, const YAML::Node& value, const std::string& key,
          Result<T> parsed) {
  if (!parsed) fail(source, value, key, parsed.status().message());
  return std::move(parsed).value();
}

PoolSpec parse_pool(std::string_view source, const YAML::Node& pool, uint32_t* min_live) {
  only_keys(source, pool, "pool", {"scheme", "domain", "strategy", "min_live", "seed"});
  PoolSpec spec;
  const YAML::Node scheme = required(source, pool, "pool", "scheme");
  spec.scheme = checked(source, scheme, "pool.scheme", Scheme::parse(scalar(source, scheme, "pool.scheme")));
  if (auto d = pool["domain"]) {
    spec.domain = checked(source, d, "pool.domain", parse_failure_domain(scalar(source, d, "pool.domain")));
  }
  if (auto s = pool["strategy"]) {
    spec.strategy =
        checked(source, s, "pool.strategy", parse_group_strategy(scalar(source, s, "pool.strategy")));
  }
  if (auto s = pool["seed"]) spec.seed = count(source, s, "pool.seed");
  if (auto m = pool["min_live"]) {
    *min_live = static_cast<uint32_t>(std::min<uint64_t>(count(source, m, "pool.min_live"), 255));
    const Status ok = check_min_live(spec.scheme, *min_live);
    if (!ok.is_ok()) fail(source, m, "pool.min_live", ok.message());
  } else {
    *min_live = default_min_live(spec.scheme);
  }
  return spec;
}

uint32_t milliseconds(std::string_view source, const YAML::Node& value, const std::string& key) {
  const double s = checked(source, value, key, parse_duration_s(scalar(source, value, key)));
  if (s < 0.01 || s > 3600) fail(source, value, key, "must be between 10 ms and 1 h");
  return static_cast<uint32_t>(s * 1000 + 0.5);
}

// A background budget: at least 1 MB/s, at most 100 GB/s.
uint64_t rate(std::string_view source, const YAML::Node& value, const std::string& key) {
  const double r = checked(source, value, key, parse_rate_bytes_per_s(scalar(source, value, key)));
  if (r < 1e6 || r > 1e11) fail(source, value, key, "must be between 1 MB/s and 100 GB/s");
  return static_cast<uint64_t>(r + 0.5);
}

NodeConfig parse_node(std::string_view source, const YAML::Node& node, size_t index) {
  const std::string key = "nodes[" + std::to_string(index) + "]";
  only_keys(source, node, key,
            {"id", "rack", "client", "storage", "management", "state_dir", "disks"});
  NodeConfig n;
  const YAML::Node id = required(source, node, key, "id");
  n.id = static_cast<uint32_t>(count(source, id, key + ".id"));
  if (n.id != index) {
    fail(source, id, key + ".id", "node ids are 0, 1, 2 … in file order; expected " +
                                      std::to_string(index));
  }
  if (auto r = node["rack"]) n.rack = static_cast<uint32_t>(std::min<uint64_t>(count(source, r, key + ".rack"), kClusterNodesMax));
  for (auto [name, out] : {std::pair{"client", &n.client}, std::pair{"storage", &n.storage},
                           std::pair{"management", &n.management}}) {
    const YAML::Node v = required(source, node, key, name);
    *out = checked(source, v, key + "." + name, parse_endpoint(scalar(source, v, key + "." + name)));
  }
  const YAML::Node state = required(source, node, key, "state_dir");
  n.state_dir = scalar(source, state, key + ".state_dir");
  const YAML::Node disks = required(source, node, key, "disks");
  if (!disks.IsSequence() || disks.size() == 0 || disks.size() > kDisksPerNodeMax) {
    fail(source, disks, key + ".disks", "expected a list of 1 to 256 disks");
  }
  for (size_t i = 0; i < disks.size(); ++i) {
    const std::string dkey = key + ".disks[" + std::to_string(i) + "]";
    only_keys(source, disks[i], dkey, {"path", "capacity"});
    DiskConfig d;
    d.path = scalar(source, required(source, disks[i], dkey, "path"), dkey + ".path");
    const YAML::Node cap = required(source, disks[i], dkey, "capacity");
    const double bytes =
        checked(source, cap, dkey + ".capacity", parse_size_bytes(scalar(source, cap, dkey + ".capacity")));
    if (bytes < 1e6) fail(source, cap, dkey + ".capacity", "a disk needs at least 1 MB");
    d.capacity_bytes = static_cast<uint64_t>(bytes);
    n.disks.push_back(std::move(d));
  }
  return n;
}

void check_unique_endpoints(std::string_view source, const YAML::Node& nodes,
                            const std::vector<NodeConfig>& parsed) {
  std::set<std::string> seen;
  for (size_t i = 0; i < parsed.size(); ++i) {
    for (const Endpoint* e : {&parsed[i].client, &parsed[i].storage, &parsed[i].management}) {
      if (!seen.insert(e->to_string()).second) {
        fail(source, nodes[i], "nodes[" + std::to_string(i) + "]",
             "address " + e->to_string() + " is used twice");
      }
    }
  }
}

ClusterConfig parse_document(std::string_view source, const YAML::Node& doc) {
  only_keys(source, doc, "", {"cairn_cluster", "name", "epoch", "pool", "timing", "budget", "nodes"});
  const YAML::Node format = required(source, doc, "", "cairn_cluster");
  if (count(source, format, "cairn_cluster") != kClusterFileFormat) {
    fail(source, format, "cairn_cluster", "this build reads cluster file format 1");
  }
  ClusterConfig c;
  if (auto n = doc["name"]) c.name = scalar(source, n, "name");
  if (auto e = doc["epoch"]) c.epoch = count(source, e, "epoch");
  if (c.epoch == 0) fail(source, doc["epoch"], "epoch", "epochs start at 1");
  c.pool = parse_pool(source, required(source, doc, "", "pool"), &c.min_live);
  if (auto t = doc["timing"]) {
    only_keys(source, t, "timing", {"heal_interval", "peer_timeout", "scrub_interval"});
    if (auto h = t["heal_interval"]) c.heal_interval_ms = milliseconds(source, h, "timing.heal_interval");
    if (auto p = t["peer_timeout"]) c.peer_timeout_ms = milliseconds(source, p, "timing.peer_timeout");
    if (auto i = t["scrub_interval"]) {
      const double s = checked(source, i, "timing.scrub_interval",
                               parse_duration_s(scalar(source, i, "timing.scrub_interval")));
      if (s < 1 || s > 366 * 86400.0) fail(source, i, "timing.scrub_interval", "must be between 1 s and 366 days");
      c.scrub_interval_s = static_cast<uint64_t>(s + 0.5);
    }
  }
  if (auto b = doc["budget"]) {
    only_keys(source, b, "budget", {"scrub"});
    if (auto r = b["scrub"]) c.scrub_bytes_per_s = rate(source, r, "budget.scrub");
  }
  const YAML::Node nodes = required(source, doc, "", "nodes");
  if (!nodes.IsSequence() || nodes.size() == 0 || nodes.size() > kClusterNodesMax) {
    fail(source, nodes, "nodes", "expected a list of 1 to 1024 nodes");
  }
  for (size_t i = 0; i < nodes.size(); ++i) c.nodes.push_back(parse_node(source, nodes[i], i));
  check_unique_endpoints(source, nodes, c.nodes);
  return c;
}

Topology make_topology(const ClusterConfig& config) {
  Topology topology;
  const SiteId site = topology.add_site();
  uint32_t racks = 0;
  for (const NodeConfig& n : config.nodes) racks = std::max(racks, n.rack + 1);
  std::vector<RackId> rack_ids;
  for (uint32_t r = 0; r < racks; ++r) rack_ids.push_back(topology.add_rack(site));
  for (const NodeConfig& n : config.nodes) {
    std::vector<DiskModel> models;
    for (const DiskConfig& d : n.disks) {
      DiskModel model;
      model.capacity_bytes = d.capacity_bytes;
      model.device_class = config.pool.device_class;
      models.push_back(model);
    }
    const NodeId id = topology.add_node(rack_ids[n.rack], models);
    CAIRN_ASSERT(id.value == n.id);
  }
  return topology;
}

}  // namespace

Result<Endpoint> parse_endpoint(std::string_view text) {
  const auto colon = text.rfind(':');
  const std::string expect = "expected an IPv4 address and port like 127.0.0.11:7400, got \"" +
                             std::string(text) + "\"";
  if (colon == std::string_view::npos) return invalid_argument(expect);
  Endpoint e;
  e.host = std::string(text.substr(0, colon));
  in_addr addr{};
  if (inet_pton(AF_INET, e.host.c_str(), &addr) != 1) return invalid_argument(expect);
  const std::string_view port = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
    return invalid_argument(expect);
  }
  e.port = static_cast<uint16_t>(value);
  return e;
}

Result<ClusterConfig> parse_cluster(std::string_view yaml_text, std::string_view source) {
  try {
    return parse_document(source, YAML::Load(std::string(yaml_text)));
  } catch (const ParseError& e) {
    return invalid_argument(e.text);
  } catch (const YAML::Exception& e) {
    return invalid_argument(std::string(source) + ":" + std::to_string(e.mark.line + 1) + ":" +
                            std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

std::string to_yaml(const ClusterConfig& c) {
  std::ostringstream out;
  out << "# Cairn cluster file (format 1): every node and client derives the same\n"
         "# topology and layout from it. Written by `cairn lab up`; see cluster-ref/cluster_file.h.\n";
  out << "cairn_cluster: 1\nname: " << c.name << "\nepoch: " << c.epoch << "\n";
  out << "pool: {scheme: \"" << c.pool.scheme.to_string() << "\", domain: " << to_string(c.pool.domain)
      << ", strategy: " << to_string(c.pool.strategy) << ", min_live: " << c.min_live
      << ", seed: " << c.pool.seed << "}\n";
  out << "timing: {heal_interval: " << c.heal_interval_ms << " ms, peer_timeout: " << c.peer_timeout_ms
      << " ms, scrub_interval: " << c.scrub_interval_s << " s}\n";
  out << "budget: {scrub: " << c.scrub_bytes_per_s << " B/s}\nnodes:\n";
  for (const NodeConfig& n : c.nodes) {
    out << "  - id: " << n.id << "\n    rack: " << n.rack << "\n    client: " << n.client.to_string()
        << "\n    storage: " << n.storage.to_string() << "\n    management: "
        << n.management.to_string() << "\n    state_dir: " << n.state_dir << "\n    disks:\n";
    for (const DiskConfig& d : n.disks) {
      out << "      - {path: " << d.path << ", capacity: " << d.capacity_bytes << " B}\n";
    }
  }
  return out.str();
}

uint32_t ClusterMap::disk_index(DiskId disk) const {
  const auto& disks = topology.node(node_of(disk)).disks;
  for (uint32_t i = 0; i < disks.size(); ++i) {
    if (disks[i] == disk) return i;
  }
  CAIRN_ASSERT(false);
  return 0;
}

Result<ClusterMap> build_map(std::string yaml_text, std::string_view source) {
  auto config = parse_cluster(yaml_text, source);
  if (!config) return config.status();
  Topology topology = make_topology(*config);
  auto pool = initial_map(topology, config->pool);
  if (!pool) {
    return Status(pool.status().code(), std::string(source) + ": pool: " + pool.status().message());
  }
  return ClusterMap{std::move(config).value(), std::move(yaml_text), std::move(topology),
                    std::move(pool).value()};
}

Result<ClusterMap> load_cluster(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(StatusCode::kIoError, "cannot read cluster file " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return build_map(text.str(), file.string());
}

}  // namespace cairn
