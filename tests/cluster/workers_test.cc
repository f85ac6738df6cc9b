// The node's background workers on the Members seam, in memory and on a fake
// clock (no sockets, no processes, no files but the owed log): the healer
// rebuilds a missing member from the others; the mover carries out exactly
// the moves of the engine's rebalance, keeps a newer write at the new place
// and paces itself by the budget; the rebuilder fills a heal plan's target.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "cluster-ref/formats/file_codec.h"
#include "cluster-ref/node/compliance_clock.h"
#include "cluster-ref/node/coordinator.h"
#include "cluster-ref/node/healer.h"
#include "cluster-ref/lab/lab.h"
#include "cluster-ref/node/mover.h"
#include "cluster-ref/node/owed_log.h"
#include "cluster-ref/node/rebuilder.h"
#include "cluster-ref/node/scrubber.h"
#include "engine/scrub.h"
#include "engine/heal.h"
#include "engine/pace.h"
#include "engine/random.h"
#include "engine/rebalance.h"
#include "memory_members.h"

namespace cairn {
namespace {

namespace fs = std::filesystem;
using testing::MemoryDisks;
using testing::MemoryMembers;

ClusterMap lab_map(Scheme scheme, uint32_t nodes, uint64_t rebalance_budget = kUnpaced) {
  LabSpec spec;
  spec.dir = "/srv/cairn-test";
  spec.nodes = nodes;
  spec.disks_per_node = 1;
  spec.scheme = scheme;
  auto config = lab_config(spec);
  CAIRN_ASSERT(config.is_ok());
  config->rebalance_bytes_per_s = rebalance_budget == kUnpaced ? 100'000'000'000ULL : rebalance_budget;
  config->heal_bytes_per_s = 100'000'000'000ULL;
  config->scrub_bytes_per_s = 1'000'000;  // 1 MB/s: the scrub test checks its pace
  auto map = build_map(to_yaml(*config), "test");
  CAIRN_ASSERT(map.is_ok());
  return std::move(map).value();
}

std::vector<std::byte> bytes_of_file(uint32_t i) {
  SplitMix64 rng(1234 + i);
  std::vector<std::byte> out(20'000 + rng.below(100'000));
  for (auto& b : out) b = static_cast<std::byte>(rng.next());
  return out;
}

std::string path_of(uint32_t i) { return "/t/IM-" + std::to_string(i) + ".dcm"; }

// Writes file i's parts to its group's members in `map`, as a coordinator would.
void put(MemoryDisks& disks, const ClusterMap& map, uint32_t i, uint64_t version = 1) {
  const std::string path = path_of(i);
  const GroupId g = map.pool.lookup(path);
  const auto file = bytes_of_file(i);
  auto parts = encode_file(map.pool.spec.scheme, {g.value, version, 0, 0}, file);
  CAIRN_ASSERT(parts.is_ok());
  for (MemberPart& p : *parts) {
    const DiskId d = map.pool.group(g).members[p.member];
    disks.disks[d.value][path] = {p.record, {p.payload.begin(), p.payload.end()}};
  }
}

// The map after adding `added` nodes like the first, with the old one as its migration.
ClusterMap grown(const ClusterMap& before, uint32_t added) {
  Topology t = before.topology;
  std::vector<NodeConfig> nodes;
  for (uint32_t i = 0; i < added; ++i) {
    const NodeId n = t.add_node(RackId(0), std::vector<DiskModel>(1, t.disk(DiskId(0)).model));
    NodeConfig c = before.config.nodes[0];
    c.id = n.value;
    const std::string host = "127.0.0." + std::to_string(10 + n.value);
    c.client.host = c.storage.host = c.management.host = host;
    c.disks = {{t.node(n).disks[0].value, "/srv/cairn-test/d" + std::to_string(n.value), t.disk(DiskId(0)).model.capacity_bytes, false}};
    nodes.push_back(c);
  }
  auto next = next_map(before.pool, t);
  CAIRN_ASSERT(next.is_ok());
  MapChange change{&t, &*next, &before.pool, before.epoch(), {}, nodes, {}};
  auto config = next_config(before.config, before.epoch() + 1, change);
  CAIRN_ASSERT(config.is_ok());
  auto map = build_map(to_yaml(*config), "grown");
  CAIRN_ASSERT(map.is_ok());
  return std::move(map).value();
}

class WorkersTest : public ::testing::TestWithParam<Scheme> {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/cairn-workers-XXXXXX";
    state_ = mkdtemp(pattern);
  }
  void TearDown() override { fs::remove_all(state_); }
  fs::path state_;
};

