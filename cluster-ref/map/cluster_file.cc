#include "cluster-ref/map/cluster_file.h"

#include <yaml-cpp/yaml.h>

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
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

bool flag(std::string_view source, const YAML::Node& value, const std::string& key) {
  const std::string text = scalar(source, value, key);
  if (text == "true") return true;
  if (text == "false") return false;
  fail(source, value, key, "expected true or false");
}

NodeConfig parse_node(std::string_view source, const YAML::Node& node, size_t index, uint32_t format,
                      uint32_t* next_disk_id) {
  const std::string key = "nodes[" + std::to_string(index) + "]";
  if (format == 1) {
    only_keys(source, node, key, {"id", "rack", "client", "storage", "management", "state_dir", "disks"});
  } else {
    only_keys(source, node, key,
              {"id", "rack", "client", "storage", "management", "state_dir", "disks", "retired"});
  }
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
  if (auto r = node["retired"]) n.retired = flag(source, r, key + ".retired");
  const YAML::Node state = required(source, node, key, "state_dir");
  n.state_dir = scalar(source, state, key + ".state_dir");
  const YAML::Node disks = required(source, node, key, "disks");
  if (!disks.IsSequence() || disks.size() == 0 || disks.size() > kDisksPerNodeMax) {
    fail(source, disks, key + ".disks", "expected a list of 1 to 256 disks");
  }
  for (size_t i = 0; i < disks.size(); ++i) {
    const std::string dkey = key + ".disks[" + std::to_string(i) + "]";
    DiskConfig d;
    if (format == 1) {
      only_keys(source, disks[i], dkey, {"path", "capacity"});
      d.id = (*next_disk_id)++;
    } else {
      only_keys(source, disks[i], dkey, {"id", "path", "capacity", "retired"});
      const YAML::Node disk_id = required(source, disks[i], dkey, "id");
      d.id = static_cast<uint32_t>(std::min<uint64_t>(count(source, disk_id, dkey + ".id"), UINT32_MAX));
      if (i > 0 && d.id <= n.disks.back().id) fail(source, disk_id, dkey + ".id", "a node lists its disks in id order");
      if (auto r = disks[i]["retired"]) d.retired = flag(source, r, dkey + ".retired");
    }
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

// Disk ids are 0..n-1, each once; the map sections name only those.
void parse_format2_maps(std::string_view source, const YAML::Node& doc, const YAML::Node& nodes,
                        ClusterConfig& c) {
  std::vector<bool> seen;
  for (const NodeConfig& n : c.nodes)
    for (const DiskConfig& d : n.disks) {
      if (d.id >= kClusterNodesMax * kDisksPerNodeMax) fail(source, nodes[n.id], "nodes[" + std::to_string(n.id) + "]", "disk id " + std::to_string(d.id) + " is too large");
      if (seen.size() <= d.id) seen.resize(d.id + 1, false);
      if (seen[d.id]) fail(source, nodes[n.id], "nodes[" + std::to_string(n.id) + "]", "disk id " + std::to_string(d.id) + " is used twice");
      seen[d.id] = true;
    }
  for (size_t d = 0; d < seen.size(); ++d)
    if (!seen[d]) fail(source, nodes, "nodes", "disk ids are 0, 1, 2 … with none missing; no disk has id " + std::to_string(d));
  const auto disk_bound = static_cast<uint32_t>(seen.size());
  try {
    if (auto m = doc["map"]) c.map = parse_map_section(source, m, "map", disk_bound, false);
    if (auto m = doc["migration"]) {
      if (!c.map) fail(source, m, "migration", "a migration needs the map it moves to (`map`)");
      c.migration = parse_map_section(source, m, "migration", disk_bound, true);
    }
    if (auto h = doc["heals"]) {
      if (!c.map) fail(source, h, "heals", "heals need the map they fill (`map`)");
      c.heals = parse_heals(source, h, static_cast<uint32_t>(c.map->placement.groups.size()), disk_bound);
    }
  } catch (const MapParseError& e) {
    throw ParseError{e.text};
  }
}

std::vector<RetentionPolicy> parse_retention(std::string_view source, const YAML::Node& list);
std::vector<Snapshot> parse_snapshots(std::string_view source, const YAML::Node& list);

ClusterConfig parse_document(std::string_view source, const YAML::Node& doc) {
  const YAML::Node format = required(source, doc, "", "cairn_cluster");
  ClusterConfig c;
  c.format = static_cast<uint32_t>(std::min<uint64_t>(count(source, format, "cairn_cluster"), 1000));
  if (c.format < 1 || c.format > 4) {
    fail(source, format, "cairn_cluster", "this build reads cluster file formats 1, 2, 3 and 4");
  }
  if (c.format == 1) {
    only_keys(source, doc, "", {"cairn_cluster", "name", "epoch", "pool", "timing", "budget", "nodes"});
  } else if (c.format == 2) {
    only_keys(source, doc, "",
              {"cairn_cluster", "name", "epoch", "pool", "timing", "budget", "nodes", "map", "migration", "heals"});
  } else if (c.format == 3) {
    only_keys(source, doc, "",
              {"cairn_cluster", "name", "epoch", "pool", "timing", "budget", "nodes", "map", "migration", "heals",
               "retention"});
  } else {
    only_keys(source, doc, "",
              {"cairn_cluster", "name", "epoch", "pool", "timing", "budget", "nodes", "map", "migration", "heals",
               "retention", "snapshots"});
  }
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
    only_keys(source, b, "budget", {"scrub", "heal", "rebalance"});
    if (auto r = b["scrub"]) c.scrub_bytes_per_s = rate(source, r, "budget.scrub");
    if (auto r = b["heal"]) c.heal_bytes_per_s = rate(source, r, "budget.heal");
    if (auto r = b["rebalance"]) c.rebalance_bytes_per_s = rate(source, r, "budget.rebalance");
  }
  const YAML::Node nodes = required(source, doc, "", "nodes");
  if (!nodes.IsSequence() || nodes.size() == 0 || nodes.size() > kClusterNodesMax) {
    fail(source, nodes, "nodes", "expected a list of 1 to 1024 nodes");
  }
  uint32_t next_disk_id = 0;
  for (size_t i = 0; i < nodes.size(); ++i) c.nodes.push_back(parse_node(source, nodes[i], i, c.format, &next_disk_id));
  check_unique_endpoints(source, nodes, c.nodes);
  if (c.format >= 2) parse_format2_maps(source, doc, nodes, c);
  if (auto r = doc["retention"]) c.retention = parse_retention(source, r);
  if (auto s = doc["snapshots"]) c.snapshots = parse_snapshots(source, s);
  return c;
}

// Exact for "<integer> s" and "<integer> ns" (what to_yaml writes: a policy
// must read back to the nanosecond, or a node would see it shortened); any
// other duration ("30 days") through the engine's units, to whole seconds.
int64_t duration_ns(std::string_view source, const YAML::Node& value, const std::string& key) {
  const std::string text = scalar(source, value, key);
  for (auto [suffix, scale] : {std::pair<std::string_view, int64_t>{" ns", 1}, {" s", 1'000'000'000}}) {
    if (!std::string_view(text).ends_with(suffix)) continue;
    const std::string_view digits = std::string_view(text).substr(0, text.size() - suffix.size());
    int64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc() && end == digits.data() + digits.size() && n >= 0 && n <= INT64_MAX / scale) {
      return n * scale;
    }
  }
  const double s = checked(source, value, key, parse_duration_s(text));
  if (s < 0 || s > 1e11) fail(source, value, key, "must be between 0 s and 100 years");
  return static_cast<int64_t>(std::llround(s)) * 1'000'000'000;
}

std::vector<RetentionPolicy> parse_retention(std::string_view source, const YAML::Node& list) {
  if (!list.IsSequence()) fail(source, list, "retention", "expected a list of policies");
  std::vector<RetentionPolicy> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string key = "retention[" + std::to_string(i) + "]";
    const YAML::Node p = list[i];
    only_keys(source, p, key, {"prefix", "period", "auto_commit", "mode"});
    RetentionPolicy policy;
    policy.prefix = scalar(source, required(source, p, key, "prefix"), key + ".prefix");
    policy.period_ns = duration_ns(source, required(source, p, key, "period"), key + ".period");
    if (auto a = p["auto_commit"]) policy.auto_commit_ns = duration_ns(source, a, key + ".auto_commit");
    const YAML::Node mode = required(source, p, key, "mode");
    policy.mode = checked(source, mode, key + ".mode", parse_retention_mode(scalar(source, mode, key + ".mode")));
    if (Status st = check_policy(policy); !st.is_ok()) fail(source, p, key, st.message());
    out.push_back(std::move(policy));
  }
  if (Status st = check_policies(out); !st.is_ok()) fail(source, list, "retention", st.message());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.prefix < b.prefix; });
  return out;
}

