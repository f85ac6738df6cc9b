// Money, refresh, retention and tiers (issue: procurement). The first test is
// a case small enough to price by hand; the others run the model and check
// what each policy must show: retirements and their migrations, data moving
// between tiers, expiry freeing capacity, and a file:line:col error for each
// kind of mistake in the new YAML.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/cost.h"
#include "sim/ingest.h"
#include "sim/replicates.h"
#include "sim/scenario_yaml.h"
#include "sim/simulation.h"
#include "sim/tiers.h"
#include "tests/sim/small_pool_testing.h"
#include "tests/sim/yaml_error_testing.h"

namespace cairn::sim {
namespace {

// Two years of six nodes of two 10 TB disks in two racks, no failures, no
// purchases, flat prices.
Scenario hand_case() {
  Scenario s = small_ec21_pool(6, 2);
  s.cluster.racks = 2;
  s.cluster.disk.capacity_bytes = 10'000'000'000'000ULL;
  s.workload.first_year_bytes = 1e12;
  s.workload.annual_growth = 0;
  s.failures.disk.afr = 0;
  s.horizon_years = 2;
  s.procurement.max_nodes = 6;
  CostSpec& k = s.cost;
  k.currency = "EUR";
  k.node = 1000;
  k.disk_per_tb_hdd = 20;
  k.disk_price_trend = 0;
  k.switch_price = 500;
  k.switches_per_rack = 2;
  k.rack = 300;
  k.space_per_rack_year = 1000;
  k.disk_watts_hdd = 10;
  k.node_watts = 100;
  k.pue = 1.5;
  k.price_per_kwh = 0.2;
  k.power_price_trend = 0;
  k.support = 0.10;
  return s;
}

TEST(Cost, HandComputableCaseMatchesItsArithmetic) {
  const Scenario s = hand_case();
  ASSERT_TRUE(validate(s).is_ok()) << validate(s).message();
  std::printf("seed %llu\n", static_cast<unsigned long long>(s.seed));
  RunResult r = run_simulation(s, {});
  ASSERT_EQ(r.cost_years.size(), 2u);
  // Capex, year 1: 6 nodes x 1000; 12 disks x 10 TB x 20/TB; 2 racks x (2
  // switches x 500) of network and 2 x 300 of racks.
  const CostYear& y1 = r.cost_years[0];
  EXPECT_DOUBLE_EQ(y1.nodes, 6000);
  EXPECT_DOUBLE_EQ(y1.disks, 2400);
  EXPECT_DOUBLE_EQ(y1.network, 2000);
  EXPECT_DOUBLE_EQ(y1.racks, 600);
  // Power: (6 x 100 + 12 x 10) W x 8766 h x 1.5 (PUE) / 1000 x 0.2 per kWh.
  const double power = 720.0 * 8766.0 * 1.5 / 1000.0 * 0.2;
  EXPECT_NEAR(y1.power, power, 1e-9 * power);
  EXPECT_DOUBLE_EQ(y1.space, 2000);
  // Support: 10 % of everything bought (11,000), in service all year.
  EXPECT_NEAR(y1.support, 1100, 1e-9);
  EXPECT_NEAR(y1.total(), 11000 + power + 2000 + 1100, 1e-6);
  const CostYear& y2 = r.cost_years[1];
  EXPECT_EQ(y2.capex(), 0);
  EXPECT_NEAR(y2.opex(), power + 2000 + 1100, 1e-6);
  EXPECT_NEAR(y2.cumulative, 2 * (power + 3100) + 11000, 1e-6);
  // Usable: 120 TB raw x 2/3 = 80 TB all along; stored grows 1 TB a year.
  EXPECT_NEAR(y1.usable_tb, 80, 1e-9);
  EXPECT_NEAR(y1.stored_tb, (1.0 + 12.0) / 2 / 12, 1e-9);  // mean of 1/12 .. 12/12 TB
  // The waterfall: 120 TB raw, 40 of parity, no spares, 20 % of 80 above the
  // fill ceiling, and one node's 20 TB share of the 120 kept free from the
  // other 64: 64 x 20 / 120.
  EXPECT_NEAR(r.waterfall.raw_tb, 120, 1e-9);
  EXPECT_NEAR(r.waterfall.redundancy_tb, 40, 1e-9);
  EXPECT_NEAR(r.waterfall.spares_tb, 0, 1e-9);
  EXPECT_NEAR(r.waterfall.fill_ceiling_tb, 16, 1e-9);
  EXPECT_NEAR(r.waterfall.reprotect_tb, 64.0 * 20 / 120, 1e-9);
}

TEST(Cost, PricesFollowTheirTrendAndShocks) {
  CostSpec k;
  k.disk_per_tb_hdd = 20;
  k.disk_price_trend = -0.10;
  k.disk_price_shocks = {{3, 0.30}};
  EXPECT_DOUBLE_EQ(disk_price_per_tb(k, DeviceClass::kHdd, 0), 20);
  EXPECT_DOUBLE_EQ(disk_price_per_tb(k, DeviceClass::kHdd, 1), 18);
  EXPECT_DOUBLE_EQ(disk_price_per_tb(k, DeviceClass::kHdd, 2), 20 * 0.9 * 0.9 * 1.3);  // year 3: the shock
  EXPECT_DOUBLE_EQ(disk_price_per_tb(k, DeviceClass::kHdd, 3), 20 * 0.9 * 0.9 * 0.9);  // the shock is over
  k.price_per_kwh = 0.1;
  k.power_price_trend = 0.05;
  EXPECT_DOUBLE_EQ(power_price_per_kwh(k, 2), 0.1 * 1.05 * 1.05);
}

// A purchase arriving in year 2 pays year 2's price; hardware that leaves
// service stops paying power and support.
TEST(Cost, PurchasesPayTheirYearsPriceAndLeavingHardwareStopsPaying) {
  CostSpec k;
  k.node = 100, k.disk_per_tb_hdd = 10, k.disk_price_trend = -0.5, k.switches_per_rack = 0, k.rack = 0;
  k.space_per_rack_year = 0, k.node_watts = 0, k.disk_watts_hdd = 1000, k.pue = 1, k.price_per_kwh = 1;
  k.power_price_trend = 0, k.support = 0.1;
  HardwareLog log;
  const double year = kSecondsPerYear;
  log.nodes = {{0, 0, 2 * year}};
  log.disks = {{DeviceClass::kHdd, 2e12, 0, 0.5 * year}, {DeviceClass::kHdd, 2e12, 1.5 * year, 2 * year}};
  std::vector<CostYear> c = cost_by_year(k, log, 2 * year, {});
  EXPECT_DOUBLE_EQ(c[0].disks, 20);
  EXPECT_DOUBLE_EQ(c[1].disks, 10);  // half the price a year later
  EXPECT_NEAR(c[0].power, 1.0 * 8766 / 2, 1e-9);  // one kW for half a year
  EXPECT_NEAR(c[1].power, 1.0 * 8766 / 2, 1e-9);
  EXPECT_NEAR(c[0].support, 0.1 * (100 + 20 * 0.5), 1e-9);
  EXPECT_NEAR(c[1].support, 0.1 * (100 + 10 * 0.5), 1e-9);
}

// Nodes retire at their age onto replacements of the then-current
// generation; the drain is the engine's retirement, and the events give
// each migration with its duration.
TEST(Refresh, NodesRetireAtTheirAgeOntoTheNewGenerationAndTheMigrationIsTimed) {
  Scenario s = small_ec21_pool(3, 2);
  s.cluster.racks = 3;
  s.workload.first_year_bytes = 600e9;
  s.workload.annual_growth = 0;
  s.failures.disk.afr = 0;
  s.horizon_years = 4;
  s.procurement.max_nodes = 6;
  s.procurement.lead_time_s = 30 * 86400.0;
  s.procurement.rebalance_bytes_per_s = 20e6;
  s.procurement.refresh = {2 * kSecondsPerYear, 0.5};
  s.seed = 11;
  ASSERT_TRUE(validate(s).is_ok()) << validate(s).message();
  std::printf("seed %llu\n", static_cast<unsigned long long>(s.seed));
  RunResult r = run_simulation(s, {});
  auto find = [&](const std::string& kind) {
    return std::find_if(r.events.begin(), r.events.end(), [&](const Event& e) { return e.kind == kind; });
  };
  auto order = find("refresh_order"), arrival = find("refresh_arrival"), start = find("refresh_start"),
       end = find("refresh_end");
  ASSERT_NE(order, r.events.end());
  ASSERT_NE(end, r.events.end());
  // Ordered a lead time before the nodes turn two, at a month's start.
  EXPECT_LE(order->time_s, 2 * kSecondsPerYear - s.procurement.lead_time_s + kSecondsPerMonth);
  EXPECT_NEAR(arrival->time_s - order->time_s, s.procurement.lead_time_s, 1);
  EXPECT_GE(start->time_s, arrival->time_s);
  // The drain moves every byte of the old nodes at the rebalance budget.
  EXPECT_GT(start->bytes, 0);
  EXPECT_GE(end->time_s - start->time_s, start->bytes / s.procurement.rebalance_bytes_per_s * 0.99);
  EXPECT_NE(end->detail.find("3 nodes"), std::string::npos) << end->detail;
  EXPECT_NE(end->detail.find("months"), std::string::npos) << end->detail;
  EXPECT_EQ(r.nodes_retired_for_age, 3u);
  EXPECT_EQ(r.refreshes, 1u);
  EXPECT_NEAR(r.longest_migration_months, (end->time_s - start->time_s) / kSecondsPerMonth, 1e-9);
  EXPECT_EQ(std::count_if(r.events.begin(), r.events.end(), [](const Event& e) { return e.kind == "node_retired"; }),
            3);
  EXPECT_EQ(r.nodes_refreshed_per_year[2], 3u);  // arrived in year 3 (index 2)
  // Bought in year 3 (index 2): disks of 1 TB x 1.5^2, priced that year.
  const CostYear& y3 = r.cost_years[2];
  EXPECT_DOUBLE_EQ(y3.nodes, 3 * s.cost.node);
  EXPECT_NEAR(y3.disks, 6 * 2.25 * disk_price_per_tb(s.cost, DeviceClass::kHdd, 2), 1e-6);
  // Old and new overlap while the drain runs: six nodes at some month's end.
  EXPECT_TRUE(std::any_of(r.months.begin(), r.months.end(), [](const MonthRow& m) { return m.nodes == 6; }));
  EXPECT_EQ(r.months.back().nodes, 3u);
  EXPECT_NEAR(r.months.back().raw_tb, 6 * 2.25, 1e-6);
}

Scenario retention_case(double retention_years) {
  Scenario s = small_ec21_pool(3, 2);
  s.cluster.racks = 3;
  s.workload.first_year_bytes = 900e9;
  s.workload.annual_growth = 0;
  s.failures.disk.afr = 0;
  s.horizon_years = 4;
  s.procurement.max_nodes = 30;
  s.procurement.increment_nodes = 3;
  s.workload.retention_s = retention_years * kSecondsPerYear;
  s.seed = 5;
  return s;
}

// Data past retention leaves: the archive holds only the last retention's
// writes, and the space freed delays purchases.
TEST(Retention, ExpiryFreesCapacityAndDelaysPurchases) {
  ReplicateOptions one;
  one.runs = 1;
  auto kept = run_replicates(retention_case(0), one, nullptr);
  auto expiring = run_replicates(retention_case(1), one, nullptr);
  ASSERT_TRUE(kept && expiring);
  const RunResult &k = kept->front(), &e = expiring->front();
  std::printf("seed %llu\n", static_cast<unsigned long long>(retention_case(1).seed));
  EXPECT_NEAR(k.months.back().used_tb, 3.6, 1e-6);  // four years of 0.9 TB
  EXPECT_NEAR(e.months.back().used_tb, 0.9, 1e-6);  // the last year's
  EXPECT_NEAR(e.bytes_expired, 2.7e12, 1e3);
  EXPECT_EQ(k.bytes_expired, 0);
  const auto bought = [](const RunResult& r) {
    uint32_t n = 0;
    for (uint32_t b : r.nodes_bought_per_year) n += b;
    return n;
  };
  EXPECT_GT(bought(k), bought(e));
  EXPECT_GT(std::count_if(e.events.begin(), e.events.end(), [](const Event& ev) { return ev.kind == "expiry"; }), 30);
}

// A hot replica pool for six months, then a cold erasure-coded pool: the hot
// tier holds about six months of writes, the cold one the rest, and each
// month's move is the month written six months before.
TEST(Tiers, DataMovesFromTheHotTierToTheColdOneByAge) {
  Scenario s = retention_case(0);
  s.workload.first_year_bytes = 1.2e12;
  s.workload.read_fraction = 0.5;
  s.procurement.max_nodes = 30;
  TierSpec hot;
  hot.name = "hot";
  hot.until_s = 6 * kSecondsPerMonth;
  hot.read_share = 0.9;
  hot.pool = PoolScenario{Scheme::replica(2), FailureDomain::kNode, GroupStrategy::kFixed, 100};
  TierSpec cold;
  cold.name = "cold";
  cold.read_share = 0.1;
  s.tiers = {hot, cold};
  ASSERT_TRUE(validate(s).is_ok()) << validate(s).message();
  std::printf("seed %llu\n", static_cast<unsigned long long>(s.seed));
  Result<RunResult> r = run_archive(s, {});
  ASSERT_TRUE(r) << r.status().message();
  const RunResult& a = *r;
  std::vector<const Event*> moves;
  for (const Event& e : a.events)
    if (e.kind == "tier_move") moves.push_back(&e);
  ASSERT_EQ(moves.size(), 48u - 6u);  // months 6 .. 47
  for (const Event* e : moves) {
    EXPECT_EQ(e->detail.rfind("[hot] ", 0), 0u) << e->detail;
    EXPECT_NEAR(e->bytes, 0.1e12, 1e3);  // the month written six months before
  }
  EXPECT_NEAR(a.months.back().used_tb, 4.8, 1e-6);  // everything, across both tiers
  EXPECT_EQ(a.bytes_expired, 0);  // moves are not expiry
  // Each tier's own result (each in a process of its own, as SimGrid
  // wants): the hot one holds six months.
  ReplicateOptions one;
  one.runs = 1;
  auto hot_runs = run_replicates(tier_scenario(s, 0), one, nullptr);
  auto cold_runs = run_replicates(tier_scenario(s, 1), one, nullptr);
  ASSERT_TRUE(hot_runs && cold_runs);
  const RunResult* hot_only = &hot_runs->front();
  const RunResult* cold_only = &cold_runs->front();
  EXPECT_NEAR(hot_only->months.back().used_tb, 0.6, 1e-6);
  // The money of both tiers adds up.
  EXPECT_NEAR(cost_total(a.cost_years).total(),
              cost_total(hot_only->cost_years).total() + cost_total(cold_only->cost_years).total(), 1e-6);
  // The hot tier serves its reads and reads out what moves on.
  EXPECT_GT(hot_only->peak_client_busy, cold_only->peak_client_busy);
}

// ---------------------------------------------------------------- YAML mistakes

const std::string kScenario =
    "cluster:\n"                                          // 1
    "  initial_nodes: 3\n"                                // 2
    "  node: { disks: 2, disk: { size: 1 TB } }\n"        // 3
    "pool: { scheme: ec:2+1 }\n"                          // 4
    "workload: { first_year_ingest: 1 TB }\n"             // 5
    "procurement: { max_nodes: 9 }\n";                    // 6

// Parsing `text` as t.yaml fails at `token` on `line`, naming `key`, and says `says`.
void expect_error_in(const std::string& text, int line, const std::string& token, const std::string& key,
                     const std::string& says) {
  auto r = parse_scenario(text, "t.yaml");
  ASSERT_FALSE(r) << "accepted:\n" << text;
  const std::string want = at(text, line, token) + key + ": ";
  EXPECT_EQ(r.status().message().substr(0, want.size()), want) << r.status().message();
  EXPECT_NE(r.status().message().find(says), std::string::npos) << r.status().message();
}

// kScenario followed by `tail`.
void expect_error(const std::string& tail, int line, const std::string& token, const std::string& key,
                  const std::string& says) {
  expect_error_in(kScenario + tail, line, token, key, says);
}

TEST(CostYaml, EveryKeyReadsAndRoundTrips) {
  const std::string text = kScenario +
                           "cost:\n"
                           "  currency: CNY\n"
                           "  node: 30000\n"
                           "  disk_per_tb: { hdd: 150, ssd: 500 }\n"
                           "  disk_price_trend: -5 %\n"
                           "  disk_price_shocks: [{ year: 2, change: +40 % }]\n"
                           "  switch: 20000\n"
                           "  switches_per_rack: 1\n"
                           "  rack: 9000\n"
                           "  space_per_rack_year: 30000\n"
                           "  power: { disk_watts: { hdd: 9 W, ssd: 4 W }, node_watts: 0.2 kW, pue: 1.4, "
                           "price_per_kwh: 0.7, trend: +1 % }\n"
                           "  support: 12 %\n";
  auto r = parse_scenario(text + "workload_retention_placeholder: 0\n", "t.yaml");
  EXPECT_FALSE(r);  // unknown top-level key
  auto ok = parse_scenario(text, "t.yaml");
  ASSERT_TRUE(ok) << ok.status().message();
  const CostSpec& k = ok->cost;
  EXPECT_EQ(k.currency, "CNY");
  EXPECT_EQ(k.node, 30000);
  EXPECT_EQ(k.disk_per_tb_ssd, 500);
  EXPECT_DOUBLE_EQ(k.disk_price_trend, -0.05);
  ASSERT_EQ(k.disk_price_shocks.size(), 1u);
  EXPECT_DOUBLE_EQ(k.disk_price_shocks[0].change, 0.4);
  EXPECT_EQ(k.switches_per_rack, 1u);
  EXPECT_EQ(k.node_watts, 200);
  EXPECT_DOUBLE_EQ(k.pue, 1.4);
  EXPECT_DOUBLE_EQ(k.power_price_trend, 0.01);
  EXPECT_DOUBLE_EQ(k.support, 0.12);
  auto again = parse_scenario(to_yaml(*ok), "again.yaml");
  ASSERT_TRUE(again) << again.status().message();
  EXPECT_EQ(to_yaml(*again), to_yaml(*ok));
}

TEST(CostYaml, RetentionRefreshAndTiersReadAndRoundTrip) {
  std::string text = kScenario;
  text.replace(text.find("first_year_ingest: 1 TB"), 23, "first_year_ingest: 1 TB, retention: us-adult");
  text.replace(text.find("max_nodes: 9"), 12, "max_nodes: 9, refresh: { age: 5 years, disk_size_growth: 12 % }");
  text +=
      "tiers:\n"
      "  - { name: hot, until: 6 months, reads: 90 %, pool: { scheme: replica:3 } }\n"
      "  - { name: cold, reads: 10 % }\n";
  auto ok = parse_scenario(text, "t.yaml");
  ASSERT_TRUE(ok) << ok.status().message();
  EXPECT_DOUBLE_EQ(ok->workload.retention_s, 7 * kSecondsPerYear);
  EXPECT_DOUBLE_EQ(ok->procurement.refresh.age_s, 5 * kSecondsPerYear);
  ASSERT_EQ(ok->tiers.size(), 2u);
  EXPECT_EQ(ok->tiers[0].pool->scheme.to_string(), "replica:3");
  EXPECT_FALSE(ok->tiers[1].pool);
  Scenario cold = tier_scenario(*ok, 1);
  EXPECT_EQ(cold.pool.scheme.to_string(), "ec:2+1");
  EXPECT_DOUBLE_EQ(cold.workload.arrive_after_s, 6 * kSecondsPerMonth);
  EXPECT_DOUBLE_EQ(cold.workload.retention_s, 7 * kSecondsPerYear);
  EXPECT_NE(cold.seed, ok->seed);
  auto again = parse_scenario(to_yaml(*ok), "again.yaml");
  ASSERT_TRUE(again) << again.status().message() << "\n" << to_yaml(*ok);
  EXPECT_EQ(to_yaml(*again), to_yaml(*ok));
}

TEST(CostYaml, EachMistakeNamesItsPlace) {
  expect_error("cost: { nodes: 5 }\n", 7, "nodes", "cost.nodes", "unknown key (did you mean node?)");
  expect_error("cost: { node: cheap }\n", 7, "node", "cost.node", "expected an amount like 3500");
  expect_error("cost: { disk_price_trend: 8 }\n", 7, "disk_price_trend", "cost.disk_price_trend",
               "a change needs its unit");
  expect_error("cost: { disk_price_trend: -95 % }\n", 7, "disk_price_trend", "cost.disk_price_trend",
               "must be in [-90 %, +100 %]");
  expect_error("cost:\n  power: { pue: 0.5 }\n", 8, "pue", "cost.power.pue", "must be in [1, 5]");
  expect_error("cost:\n  power: { node_watts: 150 }\n", 8, "node_watts", "cost.power.node_watts",
               "no unit; write \"150 W\"");
  expect_error("cost:\n  disk_price_shocks: [{ year: 40, change: +10 % }]\n", 8, "year",
               "cost.disk_price_shocks[0].year", "must be a year of the horizon, 1 to 15");
  expect_error("cost:\n  disk_price_shocks:\n    - { year: 2, change: +10 % }\n    - { year: 2, change: -5 % }\n", 10,
               "year", "cost.disk_price_shocks[1].year", "already has a shock");
  expect_error("cost:\n  disk_price_shocks: [{ year: 2 }]\n", 8, "{", "cost.disk_price_shocks[0].change",
               "required key is missing");
  expect_error("cost: { support: 150 % }\n", 7, "support", "cost.support", "must be in [0 %, 100 %]");
}

// kScenario with its `from` replaced by `to`.
std::string changed(const std::string& from, const std::string& to) {
  std::string text = kScenario;
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(CostYaml, RefreshRetentionAndTierMistakesNameTheirPlace) {
  expect_error_in(changed("max_nodes: 9", "max_nodes: 9, refresh: { age: 60 days }"), 6, "age",
                  "procurement.refresh.age", "must be in [6 months, 100 years]");
  expect_error_in(changed("max_nodes: 9", "max_nodes: 9, lead_time: 2 years, refresh: { age: 1 year }"), 6, "age",
                  "procurement.refresh.age", "must be longer than procurement.lead_time");
  expect_error_in(changed("max_nodes: 9", "max_nodes: 9, refresh: { age: 5 years, growth: 10 % }"), 6, "growth",
                  "procurement.refresh.growth", "unknown key; allowed keys in procurement.refresh: age, disk_size_growth");
  expect_error_in(changed("first_year_ingest: 1 TB }", "first_year_ingest: 1 TB, retention: china-forever }"), 5, "retention", "workload.retention",
                  "one of forever, china-outpatient");
  expect_error_in(changed("first_year_ingest: 1 TB }", "first_year_ingest: 1 TB, retention: 1 day }"), 5, "retention", "workload.retention",
                  "must be at least a month");
  const std::string two = "tiers:\n  - { name: hot, until: 6 months, reads: 90 % }\n  - { name: cold, reads: 10 % }\n";
  EXPECT_TRUE(parse_scenario(kScenario + two, "t.yaml")) << "the base of the tier cases must be valid";
  expect_error("tiers:\n  - { name: hot, reads: 100 % }\n", 7, "tiers", "tiers", "must list 2 to 8 tiers");
  expect_error("tiers:\n  - { name: hot, until: 6 months, reads: 90 % }\n  - { name: cold, reads: 20 % }\n", 7,
               "tiers", "tiers", "must add up to 100 %, got 110 %");
  expect_error("tiers:\n  - { name: hot, until: 6 months, reads: 90 % }\n  - { name: cold, until: 2 years, reads: 10 % }\n",
               9, "until", "tiers[1].until", "not used in the last tier");
  expect_error("tiers:\n  - { name: hot, reads: 90 % }\n  - { name: cold, reads: 10 % }\n", 8, "{", "tiers[0].until",
               "must be at least a month");
  expect_error("tiers:\n  - { name: hot, until: 6 months, reads: 90 % }\n  - { name: hot, reads: 10 % }\n", 9, "name",
               "tiers[1].name", "names tiers[0] too");
  // A tier's own section is checked as the tier's: the key names the tier.
  expect_error("tiers:\n  - name: hot\n    until: 6 months\n    reads: 90 %\n"
               "    cluster: { initial_nodes: 3, node: { disks: 2, disk: { size: 1 TB, class: ssd, ops: 0 } } }\n"
               "  - { name: cold, reads: 10 % }\n",
               11, "ops", "tiers[0].cluster.node.disk.ops", "must be more than 0");
  expect_error("tiers:\n  - { name: hot, until: 6 months, reads: 90 %, colour: red }\n  - { name: cold, reads: 10 % }\n",
               8, "colour", "tiers[0].colour", "unknown key");
  expect_error(two + "events:\n  - { at: 1 year, kind: lose_node, node: 1 }\n", 10, "events", "events",
               "not supported with tiers");
  expect_error_in(changed("first_year_ingest: 1 TB }", "first_year_ingest: 1 TB, retention: 3 months }") + two, 5, "retention", "workload.retention",
                  "must be longer than the last move between tiers");
}

}  // namespace
}  // namespace cairn::sim
