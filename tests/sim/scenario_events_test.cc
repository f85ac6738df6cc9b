// Scenario events in YAML: what reads, what round-trips, and each kind of
// mistake reported at its file:line:column and key (scenario_yaml.h's contract).
#include "sim/scenario_events.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "engine/units.h"
#include "sim/scenario.h"
#include "sim/scenario_yaml.h"
#include "tests/sim/yaml_error_testing.h"

namespace cairn::sim {
namespace {

// 12 nodes of 4 disks in 4 racks, max_nodes 60, 15 years; events from line 17.
const std::string kBase = R"(name: t
cluster:
  racks: 4
  initial_nodes: 12
  node:
    disks: 4
    disk:
      size: 20 TB
pool:
  scheme: ec:8+3
workload:
  first_year_ingest: 54 TB
failures:
  node_outages: { per_node_year: 0, duration: 4 h }
procurement:
  max_nodes: 60
events:
)";
constexpr int kFirstEventLine = 18;

std::string with_events(const std::vector<std::string>& lines) {
  std::string text = kBase;
  for (const std::string& l : lines) text += l + "\n";
  return text;
}


// The whole message: where, which key, what is wrong.
void expect_error(const std::vector<std::string>& events, int line, const std::string& token,
                  const std::string& key_and_message) {
  const std::string text = with_events(events);
  auto r = parse_scenario(text, "t.yaml");
  ASSERT_FALSE(r) << "accepted:\n" << text;
  EXPECT_EQ(r.status().message(), at(text, line, token) + key_and_message);
}

ScenarioEvent event(double at_s, ScenarioEvent::Kind kind) {
  ScenarioEvent e;
  e.at_s = at_s;
  e.kind = kind;
  return e;
}

using Kind = ScenarioEvent::Kind;
constexpr double kYearS = kSecondsPerYear;
constexpr int L = kFirstEventLine;

TEST(ScenarioEvents, EveryKindReads) {
  auto r = parse_scenario(with_events({
                              "  - { at: 90 s, kind: fail_disk, node: 3, disk: 1 }",
                              "  - { at: 1 day, kind: fail_node, node: 4 }",
                              "  - { at: 2 days, kind: fail_node, node: 5, duration: 6 h }",
                              "  - { at: 1 year, kind: add_nodes, count: 11 }",
                              "  - { at: 2 years, kind: lose_node, node: 22 }",
                              "  - at: 5 years",
                              "    kind: lose_rack",
                              "    rack: 2",
                              "  - { at: 6 years, kind: retire_nodes, nodes: [0, 1, 2] }",
                              "  - { at: 6 years, kind: replace_disk, node: 3, disk: 0 }",
                          }),
                          "t.yaml");
  ASSERT_TRUE(r) << r.status().message();
  std::vector<ScenarioEvent> want(8);
  want[0] = event(90, Kind::kFailDisk);
  want[0].node = 3;
  want[0].disk = 1;
  want[1] = event(86400, Kind::kFailNode);
  want[1].node = 4;
  want[2] = event(2 * 86400, Kind::kFailNode);
  want[2].node = 5;
  want[2].duration_s = 6 * 3600.0;
  want[3] = event(kYearS, Kind::kAddNodes);
  want[3].count = 11;
  want[4] = event(2 * kYearS, Kind::kLoseNode);
  want[4].node = 22;
  want[5] = event(5 * kYearS, Kind::kLoseRack);
  want[5].rack = 2;
  want[6] = event(6 * kYearS, Kind::kRetireNodes);
  want[6].nodes = {0, 1, 2};
  want[7] = event(6 * kYearS, Kind::kReplaceDisk);
  want[7].node = 3;
  EXPECT_EQ(r->events, want);
  EXPECT_EQ(describe(want[0]), "fail_disk node 3 disk 1");
  EXPECT_EQ(describe(want[2]), "fail_node 5 for 6 h");
  EXPECT_EQ(describe(want[5]), "lose_rack 2");
  EXPECT_EQ(describe(want[6]), "retire_nodes 0, 1, 2");
}

TEST(ScenarioEvents, NoneIsTheDefault) {
  auto r = parse_scenario(kBase, "t.yaml");  // `events:` with nothing under it
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->events.empty());
  EXPECT_EQ(to_yaml(*r).find("events"), std::string::npos);
}

