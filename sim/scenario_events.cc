#include "sim/scenario_events.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "engine/units.h"
#include "sim/scenario.h"

namespace cairn::sim {
namespace {

using Kind = ScenarioEvent::Kind;

constexpr std::array<std::pair<Kind, std::string_view>, 7> kKindNames{{
    {Kind::kFailDisk, "fail_disk"},
    {Kind::kFailNode, "fail_node"},
    {Kind::kLoseNode, "lose_node"},
    {Kind::kLoseRack, "lose_rack"},
    {Kind::kAddNodes, "add_nodes"},
    {Kind::kRetireNodes, "retire_nodes"},
    {Kind::kReplaceDisk, "replace_disk"},
}};

std::string count(uint64_t n) {
  return std::to_string(n);
}

std::string node_list(const std::vector<uint32_t>& nodes) {
  std::string out;
  for (uint32_t n : nodes) out += (out.empty() ? "" : ", ") + count(n);
  return out;
}

// What exists as the events are walked in order: the nodes added so far and
// which event retired a node, if any.
class Walk {
 public:
  explicit Walk(const Scenario& s) : s_(s), nodes_(s.cluster.initial_nodes) {}

  // Why node `n` cannot be named by an event at this point, if it cannot.
  std::optional<std::string> node_problem(uint32_t n) const {
    if (n >= nodes_)
      return "node " + count(n) + " does not exist by then: " + count(s_.cluster.initial_nodes) +
             " initial nodes + " + count(nodes_ - s_.cluster.initial_nodes) +
             " added by earlier add_nodes events (0 to " + count(nodes_ - 1) + ")";
    if (auto it = retired_by_.find(n); it != retired_by_.end())
      return "node " + count(n) + " was retired by events[" + count(it->second) + "]";
    return std::nullopt;
  }
  uint32_t nodes() const { return nodes_; }
  void add(uint32_t n) { nodes_ += n; }
  void retire(uint32_t n, size_t event) { retired_by_.emplace(n, event); }

