#include "cluster-ref/map/map_section.h"

#include "engine/units.h"

namespace cairn {
namespace {

[[noreturn]] void fail(std::string_view source, const YAML::Node& at, const std::string& key,
                       const std::string& message) {
  const YAML::Mark mark = at.Mark();
  const int line = mark.is_null() ? 1 : mark.line + 1;
  const int column = mark.is_null() ? 1 : mark.column + 1;
  throw MapParseError{std::string(source) + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                      key + ": " + message};
}

uint64_t number(std::string_view source, const YAML::Node& value, const std::string& key, uint64_t max) {
  if (!value.IsScalar()) fail(source, value, key, "expected a whole number");
  auto parsed = parse_count(value.Scalar());
  if (!parsed) fail(source, value, key, parsed.status().message());
  if (*parsed > max) fail(source, value, key, "must be at most " + std::to_string(max));
  return *parsed;
}

YAML::Node required(std::string_view source, const YAML::Node& map, const std::string& key, const char* name) {
  if (!map.IsMap()) fail(source, map, key, "expected a mapping");
  YAML::Node value = map[name];
  if (!value) fail(source, map, key + "." + name, "missing");
  return value;
}

std::vector<uint32_t> numbers(std::string_view source, const YAML::Node& list, const std::string& key,
                              uint64_t max) {
  if (!list.IsSequence()) fail(source, list, key, "expected a list");
  std::vector<uint32_t> out;
  for (size_t i = 0; i < list.size(); ++i)
    out.push_back(static_cast<uint32_t>(number(source, list[i], key + "[" + std::to_string(i) + "]", max)));
  return out;
}

Layout parse_layout(std::string_view source, const YAML::Node& node, const std::string& key,
                    uint32_t group_bound) {
  Layout layout;
  layout.epoch = number(source, required(source, node, key, "layout_epoch"), key + ".layout_epoch", UINT32_MAX);
  layout.slot_bits = static_cast<uint32_t>(
      number(source, required(source, node, key, "slot_bits"), key + ".slot_bits", kMaxSlotBits));
  const YAML::Node runs = required(source, node, key, "slots");
  if (!runs.IsSequence()) fail(source, runs, key + ".slots", "expected a list of [group, slots] runs");
  const uint64_t total = uint64_t{1} << layout.slot_bits;
  for (size_t i = 0; i < runs.size(); ++i) {
    const std::string rkey = key + ".slots[" + std::to_string(i) + "]";
    const std::vector<uint32_t> run = numbers(source, runs[i], rkey, UINT32_MAX);
    if (run.size() != 2 || run[1] == 0) fail(source, runs[i], rkey, "expected [group, slots] with slots >= 1");
    if (run[0] >= group_bound) fail(source, runs[i], rkey, "group " + std::to_string(run[0]) + " is not in groups");
    if (layout.slot_group.size() + run[1] > total)
      fail(source, runs[i], rkey, "the runs cover more than 2^slot_bits = " + std::to_string(total) + " slots");
    layout.slot_group.insert(layout.slot_group.end(), run[1], run[0]);
  }
  if (layout.slot_group.size() != total)
    fail(source, runs, key + ".slots",
         "the runs cover " + std::to_string(layout.slot_group.size()) + " slots; 2^slot_bits = " + std::to_string(total));
  return layout;
}

}  // namespace

MapSection parse_map_section(std::string_view source, const YAML::Node& node, const std::string& key,
                             uint32_t disk_bound, bool migration) {
  MapSection out;
  const YAML::Node groups = required(source, node, key, "groups");
  if (!groups.IsSequence() || groups.size() == 0) fail(source, groups, key + ".groups", "expected a list of groups");
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::string gkey = key + ".groups[" + std::to_string(g) + "]";
    Group group;
    if (groups[g].IsScalar() && groups[g].Scalar() == "retired") {
      group.retired = true;
    } else {
      for (uint32_t d : numbers(source, groups[g], gkey, disk_bound == 0 ? 0 : disk_bound - 1))
        group.members.push_back(DiskId(d));
      if (group.members.empty()) fail(source, groups[g], gkey, "a group has members (or is `retired`)");
    }
    out.placement.groups.push_back(std::move(group));
  }
  if (const YAML::Node spares = node["spares"]) {
    for (uint32_t d : numbers(source, spares, key + ".spares", disk_bound == 0 ? 0 : disk_bound - 1))
      out.placement.spares.push_back(DiskId(d));
  }
  out.layout = parse_layout(source, node, key, static_cast<uint32_t>(groups.size()));
  if (migration) out.from_epoch = number(source, required(source, node, key, "from_epoch"), key + ".from_epoch", UINT64_MAX);
  for (const auto& entry : node) {
    const auto name = entry.first.as<std::string>();
    if (name != "groups" && name != "spares" && name != "layout_epoch" && name != "slot_bits" && name != "slots" &&
        !(migration && name == "from_epoch"))
      fail(source, entry.first, key + "." + name, "unknown key");
  }
  return out;
}