TEST(ScenarioEvents, ToYamlRoundTrips) {
  auto r = parse_scenario(with_events({
                              "  - { at: 100 days, kind: fail_node, node: 4, duration: 90 min }",
                              "  - { at: 1.5 years, kind: add_nodes, count: 11 }",
                              "  - { at: 5 years, kind: lose_rack, rack: 3 }",
                              "  - { at: 6 years, kind: retire_nodes, nodes: [20, 7] }",
                              "  - { at: 7 years, kind: replace_disk, node: 3, disk: 2 }",
                          }),
                          "t.yaml");
  ASSERT_TRUE(r) << r.status().message();
  const std::string text = to_yaml(*r);
  auto back = parse_scenario(text, "written.yaml");
  ASSERT_TRUE(back) << back.status().message() << "\n" << text;
  ASSERT_EQ(back->events.size(), r->events.size());
  for (size_t i = 0; i < r->events.size(); ++i) {
    ScenarioEvent a = back->events[i], b = r->events[i];
    EXPECT_NEAR(a.at_s, b.at_s, b.at_s * 1e-14) << i;
    ASSERT_EQ(a.duration_s.has_value(), b.duration_s.has_value()) << i;
    if (b.duration_s) {
      EXPECT_NEAR(*a.duration_s, *b.duration_s, *b.duration_s * 1e-14) << i;
    }
    a.at_s = b.at_s;
    a.duration_s = b.duration_s;
    EXPECT_EQ(a, b) << i;
  }
  EXPECT_EQ(to_yaml(*back), text);
}

TEST(ScenarioEventErrors, NotAList) {
  const std::string text = kBase.substr(0, kBase.size() - 1) + " { at: 1 year }\n";
  auto r = parse_scenario(text, "t.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message(),
            "t.yaml:17:1: events: expected a list of events, each like { at: 5 years, kind: "
            "lose_rack, rack: 2 }, got a mapping");
}

TEST(ScenarioEventErrors, UnknownKind) {
  expect_error({"  - { at: 5 years, kind: lose_racks, rack: 2 }"}, L, "kind",
               "events[0].kind: expected one of fail_disk, fail_node, lose_node, lose_rack, "
               "add_nodes, retire_nodes, replace_disk, got \"lose_racks\"");
}

TEST(ScenarioEventErrors, UnknownKeySuggestsTheNearest) {
  expect_error({"  - { at: 5 years, kind: lose_rack, racks: 2 }"}, L, "racks",
               "events[0].racks: unknown key (did you mean rack?); allowed keys in events[0]: at, "
               "kind, node, disk, duration, rack, count, nodes");
}

TEST(ScenarioEventErrors, MissingKeys) {
  // Reported where the event starts: the '{' of a flow mapping, the first key of a block one.
  expect_error({"  - { at: 5 years, kind: lose_rack }"}, L, "{",
               "events[0].rack: required key is missing; expected a whole number like 12 (see "
               "scenarios/README.md)");
  expect_error(
      {"  - { at: 1 year, kind: add_nodes, count: 11 }", "  - { kind: lose_node, node: 1 }"}, L + 1,
      "{",
      "events[1].at: required key is missing; expected a duration like \"90 days\", "
      "\"4 h\", \"6 months\" or \"15 years\" (see scenarios/README.md)");
  expect_error({"  - at: 5 years", "    node: 1"}, L, "at",
               "events[0].kind: required key is missing; expected one of fail_disk, fail_node, "
               "lose_node, lose_rack, add_nodes, retire_nodes, replace_disk (see "
               "scenarios/README.md)");
  expect_error({"  - { at: 5 years, kind: fail_disk, node: 1 }"}, L, "{",
               "events[0].disk: required key is missing; expected a disk slot like 0 (see "
               "scenarios/README.md)");
  expect_error({"  - { at: 5 years, kind: retire_nodes }"}, L, "{",
               "events[0].nodes: required key is missing; expected a list of node indexes like "
               "[4, 5] (see scenarios/README.md)");
}

