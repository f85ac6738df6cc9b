#include "cluster-ref/lab/lab_lifecycle.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>

#include "cluster-ref/client/client.h"
#include "cluster-ref/map/cluster_file.h"
#include "cluster-ref/lab/lab.h"
#include "cluster-ref/net/pool.h"
#include "cluster-ref/net/secret.h"
#include "cluster-ref/store/posix_file.h"
#include "engine/heal.h"
#include "engine/heal_policy.h"
#include "engine/rebalance.h"

namespace cairn {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

Result<ClusterMap> load(const fs::path& dir) {
  if (!fs::exists(dir / "cluster.yaml"))
    return not_found("no lab in " + dir.string() + " (no cluster.yaml); start one with `cairn lab up`");
  return load_cluster(dir / "cluster.yaml");
}

// Every node in service must run: a map change reaches them all at once.
Status check_running(const fs::path& dir, const ClusterMap& map) {
  for (const NodeConfig& n : map.config.nodes) {
    if (!n.retired && lab_pid(dir, n.id) == 0)
      return refused("node " + std::to_string(n.id) + " is not running; `cairn lab start " + std::to_string(n.id) +
                     "` first (a map change needs every node in service up)");
  }
  return Status::ok();
}

Status write_cluster_file(const fs::path& dir, const std::string& text) {
  return posix::replace_file_durably((dir / "cluster.yaml").string(), text);
}

// Installs `map` on the nodes in `nodes`.
Status install_on(const ClusterMap& map, const std::vector<uint32_t>& nodes, const SecretPtr& secret) {
  ConnectionPool pool(Millis(2000), secret);
  const auto payload = wire::InstallMapRequest{map.epoch(), map.yaml}.encode();
  for (uint32_t id : nodes) {
    auto reply = pool.call(map.node(NodeId(id)).management, wire::MsgType::kInstallMap, payload, Millis(10'000));
    if (!reply)
      return Status(reply.status().code(), "node " + std::to_string(id) + " refused map epoch " +
                                               std::to_string(map.epoch()) + ": " + reply.status().message());
  }
  return Status::ok();
}

std::vector<uint32_t> running_nodes(const fs::path& dir, const ClusterMap& map) {
  std::vector<uint32_t> out;
  for (const NodeConfig& n : map.config.nodes)
    if (lab_pid(dir, n.id) != 0) out.push_back(n.id);
  return out;
}

Result<nlohmann::json> node_status(ConnectionPool& pool, const ClusterMap& map, uint32_t id) {
  auto reply = pool.call(map.node(NodeId(id)).management, wire::MsgType::kStatus, {}, Millis(5000));
  if (!reply) return reply.status();
  auto status = wire::StatusReply::decode(reply->payload);
  if (!status) return status.status();
  nlohmann::json j = nlohmann::json::parse(status->json, nullptr, false);
  if (!j.is_object()) return corrupt("node " + std::to_string(id) + " sent a status that is not JSON");
  return j;
}

// Each disk's used bytes, as the nodes in service report them.
Result<std::map<uint32_t, uint64_t>> disk_used_bytes(ConnectionPool& pool, const ClusterMap& map) {
  std::map<uint32_t, uint64_t> used;
  for (const NodeConfig& n : map.config.nodes) {
    if (n.retired) continue;
    auto status = node_status(pool, map, n.id);
    if (!status) return Status(status.status().code(), "node " + std::to_string(n.id) + ": " + status.status().message());
    for (const auto& d : (*status)["disks"]) used[d["disk"].get<uint32_t>()] = d["used_bytes"].get<uint64_t>();
  }
  return used;
}

std::string mb(double bytes) {
  char out[32];
  std::snprintf(out, sizeof out, "%.1f MB", bytes / 1e6);
  return out;
}

struct WorkDone {
  uint64_t files = 0;
  uint64_t bytes = 0;
  double seconds = 0;
};

// Waits until every node in `nodes` reports `kind` ("rebuild" or
// "rebalance") done for `epoch`, printing progress about once a second. It
// asks every 50 ms: the time it reports is a measurement (`cairn lab
// calibrate` compares it with the model), and a 200 ms poll added up to
// 0.8 ms per file to a 250-file rebuild.
Result<WorkDone> wait_work(const ClusterMap& map, const std::vector<uint32_t>& nodes, const char* kind,
                           const LifecycleOptions& options, Clock::time_point started, const SecretPtr& secret) {
  ConnectionPool pool(Millis(2000), secret);
  auto last_line = Clock::now();
  while (true) {
    WorkDone done;
    uint64_t total = 0, waiting = 0;
    bool all = true;
    double rate = 0;
    for (uint32_t id : nodes) {
      auto status = node_status(pool, map, id);
      if (!status) {
        all = false;
        continue;
      }
      const nlohmann::json& p = (*status)[kind];
      if (p["epoch"].get<uint64_t>() != map.epoch()) {
        all = false;
        continue;
      }
      all = all && p["done"].get<bool>();
      done.files += p["files_done"].get<uint64_t>();
      done.bytes += p["bytes_done"].get<uint64_t>();
      total += p["bytes_total"].get<uint64_t>();
      waiting += p["files_waiting"].get<uint64_t>();
      rate += p["bytes_per_s"].get<double>();
    }
    done.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (all) return done;
    if (Clock::now() - started > options.timeout) {
      return Status(StatusCode::kTimeout, std::string(kind) + " not done after " +
                                              std::to_string(options.timeout.count()) +
                                              " s; it goes on (see cairn status)");
    }
    if (options.progress && Clock::now() - last_line >= std::chrono::seconds(1)) {
      last_line = Clock::now();
      const double left = total > done.bytes ? static_cast<double>(total - done.bytes) : 0.0;
      std::string line = std::string(kind) + ": " + mb(static_cast<double>(done.bytes)) + " of " +
                         mb(static_cast<double>(total)) + ", " + std::to_string(done.files) + " files, " +
                         mb(rate) + "/s";
      if (rate > 0) line += ", ETA " + std::to_string(static_cast<int>(std::ceil(left / rate))) + " s";
      if (waiting > 0) line += ", " + std::to_string(waiting) + " files waiting for a member";
      options.progress(line);
    }
    std::this_thread::sleep_for(Millis(50));
  }
}

// Each member's stored bytes per slot of `from`, from what the nodes hold:
// the byte table the engine's rebalance plan takes.
Result<std::vector<uint64_t>> member_bytes_per_slot(const ClusterMap& map, const PoolMap& from,
                                                    const SecretPtr& secret) {
  auto client = Client::from_map(map, secret);
  if (!client) return client.status();
  std::vector<uint64_t> per_slot(from.layout.slot_count(), 0);
  auto files = (*client)->list("/");
  if (!files) return files.status();
  // list() returns current files; each member holds about the file's part.
  for (const ListedFile& f : *files) {
    const uint32_t slot = from.layout.slot_of(path_hash(f.path));
    per_slot[slot] += f.record.payload_bytes;
  }
  return per_slot;
}

// The settled map: the same pool map, nothing moving, nothing to rebuild.
Result<ClusterMap> settle(const fs::path& dir, const ClusterMap& working, const std::vector<uint32_t>& nodes,
                          const SecretPtr& secret) {
  MapChange change{&working.topology, &working.pool, nullptr, 0, {}, {}, {}};
  auto config = next_config(working.config, working.epoch() + 1, change);
  if (!config) return config.status();
  auto settled = build_map(to_yaml(*config), (dir / "cluster.yaml").string());
  if (!settled) return settled.status();
  if (Status st = write_cluster_file(dir, settled->yaml); !st.is_ok()) return st;
  if (Status st = install_on(*settled, nodes, secret); !st.is_ok()) return st;
  return settled;
}

// Writes and installs `config` (the working map), waits for `kind`, settles.
Result<LifecycleReport> carry_out(const fs::path& dir, const ClusterMap& before, const ClusterConfig& config,
                                  const std::vector<uint32_t>& spawn, const fs::path& node_binary,
                                  const char* kind, const LifecycleOptions& options, LifecycleReport report) {
  auto working = build_map(to_yaml(config), (dir / "cluster.yaml").string());
  if (!working) return working.status();
  auto secret = load_cluster_secret(dir / "cluster.yaml");
  if (!secret) return secret.status();
  for (uint32_t id : spawn) {
    std::error_code ec;
    fs::create_directories(working->node(NodeId(id)).state_dir, ec);
    if (ec) return Status(StatusCode::kIoError, "cannot create " + working->node(NodeId(id)).state_dir);
  }
  if (Status st = write_cluster_file(dir, working->yaml); !st.is_ok()) return st;
  for (uint32_t id : spawn) {
    if (options.progress) options.progress("starting node " + std::to_string(id));
    if (Status st = lab_spawn(dir, id, node_binary); !st.is_ok()) return st;
  }
  const std::vector<uint32_t> nodes = running_nodes(dir, *working);
  const auto started = Clock::now();
  if (Status st = install_on(*working, nodes, *secret); !st.is_ok()) return st;
  if (options.progress)
    options.progress("map epoch " + std::to_string(working->epoch()) + " installed on " + std::to_string(nodes.size()) +
                     " nodes; " + kind + " under way");
  auto done = wait_work(*working, nodes, kind, options, started, *secret);
  if (!done) return done.status();
  auto settled = settle(dir, *working, nodes, *secret);
  if (!settled) return settled.status();
  report.epoch_from = before.epoch();
  report.epoch_to = settled->epoch();
  report.what = kind;
  report.files = done->files;
  report.bytes = done->bytes;
  report.seconds = done->seconds;
  return report;
}

std::vector<DiskId> live_disks_of(const Topology& t, NodeId node) {
  std::vector<DiskId> out;
  for (DiskId d : t.node(node).disks)
    if (!t.disk(d).retired) out.push_back(d);
  return out;
}

// The engine's rebuild of the members on `lost` (disks retired in
// `topology`, which may hold their replacements): the heal policy's requests
// (those members failed, the rest healthy), plan_heals onto the room the
// policy allows (a fixed pool's spares, with the replacements admitted), and
// the map after the heals. Refused, naming the group, when a member has no
// target in an allowed failure domain with room.
struct Rebuild {
  PoolMap map;
  std::vector<HealPlan> heals;
};
Result<Rebuild> plan_rebuild(const ClusterMap& current, const Topology& topology, const std::vector<DiskId>& lost,
                             const SecretPtr& secret) {
  PoolMap spared = admit_spares(current.pool, topology);
  ConnectionPool pool(Millis(2000), secret);
  auto reported = disk_used_bytes(pool, current);
  if (!reported) return reported.status();
  std::map<uint32_t, uint64_t> used = std::move(reported).value();
  auto is_lost = [&](DiskId d) { return std::find(lost.begin(), lost.end(), d) != lost.end(); };
  std::vector<DiskUse> room;
  for (DiskId d : heal_room_disks(spared, topology))
    room.push_back({static_cast<double>(is_lost(d) ? 0 : used[d.value]), is_lost(d), false});
  std::vector<uint64_t> free = heal_free_bytes(spared, topology, room);
  // What each group's members hold, from the members still in place.
  auto client = Client::from_map(current, secret);
  if (!client) return client.status();
  auto files = (*client)->list("/");
  if (!files) return files.status();
  std::map<uint32_t, uint64_t> group_bytes;
  for (const ListedFile& f : *files) group_bytes[current.pool.lookup(f.path).value] += f.record.payload_bytes + kRecordBytes;
  std::vector<GroupView> views;
  for (uint32_t g = 0; g < spared.placement.groups.size(); ++g) {
    const Group& group = spared.placement.groups[g];
    if (group.retired || std::none_of(group.members.begin(), group.members.end(), is_lost)) continue;
    GroupView view{GroupId(g), std::vector<MemberView>(group.members.size()), false, false};
    for (uint32_t m = 0; m < group.members.size(); ++m) {
      view.members[m].stored_bytes = group_bytes[g];
      view.members[m].failed = view.members[m].failure_detected = is_lost(group.members[m]);
    }
    views.push_back(std::move(view));
  }
  std::vector<HealRequest> requests = heal_requests(views, spared.spec.scheme, views.size());
  auto plans = plan_heals(spared, topology, requests, free);
  if (!plans) return plans.status();
  Rebuild out;
  for (const HealPlan& p : *plans) {
    if (!p.unplaced_members.empty() || !p.recoverable)
      return refused("group " + std::to_string(p.group.value) + " cannot be rebuilt: " +
                     (p.recoverable ? "no disk in an allowed failure domain has room for its member (a fixed pool "
                                      "heals onto spares: replace the disk, or add nodes)"
                                    : "too many of its members are lost"));
    if (!p.targets.empty()) out.heals.push_back(p);
  }
  out.map = apply_heals(std::move(spared), *plans);
  return out;
}

// Disks the nodes in service report failed.
Result<std::vector<DiskId>> failed_disks(const ClusterMap& map, const SecretPtr& secret) {
  ConnectionPool pool(Millis(2000), secret);
  std::vector<DiskId> out;
  for (const NodeConfig& n : map.config.nodes) {
    if (n.retired) continue;
    auto status = node_status(pool, map, n.id);
    if (!status) return Status(status.status().code(), "node " + std::to_string(n.id) + ": " + status.status().message());
    for (const auto& d : (*status)["disks"])
      if (d["state"] == "failed") out.push_back(DiskId(d["disk"].get<uint32_t>()));
  }
  return out;
}

}  // namespace

Result<LifecycleReport> lab_add_nodes(const fs::path& dir_in, uint32_t count, const fs::path& node_binary,
                                      const LifecycleOptions& options) {
  const fs::path dir = fs::absolute(dir_in).lexically_normal();
  auto map = load(dir);
  if (!map) return map.status();
  auto secret = load_cluster_secret(dir / "cluster.yaml");
  if (!secret) return secret.status();
  if (Status st = check_running(dir, *map); !st.is_ok()) return st;
  if (count == 0) return invalid_argument("--count must be at least 1");
  const uint32_t first = map->topology.node_id_bound();
  if (first + count > kLabNodesMax)
    return refused("a lab has at most " + std::to_string(kLabNodesMax) + " nodes (127.0.0.10-209)");
  // New nodes like the first node in service: its disk count, capacity, ports.
  const NodeConfig* model = nullptr;
  for (const NodeConfig& n : map->config.nodes)
    if (!n.retired && model == nullptr) model = &n;
  if (model == nullptr) return refused("the lab has no node in service to model new ones on");
  const std::vector<DiskId> model_disks = live_disks_of(map->topology, NodeId(model->id));
  const DiskModel disk = map->topology.disk(model_disks.front()).model;
  Topology topology = map->topology;
  std::vector<NodeConfig> new_nodes;
  for (uint32_t i = 0; i < count; ++i) {
    const NodeId id = topology.add_node(RackId(0), std::vector<DiskModel>(model_disks.size(), disk));
    NodeConfig n;
    n.id = id.value;
    const std::string host = "127.0.0." + std::to_string(10 + id.value);
    n.client = {host, model->client.port};
    n.storage = {host, model->storage.port};
    n.management = {host, model->management.port};
    const fs::path node_dir = dir / ("node-" + std::to_string(id.value));
    n.state_dir = (node_dir / "state").string();
    for (size_t d = 0; d < topology.node(id).disks.size(); ++d)
      n.disks.push_back({topology.node(id).disks[d].value, (node_dir / ("disk-" + std::to_string(d))).string(),
                         disk.capacity_bytes, false});
    new_nodes.push_back(std::move(n));
  }
  auto next = next_map(map->pool, topology);
  if (!next) {
    std::string hint;
    if (map->pool.spec.strategy == GroupStrategy::kFixed) {
      const uint32_t smallest = smallest_valid_increment(map->pool, map->topology,
                                                         static_cast<uint32_t>(model_disks.size()), disk,
                                                         kLabNodesMax - first);
      hint = smallest == 0 ? "; no increment up to the lab's limit forms one"
                           : "; the smallest increment that does is " + std::to_string(smallest) + " nodes";
    }
    return refused(std::to_string(count) + " new node" + (count == 1 ? "" : "s") + " cannot join: " +
                   next.status().message() + hint);
  }
  auto per_slot = member_bytes_per_slot(*map, map->pool, *secret);
  if (!per_slot) return per_slot.status();
  auto plan = plan_rebalance(map->pool, *next, topology, *per_slot, kNoBudget);
  if (!plan) return plan.status();
  MapChange change{&topology, &*next, &map->pool, map->epoch(), {}, new_nodes, {}};
  auto config = next_config(map->config, map->epoch() + 1, change);
  if (!config) return config.status();
  std::vector<uint32_t> spawn;
  for (const NodeConfig& n : new_nodes) spawn.push_back(n.id);
  LifecycleReport report;
  report.bytes_planned = plan->bytes_planned;
  report.budget_bytes_per_s = map->config.rebalance_bytes_per_s;
  report.detail = std::to_string(count) + " nodes added (" + std::to_string(first) + "-" +
                  std::to_string(first + count - 1) + "), " + std::to_string(plan->moves.size()) + " slot moves planned";
  return carry_out(dir, *map, *config, spawn, node_binary, "rebalance", options, std::move(report));
}

Result<LifecycleReport> lab_retire_node(const fs::path& dir_in, uint32_t node, const LifecycleOptions& options) {
  const fs::path dir = fs::absolute(dir_in).lexically_normal();
  auto map = load(dir);
  if (!map) return map.status();
  auto secret = load_cluster_secret(dir / "cluster.yaml");
  if (!secret) return secret.status();
  if (node >= map->config.nodes.size() || map->config.nodes[node].retired)
    return not_found("the lab has no node " + std::to_string(node) + " in service");
  if (Status st = check_running(dir, *map); !st.is_ok()) return st;
  Topology topology = map->topology;
  topology.retire_node(NodeId(node));
  auto next = next_map(map->pool, topology);
  if (!next) return refused("node " + std::to_string(node) + " cannot retire: " + next.status().message());
  auto per_slot = member_bytes_per_slot(*map, map->pool, *secret);
  if (!per_slot) return per_slot.status();
  auto plan = plan_rebalance(map->pool, *next, topology, *per_slot, kNoBudget);
  if (!plan) return plan.status();
  // Each disk that takes data must have room for it.
  ConnectionPool pool(Millis(2000), *secret);
  auto reported = disk_used_bytes(pool, *map);
  if (!reported) return reported.status();
  std::map<uint32_t, uint64_t> used = std::move(reported).value();
  std::map<uint32_t, uint64_t> incoming;
  for (const DiskFlow& f : flows_by_disk_pair(*plan)) incoming[f.to.value] += f.bytes;
  for (const auto& [disk, bytes] : incoming) {
    const uint64_t capacity = topology.disk(DiskId(disk)).model.capacity_bytes;
    if (used[disk] + bytes > capacity)
      return refused("node " + std::to_string(node) + " cannot retire: disk " + std::to_string(disk) + " would hold " +
                     mb(static_cast<double>(used[disk] + bytes)) + " of its " + mb(static_cast<double>(capacity)));
  }
  MapChange change{&topology, &*next, &map->pool, map->epoch(), {}, {}, {}};
  auto config = next_config(map->config, map->epoch() + 1, change);
  if (!config) return config.status();
  LifecycleReport report;
  report.bytes_planned = plan->bytes_planned;
  report.budget_bytes_per_s = map->config.rebalance_bytes_per_s;
  report.detail = "node " + std::to_string(node) + " drained and stopped";
  auto done = carry_out(dir, *map, *config, {}, {}, "rebalance", options, std::move(report));
  if (!done) return done;
  done->what = "drain";
  if (Status st = lab_stop(dir, node); !st.is_ok()) return st;
  return done;
}

Result<LifecycleReport> lab_replace_disk(const fs::path& dir_in, uint32_t node, uint32_t disk,
                                         const LifecycleOptions& options) {
  const fs::path dir = fs::absolute(dir_in).lexically_normal();
  auto map = load(dir);
  if (!map) return map.status();
  auto secret = load_cluster_secret(dir / "cluster.yaml");
  if (!secret) return secret.status();
  if (node >= map->config.nodes.size() || map->config.nodes[node].retired)
    return not_found("the lab has no node " + std::to_string(node) + " in service");
  const std::vector<DiskId> disks = live_disks_of(map->topology, NodeId(node));
  if (disk >= disks.size())
    return not_found("node " + std::to_string(node) + " has " + std::to_string(disks.size()) + " disks in service (0-" +
                     std::to_string(disks.size() - 1) + ")");
  if (Status st = check_running(dir, *map); !st.is_ok()) return st;
  const DiskId old = disks[disk];
  const std::string path = map->disk_config(old).path;

  // The engine's plan first, so that nothing changes when it refuses.
  Topology topology = map->topology;
  const DiskId fresh = topology.add_disk(NodeId(node), topology.disk(old).model);
  topology.retire_disk(old);
  auto rebuild = plan_rebuild(*map, topology, {old}, *secret);
  if (!rebuild) return rebuild.status();
  MapChange change{&topology, &rebuild->map, nullptr, 0, rebuild->heals, {}, {{fresh.value, path}}};
  auto config = next_config(map->config, map->epoch() + 1, change);
  if (!config) return config.status();

  // The swap: an empty drive where the old one was. The node sees its disk
  // gone within a second and reports it failed.
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return Status(StatusCode::kIoError, "cannot empty " + path + ": " + ec.message());
  fs::create_directories(path, ec);
  if (ec) return Status(StatusCode::kIoError, "cannot create " + path + ": " + ec.message());
  ConnectionPool pool(Millis(2000), *secret);
  const auto swapped = Clock::now();
  bool seen = false;
  while (!seen && Clock::now() - swapped < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(Millis(100));
    auto status = node_status(pool, *map, node);
    if (!status) continue;
    for (const auto& d : (*status)["disks"])
      seen = seen || (d["disk"].get<uint32_t>() == old.value && d["state"] == "failed");
  }
  if (options.progress)
    options.progress(seen ? "node " + std::to_string(node) + " reports disk " + std::to_string(old.value) + " failed"
                          : "node " + std::to_string(node) + " did not report disk " + std::to_string(old.value) +
                                " failed within 10 s; replacing it anyway");
  LifecycleReport report;
  report.budget_bytes_per_s = map->config.heal_bytes_per_s;
  report.detail = "disk " + std::to_string(old.value) + " of node " + std::to_string(node) + " replaced by disk " +
                  std::to_string(fresh.value) + " at " + path + "; " + std::to_string(rebuild->heals.size()) +
                  " groups rebuilt";
  return carry_out(dir, *map, *config, {}, {}, "rebuild", options, std::move(report));
}

Result<LifecycleReport> lab_heal_failed(const fs::path& dir_in, const LifecycleOptions& options) {
  const fs::path dir = fs::absolute(dir_in).lexically_normal();
  auto map = load(dir);
  if (!map) return map.status();
  auto secret = load_cluster_secret(dir / "cluster.yaml");
  if (!secret) return secret.status();
  if (Status st = check_running(dir, *map); !st.is_ok()) return st;
  auto failed = failed_disks(*map, *secret);
  if (!failed) return failed.status();
  if (failed->empty()) return refused("no node reports a failed disk; nothing to heal");
  Topology topology = map->topology;
  std::string names;
  for (DiskId d : *failed) {
    topology.retire_disk(d);
    names += (names.empty() ? "" : ", ") + std::to_string(d.value);
  }
  auto rebuild = plan_rebuild(*map, topology, *failed, *secret);
  if (!rebuild) return Status(rebuild.status().code(), "failed disk " + names + ": " + rebuild.status().message());
  MapChange change{&topology, &rebuild->map, nullptr, 0, rebuild->heals, {}, {}};
  auto config = next_config(map->config, map->epoch() + 1, change);
  if (!config) return config.status();
  LifecycleReport report;
  report.budget_bytes_per_s = map->config.heal_bytes_per_s;
  report.detail = "failed disk " + names + " retired; " + std::to_string(rebuild->heals.size()) +
                  " groups rebuilt where the engine's heal plan puts them";
  return carry_out(dir, *map, *config, {}, {}, "rebuild", options, std::move(report));
}

}  // namespace cairn
