// The cluster file: parsing, errors that name where and what, and the map
// every node and client derives from it.
#include "cluster-ref/map/cluster_file.h"

#include <gtest/gtest.h>

#include "cluster-ref/lab/lab.h"
#include "engine/pool_map.h"

namespace cairn {
namespace {

ClusterConfig lab(uint32_t nodes, Scheme scheme) {
  LabSpec spec;
  spec.dir = "/srv/cairn-lab";
  spec.nodes = nodes;
  spec.scheme = scheme;
  auto config = lab_config(spec);
  CAIRN_ASSERT(config.is_ok());
  return std::move(config).value();
}

std::string error_of(const std::string& yaml) {
  auto parsed = parse_cluster(yaml, "c.yaml");
  return parsed ? std::string("(parsed)") : parsed.status().message();
}

const char* kMinimal = R"(cairn_cluster: 1
pool: {scheme: "replica:3"}
nodes:
  - {id: 0, client: 127.0.0.10:7400, storage: 127.0.0.10:7401, management: 127.0.0.10:7402,
     state_dir: /s/0, disks: [{path: /d/0, capacity: 1 GB}]}
)";

TEST(ClusterFile, WrittenFileReadsBackTheSame) {
  const ClusterConfig config = lab(6, Scheme::erasure(4, 2));
  auto again = parse_cluster(to_yaml(config), "lab.yaml");
  ASSERT_TRUE(again.is_ok()) << again.status().message();
  EXPECT_EQ(to_yaml(*again), to_yaml(config));
  EXPECT_EQ(again->min_live, 5U);
  EXPECT_EQ(again->nodes[5].storage, (Endpoint{"127.0.0.15", 7401}));
  EXPECT_EQ(again->nodes[5].disks.size(), 4U);
}

// Format 3: format 2 and the retention policies, read back to the
// nanosecond (a node compares them to refuse a weakened policy); a file
// without policies stays format 2.
TEST(ClusterFile, RetentionPoliciesMakeFormat3AndReadBackExactly) {
  ClusterConfig config = lab(3, Scheme::replica(3));
  EXPECT_NE(to_yaml(config).find("cairn_cluster: 2\n"), std::string::npos);
  config.retention = {RetentionPolicy{"/ct/", int64_t{3650} * 86400 * 1'000'000'000 + 7, 0, RetentionMode::kCompliance},
                      RetentionPolicy{"/a b/", 86400 * int64_t{1'000'000'000}, 3'600'000'000'000,
                                      RetentionMode::kGovernance}};
  const std::string yaml = to_yaml(config);
  EXPECT_NE(yaml.find("cairn_cluster: 3\n"), std::string::npos);
  EXPECT_NE(yaml.find("  - {prefix: \"/a b/\", period: 86400 s, auto_commit: 3600 s, mode: governance}\n"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("  - {prefix: \"/ct/\", period: 315360000000000007 ns, auto_commit: 0 s, mode: compliance}\n"),
            std::string::npos)
      << yaml;
  auto again = parse_cluster(yaml, "lab.yaml");
  ASSERT_TRUE(again.is_ok()) << again.status().message();
  ASSERT_EQ(again->retention.size(), 2U);
  EXPECT_EQ(again->retention[0], config.retention[1]);  // in prefix order
  EXPECT_EQ(again->retention[1], config.retention[0]);
  EXPECT_EQ(to_yaml(*again), yaml);
  auto map = build_map(yaml, "lab.yaml");
  ASSERT_TRUE(map.is_ok()) << map.status().message();
  EXPECT_EQ(map->config.retention.size(), 2U);
}

TEST(ClusterFile, RetentionErrorsNameTheKey) {
  std::string base = std::string(kMinimal);
  base.replace(0, std::string("cairn_cluster: 1").size(), "cairn_cluster: 3");
  base.replace(base.find("{path: /d/0"), 1, "{id: 0, ");
  EXPECT_TRUE(parse_cluster(base + "retention:\n  - {prefix: /ct/, period: 30 days, mode: compliance}\n", "c.yaml")
                  .is_ok());
  EXPECT_NE(error_of(base + "retention:\n  - {prefix: /ct/, period: 30 days, mode: strict}\n")
                .find("retention[0].mode: retention mode 'strict'"),
            std::string::npos)
      << error_of(base + "retention:\n  - {prefix: /ct/, period: 30 days, mode: strict}\n");
  EXPECT_NE(error_of(base + "retention:\n  - {prefix: ct, period: 1 s, mode: compliance}\n").find("must start with '/'"),
            std::string::npos);
  EXPECT_NE(error_of(base + "retention:\n  - {prefix: /a/, period: 1 s, mode: compliance}\n"
                            "  - {prefix: /a/, period: 2 s, mode: compliance}\n")
                .find("two retention policies for /a/"),
            std::string::npos);
  // Format 2 knows no retention.
  std::string two = std::string(kMinimal);
  two.replace(0, std::string("cairn_cluster: 1").size(), "cairn_cluster: 2");
  two.replace(two.find("{path: /d/0"), 1, "{id: 0, ");
  EXPECT_NE(error_of(two + "retention: []\n").find("retention: unknown key"), std::string::npos)
      << error_of(two + "retention: []\n");
}

// Format 4: format 3 and the snapshots, written in name order and read
// back exactly (a cut a nanosecond off would move versions in or out of a
// snapshot); a file without snapshots stays format 3 or 2, byte for byte.
TEST(ClusterFile, SnapshotsMakeFormat4AndReadBackExactly) {
  ClusterConfig config = lab(3, Scheme::replica(3));
  const std::string without = to_yaml(config);
  config.snapshots = {Snapshot{"z-last", "/", 1764930000123456789, 1764930001987654321},
                      Snapshot{"before-upgrade", "/ct/", 1764930000000000000, 1764930001000000000}};
  const std::string yaml = to_yaml(config);
  EXPECT_NE(yaml.find("cairn_cluster: 4\n"), std::string::npos);
  EXPECT_NE(yaml.find("snapshots:\n"
                      "  - {name: \"before-upgrade\", prefix: \"/ct/\", created: 1764930000000000000, cut: "
                      "1764930001000000000}\n"
                      "  - {name: \"z-last\", prefix: \"/\", created: 1764930000123456789, cut: 1764930001987654321}\n"),
            std::string::npos)
      << yaml;
  auto again = parse_cluster(yaml, "lab.yaml");
  ASSERT_TRUE(again.is_ok()) << again.status().message();
  ASSERT_EQ(again->snapshots.size(), 2U);
  EXPECT_EQ(again->snapshots[0], config.snapshots[1]);
  EXPECT_EQ(again->snapshots[1], config.snapshots[0]);
  EXPECT_EQ(to_yaml(*again), yaml);
  // With retention too: still format 4; without snapshots: what it was.
  config.retention = {RetentionPolicy{"/ct/", 86400 * int64_t{1'000'000'000}, 0, RetentionMode::kGovernance}};
  EXPECT_NE(to_yaml(config).find("cairn_cluster: 4\n"), std::string::npos);
  config.snapshots.clear();
  EXPECT_NE(to_yaml(config).find("cairn_cluster: 3\n"), std::string::npos);
  config.retention.clear();
  EXPECT_EQ(to_yaml(config), without);
  auto map = build_map(yaml, "lab.yaml");
  ASSERT_TRUE(map.is_ok()) << map.status().message();
  EXPECT_EQ(map->config.snapshots.size(), 2U);
}

TEST(ClusterFile, SnapshotErrorsNameTheKey) {
  std::string base = std::string(kMinimal);
  base.replace(0, std::string("cairn_cluster: 1").size(), "cairn_cluster: 4");
  base.replace(base.find("{path: /d/0"), 1, "{id: 0, ");
  EXPECT_TRUE(parse_cluster(base + "snapshots:\n  - {name: a, prefix: /ct/, created: 1, cut: 2}\n", "c.yaml").is_ok());
  EXPECT_NE(error_of(base + "snapshots:\n  - {name: a, prefix: /ct/, created: 1, cut: 2.5}\n")
                .find("snapshots[0].cut: expected a whole number of ns"),
            std::string::npos);
  EXPECT_NE(error_of(base + "snapshots:\n  - {name: a/b, prefix: /ct/, created: 1, cut: 2}\n").find("snapshots[0]"),
            std::string::npos);
  EXPECT_NE(error_of(base + "snapshots:\n  - {name: a, prefix: /, created: 1, cut: 2}\n"
                            "  - {name: a, prefix: /x/, created: 1, cut: 3}\n")
                .find("two snapshots are named a"),
            std::string::npos);
  // Format 3 knows no snapshots.
  std::string three = base;
  three.replace(0, std::string("cairn_cluster: 4").size(), "cairn_cluster: 3");
  EXPECT_NE(error_of(three + "snapshots: []\n").find("snapshots: unknown key"), std::string::npos);
}

TEST(ClusterFile, EveryReaderDerivesTheSameMap) {
  const std::string yaml = to_yaml(lab(6, Scheme::erasure(4, 2)));
  auto a = build_map(yaml, "a");
  auto b = build_map(yaml, "b");
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_EQ(a->pool.layout.slot_group, b->pool.layout.slot_group);
  ASSERT_EQ(a->pool.placement.groups.size(), 4U);  // 24 disks in fixed groups of 6
  for (size_t g = 0; g < 4; ++g) {
    EXPECT_EQ(a->pool.placement.groups[g].members, b->pool.placement.groups[g].members);
  }
  // Disk ids in file order: node 1's second disk is disk 5.
  EXPECT_EQ(a->node_of(DiskId(5)).value, 1U);
  EXPECT_EQ(a->disk_index(DiskId(5)), 1U);
}

TEST(ClusterFile, MinimalFileTakesDefaults) {
  auto c = parse_cluster(kMinimal, "c.yaml");
  ASSERT_TRUE(c.is_ok()) << c.status().message();
  EXPECT_EQ(c->epoch, 1U);
  EXPECT_EQ(c->min_live, 2U);
  EXPECT_EQ(c->nodes[0].disks[0].capacity_bytes, 1'000'000'000U);
}

TEST(ClusterFile, ScrubPaceAndIntervalReadBack) {
  auto defaults = parse_cluster(kMinimal, "c.yaml");
  ASSERT_TRUE(defaults.is_ok());
  EXPECT_EQ(defaults->scrub_interval_s, 7U * 24 * 3600);
  EXPECT_EQ(defaults->scrub_bytes_per_s, 50'000'000U);
  std::string set = std::string(kMinimal) + "timing: {scrub_interval: 2 h}\nbudget: {scrub: 20 MB/s}\n";
  auto c = parse_cluster(set, "c.yaml");
  ASSERT_TRUE(c.is_ok()) << c.status().message();
  EXPECT_EQ(c->scrub_interval_s, 7200U);
  EXPECT_EQ(c->scrub_bytes_per_s, 20'000'000U);
  auto again = parse_cluster(to_yaml(*c), "again.yaml");
  ASSERT_TRUE(again.is_ok()) << again.status().message();
  EXPECT_EQ(again->scrub_interval_s, 7200U);
  EXPECT_EQ(again->scrub_bytes_per_s, 20'000'000U);
  EXPECT_NE(error_of(std::string(kMinimal) + "budget: {scrub: 10 kB/s}\n").find("budget.scrub: must be between"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "budget: {scrubs: 10 MB/s}\n").find("budget.scrubs: unknown key"),
            std::string::npos);
}

// Format 2 keeps the engine's map itself: a grown cluster (next_map), its
// migration source and a rebuild read back to the same values, and every
// reader runs that map rather than deriving a first one.
TEST(ClusterFile, Format2CarriesTheMapItsMigrationAndItsHeals) {
  const ClusterConfig base = lab(6, Scheme::erasure(4, 2));
  auto first = build_map(to_yaml(base), "first");
  ASSERT_TRUE(first.is_ok()) << first.status().message();
  Topology grown = first->topology;
  std::vector<DiskModel> disks(4, grown.disk(DiskId(0)).model);
  std::vector<NodeConfig> new_nodes;
  for (uint32_t i = 6; i < 12; ++i) {
    const NodeId n = grown.add_node(RackId(0), disks);
    NodeConfig c;
    c.id = n.value;
    const std::string host = "127.0.0." + std::to_string(10 + i);
    c.client = {host, 7400};
    c.storage = {host, 7401};
    c.management = {host, 7402};
    c.state_dir = "/srv/cairn-lab/node-" + std::to_string(i) + "/state";
    for (DiskId d : grown.node(n).disks)
      c.disks.push_back({d.value, "/srv/cairn-lab/node-" + std::to_string(i) + "/disk-" + std::to_string(d.value), disks[0].capacity_bytes, false});
    new_nodes.push_back(c);
  }
  auto next = next_map(first->pool, grown);
  ASSERT_TRUE(next.is_ok()) << next.status().message();
  HealPlan heal;
  heal.group = GroupId(1);
  HealPlan::Target target;
  target.member = 2;
  target.disk = next->group(GroupId(1)).members[2];
  heal.targets.push_back(target);
  heal.source_members = {0, 1, 3, 4};
  MapChange change{&grown, &*next, &first->pool, 1, {heal}, new_nodes, {}};
  auto config = next_config(first->config, 2, change);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  const std::string yaml = to_yaml(*config);
  EXPECT_NE(yaml.find("cairn_cluster: 2"), std::string::npos);
  auto again = build_map(yaml, "again");
  ASSERT_TRUE(again.is_ok()) << again.status().message() << "\n" << yaml;
  EXPECT_EQ(again->epoch(), 2U);
  EXPECT_EQ(again->topology.node_id_bound(), 12U);
  EXPECT_EQ(again->pool.layout.slot_group, next->layout.slot_group);
  EXPECT_EQ(again->pool.layout.epoch, next->layout.epoch);
  ASSERT_EQ(again->pool.placement.groups.size(), next->placement.groups.size());
  for (size_t g = 0; g < next->placement.groups.size(); ++g)
    EXPECT_EQ(again->pool.placement.groups[g].members, next->placement.groups[g].members);
  ASSERT_TRUE(again->previous.has_value());
  EXPECT_EQ(again->previous->layout.slot_group, first->pool.layout.slot_group);
  EXPECT_EQ(again->previous_epoch, 1U);
  ASSERT_EQ(again->heals.size(), 1U);
  EXPECT_EQ(again->heals[0].targets[0].disk, heal.targets[0].disk);
  EXPECT_EQ(again->heals[0].source_disks.size(), 4U);
  EXPECT_EQ(to_yaml(again->config), yaml) << "written again, the same text";

  // Retirement keeps ids: a retired disk stays in the file, marked.
  grown.retire_disk(DiskId(3));
  MapChange retire{&grown, &*next, nullptr, 0, {}, {}, {}};
  auto retired = next_config(again->config, 3, retire);
  ASSERT_TRUE(retired.is_ok()) << retired.status().message();
  auto read = build_map(to_yaml(*retired), "retired");
  ASSERT_TRUE(read.is_ok()) << read.status().message();
  EXPECT_TRUE(read->topology.disk(DiskId(3)).retired);
  EXPECT_TRUE(read->config.nodes[0].disks[3].retired);
  EXPECT_FALSE(read->previous.has_value());
}

TEST(ClusterFile, Format2ErrorsNameTheKey) {
  const std::string yaml = to_yaml(lab(6, Scheme::replica(3)));
  auto map = build_map(yaml, "m");
  ASSERT_TRUE(map.is_ok());
  ClusterConfig c = map->config;
  c.map = MapSection{map->pool.placement, map->pool.layout, 0};
  std::string text = to_yaml(c);
  std::string bad = text;
  const std::string bits = "slot_bits: " + std::to_string(map->pool.layout.slot_bits);
  bad.replace(bad.find(bits), bits.size(), "slot_bits: 3");
  EXPECT_NE(error_of(bad).find("map.slots"), std::string::npos) << error_of(bad);
  EXPECT_NE(error_of(bad).find("2^slot_bits"), std::string::npos) << error_of(bad);
  bad = text;
  bad.replace(bad.find("{id: 5,"), 7, "{id: 4,");
  EXPECT_NE(error_of(bad).find("id order"), std::string::npos) << error_of(bad);
  bad = text + "heals: [{group: 0, targets: [[0, 999]], sources: [1]}]\n";
  EXPECT_NE(error_of(bad).find("heals[0].targets"), std::string::npos) << error_of(bad);
}

TEST(ClusterFile, ErrorsNameFileLineAndKey) {
  std::string bad = kMinimal;
  bad.replace(bad.find("1 GB"), 4, "1 XB");
  EXPECT_EQ(error_of(bad).rfind("c.yaml:5:", 0), 0U) << error_of(bad);
  EXPECT_NE(error_of(bad).find("nodes[0].disks[0].capacity"), std::string::npos);

  bad = kMinimal;
  bad.replace(bad.find("127.0.0.10:7400"), 15, "localhost:7400");
  EXPECT_NE(error_of(bad).find("nodes[0].client: expected an IPv4 address"), std::string::npos)
      << error_of(bad);

  bad = std::string(kMinimal) + "colour: blue\n";
  EXPECT_NE(error_of(bad).find("colour: unknown key"), std::string::npos) << error_of(bad);

  bad = kMinimal;
  bad.replace(bad.find("127.0.0.10:7402"), 15, "127.0.0.10:7400");
  EXPECT_NE(error_of(bad).find("is used twice"), std::string::npos) << error_of(bad);

  bad = kMinimal;
  bad.replace(bad.find("id: 0"), 5, "id: 3");
  EXPECT_NE(error_of(bad).find("expected 0"), std::string::npos) << error_of(bad);

  bad = kMinimal;
  bad.replace(bad.find("{scheme: \"replica:3\"}"), 21, "{scheme: \"replica:3\", min_live: 4}");
  EXPECT_NE(error_of(bad).find("pool.min_live"), std::string::npos) << error_of(bad);

  bad = kMinimal;
  bad.replace(0, 16, "cairn_cluster: 5");
  EXPECT_NE(error_of(bad).find("formats 1, 2, 3 and 4"), std::string::npos) << error_of(bad);

  EXPECT_NE(error_of("nodes: [").find("c.yaml:"), std::string::npos);
}

TEST(ClusterFile, ASchemeWiderThanTheNodesIsRefusedByTheEngine) {
  auto map = build_map(to_yaml(lab(3, Scheme::erasure(4, 2))), "small.yaml");
  ASSERT_FALSE(map.is_ok());
  EXPECT_EQ(map.status().code(), StatusCode::kUnsatisfiable);
  EXPECT_NE(map.status().message().find("small.yaml: pool:"), std::string::npos);
}

TEST(ClusterFile, LabAddressesAndLimits) {
  const ClusterConfig c = lab(3, Scheme::replica(3));
  EXPECT_EQ(c.nodes[2].client.to_string(), "127.0.0.12:7400");
  EXPECT_EQ(c.nodes[2].management.to_string(), "127.0.0.12:7402");
  LabSpec too_many;
  too_many.nodes = kLabNodesMax + 1;
  EXPECT_FALSE(lab_config(too_many).is_ok());
  EXPECT_FALSE(parse_endpoint("127.0.0.1:0").is_ok());
  EXPECT_FALSE(parse_endpoint("127.0.0.1:65536").is_ok());
  EXPECT_FALSE(parse_endpoint("127.0.0.1").is_ok());
  EXPECT_TRUE(parse_endpoint("10.1.2.3:1").is_ok());
}

}  // namespace
}  // namespace cairn
