// Scenario events: lifecycle events at fixed times, beside the scenario's
// random failure processes — what an architect asks ("we lose rack 2 in year
// 5") and what calibration replays (exactly what a lab cluster did).
//
// An event names what it acts on as the scenario does: nodes by index (the
// initial nodes 0 .. initial_nodes-1, then each arrival's nodes in order),
// racks by index, a disk by its node and its slot on that node (a disk that
// replaces another takes its slot). The simulation carries each event out with
// the model's existing paths (simulation.cc): failure, outage, node loss,
// arrival, the engine's next map for a retirement, replacement. Plain values;
// checked by find_problem() (scenario.h) with the rest of the scenario.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace cairn::sim {

struct Scenario;
struct ScenarioProblem;

struct ScenarioEvent {
  enum class Kind : uint8_t {
    kFailDisk,     // node, disk: the disk fails, as a random failure would
    kFailNode,     // node, duration: a transient outage (no data lost, writes owed)
    kLoseNode,     // node: every disk of the node fails
    kLoseRack,     // rack: every node of the rack is lost
    kAddNodes,     // count: nodes arrive, as a purchase does
    kRetireNodes,  // nodes: drained by a rebalance, then out of service
    kReplaceDisk,  // node, disk: swapped for an empty disk at once
  };
  double at_s = 0;  // from the start of the run
  Kind kind = Kind::kFailDisk;
  uint32_t node = 0;
  uint32_t disk = 0;  // slot on the node, 0-based
  uint32_t rack = 0;
  uint32_t count = 0;
  std::optional<double> duration_s;  // kFailNode; unset: failures.node_outage_duration_s
  std::vector<uint32_t> nodes;       // kRetireNodes

  bool operator==(const ScenarioEvent&) const = default;
};

// Bounds find_problem() enforces.
inline constexpr size_t kMaxEvents = 10'000;
inline constexpr size_t kMaxNodesPerRetirement = 1'000;

// The kind as written in YAML ("lose_rack"), and back.
std::string_view to_string(ScenarioEvent::Kind kind);
Result<ScenarioEvent::Kind> parse_event_kind(std::string_view text);
inline constexpr std::string_view kExpectEventKind =
    "one of fail_disk, fail_node, lose_node, lose_rack, add_nodes, retire_nodes, replace_disk";

// The keys `kind` uses besides at and kind, in schema order; `optional`
// says which of them may be left out.
std::vector<std::string_view> event_keys(ScenarioEvent::Kind kind);
bool event_key_optional(ScenarioEvent::Kind kind, std::string_view key);

// For people and the run's events output: "lose_rack 2",
// "fail_disk node 3 disk 1", "retire_nodes 4, 5".
std::string describe(const ScenarioEvent& event);

// The time the simulation runs: whole months (simulation.cc rounds the
// horizon to months); an event must come before it.
double simulated_horizon_s(const Scenario& scenario);

// The first problem with scenario.events: the list's size; each event's
// time (in order, before the horizon); its indexes, against what exists by
// then (the initial nodes and those added by earlier add_nodes events, none
// retired by an earlier retire_nodes); add_nodes beyond procurement.max_nodes.
// Keys as written in YAML ("events[2].node").
std::optional<ScenarioProblem> find_event_problem(const Scenario& scenario);

}  // namespace cairn::sim