TEST_P(WorkersTest, HealerRebuildsAMissingMemberFromTheOthers) {
  const ClusterMap map = lab_map(GetParam(), 6);
  MapHolder maps(std::make_shared<const ClusterMap>(map));
  MemoryDisks disks;
  for (uint32_t i = 0; i < 20; ++i) put(disks, map, i);
  const std::string path = path_of(3);
  const DiskId lost = map.pool.group(map.pool.lookup(path)).members[1];
  const DiskStore::Stored before = disks.disks[lost.value][path];
  disks.disks[lost.value].erase(path);
  MemoryMembers members(disks, maps, NodeId(0));
  auto owed = OwedLog::open(state_);
  ASSERT_TRUE(owed.is_ok());
  Healer healer(maps, members, **owed);
  EXPECT_EQ(healer.reconcile(path), ReconcilePlan::Outcome::kInSync);
  ASSERT_TRUE(disks.has(lost, path));
  EXPECT_EQ(disks.disks[lost.value][path].record, before.record);
  EXPECT_EQ(disks.disks[lost.value][path].payload, before.payload);

  // With that member's node down the healer waits, and writes nothing.
  disks.disks[lost.value].erase(path);
  disks.down_nodes.insert(map.node_of(lost).value);
  EXPECT_EQ(healer.reconcile(path), ReconcilePlan::Outcome::kWaiting);
  disks.down_nodes.clear();
  EXPECT_FALSE(disks.has(lost, path));
}

TEST_P(WorkersTest, MoverMovesWhatTheEnginePlansAndDropsTheOldCopies) {
  const ClusterMap before = lab_map(GetParam(), 6);
  MemoryDisks disks;
  constexpr uint32_t kFiles = 60;
  for (uint32_t i = 0; i < kFiles; ++i) put(disks, before, i);
  const ClusterMap after = grown(before, GetParam().width());
  ASSERT_TRUE(after.previous.has_value());
  MapHolder maps(std::make_shared<const ClusterMap>(after));
  // A write that reached the first moving file's new place first, at a newer version.
  uint32_t newer = 0;
  while (newer < kFiles && path_moves(before.pool, after.pool, path_of(newer)).members.empty()) ++newer;
  ASSERT_LT(newer, kFiles) << "no file moves";
  const std::string first = path_of(newer);
  const PathMoves moves0 = path_moves(before.pool, after.pool, first);
  put(disks, after, newer, 2);
  FakeClock clock;
  uint32_t moved = 0;
  for (uint32_t n = 0; n < after.topology.node_id_bound(); ++n) {
    MemoryMembers members(disks, maps, NodeId(n));
    Mover mover(maps, clock, members);
    EXPECT_TRUE(mover.run_once()) << "node " << n;
    moved += static_cast<uint32_t>(mover.progress().files_done);
  }
  uint32_t planned = 0;
  for (uint32_t i = 0; i < kFiles; ++i) {
    const std::string path = path_of(i);
    const PathMoves moves = path_moves(before.pool, after.pool, path);
    const auto& old_members = before.pool.group(moves.from_group).members;
    const auto& new_members = after.pool.group(moves.to_group).members;
    for (const MemberMove& m : moves.members) {
      ++planned;
      EXPECT_FALSE(disks.has(m.from, path) && std::find(new_members.begin(), new_members.end(), m.from) == new_members.end())
          << path << " still on disk " << m.from.value;
    }
    // Every new member holds its part, and the file decodes from them.
    std::vector<std::optional<std::vector<std::byte>>> parts(new_members.size());
    FileRecord record;
    for (uint32_t m = 0; m < new_members.size(); ++m) {
      if (!disks.has(new_members[m], path)) continue;
      const auto& part = disks.disks[new_members[m].value][path];
      parts[part.record.member] = part.payload;
      record = part.record;
    }
    auto file = decode_file(after.pool.spec.scheme, record, parts);
    ASSERT_TRUE(file.is_ok()) << path << ": " << file.status().message();
    EXPECT_EQ(*file, bytes_of_file(i)) << path;
    (void)old_members;
  }
  EXPECT_EQ(disks.disks[moves0.members[0].to.value][first].record.version, 2U) << "the newer write was overwritten";
  // Every planned member move ran (the newer file's moves found the newer write there).
  EXPECT_EQ(moved, planned);
}