// A whole number of ns, written as plain digits (read back exactly).
uint64_t exact_u64(std::string_view source, const YAML::Node& value, const std::string& key) {
  const std::string text = scalar(source, value, key);
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    fail(source, value, key, "expected a whole number of ns");
  }
  return n;
}

std::vector<Snapshot> parse_snapshots(std::string_view source, const YAML::Node& list) {
  if (!list.IsSequence()) fail(source, list, "snapshots", "expected a list of snapshots");
  std::vector<Snapshot> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string key = "snapshots[" + std::to_string(i) + "]";
    const YAML::Node n = list[i];
    only_keys(source, n, key, {"name", "prefix", "created", "cut"});
    Snapshot s;
    s.name = scalar(source, required(source, n, key, "name"), key + ".name");
    s.prefix = scalar(source, required(source, n, key, "prefix"), key + ".prefix");
    const uint64_t created = exact_u64(source, required(source, n, key, "created"), key + ".created");
    if (created > static_cast<uint64_t>(INT64_MAX)) fail(source, n, key + ".created", "out of range");
    s.created_ns = static_cast<int64_t>(created);
    s.cut = exact_u64(source, required(source, n, key, "cut"), key + ".cut");
    if (Status st = check_snapshot(s); !st.is_ok()) fail(source, n, key, st.message());
    out.push_back(std::move(s));
  }
  if (Status st = check_snapshots(out); !st.is_ok()) fail(source, list, "snapshots", st.message());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
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
    const NodeId id = topology.add_node(rack_ids[n.rack], config.format == 1 ? models : std::vector<DiskModel>{});
    CAIRN_ASSERT(id.value == n.id);
  }
  if (config.format == 1) return topology;
  // Format 2: disks in id order, each on its node; then what is retired.
  std::vector<std::pair<uint32_t, const DiskConfig*>> disks;  // node, disk
  for (const NodeConfig& n : config.nodes)
    for (const DiskConfig& d : n.disks) disks.push_back({n.id, &d});
  std::sort(disks.begin(), disks.end(), [](const auto& a, const auto& b) { return a.second->id < b.second->id; });
  for (const auto& [node, d] : disks) {
    DiskModel model;
    model.capacity_bytes = d->capacity_bytes;
    model.device_class = config.pool.device_class;
    const DiskId id = topology.add_disk(NodeId(node), model);
    CAIRN_ASSERT(id.value == d->id);
  }
  for (const auto& [node, d] : disks)
    if (d->retired) topology.retire_disk(DiskId(d->id));
  for (const NodeConfig& n : config.nodes)
    if (n.retired) topology.retire_node(NodeId(n.id));
  return topology;
}