 private:
  const Scenario& s_;
  uint32_t nodes_;
  std::map<uint32_t, size_t> retired_by_;
};

std::optional<ScenarioProblem> problem(std::string key, const std::string& message) {
  return ScenarioProblem{std::move(key), invalid_argument(message)};
}

// The problem with event `i`'s own keys, given what exists by then.
std::optional<ScenarioProblem> check_event(const Scenario& s, const ScenarioEvent& e, size_t i,
                                           Walk& walk) {
  const std::string key = "events[" + count(i) + "]";
  auto node_ok = [&](uint32_t n, const std::string& at_key) -> std::optional<ScenarioProblem> {
    if (auto why = walk.node_problem(n)) return problem(at_key, *why);
    return std::nullopt;
  };
  switch (e.kind) {
    case Kind::kFailDisk:
    case Kind::kReplaceDisk:
      if (auto p = node_ok(e.node, key + ".node")) return p;
      if (e.disk >= s.cluster.disks_per_node)
        return problem(key + ".disk", "node " + count(e.node) + " has " +
                                          count(s.cluster.disks_per_node) + " disk slots (0 to " +
                                          count(s.cluster.disks_per_node - 1) + "), got " +
                                          count(e.disk));
      return std::nullopt;
    case Kind::kFailNode: {
      if (auto p = node_ok(e.node, key + ".node")) return p;
      double d = e.duration_s.value_or(s.failures.node_outage_duration_s);
      if (std::isfinite(d) && d > 0 && d <= kSecondsPerYear) return std::nullopt;
      std::string message = "must be more than 0 and at most 1 year, got " + format_duration(d);
      if (e.duration_s) return problem(key + ".duration", message);
      return problem("failures.node_outages.duration", message + " (the duration of " + key + ")");
    }
    case Kind::kLoseNode:
      return node_ok(e.node, key + ".node");
    case Kind::kLoseRack:
      if (e.rack >= s.cluster.racks)
        return problem(key + ".rack", "the cluster has " + count(s.cluster.racks) +
                                          " racks (0 to " + count(s.cluster.racks - 1) + "), got " +
                                          count(e.rack));
      return std::nullopt;
    case Kind::kAddNodes: {
      if (e.count == 0) return problem(key + ".count", "must be at least 1, got 0");
      uint64_t after = uint64_t{walk.nodes()} + e.count;
      if (after > s.procurement.max_nodes)
        return problem(key + ".count", count(e.count) + " more nodes would make " + count(after) +
                                           ", past procurement.max_nodes (" +
                                           count(s.procurement.max_nodes) +
                                           "), the most nodes the simulated platform holds");
      walk.add(e.count);
      return std::nullopt;
    }
    case Kind::kRetireNodes: {
      if (e.nodes.empty() || e.nodes.size() > kMaxNodesPerRetirement)
        return problem(key + ".nodes", "must list 1 to " + count(kMaxNodesPerRetirement) +
                                           " nodes, got " + count(e.nodes.size()));
      std::set<uint32_t> seen;
      for (size_t j = 0; j < e.nodes.size(); ++j) {
        const std::string item = key + ".nodes[" + count(j) + "]";
        if (auto p = node_ok(e.nodes[j], item)) return p;
        if (!seen.insert(e.nodes[j]).second)
          return problem(item, "node " + count(e.nodes[j]) + " is listed twice");
      }
      for (uint32_t n : e.nodes) walk.retire(n, i);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ScenarioEvent::Kind kind) {
  for (const auto& [k, name] : kKindNames)
    if (k == kind) return name;
  CAIRN_ASSERT(false);
  return "";
}

Result<ScenarioEvent::Kind> parse_event_kind(std::string_view text) {
  for (const auto& [k, name] : kKindNames)
    if (name == text) return k;
  return invalid_argument("expected " + std::string(kExpectEventKind) + ", got \"" +
                          std::string(text) + "\"");
}

std::vector<std::string_view> event_keys(ScenarioEvent::Kind kind) {
  switch (kind) {
    case Kind::kFailDisk:
    case Kind::kReplaceDisk:
      return {"node", "disk"};
    case Kind::kFailNode:
      return {"node", "duration"};
    case Kind::kLoseNode:
      return {"node"};
    case Kind::kLoseRack:
      return {"rack"};
    case Kind::kAddNodes:
      return {"count"};
    case Kind::kRetireNodes:
      return {"nodes"};
  }
  return {};
}

bool event_key_optional(ScenarioEvent::Kind kind, std::string_view key) {
  return kind == Kind::kFailNode && key == "duration";
}

std::string describe(const ScenarioEvent& e) {
  std::string out(to_string(e.kind));
  switch (e.kind) {
    case Kind::kFailDisk:
    case Kind::kReplaceDisk:
      return out + " node " + count(e.node) + " disk " + count(e.disk);
    case Kind::kFailNode:
      out += " " + count(e.node);
      if (e.duration_s) out += " for " + format_duration(*e.duration_s);
      return out;
    case Kind::kLoseNode:
      return out + " " + count(e.node);
    case Kind::kLoseRack:
      return out + " " + count(e.rack);
    case Kind::kAddNodes:
      return out + " " + count(e.count);
    case Kind::kRetireNodes:
      return out + " " + node_list(e.nodes);
  }
  return out;
}

double simulated_horizon_s(const Scenario& s) {
  return static_cast<double>(std::lround(s.horizon_years * 12)) * kSecondsPerMonth;
}

std::optional<ScenarioProblem> find_event_problem(const Scenario& s) {
  if (s.events.size() > kMaxEvents)
    return problem("events", "must list at most " + count(kMaxEvents) + " events, got " +
                                 count(s.events.size()));
  const double horizon_s = simulated_horizon_s(s);
  Walk walk(s);
  double previous_s = 0;
  for (size_t i = 0; i < s.events.size(); ++i) {
    const ScenarioEvent& e = s.events[i];
    const std::string at = "events[" + count(i) + "].at";
    if (!std::isfinite(e.at_s) || e.at_s < 0)
      return problem(at, "must be a time from the start, got " + format_duration(e.at_s));
    if (e.at_s >= horizon_s)
      return problem(at, "must be before the end of the run (" + format_duration(horizon_s) +
                             "), got " + format_duration(e.at_s));
    if (e.at_s < previous_s)
      return problem(at, "events must be in time order: " + format_duration(e.at_s) +
                             " is before the previous event's " + format_duration(previous_s));
    previous_s = e.at_s;
    if (auto p = check_event(s, e, i, walk)) return p;
  }
  return std::nullopt;
}

}  // namespace cairn::sim