TEST_P(WorkersTest, MoverPacesItselfByTheRebalanceBudget) {
  const ClusterMap before = lab_map(GetParam(), 6, 1'000'000);  // 1 MB/s per node
  MemoryDisks disks;
  for (uint32_t i = 0; i < 30; ++i) put(disks, before, i);
  const ClusterMap after = grown(before, GetParam().width());
  MapHolder maps(std::make_shared<const ClusterMap>(after));
  MemoryMembers members(disks, maps, NodeId(0));
  uint64_t cost = 0, largest = 0;
  for (const auto& [path, part] : disks.disks[after.topology.node(NodeId(0)).disks[0].value]) {
    for (const MemberMove& m : path_moves(before.pool, after.pool, path).members) {
      if (m.from != after.topology.node(NodeId(0)).disks[0]) continue;
      cost += operation_cost_bytes(part.record.payload_bytes);
      largest = std::max(largest, operation_cost_bytes(part.record.payload_bytes));
    }
  }
  ASSERT_GT(cost, 0U);
  FakeClock clock;
  Mover mover(maps, clock, members);
  EXPECT_TRUE(mover.run_once());
  // Before each file it waits until the cost so far fits 1 MB/s.
  const double slept_s = static_cast<double>(clock.slept_ns()) / 1e9;
  EXPECT_GE(slept_s, static_cast<double>(cost - largest) / 1e6 - 1e-6);
  EXPECT_LE(slept_s, static_cast<double>(cost) / 1e6);
}

TEST_P(WorkersTest, RebuilderFillsTheHealPlansTarget) {
  const ClusterMap before = lab_map(GetParam(), 6);
  MemoryDisks disks;
  for (uint32_t i = 0; i < 30; ++i) put(disks, before, i);
  // Node 2's disk is replaced: the engine's plan puts its members on the new disk.
  Topology t = before.topology;
  const DiskId old = t.node(NodeId(2)).disks[0];
  const DiskId fresh = t.add_disk(NodeId(2), t.disk(old).model);
  t.retire_disk(old);
  PoolMap spared = admit_spares(before.pool, t);
  std::vector<HealRequest> requests;
  for (uint32_t g = 0; g < spared.placement.groups.size(); ++g) {
    const auto& members = spared.placement.groups[g].members;
    auto it = std::find(members.begin(), members.end(), old);
    if (it == members.end()) continue;
    HealRequest r{GroupId(g), std::vector<MemberState>(members.size(), MemberState::kHealthy), 1'000'000, {}};
    r.members[static_cast<size_t>(it - members.begin())] = MemberState::kLost;
    requests.push_back(r);
  }
  std::vector<uint64_t> free(t.disk_id_bound(), uint64_t{1} << 40);
  auto plans = plan_heals(spared, t, requests, free);
  ASSERT_TRUE(plans.is_ok());
  PoolMap healed = apply_heals(spared, *plans);
  MapChange change{&t, &healed, nullptr, 0, *plans, {}, {{fresh.value, "/srv/cairn-test/fresh"}}};
  auto config = next_config(before.config, before.epoch() + 1, change);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  auto after = build_map(to_yaml(*config), "after");
  ASSERT_TRUE(after.is_ok()) << after.status().message();
  ASSERT_FALSE(after->heals.empty());
  const size_t lost_parts = disks.disks[old.value].size();
  disks.disks.erase(old.value);
  MapHolder maps(std::make_shared<const ClusterMap>(std::move(after).value()));
  MemoryMembers members(disks, maps, NodeId(2));
  auto owed = OwedLog::open(state_);
  ASSERT_TRUE(owed.is_ok());
  Healer healer(maps, members, **owed);
  FakeClock clock;
  Rebuilder rebuilder(maps, clock, members, healer);
  EXPECT_TRUE(rebuilder.run_once());
  EXPECT_EQ(disks.disks[fresh.value].size(), lost_parts);
  EXPECT_EQ(rebuilder.progress().files_done, lost_parts);
}