PoolMap pool_of(const PoolSpec& spec, const MapSection& section) {
  return PoolMap{spec, section.placement, section.layout};
}

// What the engine's own functions assume of a map read from a file.
Status check_map(std::string_view source, const char* key, const PoolMap& map) {
  const uint32_t width = map.spec.scheme.width();
  for (size_t g = 0; g < map.placement.groups.size(); ++g) {
    const Group& group = map.placement.groups[g];
    if (group.retired) continue;
    if (group.members.size() != width)
      return invalid_argument(std::string(source) + ": " + key + ": group " + std::to_string(g) + " has " +
                              std::to_string(group.members.size()) + " members; " + map.spec.scheme.to_string() +
                              " has " + std::to_string(width));
  }
  for (uint32_t slot_group : map.layout.slot_group) {
    if (map.placement.groups[slot_group].retired)
      return invalid_argument(std::string(source) + ": " + key + ": the layout names retired group " +
                              std::to_string(slot_group));
  }
  return Status::ok();
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
  const uint32_t format = !c.snapshots.empty()   ? kClusterFileFormatSnapshots
                          : !c.retention.empty() ? kClusterFileFormatRetention
                                                 : kClusterFileFormat;
  out << "# Cairn cluster file (format " << format << "): every node and client runs the same\n"
         "# topology and pool map from it. Written by `cairn lab`; see cluster-ref/cluster_file.h.\n";
  out << "cairn_cluster: " << format << "\nname: " << c.name << "\nepoch: " << c.epoch << "\n";
  out << "pool: {scheme: \"" << c.pool.scheme.to_string() << "\", domain: " << to_string(c.pool.domain)
      << ", strategy: " << to_string(c.pool.strategy) << ", min_live: " << c.min_live
      << ", seed: " << c.pool.seed << "}\n";
  out << "timing: {heal_interval: " << c.heal_interval_ms << " ms, peer_timeout: " << c.peer_timeout_ms
      << " ms, scrub_interval: " << c.scrub_interval_s << " s}\n";
  out << "budget: {scrub: " << c.scrub_bytes_per_s << " B/s, heal: " << c.heal_bytes_per_s
      << " B/s, rebalance: " << c.rebalance_bytes_per_s << " B/s}\nnodes:\n";
  for (const NodeConfig& n : c.nodes) {
    out << "  - id: " << n.id << "\n    rack: " << n.rack << "\n";
    if (n.retired) out << "    retired: true\n";
    out << "    client: " << n.client.to_string() << "\n    storage: " << n.storage.to_string()
        << "\n    management: " << n.management.to_string() << "\n    state_dir: " << n.state_dir << "\n    disks:\n";
    for (const DiskConfig& d : n.disks) {
      out << "      - {id: " << d.id << ", path: " << d.path << ", capacity: " << d.capacity_bytes << " B"
          << (d.retired ? ", retired: true" : "") << "}\n";
    }
  }
  if (c.map) write_map_section(out, "map", *c.map, false);
  if (c.migration) write_map_section(out, "migration", *c.migration, true);
  write_heals(out, c.heals);
  if (!c.retention.empty()) {
    out << "retention:\n";
    std::vector<RetentionPolicy> sorted = c.retention;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.prefix < b.prefix; });
    for (const RetentionPolicy& p : sorted) {
      auto duration = [](int64_t ns) {
        return ns % 1'000'000'000 == 0 ? std::to_string(ns / 1'000'000'000) + " s" : std::to_string(ns) + " ns";
      };
      out << "  - {prefix: \"" << p.prefix << "\", period: " << duration(p.period_ns)
          << ", auto_commit: " << duration(p.auto_commit_ns) << ", mode: " << to_string(p.mode) << "}\n";
    }
  }
  if (!c.snapshots.empty()) {
    out << "snapshots:\n";
    std::vector<Snapshot> sorted = c.snapshots;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    for (const Snapshot& s : sorted) {
      out << "  - {name: \"" << s.name << "\", prefix: \"" << s.prefix << "\", created: " << s.created_ns
          << ", cut: " << s.cut << "}\n";
    }
  }
  return out.str();
}

