// `cairn layout`: a placement inspector in the spirit of `crushtool --test`.
// Builds a uniform topology, forms the pool's groups and layout, optionally
// applies a change (nodes added spread over the racks, or the newest nodes
// removed), and reports balance, failure-domain violations, data movement
// against the ideal, and lookup cost.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "engine/sample_paths.h"
#include "engine/pool_map.h"

namespace cairn::cli {
namespace {

using nlohmann::json;

// Targets from the engine issue; reported, not enforced.
constexpr double kBalanceTarget = 1.02;
constexpr double kMovementTarget = 1.05;

struct LayoutArgs {
  uint32_t racks = 4, nodes = 24, disks_per_node = 12;
  double disk_tb = 20.0;
  std::string scheme = "ec:8+3", domain = "node", strategy = "fixed";
  uint32_t add_nodes = 0, remove_nodes = 0, slots_per_disk = 100;
  uint64_t files = 0, seed = 1;
  bool json = false;
};

struct Spread {
  double min = 0, mean = 0, max = 0;
  double max_over_mean() const { return mean > 0 ? max / mean : 0; }
};

Spread spread_of(const std::vector<double>& v) {
  if (v.empty()) return {};
  Spread s{v[0], 0, v[0]};
  for (double x : v) s.min = std::min(s.min, x), s.max = std::max(s.max, x), s.mean += x;
  s.mean /= static_cast<double>(v.size());
  return s;
}

json to_json(const Spread& s) {
  return {{"min", s.min}, {"mean", s.mean}, {"max", s.max}, {"max_over_mean", s.max_over_mean()}};
}

// Loads per unit of capacity, normalised so a perfectly fair share is 1.0.
json map_report(const PoolMap& map, const Topology& topology,
                const std::vector<std::string>& paths) {
  std::vector<DiskId> disks = data_disks(map);
  double capacity = 0;
  for (DiskId d : disks) capacity += static_cast<double>(topology.disk(d).model.capacity_bytes);
  std::vector<double> share = disk_shares(map, topology), disk_load;
  for (DiskId d : disks)
    disk_load.push_back(share[d.value] * capacity / static_cast<double>(topology.disk(d).model.capacity_bytes));
  std::vector<double> weights = group_weights(map.placement, topology, map.spec);
  std::vector<double> group_share = group_shares(map), group_load;
  double weight_total = 0;
  for (double w : weights) weight_total += w;
  uint32_t live = 0;
  for (size_t g = 0; g < weights.size(); ++g) {
    if (weights[g] <= 0) continue;
    ++live;
    group_load.push_back(group_share[g] * weight_total / weights[g]);
  }
  json r = {{"epoch", map.epoch()},
            {"groups", live},
            {"data_disks", disks.size()},
            {"spare_disks", map.placement.spares.size()},
            {"slot_bits", map.layout.slot_bits},
            {"member_slots_per_disk", static_cast<double>(live) * map.spec.scheme.width() /
                                          static_cast<double>(disks.size())},
            {"disk_load", to_json(spread_of(disk_load))},
            {"group_load", to_json(spread_of(group_load))},
            {"violations", count_violations(map.placement, topology, map.spec)}};
  if (!paths.empty()) {
    std::vector<double> per_group(map.placement.groups.size(), 0), per_disk(topology.disk_id_bound(), 0);
    for (const std::string& p : paths) {
      GroupId g = map.lookup(p);
      ++per_group[g.value];
      for (DiskId d : map.group(g).members) ++per_disk[d.value];
    }
    std::vector<double> groups_norm, disks_norm;
    for (size_t g = 0; g < weights.size(); ++g)
      if (weights[g] > 0) groups_norm.push_back(per_group[g]);
    for (DiskId d : disks) disks_norm.push_back(per_disk[d.value]);
    r["files"] = {{"sampled", paths.size()},
                  {"per_group", to_json(spread_of(groups_norm))},
                  {"fragments_per_disk", to_json(spread_of(disks_norm))}};
  }
  return r;
}

double lookup_ns_per_path(const PoolMap& map, const std::vector<std::string>& paths) {
  using Clock = std::chrono::steady_clock;
  uint64_t sink = 0, done = 0;
  auto start = Clock::now();
  double elapsed_s = 0;
  while (elapsed_s < 0.2) {
    for (const std::string& p : paths) sink += map.lookup(p).value;
    done += paths.size();
    elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  }
  asm volatile("" : : "r"(sink) : "memory");
  return elapsed_s * 1e9 / static_cast<double>(done);
}

void print_text(const json& r) {
  auto line = [](const char* name, const json& s) {
    std::printf("  %-22s min %.4f  mean %.4f  max %.4f  max/mean %.4f\n", name,
                s["min"].get<double>(), s["mean"].get<double>(), s["max"].get<double>(),
                s["max_over_mean"].get<double>());
  };
  const json& c = r["cluster"];
  std::printf("cluster: %u racks, %u nodes x %u disks of %.1f TB; pool %s, domain %s, %s groups, seed %llu\n",
              c["racks"].get<unsigned>(), c["nodes"].get<unsigned>(),
              c["disks_per_node"].get<unsigned>(), c["disk_tb"].get<double>(),
              c["scheme"].get<std::string>().c_str(), c["domain"].get<std::string>().c_str(),
              c["strategy"].get<std::string>().c_str(), c["seed"].get<unsigned long long>());
  for (const char* which : {"before", "after"}) {
    if (!r.contains(which)) continue;
    const json& m = r[which];
    std::printf("%s (epoch %llu): %u groups, %zu data disks, %zu spare disks, %.1f groups per disk, 2^%u slots\n",
                which, m["epoch"].get<unsigned long long>(), m["groups"].get<unsigned>(),
                m["data_disks"].get<size_t>(), m["spare_disks"].get<size_t>(),
                m["member_slots_per_disk"].get<double>(), m["slot_bits"].get<unsigned>());
    line("disk load/capacity", m["disk_load"]);
    line("group load/capacity", m["group_load"]);
    if (m.contains("files")) {
      const json& f = m["files"];
      auto counts = [](const char* name, const json& s) {
        std::printf("  %-22s min %.0f  mean %.1f  max %.0f  max/mean %.4f  (1 sd of sampling: %.1f %%)\n",
                    name, s["min"].get<double>(), s["mean"].get<double>(), s["max"].get<double>(),
                    s["max_over_mean"].get<double>(), 100.0 / std::sqrt(s["mean"].get<double>()));
      };
      std::printf("  sampled %zu files:\n", f["sampled"].get<size_t>());
      counts("files per group", f["per_group"]);
      counts("fragments per disk", f["fragments_per_disk"]);
    }
    std::printf("  failure-domain violations: %u\n", m["violations"].get<unsigned>());
  }
  if (r.contains("change")) {
    const json& ch = r["change"];
    std::printf("change: %s %u nodes: moved %.4f of stored bytes, ideal %.4f, moved/ideal %.4f\n",
                ch["kind"].get<std::string>().c_str(), ch["nodes"].get<unsigned>(),
                ch["moved_fraction"].get<double>(), ch["ideal_fraction"].get<double>(),
                ch["moved_over_ideal"].get<double>());
  }
  std::printf("lookup: %.1f ns per path\n", r["lookup_ns_per_path"].get<double>());
  const json& t = r["targets"];
  std::printf("targets (load max/mean <= %.2f, moved/ideal <= %.2f, 0 violations): %s\n",
              t["balance_max_over_mean"].get<double>(), t["movement_over_ideal"].get<double>(),
              t["met"].get<bool>() ? "met" : "NOT met");
}

int run_layout(const LayoutArgs& a) {
  const std::string cmd = "layout";
  if (a.racks == 0 || a.nodes == 0 || a.disks_per_node == 0)
    return usage_error(cmd, "--racks, --nodes and --disks-per-node must be at least 1");
  if (!(a.disk_tb > 0)) return usage_error(cmd, "--disk-tb must be positive");
  if (a.remove_nodes >= a.nodes)
    return usage_error(cmd, "--remove-nodes must leave at least one of the " + std::to_string(a.nodes) + " nodes");
  auto scheme = Scheme::parse(a.scheme);
  if (!scheme) return usage_error(cmd, scheme.status().message());
  auto domain = parse_failure_domain(a.domain);
  if (!domain) return usage_error(cmd, domain.status().message());
  auto strategy = parse_group_strategy(a.strategy);
  if (!strategy) return usage_error(cmd, strategy.status().message());

  DiskModel disk;
  disk.capacity_bytes = static_cast<uint64_t>(a.disk_tb * 1e12);
  Topology topology = Topology::uniform(a.racks, a.nodes, a.disks_per_node, disk);
  PoolSpec spec{*scheme, *domain, *strategy, DeviceClass::kHdd, a.slots_per_disk, a.seed};
  auto before = initial_map(topology, spec);
  if (!before) return usage_error(cmd, before.status().message());

  std::vector<std::string> paths = cairn::sample_paths(std::max<uint64_t>(a.files, 200'000), a.seed);
  std::vector<std::string> sampled(paths.begin(), paths.begin() + static_cast<long>(a.files));
  json r = {{"cluster", {{"racks", a.racks}, {"nodes", a.nodes}, {"disks_per_node", a.disks_per_node},
                         {"disk_tb", a.disk_tb}, {"scheme", scheme->to_string()},
                         {"domain", to_string(*domain)}, {"strategy", to_string(*strategy)},
                         {"seed", a.seed}, {"engine_version", CAIRN_ENGINE_VERSION}}}};
  r["before"] = map_report(*before, topology, sampled);
  const PoolMap* final_map = &before.value();
  bool met = r["before"]["violations"] == 0 &&
             r["before"]["group_load"]["max_over_mean"].get<double>() <= kBalanceTarget;

  Result<PoolMap> after = before.value();
  if (a.add_nodes > 0 || a.remove_nodes > 0) {
    Topology changed = topology;
    if (a.add_nodes > 0) {
      changed.add_nodes_spread(a.add_nodes, a.disks_per_node, disk);
    } else {
      for (uint32_t i = 0; i < a.remove_nodes; ++i) changed.retire_node(NodeId(a.nodes - 1 - i));
    }
    after = next_map(*before, changed);
    if (!after) {
      std::string msg = after.status().message();
      if (a.add_nodes > 0 && spec.strategy == GroupStrategy::kFixed) {
        uint32_t k = smallest_valid_increment(*before, topology, a.disks_per_node, disk, 4 * scheme->width() + a.add_nodes);
        if (k > 0) msg += "; the smallest valid increment is --add-nodes " + std::to_string(k);
      }
      return usage_error(cmd, msg);
    }
    r["after"] = map_report(*after, changed, sampled);
    double moved = moved_fraction(*before, *after);
    double ideal = ideal_moved_fraction(*before, topology, *after, changed);
    r["change"] = {{"kind", a.add_nodes > 0 ? "add" : "remove"},
                   {"nodes", a.add_nodes > 0 ? a.add_nodes : a.remove_nodes},
                   {"moved_fraction", moved}, {"ideal_fraction", ideal},
                   {"moved_over_ideal", ideal > 0 ? moved / ideal : 0.0}};
    met = met && r["after"]["violations"] == 0 &&
          r["after"]["group_load"]["max_over_mean"].get<double>() <= kBalanceTarget &&
          moved <= kMovementTarget * ideal;
    final_map = &after.value();
  }
  r["lookup_ns_per_path"] = lookup_ns_per_path(*final_map, paths);
  r["targets"] = {{"balance_max_over_mean", kBalanceTarget},
                  {"movement_over_ideal", kMovementTarget}, {"met", met}};
  if (a.json) {
    std::cout << r.dump(2) << "\n";
  } else {
    print_text(r);
  }
  return 0;
}

}  // namespace

void add_layout_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<LayoutArgs>();
  CLI::App* sub = app.add_subcommand(
      "layout", "Inspect placement: groups, balance, failure domains, movement on a change");
  sub->add_option("--racks", args->racks, "Racks")->capture_default_str();
  sub->add_option("--nodes", args->nodes, "Nodes, spread round-robin over the racks")->capture_default_str();
  sub->add_option("--disks-per-node", args->disks_per_node, "Disks per node")->capture_default_str();
  sub->add_option("--disk-tb", args->disk_tb, "Disk size in TB (10^12 bytes)")->capture_default_str();
  sub->add_option("--scheme", args->scheme, "replica:N or ec:K+M")->capture_default_str();
  sub->add_option("--domain", args->domain, "Failure domain: disk, node or rack")->capture_default_str();
  sub->add_option("--strategy", args->strategy, "Group formation: fixed or declustered")->capture_default_str();
  auto* add = sub->add_option("--add-nodes", args->add_nodes, "Add K nodes, spread evenly over the racks");
  auto* rem = sub->add_option("--remove-nodes", args->remove_nodes, "Remove the K newest nodes");
  add->excludes(rem);
  sub->add_option("--files", args->files, "Also count F sampled PACS-style paths per group and disk");
  sub->add_option("--slots-per-disk", args->slots_per_disk,
                  "Declustered: groups each disk takes part in")->capture_default_str();
  sub->add_option("--seed", args->seed, "Seed for placement tie-breaks and sampled paths")->capture_default_str();
  sub->add_flag("--json", args->json, "Print one JSON object instead of text");
  sub->callback([args, exit_code] { *exit_code = run_layout(*args); });
}

}  // namespace cairn::cli