TEST(ScenarioEventErrors, KeyOfAnotherKind) {
  expect_error({"  - { at: 5 years, kind: lose_rack, rack: 2, node: 3 }"}, L, "node",
               "events[0].node: not used here: kind lose_rack uses rack");
  expect_error({"  - { at: 5 years, kind: fail_disk, node: 3, disk: 1, duration: 1 h }"}, L,
               "duration", "events[0].duration: not used here: kind fail_disk uses node, disk");
  expect_error({"  - { at: 5 years, kind: add_nodes, count: 11, nodes: [1] }"}, L,
               "nodes:", "events[0].nodes: not used here: kind add_nodes uses count");
}

TEST(ScenarioEventErrors, WrongTypes) {
  expect_error({"  - { at: 5 years, kind: retire_nodes, nodes: 3 }"}, L,
               "nodes:", "events[0].nodes: expected a list of node indexes like [4, 5], got \"3\"");
  expect_error({"  - { at: 5 years, kind: retire_nodes, nodes: [1, two] }"}, L, "two",
               "events[0].nodes[1]: expected a whole number like 12, got \"two\" (digits only)");
  expect_error({"  - { at: 5 years, kind: lose_node, node: [1] }"}, L,
               "node:", "events[0].node: expected a whole number like 12, got a list");
  expect_error({"  - lose_node 3"}, L, "lose",
               "events[0]: expected a mapping with keys at, kind, node, disk, duration, rack, "
               "count, nodes, got \"lose_node 3\"");
}

TEST(ScenarioEventErrors, BadDuration) {
  expect_error({"  - { at: 5 yeers, kind: lose_node, node: 1 }"}, L, "at",
               "events[0].at: expected a duration like \"90 days\", \"4 h\", \"6 months\" or "
               "\"15 years\", got \"5 yeers\" (unknown unit \"yeers\")");
  expect_error({"  - { at: 5 years, kind: fail_node, node: 1, duration: 0 s }"}, L, "duration",
               "events[0].duration: must be more than 0 and at most 1 year, got 0 s");
  expect_error({"  - { at: 5 years, kind: fail_node, node: 1, duration: 2 years }"}, L, "duration",
               "events[0].duration: must be more than 0 and at most 1 year, got 2 years");
}