Result<ClusterConfig> next_config(const ClusterConfig& base, uint64_t epoch, const MapChange& change) {
  CAIRN_ASSERT(change.topology != nullptr && change.pool != nullptr);
  const Topology& t = *change.topology;
  ClusterConfig c = base;
  c.format = kClusterFileFormat;
  c.epoch = epoch;
  for (const NodeConfig& n : change.new_nodes) {
    if (n.id != c.nodes.size()) return invalid_argument("new node ids continue the file's: expected " + std::to_string(c.nodes.size()));
    c.nodes.push_back(n);
    c.nodes.back().disks.clear();
  }
  if (c.nodes.size() != t.node_id_bound())
    return invalid_argument("the topology has " + std::to_string(t.node_id_bound()) + " nodes; the file " +
                            std::to_string(c.nodes.size()));
  // Paths of the disks the file knows, then of the new ones.
  std::map<uint32_t, DiskConfig> known;
  for (const NodeConfig& n : base.nodes)
    for (const DiskConfig& d : n.disks) known[d.id] = d;
  for (const NodeConfig& n : change.new_nodes)
    for (const DiskConfig& d : n.disks) known[d.id] = d;
  for (const auto& [id, path] : change.new_disk_paths) known[id].path = path;
  for (NodeConfig& n : c.nodes) {
    const NodeInfo& info = t.node(NodeId(n.id));
    n.retired = info.retired;
    n.disks.clear();
    for (DiskId d : info.disks) {
      auto it = known.find(d.value);
      if (it == known.end() || it->second.path.empty())
        return invalid_argument("disk " + std::to_string(d.value) + " of node " + std::to_string(n.id) + " has no path");
      DiskConfig disk = it->second;
      disk.id = d.value;
      disk.capacity_bytes = t.disk(d).model.capacity_bytes;
      disk.retired = t.disk(d).retired;
      n.disks.push_back(std::move(disk));
    }
  }
  c.map = MapSection{change.pool->placement, change.pool->layout, 0};
  c.migration.reset();
  if (change.previous != nullptr)
    c.migration = MapSection{change.previous->placement, change.previous->layout, change.previous_epoch};
  c.heals = change.heals;
  return c;
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
  Result<PoolMap> pool = config->map ? Result<PoolMap>(pool_of(config->pool, *config->map))
                                     : initial_map(topology, config->pool);
  if (!pool) {
    return Status(pool.status().code(), std::string(source) + ": pool: " + pool.status().message());
  }
  if (Status st = check_map(source, "map", *pool); !st.is_ok()) return st;
  ClusterMap map{std::move(config).value(), std::move(yaml_text), std::move(topology), std::move(pool).value(),
                 std::nullopt, 0, {}};
  if (map.config.migration) {
    map.previous = pool_of(map.config.pool, *map.config.migration);
    map.previous_epoch = map.config.migration->from_epoch;
    if (Status st = check_map(source, "migration", *map.previous); !st.is_ok()) return st;
  }
  map.heals = map.config.heals;
  for (HealPlan& plan : map.heals) {
    for (uint32_t m : plan.source_members) {
      if (m >= map.pool.spec.scheme.width())
        return invalid_argument(std::string(source) + ": heals: group " + std::to_string(plan.group.value) +
                                " has no member " + std::to_string(m));
      plan.source_disks.push_back(map.pool.group(plan.group).members[m]);
    }
    // The engine's rule: a rebuild decodes at its target's node.
    for (HealPlan::Target& t : plan.targets) t.decode_node = map.node_of(t.disk);
  }
  return map;
}

Result<ClusterMap> load_cluster(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(StatusCode::kIoError, "cannot read cluster file " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return build_map(text.str(), file.string());
}

}  // namespace cairn
