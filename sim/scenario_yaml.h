// Reading a Scenario from YAML. The schema — every key, its unit, its
// default, which keys are required — is scenarios/README.md; quantities are
// read by engine/units.h.
//
// Contract: either a Scenario that validate() accepts, or a Status whose
// message begins "<file>:<line>:<column>: <key path>: " and says what was
// expected, e.g.
//   tertiary.yaml:12:5: failures.disk.afr: expected a fraction like "1.5 %" or 0.015, got "high"
// Unknown and duplicate keys are errors (the message lists the keys allowed
// at that level); so are YAML syntax errors, more than one document, and keys
// that the chosen model does not use. Problems found by validate() point at
// the offending key when the file sets it, else at its nearest enclosing key
// with a note that the default applies. Only the first problem is reported.
// Pure apart from load_scenario's file read; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"
#include "sim/scenario.h"

namespace cairn::sim {

// `file_name` only labels messages.
Result<Scenario> parse_scenario(std::string_view yaml_text, std::string_view file_name);

// Reads `path` (at most kMaxScenarioBytes) and parses it; a missing or
// unreadable file is an error naming the path.
Result<Scenario> load_scenario(const std::string& path);

inline constexpr size_t kMaxScenarioBytes = 1 << 20;

// The scenario as YAML with every key written (no comments), which
// parse_scenario reads back to the same values, quantities to 15 significant
// digits. For tools that save a scenario (the planner) and for round-trip tests.
std::string to_yaml(const Scenario& scenario);

}  // namespace cairn::sim