std::vector<HealPlan> parse_heals(std::string_view source, const YAML::Node& node, uint32_t group_bound,
                                  uint32_t disk_bound) {
  if (!node.IsSequence()) fail(source, node, "heals", "expected a list");
  std::vector<HealPlan> out;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string key = "heals[" + std::to_string(i) + "]";
    HealPlan plan;
    plan.recoverable = true;
    plan.group = GroupId(static_cast<uint32_t>(
        number(source, required(source, node[i], key, "group"), key + ".group", group_bound - 1)));
    const YAML::Node targets = required(source, node[i], key, "targets");
    if (!targets.IsSequence() || targets.size() == 0) fail(source, targets, key + ".targets", "expected [[member, disk], ...]");
    for (size_t t = 0; t < targets.size(); ++t) {
      const std::vector<uint32_t> pair = numbers(source, targets[t], key + ".targets", UINT32_MAX);
      if (pair.size() != 2 || pair[1] >= disk_bound) fail(source, targets[t], key + ".targets", "expected [member, disk]");
      HealPlan::Target target;
      target.member = pair[0];
      target.disk = DiskId(pair[1]);
      plan.targets.push_back(target);
    }
    plan.source_members = numbers(source, required(source, node[i], key, "sources"), key + ".sources", 255);
    out.push_back(std::move(plan));
  }
  return out;
}

void write_map_section(std::ostream& out, const std::string& key, const MapSection& section, bool migration) {
  out << key << ":\n";
  if (migration) out << "  from_epoch: " << section.from_epoch << "\n";
  out << "  layout_epoch: " << section.layout.epoch << "\n  slot_bits: " << section.layout.slot_bits << "\n  slots: [";
  const auto& slots = section.layout.slot_group;
  bool first = true;
  for (size_t s = 0; s < slots.size();) {
    size_t e = s;
    while (e < slots.size() && slots[e] == slots[s]) ++e;
    out << (first ? "" : ", ") << "[" << slots[s] << ", " << (e - s) << "]";
    first = false;
    s = e;
  }
  out << "]\n  groups: [";
  for (size_t g = 0; g < section.placement.groups.size(); ++g) {
    const Group& group = section.placement.groups[g];
    out << (g == 0 ? "" : ", ");
    if (group.retired) {
      out << "retired";
      continue;
    }
    out << "[";
    for (size_t m = 0; m < group.members.size(); ++m) out << (m == 0 ? "" : ", ") << group.members[m].value;
    out << "]";
  }
  out << "]\n  spares: [";
  for (size_t i = 0; i < section.placement.spares.size(); ++i)
    out << (i == 0 ? "" : ", ") << section.placement.spares[i].value;
  out << "]\n";
}

void write_heals(std::ostream& out, const std::vector<HealPlan>& heals) {
  if (heals.empty()) return;
  out << "heals:\n";
  for (const HealPlan& plan : heals) {
    out << "  - {group: " << plan.group.value << ", targets: [";
    bool first = true;
    for (const HealPlan::Target& t : plan.targets) {
      if (t.in_place) continue;
      out << (first ? "" : ", ") << "[" << t.member << ", " << t.disk.value << "]";
      first = false;
    }
    out << "], sources: [";
    for (size_t i = 0; i < plan.source_members.size(); ++i) out << (i == 0 ? "" : ", ") << plan.source_members[i];
    out << "]}\n";
  }
}

}  // namespace cairn
