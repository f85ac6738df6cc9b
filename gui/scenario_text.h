// Scenario text: reading and changing one value of a scenario's YAML by its
// key path ("cluster.node.disk.size") while keeping everything else —
// comments with their sources, order, flow or block style — as written, so
// that a scenario saved from the planner's form still carries the sources
// beside its numbers (scenarios/README.md).
//
// Also splits the simulator's own error messages
// ("file:line:col: key.path: message", sim/scenario_yaml.h) so the form can
// show each at its field. Pure functions over strings; no Qt; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace cairn::gui {

// The value at `key_path` as written: a scalar's text, or a list of scalars
// as "[a, b, c]". nullopt when the key is absent (its default applies) or the
// text is not YAML.
std::optional<std::string> get_value(std::string_view yaml, std::string_view key_path);

// The text with the value at `key_path` replaced by `value` (a scalar, or a
// flow list "[...]"; quoted when YAML would misread it). An absent key is
// added to its mapping (and missing parent mappings created), in the
// mapping's own style and indentation. Fails, naming the reason, when the
// text is not YAML or the value is written in a form this edit cannot
// replace in place (a multi-line scalar, a block list): edit it as text.
Result<std::string> set_value(std::string_view yaml, std::string_view key_path, std::string_view value);

// "ec:8+3" stays plain; text YAML would misread ("a: b", "#x", "") is quoted.
std::string yaml_scalar(std::string_view value);

// One of the simulator's scenario errors, taken apart.
struct ScenarioError {
  int line = 0;       // 1-based; 0 when the message names no position
  int column = 0;
  std::string key;    // "procurement.max_nodes"; empty when none is named
  std::string message;  // the rest: what is wrong
  std::string full;     // the whole message as the simulator wrote it
};
ScenarioError split_error(std::string_view full, std::string_view file_name);

}  // namespace cairn::gui
