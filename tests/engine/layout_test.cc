#include "engine/layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "engine/random.h"

namespace cairn {
namespace {

// The name hash is a format: archives written today must be found in thirty
// years. These values are XXH3-64 (seed 0), high 32 bits; the empty string's
// full XXH3-64 is the published 0x2D06800538D394C2.
TEST(PathHash, GoldenVectors) {
  struct Case {
    const char* path;
    uint32_t hash;
  };
  const Case cases[] = {
      {"", 0x2d068005u},
      {"a", 0xe6c632b6u},
      {"/2026/11/25/CT/1.2.840.113619.2.55.3.604688119/1/IM-0001.dcm", 0x05e7a1d5u},
      {"IM-0001.dcm", 0xedda9f6eu},
      {"/archive/MR/study-42/series-3/IM-0999.dcm", 0xf54013a9u},
  };
  for (const Case& c : cases) EXPECT_EQ(path_hash(c.path), c.hash) << c.path;
}

TEST(Layout, SlotOfUsesTheHighBits) {
  Layout l;
  l.slot_bits = 4;
  EXPECT_EQ(l.slot_of(0x00000000u), 0u);
  EXPECT_EQ(l.slot_of(0x0fffffffu), 0u);
  EXPECT_EQ(l.slot_of(0x10000000u), 1u);
  EXPECT_EQ(l.slot_of(0xffffffffu), 15u);
  l.slot_bits = 0;
  EXPECT_EQ(l.slot_of(0xffffffffu), 0u);
}

std::vector<double> random_weights(size_t n, uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<double> w(n);
  for (double& x : w) x = 0.5 + 1.5 * rng.uniform();  // disks of 0.5x to 2x
  return w;
}

// Fullest group per unit of weight over the mean, from exact slot counts.
double max_over_mean(const Layout& l, const std::vector<double>& w) {
  auto slots = l.slots_per_group(static_cast<uint32_t>(w.size()));
  double total_w = std::accumulate(w.begin(), w.end(), 0.0), worst = 0;
  for (size_t g = 0; g < w.size(); ++g) {
    if (w[g] == 0) continue;
    worst = std::max(worst, slots[g] / (l.slot_count() * w[g] / total_w));
  }
  return worst;
}

TEST(Layout, BalanceWithin2PercentFrom100To10000Groups) {
  const uint64_t seed = 20261125;
  std::cout << "seed " << seed << "\n";
  for (size_t groups : {100u, 317u, 1000u, 4096u, 10000u}) {
    auto w = random_weights(groups, seed + groups);
    Layout l = make_layout(w);
    EXPECT_LE(max_over_mean(l, w), 1.02) << groups;
    auto slots = l.slots_per_group(static_cast<uint32_t>(groups));
    EXPECT_GE(*std::min_element(slots.begin(), slots.end()), kMinSlotsPerGroup);
  }
}

TEST(Layout, ExpansionMovesOnlyTheNewShare) {
  const uint64_t seed = 99;
  std::cout << "seed " << seed << "\n";
  for (size_t groups : {100u, 1000u, 5000u}) {
    auto w = random_weights(groups, seed + groups);
    Layout before = make_layout(w);
    auto grown = w;
    auto extra = random_weights(groups / 10 + 1, seed * 3 + groups);
    grown.insert(grown.end(), extra.begin(), extra.end());
    Layout after = next_layout(before, grown);
    EXPECT_EQ(after.epoch, before.epoch + 1);
    double ideal = std::accumulate(extra.begin(), extra.end(), 0.0) /
                   std::accumulate(grown.begin(), grown.end(), 0.0);
    double moved = changed_hash_fraction(before, after);
    EXPECT_LE(moved, 1.05 * ideal) << groups;
    EXPECT_GE(moved, ideal - 2.0 * static_cast<double>(grown.size()) / after.slot_count());
    EXPECT_LE(max_over_mean(after, grown), 1.02);
  }
}

TEST(Layout, RemovalMovesOnlyTheRemovedShare) {
  auto w = random_weights(500, 5);
  Layout before = make_layout(w);
  auto shrunk = w;
  double removed = 0;
  for (size_t g = 0; g < shrunk.size(); g += 7) removed += shrunk[g], shrunk[g] = 0;
  Layout after = next_layout(before, shrunk);
  double ideal = removed / std::accumulate(w.begin(), w.end(), 0.0);
  EXPECT_LE(changed_hash_fraction(before, after), 1.05 * ideal);
  auto slots = after.slots_per_group(500);
  for (size_t g = 0; g < 500; g += 7) EXPECT_EQ(slots[g], 0u);
  EXPECT_LE(max_over_mean(after, shrunk), 1.02);
}

TEST(Layout, UnchangedWeightsMoveNothing) {
  auto w = random_weights(300, 11);
  Layout before = make_layout(w);
  Layout after = next_layout(before, w);
  EXPECT_EQ(changed_hash_fraction(before, after), 0.0);
  EXPECT_EQ(after.epoch, before.epoch + 1);
}

TEST(Layout, GrowingTheTableMovesNothing) {
  std::vector<double> w(4, 1.0);
  Layout before = make_layout(w);
  // One tiny group forces more slot bits; old groups keep their hash ranges
  // apart from the share the tiny group takes.
  w.push_back(0.001);
  Layout after = next_layout(before, w);
  EXPECT_GT(after.slot_bits, before.slot_bits);
  EXPECT_LE(changed_hash_fraction(before, after), 0.001 / 4.001 * 1.05 + 1e-9);
}

TEST(Layout, SplitHalvesAGroupsSlots) {
  Layout l = make_layout(std::vector<double>{1.0, 1.0});
  auto before = l.slots_per_group(3);
  split_group_slots(l, GroupId(0), GroupId(2));
  auto after = l.slots_per_group(3);
  EXPECT_EQ(after[0] + after[2], before[0]);
  EXPECT_LE(after[0] - after[2], 1u);
  EXPECT_EQ(after[1], before[1]);
}

TEST(Layout, LookupAgreesWithSlotTable) {
  Layout l = make_layout(std::vector<double>{1.0, 2.0, 3.0});
  for (const char* p : {"x", "y", "/a/b/c.dcm"})
    EXPECT_EQ(l.lookup(p).value, l.slot_group[l.slot_of(path_hash(p))]);
}

}  // namespace
}  // namespace cairn
