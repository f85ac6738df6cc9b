#include "engine/rebalance.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace cairn {
namespace {

bool contains(const std::vector<DiskId>& disks, DiskId d) {
  return std::find(disks.begin(), disks.end(), d) != disks.end();
}

// The member data that changes disk when group `a`'s data goes to group `b`.
std::vector<MemberMove> member_moves(const Group& a, const Group& b, bool replica) {
  CAIRN_ASSERT(a.members.size() == b.members.size());
  std::vector<MemberMove> out;
  uint32_t width = static_cast<uint32_t>(b.members.size());
  if (!replica) {
    for (uint32_t i = 0; i < width; ++i)
      if (a.members[i] != b.members[i]) out.push_back({i, a.members[i], b.members[i]});
    return out;
  }
  std::vector<DiskId> departing;
  for (DiskId d : a.members)
    if (!contains(b.members, d)) departing.push_back(d);
  size_t next = 0;
  for (uint32_t i = 0; i < width; ++i) {
    if (contains(a.members, b.members[i])) continue;
    CAIRN_ASSERT(next < departing.size());  // members of a group are distinct disks
    out.push_back({i, departing[next++], b.members[i]});
  }
  CAIRN_ASSERT(next == departing.size());
  return out;
}

bool evacuates(const std::vector<MemberMove>& moves, const Topology& topology) {
  return std::any_of(moves.begin(), moves.end(),
                     [&](const MemberMove& m) { return topology.disk(m.from).retired; });
}

// Bytes per member of fine slot `fine`: its from-slot's bytes split evenly over
// the from-slot's 2^shift sub-slots, the remainder to the lowest sub-slots.
uint64_t fine_slot_bytes(std::span<const uint64_t> member_bytes_per_slot, uint64_t fine,
                         uint32_t shift) {
  uint64_t bytes = member_bytes_per_slot[fine >> shift];
  uint64_t mask = (uint64_t{1} << shift) - 1;
  return (bytes >> shift) + ((fine & mask) < (bytes & mask) ? 1 : 0);
}

Status check_inputs(const PoolMap& from, const PoolMap& to,
                    std::span<const uint64_t> member_bytes_per_slot) {
  if (!(from.spec.scheme == to.spec.scheme))
    return invalid_argument("rebalance between different schemes (" + from.spec.scheme.to_string() +
                            " to " + to.spec.scheme.to_string() +
                            ") is a migration, not a rebalance");
  if (member_bytes_per_slot.size() != from.layout.slot_count())
    return invalid_argument(
        "member bytes given for " + std::to_string(member_bytes_per_slot.size()) +
        " slots; the source layout has " + std::to_string(from.layout.slot_count()));
  return Status::ok();
}

// Every slot move from `from` to `to`, unordered and uncut; every owner
// change counted in `handoffs`, keyed by (from group, to group).
std::vector<SlotMove> all_moves(const PoolMap& from, const PoolMap& to, const Topology& topology,
                                std::span<const uint64_t> member_bytes_per_slot, uint32_t bits,
                                std::map<std::pair<uint32_t, uint32_t>, uint64_t>& handoffs) {
  const Layout& a = from.layout;
  const Layout& b = to.layout;
  const auto& a_groups = from.placement.groups;
  const auto& b_groups = to.placement.groups;
  bool replica = from.spec.scheme.is_replica();
  uint32_t shift_a = bits - a.slot_bits, shift_b = bits - b.slot_bits;
  // Most slots keep their group: compute those groups' moves once.
  std::vector<std::vector<MemberMove>> same(std::min(a_groups.size(), b_groups.size()));
  for (size_t g = 0; g < same.size(); ++g)
    same[g] = member_moves(a_groups[g], b_groups[g], replica);

  std::vector<SlotMove> out;
  for (uint64_t s = 0; s < (uint64_t{1} << bits); ++s) {
    uint32_t ga = a.slot_group[s >> shift_a], gb = b.slot_group[s >> shift_b];
    CAIRN_ASSERT(ga < a_groups.size() && gb < b_groups.size());
    if (ga != gb) ++handoffs[{ga, gb}];
    std::vector<MemberMove> moves =
        ga == gb ? same[ga] : member_moves(a_groups[ga], b_groups[gb], replica);
    uint64_t bytes = moves.size() * fine_slot_bytes(member_bytes_per_slot, s, shift_a);
    if (bytes == 0) continue;
    bool evac = evacuates(moves, topology);
    out.push_back(
        {static_cast<uint32_t>(s), GroupId(ga), GroupId(gb), std::move(moves), bytes, evac});
  }
  return out;
}

}  // namespace

Result<RebalancePlan> plan_rebalance(const PoolMap& from, const PoolMap& to,
                                     const Topology& to_topology,
                                     std::span<const uint64_t> member_bytes_per_slot,
                                     uint64_t budget_bytes) {
  if (Status s = check_inputs(from, to, member_bytes_per_slot); !s.is_ok()) return s;
  RebalancePlan plan;
  plan.slot_bits = std::max(from.layout.slot_bits, to.layout.slot_bits);
  std::map<std::pair<uint32_t, uint32_t>, uint64_t> handoffs;  // ordered: the output is sorted
  std::vector<SlotMove> moves =
      all_moves(from, to, to_topology, member_bytes_per_slot, plan.slot_bits, handoffs);
  for (const auto& [pair, slots] : handoffs)
    plan.handoffs.push_back({GroupId(pair.first), GroupId(pair.second), slots});
  std::sort(moves.begin(), moves.end(), [](const SlotMove& x, const SlotMove& y) {
    if (x.evacuates != y.evacuates) return x.evacuates;
    if (x.bytes != y.bytes) return x.bytes > y.bytes;
    return x.slot < y.slot;
  });
  size_t taken = 0;
  for (; taken < moves.size(); ++taken) {
    if (moves[taken].bytes > budget_bytes - plan.bytes_planned) break;
    plan.bytes_planned += moves[taken].bytes;
  }
  for (size_t i = taken; i < moves.size(); ++i) plan.bytes_deferred += moves[i].bytes;
  plan.moves_deferred = moves.size() - taken;
  moves.resize(taken);
  plan.moves = std::move(moves);
  return plan;
}

PathMoves path_moves(const PoolMap& from, const PoolMap& to, std::string_view path) {
  CAIRN_ASSERT(from.spec.scheme == to.spec.scheme);
  const GroupId a = from.lookup(path), b = to.lookup(path);
  return {a, b, member_moves(from.group(a), to.group(b), from.spec.scheme.is_replica())};
}

std::vector<DiskFlow> flows_by_disk_pair(const RebalancePlan& plan) {
  std::map<std::pair<DiskId, DiskId>, uint64_t> sums;  // ordered: the output is sorted
  for (const SlotMove& move : plan.moves) {
    CAIRN_ASSERT(!move.members.empty() && move.bytes % move.members.size() == 0);
    uint64_t per_member = move.bytes / move.members.size();
    for (const MemberMove& m : move.members) sums[{m.from, m.to}] += per_member;
  }
  std::vector<DiskFlow> flows;
  flows.reserve(sums.size());
  for (const auto& [pair, bytes] : sums) flows.push_back({pair.first, pair.second, bytes});
  return flows;
}

}  // namespace cairn
