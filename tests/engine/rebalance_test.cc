// Rebalance planning: agreement with moved_fraction() after growth, member
// matching (erasure codes by index, replicas as sets), byte splitting over a
// finer layout, the budget cut, evacuation first after a removal, and flows.
#include "engine/rebalance.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include <algorithm>
#include <iterator>
#include <set>
#include <vector>

namespace cairn {
namespace {

constexpr uint64_t kPerSlot = uint64_t{1} << 30;  // divisible by any sub-slot count

PoolSpec spec_of(Scheme scheme, GroupStrategy strategy) {
  PoolSpec spec;
  spec.scheme = scheme;
  spec.strategy = strategy;
  spec.domain = FailureDomain::kNode;
  spec.member_slots_per_disk = 20;
  spec.seed = 11;
  return spec;
}

PoolMap must(Result<PoolMap> map) {
  EXPECT_TRUE(map.is_ok()) << map.status().message();
  return std::move(map).value();
}

RebalancePlan must(Result<RebalancePlan> plan) {
  EXPECT_TRUE(plan.is_ok()) << plan.status().message();
  return std::move(plan).value();
}

std::vector<uint64_t> uniform_bytes(const PoolMap& map, uint64_t bytes = kPerSlot) {
  return std::vector<uint64_t>(map.layout.slot_count(), bytes);
}

uint64_t sum_bytes(const std::vector<SlotMove>& moves) {
  uint64_t total = 0;
  for (const SlotMove& m : moves) total += m.bytes;
  return total;
}

// A pool before and after a topology change.
struct Change {
  PoolMap from, to;
  Topology to_topology;
};

Change grow(Scheme scheme, GroupStrategy strategy, uint32_t nodes_added) {
  Topology t = Topology::uniform(4, 12, 2, {});
  PoolMap from = must(initial_map(t, spec_of(scheme, strategy)));
  t.add_nodes_spread(nodes_added, 2, {});
  PoolMap to = must(next_map(from, t));
  return {std::move(from), std::move(to), std::move(t)};
}

TEST(Rebalance, AfterAddingNodesPlannedBytesMatchMovedFraction) {
  struct Case {
    Scheme scheme;
    GroupStrategy strategy;
    uint32_t nodes_added;
  };
  const Case cases[] = {
      {Scheme::erasure(8, 3), GroupStrategy::kFixed, 11},
      {Scheme::replica(3), GroupStrategy::kFixed, 3},
      {Scheme::erasure(8, 3), GroupStrategy::kDeclustered, 2},
      {Scheme::replica(3), GroupStrategy::kDeclustered, 5},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.scheme.to_string() + " " + to_string(c.strategy));
    Change ch = grow(c.scheme, c.strategy, c.nodes_added);
    RebalancePlan plan =
        must(plan_rebalance(ch.from, ch.to, ch.to_topology, uniform_bytes(ch.from), kNoBudget));
    double stored = static_cast<double>(c.scheme.width()) * ch.from.layout.slot_count() *
                    static_cast<double>(kPerSlot);
    double expected = moved_fraction(ch.from, ch.to) * stored;
    EXPECT_GT(plan.bytes_planned, 0u);
    EXPECT_NEAR(static_cast<double>(plan.bytes_planned), expected, 1e-9 * stored);
    EXPECT_EQ(plan.bytes_planned, sum_bytes(plan.moves));
    EXPECT_EQ(plan.bytes_deferred, 0u);
    EXPECT_EQ(plan.moves_deferred, 0u);
    EXPECT_EQ(plan.slot_bits, std::max(ch.from.layout.slot_bits, ch.to.layout.slot_bits));
    for (const SlotMove& m : plan.moves) EXPECT_FALSE(m.evacuates);  // nothing retired
  }
}

TEST(Rebalance, SamePoolMapMovesNothing) {
  Change ch = grow(Scheme::erasure(8, 3), GroupStrategy::kDeclustered, 2);
  RebalancePlan plan =
      must(plan_rebalance(ch.to, ch.to, ch.to_topology, uniform_bytes(ch.to), kNoBudget));
  EXPECT_TRUE(plan.moves.empty());
  EXPECT_EQ(plan.bytes_planned + plan.bytes_deferred, 0u);
}

// One group on disks 0, 1, 2 that becomes {1, 0, 3}: members 0 and 1 swap
// disks and disk 2 leaves for disk 3.
PoolMap one_group(const Scheme& scheme, std::vector<uint32_t> disks) {
  PoolMap map;
  map.spec = spec_of(scheme, GroupStrategy::kDeclustered);
  Group g;
  for (uint32_t d : disks) g.members.push_back(DiskId(d));
  map.placement.groups.push_back(g);
  std::vector<double> weights = {1.0};
  map.layout = make_layout(weights);
  return map;
}

TEST(Rebalance, ErasureMembersCompareByIndexReplicasAsSets) {
  Topology t = Topology::uniform(1, 4, 1, {});
  PoolMap ec_from = one_group(Scheme::erasure(2, 1), {0, 1, 2});
  PoolMap ec_to = one_group(Scheme::erasure(2, 1), {1, 0, 3});
  RebalancePlan ec = must(plan_rebalance(ec_from, ec_to, t, uniform_bytes(ec_from, 5), kNoBudget));
  ASSERT_EQ(ec.moves.size(), ec_from.layout.slot_count());
  EXPECT_EQ(ec.moves[0].members.size(), 3u);
  EXPECT_EQ(ec.moves[0].bytes, 15u);

  PoolMap r_from = one_group(Scheme::replica(3), {0, 1, 2});
  PoolMap r_to = one_group(Scheme::replica(3), {1, 0, 3});
  RebalancePlan r = must(plan_rebalance(r_from, r_to, t, uniform_bytes(r_from, 5), kNoBudget));
  ASSERT_EQ(r.moves.size(), r_from.layout.slot_count());
  ASSERT_EQ(r.moves[0].members.size(), 1u);
  EXPECT_EQ(r.moves[0].members[0].member, 2u);
  EXPECT_EQ(r.moves[0].members[0].from, DiskId(2));
  EXPECT_EQ(r.moves[0].members[0].to, DiskId(3));
  EXPECT_EQ(r.moves[0].bytes, 5u);
  EXPECT_NEAR(static_cast<double>(r.bytes_planned) / (3.0 * 5 * r_from.layout.slot_count()),
              moved_fraction(r_from, r_to), 1e-12);
}

// A group split hands half its slots to a group on the same disks: no member
// data changes disk, so there is no move, but the handoff is in the plan.
TEST(Rebalance, HandoffsCountOwnerChangesEvenWhenNoByteMoves) {
  Topology t = Topology::uniform(1, 6, 1, {});
  PoolMap from = one_group(Scheme::erasure(2, 1), {0, 1, 2});
  from.placement.groups.push_back(from.placement.groups[0]);
  PoolMap to = from;
  split_group_slots(to.layout, GroupId(0), GroupId(1));
  RebalancePlan plan = must(plan_rebalance(from, to, t, uniform_bytes(from, 5), kNoBudget));
  EXPECT_TRUE(plan.moves.empty());
  ASSERT_EQ(plan.handoffs.size(), 1u);
  EXPECT_EQ(plan.handoffs[0].from_group, GroupId(0));
  EXPECT_EQ(plan.handoffs[0].to_group, GroupId(1));
  EXPECT_EQ(plan.handoffs[0].slots, from.layout.slot_count() / 2);

  // Growing onto new disks: handoffs sorted by (from, to), one per pair, and
  // their slots are exactly the slots whose owner changed; a budget cuts
  // moves, never handoffs.
  Change ch = grow(Scheme::erasure(8, 3), GroupStrategy::kFixed, 11);
  RebalancePlan full = must(plan_rebalance(ch.from, ch.to, ch.to_topology, uniform_bytes(ch.from), kNoBudget));
  RebalancePlan cut = must(plan_rebalance(ch.from, ch.to, ch.to_topology, uniform_bytes(ch.from), 1));
  ASSERT_FALSE(full.handoffs.empty());
  uint64_t slots = 0;
  for (size_t i = 0; i < full.handoffs.size(); ++i) {
    slots += full.handoffs[i].slots;
    if (i == 0) continue;
    EXPECT_LT(std::make_pair(full.handoffs[i - 1].from_group, full.handoffs[i - 1].to_group),
              std::make_pair(full.handoffs[i].from_group, full.handoffs[i].to_group));
  }
  const double fine = static_cast<double>(uint64_t{1} << full.slot_bits);
  EXPECT_NEAR(static_cast<double>(slots) / fine, changed_hash_fraction(ch.from.layout, ch.to.layout), 1e-12);
  ASSERT_EQ(cut.handoffs.size(), full.handoffs.size());
  for (size_t i = 0; i < cut.handoffs.size(); ++i) EXPECT_EQ(cut.handoffs[i].slots, full.handoffs[i].slots);
}

TEST(Rebalance, FinerTargetLayoutSplitsSlotBytesEvenly) {
  Topology t = Topology::uniform(1, 6, 1, {});
  PoolMap from = one_group(Scheme::erasure(2, 1), {0, 1, 2});
  PoolMap to = from;
  to.placement.groups.push_back({{DiskId(3), DiskId(4), DiskId(5)}, false});
  std::vector<double> weights = {1.0, 1.0};
  to.layout = next_layout(from.layout, weights);
  ASSERT_EQ(to.layout.slot_bits, from.layout.slot_bits + 1);
  // 3 bytes per member per from-slot: sub-slot 0 carries 2, sub-slot 1 carries 1.
  RebalancePlan plan = must(plan_rebalance(from, to, t, uniform_bytes(from, 3), kNoBudget));
  ASSERT_FALSE(plan.moves.empty());
  for (const SlotMove& m : plan.moves) {
    EXPECT_EQ(m.to_group, GroupId(1));
    EXPECT_EQ(m.bytes, 3u * (m.slot % 2 == 0 ? 2 : 1)) << "slot " << m.slot;
  }
  // A whole from-slot moving carries exactly its bytes: nothing lost or invented.
  uint64_t whole = 0;
  for (uint32_t s = 0; s < to.layout.slot_count(); s += 2)
    whole += to.layout.slot_group[s] == 1 && to.layout.slot_group[s + 1] == 1;
  uint64_t halves = plan.moves.size() - 2 * whole;
  EXPECT_LE(plan.bytes_planned, 3 * (3 * whole + 2 * halves));
  EXPECT_GE(plan.bytes_planned, 3 * (3 * whole + 1 * halves));
}

TEST(Rebalance, BudgetTakesAWholeMovePrefixAndDefersTheRest) {
  Change ch = grow(Scheme::erasure(8, 3), GroupStrategy::kDeclustered, 2);
  std::vector<uint64_t> bytes(ch.from.layout.slot_count());
  for (uint32_t s = 0; s < bytes.size(); ++s) bytes[s] = kPerSlot + (s % 7) * 1000;
  RebalancePlan full = must(plan_rebalance(ch.from, ch.to, ch.to_topology, bytes, kNoBudget));
  ASSERT_GT(full.moves.size(), 4u);
  for (uint64_t budget : {uint64_t{0}, full.bytes_planned / 3, full.bytes_planned - 1}) {
    SCOPED_TRACE(budget);
    RebalancePlan cut = must(plan_rebalance(ch.from, ch.to, ch.to_topology, bytes, budget));
    EXPECT_LE(cut.bytes_planned, budget);
    EXPECT_EQ(cut.bytes_planned, sum_bytes(cut.moves));
    EXPECT_EQ(cut.bytes_planned + cut.bytes_deferred, full.bytes_planned);
    EXPECT_EQ(cut.moves.size() + cut.moves_deferred, full.moves.size());
    ASSERT_LT(cut.moves.size(), full.moves.size());
    for (size_t i = 0; i < cut.moves.size(); ++i) EXPECT_EQ(cut.moves[i].slot, full.moves[i].slot);
    EXPECT_GT(cut.bytes_planned + full.moves[cut.moves.size()].bytes, budget);
  }
  // Larger moves first, then lower slots.
  for (size_t i = 1; i < full.moves.size(); ++i) {
    const SlotMove& a = full.moves[i - 1];
    const SlotMove& b = full.moves[i];
    EXPECT_TRUE(a.bytes > b.bytes || (a.bytes == b.bytes && a.slot < b.slot)) << i;
  }
}

TEST(Rebalance, RemovalEvacuatesRetiredDisksFirst) {
  Topology before = Topology::uniform(4, 14, 2, {});
  PoolMap from =
      must(initial_map(before, spec_of(Scheme::erasure(8, 3), GroupStrategy::kDeclustered)));
  // One node leaves while two arrive: evacuations and optional moves both.
  Topology after = before;
  after.retire_node(NodeId(3));
  after.add_nodes_spread(2, 2, {});
  PoolMap to = must(next_map(from, after));
  // Uneven bytes, so that optional moves are larger than some evacuations.
  std::vector<uint64_t> bytes(from.layout.slot_count());
  for (uint32_t s = 0; s < bytes.size(); ++s) bytes[s] = kPerSlot * (1 + s % 5);
  RebalancePlan plan = must(plan_rebalance(from, to, after, bytes, kNoBudget));
  for (const SlotMove& m : plan.moves) {
    bool leaves_retired =
        std::any_of(m.members.begin(), m.members.end(),
                    [&](const MemberMove& mm) { return after.disk(mm.from).retired; });
    EXPECT_EQ(m.evacuates, leaves_retired) << "slot " << m.slot;
  }
  auto first_optional = std::find_if(plan.moves.begin(), plan.moves.end(),
                                     [](const SlotMove& m) { return !m.evacuates; });
  ASSERT_NE(first_optional, plan.moves.begin());
  ASSERT_NE(first_optional, plan.moves.end());
  for (auto it = first_optional; it != plan.moves.end(); ++it) EXPECT_FALSE(it->evacuates);
  uint64_t smallest_evacuation = std::prev(first_optional)->bytes;
  EXPECT_GT(first_optional->bytes, smallest_evacuation);  // the order is not by bytes alone
  // Every byte stored on the retired node leaves it.
  std::vector<uint64_t> stored(before.disk_id_bound(), 0);
  for (uint32_t s = 0; s < from.layout.slot_count(); ++s)
    for (DiskId d : from.group(GroupId(from.layout.slot_group[s])).members)
      stored[d.value] += bytes[s];
  uint64_t on_retired = 0, evacuated = 0;
  for (DiskId d : after.node(NodeId(3)).disks) on_retired += stored[d.value];
  for (const DiskFlow& f : flows_by_disk_pair(plan))
    if (after.disk(f.from).retired) evacuated += f.bytes;
  EXPECT_GT(on_retired, 0u);
  EXPECT_EQ(evacuated, on_retired);
  // A tight budget spends itself on evacuation only.
  RebalancePlan cut = must(plan_rebalance(from, to, after, bytes, on_retired / 2));
  EXPECT_FALSE(cut.moves.empty());
  for (const SlotMove& m : cut.moves) EXPECT_TRUE(m.evacuates);
}

TEST(Rebalance, FlowsSumToPlannedBytesSortedByDiskPair) {
  Change ch = grow(Scheme::replica(3), GroupStrategy::kDeclustered, 5);
  for (uint64_t budget : {kNoBudget, uint64_t{40} * kPerSlot}) {
    RebalancePlan plan =
        must(plan_rebalance(ch.from, ch.to, ch.to_topology, uniform_bytes(ch.from), budget));
    std::vector<DiskFlow> flows = flows_by_disk_pair(plan);
    ASSERT_FALSE(flows.empty());
    uint64_t total = 0;
    for (size_t i = 0; i < flows.size(); ++i) {
      total += flows[i].bytes;
      EXPECT_NE(flows[i].from, flows[i].to);
      EXPECT_GT(flows[i].bytes, 0u);
      if (i > 0) {
        auto prev = std::make_pair(flows[i - 1].from, flows[i - 1].to);
        EXPECT_LT(prev, std::make_pair(flows[i].from, flows[i].to));
      }
    }
    EXPECT_EQ(total, plan.bytes_planned);
    EXPECT_LT(flows.size(), plan.moves.size());  // aggregated, not one per slot
  }
}

// A file's own moves are its slot's moves in the plan, for both schemes.
TEST(Rebalance, PathMovesAreTheirSlotsMoves) {
  for (Scheme scheme : {Scheme::erasure(4, 2), Scheme::replica(3)}) {
    for (GroupStrategy strategy : {GroupStrategy::kFixed, GroupStrategy::kDeclustered}) {
      Change ch = grow(scheme, strategy, 6);
      RebalancePlan plan = must(plan_rebalance(ch.from, ch.to, ch.to_topology, uniform_bytes(ch.from), kNoBudget));
      std::map<uint32_t, const SlotMove*> by_slot;
      for (const SlotMove& m : plan.moves) by_slot[m.slot] = &m;
      uint32_t moving = 0;
      for (uint32_t i = 0; i < 2000; ++i) {
        const std::string path = "/2026/12/04/CT/IM-" + std::to_string(i) + ".dcm";
        const PathMoves moves = path_moves(ch.from, ch.to, path);
        EXPECT_EQ(moves.from_group, ch.from.lookup(path));
        EXPECT_EQ(moves.to_group, ch.to.lookup(path));
        const uint32_t slot = static_cast<uint32_t>((uint64_t{path_hash(path)} << plan.slot_bits) >> 32);
        auto it = by_slot.find(slot);
        ASSERT_EQ(it != by_slot.end(), !moves.members.empty()) << path;
        if (it == by_slot.end()) continue;
        ++moving;
        ASSERT_EQ(it->second->members.size(), moves.members.size());
        for (size_t m = 0; m < moves.members.size(); ++m) {
          EXPECT_EQ(it->second->members[m].from, moves.members[m].from);
          EXPECT_EQ(it->second->members[m].to, moves.members[m].to);
          EXPECT_EQ(it->second->members[m].member, moves.members[m].member);
        }
      }
      EXPECT_GT(moving, 0U) << scheme.to_string();
    }
  }
}

TEST(Rebalance, RejectsMismatchedInputs) {
  Change ch = grow(Scheme::erasure(8, 3), GroupStrategy::kDeclustered, 2);
  std::vector<uint64_t> short_table(ch.from.layout.slot_count() - 1, 1);
  EXPECT_EQ(plan_rebalance(ch.from, ch.to, ch.to_topology, short_table, kNoBudget).status().code(),
            StatusCode::kInvalidArgument);
  PoolMap other = ch.to;
  other.spec.scheme = Scheme::erasure(4, 7);
  EXPECT_EQ(plan_rebalance(ch.from, other, ch.to_topology, uniform_bytes(ch.from), kNoBudget)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cairn
