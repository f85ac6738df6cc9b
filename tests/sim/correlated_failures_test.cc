// Correlated failures in the model: rack or power-domain events, bad purchase
// batches, and top-of-rack switches whose failure cuts nodes off unless they
// are dual-homed (engine reachable_nodes) — unavailability, not loss.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "sim/replicates.h"
#include "sim/scenario_yaml.h"
#include "tests/sim/yaml_error_testing.h"
#include "tests/sim/small_pool_testing.h"

namespace cairn::sim {
namespace {

RunResult run_one(const Scenario& s) {
  EXPECT_TRUE(validate(s).is_ok()) << validate(s).message();
  ReplicateOptions one;
  one.runs = 1;
  auto r = run_replicates(s, one, nullptr);
  EXPECT_TRUE(r) << r.status().message();
  return r ? r->front() : RunResult{};
}

size_t count(const RunResult& r, const std::string& kind) {
  return static_cast<size_t>(
      std::count_if(r.events.begin(), r.events.end(), [&](const Event& e) { return e.kind == kind; }));
}

// Nine nodes in two racks, ec:2+1 across nodes: each group has two members
// in one of the racks, which takes both with it.
Scenario two_racks() {
  Scenario s = small_ec21_pool(9, 2);
  s.cluster.racks = 2;
  s.horizon_years = 3;
  s.workload.first_year_bytes = 2e12;
  s.workload.annual_growth = 0;
  s.failures.disk.afr = 0.02;
  s.seed = 21;
  return s;
}

TEST(CorrelatedFailures, PermanentRackEventsLoseMoreThanTheSameCaseWithout) {
  std::printf("seed %llu\n", static_cast<unsigned long long>(two_racks().seed));
  const RunResult plain = run_one(two_racks());
  Scenario s = two_racks();
  s.failures.rack_events_per_rack_year = 0.5;
  s.failures.rack_event_permanent = 1.0;
  const RunResult racked = run_one(s);
  EXPECT_GT(count(racked, "rack_event"), 0u);
  EXPECT_GT(racked.bytes_lost, plain.bytes_lost);
  EXPECT_GT(racked.disk_failures, plain.disk_failures);
  // Transient rack events lose nothing but make groups unavailable.
  s.failures.rack_event_permanent = 0;
  const RunResult transient = run_one(s);
  EXPECT_GT(count(transient, "rack_event"), 0u);
  EXPECT_GT(transient.unavailable_group_hours, plain.unavailable_group_hours);
}

TEST(CorrelatedFailures, ABadBatchFailsMoreOften) {
  Scenario s = two_racks();
  s.failures.disk.afr = 0.05;
  s.horizon_years = 5;
  const RunResult plain = run_one(s);
  s.failures.bad_batch_share = 1.0;
  s.failures.bad_batch_afr_factor = 8;
  const RunResult bad = run_one(s);
  EXPECT_GT(count(bad, "bad_batch"), 0u);
  EXPECT_GT(bad.disk_failures, 3 * plain.disk_failures);
}

TEST(CorrelatedFailures, DualUplinksKeepNodesReachableWhenASwitchFails) {
  Scenario s = two_racks();
  s.failures.disk.afr = 0;
  s.failures.switch_failures_per_switch_year = 4;
  s.failures.switch_repair_s = 3600;
  s.cluster.uplinks = 2;
  const RunResult dual = run_one(s);
  EXPECT_GT(count(dual, "switch_failure"), 10u);
  EXPECT_EQ(count(dual, "node_unreachable"), 0u);  // no two switches of a rack down at once with this seed
  EXPECT_EQ(dual.unavailable_group_hours, 0);
  s.cluster.uplinks = 1;
  const RunResult single = run_one(s);
  EXPECT_GT(count(single, "node_unreachable"), 10u);
  EXPECT_GT(single.unavailable_group_hours, 0);
  // Unavailability, not loss of groups: a rack cut off takes two members of
  // some groups, whose writes meanwhile reach one member only (fewer than k)
  // and are lost when the nodes return (group_health kMissedWritesLost); no
  // group's data is lost.
  for (const Event& e : single.events)
    if (e.kind == "data_loss")
      EXPECT_NE(e.detail.find("writes missed by stale members"), std::string::npos) << e.detail;
  // A node cut off comes back when its switch does (an outage with no timed
  // part once stayed down for the rest of the run).
  for (size_t i = 0; i < single.events.size(); ++i) {
    const Event& cut = single.events[i];
    if (cut.kind != "node_unreachable") continue;
    auto back = std::find_if(single.events.begin() + static_cast<std::ptrdiff_t>(i), single.events.end(),
                             [&](const Event& e) { return e.kind == "node_outage_end" && e.node == cut.node; });
    ASSERT_NE(back, single.events.end()) << "node " << cut.node << " cut off at " << cut.time_s << " s never returned";
    EXPECT_LE(back->time_s - cut.time_s, s.failures.switch_repair_s + 1.0) << "node " << cut.node;
  }
}

// A timed outage that falls while the node is already down (here: cut off by
// its only switch) keeps it down until the timed outage ends too.
TEST(CorrelatedFailures, AnOutageDuringAnotherKeepsTheNodeDownToTheLaterEnd) {
  Scenario s = two_racks();
  s.failures.disk.afr = 0;
  s.cluster.uplinks = 1;
  s.failures.switch_failures_per_switch_year = 1000;  // a switch is down about half the time
  s.failures.switch_repair_s = 3600;
  s.failures.rack_events_per_rack_year = 50;
  s.failures.rack_event_duration_s = 6 * 3600.0;
  s.horizon_years = 0.25;
  const RunResult r = run_one(s);
  // Every rack event's outage lasts its six hours, whatever the switches did.
  size_t checked = 0;
  for (size_t i = 0; i < r.events.size(); ++i) {
    if (r.events[i].kind != "rack_event") continue;
    const double at = r.events[i].time_s;
    for (const Event& e : r.events)
      if (e.kind == "node_outage_end" && e.time_s > at - 1.0 && e.time_s < at + 6 * 3600.0 - 1.0) {
        // a node that ended an outage inside the rack event's six hours must not be in that rack
        const std::string rack = r.events[i].detail.substr(0, r.events[i].detail.find(':'));
        EXPECT_NE(rack, "rack " + std::to_string(e.node % 2)) << "node " << e.node << " back at " << e.time_s
                                                              << " s during " << r.events[i].detail << " at " << at;
      }
    ++checked;
  }
  EXPECT_GT(checked, 5u);
}

TEST(CorrelatedFailures, EachMistakeNamesItsPlace) {
  const std::string base =
      "cluster: { initial_nodes: 3, node: { disks: 2, disk: { size: 1 TB } } }\n"  // 1
      "pool: { scheme: ec:2+1 }\n"                                                  // 2
      "workload: { first_year_ingest: 1 TB }\n";                                     // 3
  struct Case {
    std::string tail, token, key, says;
  } cases[] = {
      {"failures: { racks: { permanent: 150 % } }\n", "permanent", "failures.racks.permanent", "must be in [0 %, 100 %]"},
      {"failures: { switches: { duration: 0 s } }\n", "duration", "failures.switches.duration", "must be in (0, 1 year]"},
      {"failures: { batches: { afr_factor: 0.5 } }\n", "afr_factor", "failures.batches.afr_factor", "must be in [1, 100]"},
      {"failures: { switches: { rate: 1 } }\n", "rate", "failures.switches.rate", "unknown key"},
  };
  for (const Case& c : cases) {
    const std::string text = base + c.tail;
    auto r = parse_scenario(text, "t.yaml");
    ASSERT_FALSE(r) << text;
    const std::string want = at(text, 4, c.token) + c.key + ": ";
    EXPECT_EQ(r.status().message().substr(0, want.size()), want) << r.status().message();
    EXPECT_NE(r.status().message().find(c.says), std::string::npos) << r.status().message();
  }
  std::string uplinks = base;
  uplinks.replace(uplinks.find("initial_nodes: 3"), 16, "initial_nodes: 3, uplinks: 0");
  auto r = parse_scenario(uplinks, "t.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message().rfind(at(uplinks, 1, "uplinks") + "cluster.uplinks: must be 1 to 8", 0), 0u)
      << r.status().message();
}

}  // namespace
}  // namespace cairn::sim