TEST(ScenarioEventErrors, IndexOutOfRange) {
  expect_error({"  - { at: 5 years, kind: lose_node, node: 12 }"}, L, "node:",
               "events[0].node: node 12 does not exist by then: 12 initial nodes + 0 added by "
               "earlier add_nodes events (0 to 11)");
  expect_error({"  - { at: 5 years, kind: fail_disk, node: 1, disk: 4 }"}, L,
               "disk:", "events[0].disk: node 1 has 4 disk slots (0 to 3), got 4");
  expect_error({"  - { at: 5 years, kind: lose_rack, rack: 4 }"}, L,
               "rack:", "events[0].rack: the cluster has 4 racks (0 to 3), got 4");
  // Nodes added by an earlier event exist; not before it, nor beyond what it adds.
  const std::string ok =
      with_events({"  - { at: 1 year, kind: add_nodes, count: 11 }",
                   "  - { at: 2 years, kind: replace_disk, node: 22, disk: 3 }"});
  auto r = parse_scenario(ok, "t.yaml");
  EXPECT_TRUE(r) << r.status().message();
  expect_error({"  - { at: 1 year, kind: replace_disk, node: 22, disk: 3 }",
                "  - { at: 2 years, kind: add_nodes, count: 11 }"},
               L, "node",
               "events[0].node: node 22 does not exist by then: 12 initial nodes + 0 added by "
               "earlier add_nodes events (0 to 11)");
  expect_error({"  - { at: 1 year, kind: add_nodes, count: 11 }",
                "  - { at: 2 years, kind: fail_node, node: 23 }"},
               L + 1, "node:",
               "events[1].node: node 23 does not exist by then: 12 initial nodes + 11 added by "
               "earlier add_nodes events (0 to 22)");
  // A retired node cannot be named again; a list names a node once.
  expect_error({"  - { at: 1 year, kind: retire_nodes, nodes: [3] }",
                "  - { at: 2 years, kind: fail_disk, node: 3, disk: 0 }"},
               L + 1, "node", "events[1].node: node 3 was retired by events[0]");
  expect_error({"  - { at: 1 year, kind: retire_nodes, nodes: [3, 4, 3] }"}, L, "3]",
               "events[0].nodes[2]: node 3 is listed twice");
  expect_error({"  - { at: 1 year, kind: retire_nodes, nodes: [] }"}, L,
               "nodes:", "events[0].nodes: must list 1 to 1000 nodes, got 0");
}

TEST(ScenarioEventErrors, AddNodesBeyondMaxNodes) {
  expect_error({"  - { at: 1 year, kind: add_nodes, count: 44 }",
                "  - { at: 2 years, kind: add_nodes, count: 5 }"},
               L + 1, "count",
               "events[1].count: 5 more nodes would make 61, past procurement.max_nodes (60), the "
               "most nodes the simulated platform holds");
  expect_error({"  - { at: 1 year, kind: add_nodes, count: 0 }"}, L, "count",
               "events[0].count: must be at least 1, got 0");
}

TEST(ScenarioEventErrors, OutOfOrder) {
  expect_error({"  - { at: 3 years, kind: lose_node, node: 1 }",
                "  - { at: 2 years, kind: lose_node, node: 2 }"},
               L + 1, "at",
               "events[1].at: events must be in time order: 2 years is before the previous "
               "event's 3 years");
}

TEST(ScenarioEventErrors, BeyondTheHorizon) {
  expect_error({"  - { at: 15 years, kind: lose_node, node: 1 }"}, L, "at",
               "events[0].at: must be before the end of the run (15 years), got 15 years");
  expect_error({"  - { at: 16 years, kind: lose_node, node: 1 }"}, L, "at",
               "events[0].at: must be before the end of the run (15 years), got 16 years");
}

TEST(ScenarioEventErrors, DefaultOutageDurationIsCheckedForFailNode) {
  std::string text = with_events({"  - { at: 1 year, kind: fail_node, node: 1 }"});
  text.replace(text.find("duration: 4 h"), 13, "duration: 2 years");
  auto r = parse_scenario(text, "t.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message(),
            at(text, 14, "duration") +
                "failures.node_outages.duration: must be more than 0 and at most 1 year, got 2 "
                "years (the duration of events[0])");
}

// A scenario built in code is checked the same way, with the same keys.
TEST(ScenarioEventErrors, ValidateChecksCodeBuiltEvents) {
  Scenario s;
  s.events.assign(kMaxEvents + 1, event(60, Kind::kLoseNode));
  EXPECT_EQ(validate(s).message(), "events: must list at most 10000 events, got 10001");
  s.events.assign(kMaxEvents, event(60, Kind::kLoseNode));
  EXPECT_TRUE(validate(s).is_ok()) << validate(s).message();
  s.events = {event(-1, Kind::kLoseNode)};
  EXPECT_EQ(validate(s).message(), "events[0].at: must be a time from the start, got -1 s");
}

}  // namespace
}  // namespace cairn::sim