// The write side on the same seam: every live member durable before the
// reply, a member on a down node owed a heal (logged first), and a group
// below its write quorum refused with the counts.
// WORM on the same seam: the coordinator asks the retention verdict over
// the members' newest record and refuses before writing anything; the write
// it allows carries the policy's stamp at its version.
TEST_P(WorkersTest, CoordinatorRefusesToReplaceARetainedFileAndStampsNewOnes) {
  ClusterMap map = lab_map(GetParam(), 6);
  map.config.retention = {RetentionPolicy{"/t/", int64_t{86400} * 1'000'000'000, 0, RetentionMode::kCompliance}};
  MapHolder maps(std::make_shared<const ClusterMap>(map));
  MemoryDisks disks;
  const std::string path = path_of(3);
  const auto& members = map.pool.group(map.pool.lookup(path)).members;
  MemoryMembers view(disks, maps, map.node_of(members[0]));
  auto owed = OwedLog::open(state_);
  ASSERT_TRUE(owed.is_ok());
  FakeWallClock wall(int64_t{1'780'000'000} * 1'000'000'000);
  auto clock = ComplianceClock::open(state_, wall);
  ASSERT_TRUE(clock.is_ok());
  Coordinator coordinator(maps, view, **owed, **clock);
  const auto file = bytes_of_file(3);
  auto first = coordinator.put(wire::PutRequest{map.epoch(), path, 5, file});
  ASSERT_TRUE(first.is_ok()) << first.status().message();
  EXPECT_EQ(first->version, static_cast<uint64_t>(wall.now_ns()));
  auto stored = view.stat(members[0], path);
  ASSERT_TRUE(stored.is_ok());
  EXPECT_TRUE(stored->committed);
  EXPECT_EQ(stored->retain_until_ns, wall.now_ns() + int64_t{86400} * 1'000'000'000);

  wall.set_ns(wall.now_ns() + int64_t{3600} * 1'000'000'000);
  auto again = coordinator.put(wire::PutRequest{map.epoch(), path, 6, bytes_of_file(4)});
  EXPECT_EQ(again.status().code(), StatusCode::kRetained) << again.status().message();
  auto gone = coordinator.remove(wire::DeleteRequest{map.epoch(), path});
  EXPECT_EQ(gone.status().code(), StatusCode::kRetained) << gone.status().message();
  EXPECT_EQ(view.stat(members[0], path)->version, first->version);  // nothing written
  EXPECT_EQ((*owed)->size(), 0U);

  wall.set_ns(wall.now_ns() + int64_t{86400} * 1'000'000'000);  // the day is over
  EXPECT_TRUE(coordinator.remove(wire::DeleteRequest{map.epoch(), path}).is_ok());
}

TEST_P(WorkersTest, CoordinatorWritesEveryLiveMemberAndLogsWhatIsOwed) {
  const ClusterMap map = lab_map(GetParam(), 6);
  MapHolder maps(std::make_shared<const ClusterMap>(map));
  MemoryDisks disks;
  const std::string path = path_of(7);
  const auto& members = map.pool.group(map.pool.lookup(path)).members;
  MemoryMembers view(disks, maps, map.node_of(members[0]));
  auto owed = OwedLog::open(state_);
  ASSERT_TRUE(owed.is_ok());
  SystemWallClock wall;
  auto clock = ComplianceClock::open(state_, wall);
  ASSERT_TRUE(clock.is_ok());
  Coordinator coordinator(maps, view, **owed, **clock);
  const auto file = bytes_of_file(7);
  wire::PutRequest request{map.epoch(), path, 5, file};
  auto reply = coordinator.put(request);
  ASSERT_TRUE(reply.is_ok()) << reply.status().message();
  EXPECT_EQ(reply->owed, 0U);
  for (DiskId d : members) EXPECT_TRUE(disks.has(d, path)) << "disk " << d.value;
  EXPECT_EQ((*owed)->size(), 0U);

  // One member's node down: written to the rest, owed to it, logged.
  disks.down_nodes.insert(map.node_of(members[1]).value);
  auto degraded = coordinator.put(request);
  ASSERT_TRUE(degraded.is_ok()) << degraded.status().message();
  EXPECT_EQ(degraded->owed, 1U << 1);
  EXPECT_EQ((*owed)->size(), 1U);
  EXPECT_GT(degraded->version, reply->version);

  // Below the quorum: refused, naming the counts.
  for (size_t m = 1; m < members.size(); ++m) disks.down_nodes.insert(map.node_of(members[m]).value);
  auto refused = coordinator.put(request);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(refused.status().message().find("takes writes with at least"), std::string::npos) << refused.status().message();
}

// A scrub pass on the seam: a copy whose bytes rot is dropped and queued for
// repair, and the pass keeps to the scrub budget on the fake clock.
TEST_P(WorkersTest, ScrubberDropsARottenCopyQueuesItsRepairAndKeepsItsPace) {
  const ClusterMap map = lab_map(GetParam(), 6);
  MapHolder maps(std::make_shared<const ClusterMap>(map));
  MemoryDisks disks;
  for (uint32_t i = 0; i < 20; ++i) put(disks, map, i);
  const DiskId disk = map.topology.node(NodeId(0)).disks[0];
  ASSERT_FALSE(disks.disks[disk.value].empty());
  auto& rotten = disks.disks[disk.value].begin()->second;
  const std::string rotten_path = disks.disks[disk.value].begin()->first;
  rotten.payload[rotten.payload.size() / 2] ^= std::byte{0x10};
  uint64_t cost = 0, largest = 0;
  for (const auto& [path, part] : disks.disks[disk.value]) {
    cost += scrub_cost_bytes(part.record.payload_bytes);
    largest = std::max(largest, scrub_cost_bytes(part.record.payload_bytes));
  }
  MemoryMembers members(disks, maps, NodeId(0));
  auto owed = OwedLog::open(state_);
  ASSERT_TRUE(owed.is_ok());
  Healer healer(maps, members, **owed);
  FakeClock clock;
  Scrubber scrubber(maps, clock, members, healer);
  scrubber.scrub_once(false);
  EXPECT_FALSE(disks.has(disk, rotten_path)) << "the rotten copy was not dropped";
  EXPECT_GE((*owed)->size(), 1U) << "its repair was not queued";
  const double slept_s = static_cast<double>(clock.slept_ns()) / 1e9;
  EXPECT_GE(slept_s, static_cast<double>(cost - largest) / 1e6 - 1e-6);
  EXPECT_LE(slept_s, static_cast<double>(cost) / 1e6 + 0.1);
  // The healer then rebuilds it from the others.
  EXPECT_EQ(healer.reconcile(rotten_path), ReconcilePlan::Outcome::kInSync);
  EXPECT_TRUE(disks.has(disk, rotten_path));
}

INSTANTIATE_TEST_SUITE_P(Schemes, WorkersTest, ::testing::Values(Scheme::replica(3), Scheme::erasure(4, 2)),
                         [](const auto& param_info) { return param_info.param.is_replica() ? "replica3" : "ec4plus2"; });

}  // namespace
}  // namespace cairn
