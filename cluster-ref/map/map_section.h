// The pool map as the cluster file (format 2) writes it: the engine's groups,
// spares and hash layout at one epoch, so that every node and client runs the
// map the administrator's tool derived with the engine (next_map, heals)
// instead of deriving a first map again. Also the map data is moving from
// during a rebalance or drain, and the rebuilds in progress.
//
//   map:
//     layout_epoch: 3
//     slot_bits: 9
//     slots: [[0, 128], [1, 128], [0, 3], ...]   # runs of [group id, slots] in slot order
//     groups: [[0, 4, 8], [1, 5, 9], retired]    # member disk ids by group id
//     spares: [12]
//   migration:                                   # optional: the map the data moves from
//     from_epoch: 2                              #   (cluster epoch it was installed at)
//     layout_epoch: 2
//     slot_bits: 9
//     slots: [...]
//     groups: [...]
//     spares: [...]
//   heals:                                       # optional: members being rebuilt
//     - {group: 0, targets: [[0, 24]], sources: [1, 2]}   # [member, disk]; source members
//
// Parsing checks shape and ranges (slot counts sum to 2^slot_bits, group ids
// and disk ids exist); the map's own invariants are the engine's. Errors name
// the file, line, column and key, as for the rest of the file.
#pragma once
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/heal.h"
#include "engine/layout.h"
#include "engine/placement.h"

namespace cairn {

struct MapSection {
  Placement placement;
  Layout layout;
  uint64_t from_epoch = 0;  // migration only
};

// The YAML error of cluster_file.cc: "FILE:LINE:COL: KEY: MESSAGE".
struct MapParseError {
  std::string text;
};

// Throw MapParseError. `disk_bound`: disk ids must be below it.
MapSection parse_map_section(std::string_view source, const YAML::Node& node, const std::string& key,
                             uint32_t disk_bound, bool migration);
std::vector<HealPlan> parse_heals(std::string_view source, const YAML::Node& node, uint32_t group_bound,
                                  uint32_t disk_bound);

void write_map_section(std::ostream& out, const std::string& key, const MapSection& section, bool migration);
void write_heals(std::ostream& out, const std::vector<HealPlan>& heals);

}  // namespace cairn
