#include "cli/sweep_spec.h"

#include <xxhash.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "engine/units.h"

#include "sim/replicates.h"
#include "sim/scenario_yaml.h"

namespace cairn::cli {
namespace {

using Keys = std::vector<std::string>;

const Keys kTopKeys = {"name", "description", "scenario", "replicates", "seed", "set", "grid", "slurm",
                       "nines", "bias", "constraints", "sensitivity"};
const Keys kConstraintKeys = {"min_nines", "max_fill", "max_heal", "budget"};
const Keys kSlurmKeys = {"partition", "time", "mem", "account", "cpus_per_task", "max_array_size", "extra"};

std::string join(const Keys& keys) {
  std::string out;
  for (const std::string& k : keys) out += (out.empty() ? "" : ", ") + k;
  return out;
}

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return "\"" + node.Scalar() + "\"";
}

// The value as one line of flow YAML, for tables and messages.
std::string flow_text(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "~";
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

// The first error of a sweep file, with its file:line:column.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  bool failed() const { return error_.has_value(); }
  Status error() const { return *error_; }
  const std::string& file() const { return file_; }

  void fail(const YAML::Mark& mark, const std::string& key, const std::string& message) {
    if (error_) return;
    const int line = mark.is_null() ? 1 : mark.line + 1, column = mark.is_null() ? 1 : mark.column + 1;
    std::string where = file_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
    if (!key.empty()) where += key + ": ";
    error_ = Status(StatusCode::kInvalidArgument, where + message);
  }

  // Refuses a non-mapping, unknown keys (naming the nearest allowed one)
  // and duplicates; returns each key with its value in file order.
  std::vector<std::pair<YAML::Node, YAML::Node>> entries(const YAML::Node& map, const YAML::Mark& mark,
                                                         const std::string& path, const Keys* allowed) {
    std::vector<std::pair<YAML::Node, YAML::Node>> out;
    if (failed()) return out;
    if (!map.IsMap()) {
      fail(mark, path, "expected a mapping" + (allowed ? " with keys " + join(*allowed) : std::string()) +
                           ", got " + describe(map));
      return out;
    }
    for (auto it = map.begin(); it != map.end() && !failed(); ++it) {
      const YAML::Node& key = it->first;
      const std::string where = path.empty() ? "" : path + ".";
      if (!key.IsScalar()) {
        fail(key.Mark(), path, "keys must be plain words, got " + describe(key));
        break;
      }
      for (const auto& [seen, value] : out)
        if (seen.Scalar() == key.Scalar()) fail(key.Mark(), where + key.Scalar(), "duplicate key");
      if (allowed && std::find(allowed->begin(), allowed->end(), key.Scalar()) == allowed->end()) {
        std::string hint;
        for (const std::string& k : *allowed)
          if (edit_distance(k, key.Scalar()) <= 2) hint = " (did you mean " + k + "?)";
        fail(key.Mark(), where + key.Scalar(),
             "unknown key" + hint + "; allowed keys" + (path.empty() ? "" : " in " + path) + ": " + join(*allowed));
      }
      out.emplace_back(key, it->second);
    }
    return out;
  }

  std::string text(const YAML::Node& value, const YAML::Mark& mark, const std::string& key) {
    if (!failed() && (!value.IsScalar() || value.Scalar().empty())) fail(mark, key, "expected text, got " + describe(value));
    return failed() ? std::string() : value.Scalar();
  }

  uint64_t count(const YAML::Node& value, const YAML::Mark& mark, const std::string& key, uint64_t low,
                 uint64_t high) {
    if (failed()) return 0;
    const std::string s = value.IsScalar() ? value.Scalar() : std::string();
    const bool digits = !s.empty() && s.size() <= 20 && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    errno = 0;
    const unsigned long long n = digits ? std::strtoull(s.c_str(), nullptr, 10) : 0;
    if (!digits || errno == ERANGE || n < low || n > high) {
      fail(mark, key, "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high) +
                          ", got " + describe(value));
      return 0;
    }
    return n;
  }

 private:
  std::string file_;
  std::optional<Status> error_;
};

// "pool.scheme", "tiers[0].pool.scheme": words, each optionally indexed.
bool valid_key_path(const std::string& key) {
  static const std::regex kPath(R"([A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?)*)");
  return std::regex_match(key, kPath);
}

// One key of `set` or `grid`, its values, and where each value is written.
struct Axis {
  std::string key;
  YAML::Mark key_mark;
  std::vector<YAML::Node> values;
  std::vector<YAML::Mark> marks;
  std::string section = "set";  // where a `set` axis was written (sensitivity checks pose as set)
};

std::vector<Axis> read_axes(Reader& r, const YAML::Node& map, const YAML::Mark& mark, const std::string& section,
                            bool lists) {
  std::vector<Axis> axes;
  for (const auto& [key, value] : r.entries(map, mark, section, nullptr)) {
    const std::string path = section + "." + key.Scalar();
    if (!valid_key_path(key.Scalar())) {
      r.fail(key.Mark(), path, "expected a scenario key path like pool.scheme or tiers[0].pool.scheme");
      break;
    }
    Axis axis{key.Scalar(), key.Mark(), {}, {}};
    if (!lists) {
      axis.values.push_back(value);
      axis.marks.push_back(key.Mark());
    } else if (!value.IsSequence() || value.size() == 0) {
      r.fail(key.Mark(), path, "expected a list of one or more values, e.g. [replica:3, ec:8+3], got " + describe(value));
      break;
    } else {
      for (const YAML::Node& v : value) {
        axis.values.push_back(v);
        axis.marks.push_back(v.Mark());
      }
    }
    axes.push_back(std::move(axis));
  }
  return axes;
}

void read_constraints(Reader& r, const YAML::Node& map, const YAML::Mark& mark, sim::Constraints& out) {
  for (const auto& [key, value] : r.entries(map, mark, "constraints", &kConstraintKeys)) {
    const std::string k = key.Scalar(), path = "constraints." + k,
                      text = value.IsScalar() ? value.Scalar() : std::string();
    Result<double> v = Status(StatusCode::kInvalidArgument, "");
    std::string expected;
    if (k == "min_nines") v = parse_number(text), expected = "a number of nines, e.g. 2";
    if (k == "max_fill") v = parse_fraction(text), expected = "a fill such as 85 %";
    if (k == "max_heal") v = parse_duration_s(text), expected = "a duration such as 2000 h or 90 days";
    if (k == "budget") v = parse_number(text), expected = "an amount in the scenario's currency, e.g. 3000000";
    if (!r.failed() && !v) {
      r.fail(key.Mark(), path, "expected " + expected + ", got " + describe(value));
      continue;
    }
    if (k == "min_nines") out.min_nines = *v;
    if (k == "max_fill") out.max_fill = *v;
    if (k == "max_heal") out.max_heal_h = *v / 3600.0;
    if (k == "budget") out.budget = *v;
  }
}

void read_slurm(Reader& r, const YAML::Node& map, const YAML::Mark& mark, SlurmSpec& out) {
  for (const auto& [key, value] : r.entries(map, mark, "slurm", &kSlurmKeys)) {
    const std::string k = key.Scalar(), path = "slurm." + k;
    if (k == "partition") out.partition = r.text(value, key.Mark(), path);
    if (k == "time") out.time = r.text(value, key.Mark(), path);
    if (k == "mem") out.mem = r.text(value, key.Mark(), path);
    if (k == "account") out.account = r.text(value, key.Mark(), path);
    if (k == "cpus_per_task") out.cpus_per_task = static_cast<uint32_t>(r.count(value, key.Mark(), path, 1, 1024));
    if (k == "max_array_size") out.max_array_size = static_cast<uint32_t>(r.count(value, key.Mark(), path, 1, 4'000'000));
    if (k == "extra") {
      if (!value.IsSequence()) r.fail(key.Mark(), path, "expected a list of sbatch options, got " + describe(value));
      for (size_t i = 0; value.IsSequence() && i < value.size(); ++i) {
        std::string option = r.text(value[i], value[i].Mark(), path + "[" + std::to_string(i) + "]");
        if (!r.failed() && option.rfind("--", 0) != 0)
          r.fail(value[i].Mark(), path + "[" + std::to_string(i) + "]", "expected an sbatch option like --qos=long");
        out.extra.push_back(option);
      }
    }
  }
}

// Sets (or, for null, removes) `key` in a scenario document. Missing
// mappings on the way are created; a list item must exist.
std::optional<std::string> set_key(YAML::Node doc, const std::string& key, const YAML::Node& value) {
  static const std::regex kSegment(R"(([A-Za-z_][A-Za-z0-9_]*)(?:\[([0-9]+)\])?)");
  std::vector<std::pair<std::string, std::optional<size_t>>> segments;
  std::stringstream in(key);
  for (std::string part; std::getline(in, part, '.');) {
    std::smatch m;
    std::regex_match(part, m, kSegment);
    segments.emplace_back(m[1].str(), m[2].matched ? std::optional<size_t>(std::stoul(m[2].str())) : std::nullopt);
  }
  YAML::Node cur;
  cur.reset(doc);
  std::string walked;
  for (size_t i = 0; i < segments.size(); ++i) {
    const auto& [name, index] = segments[i];
    const bool last = i + 1 == segments.size();
    if (cur.IsDefined() && !cur.IsNull() && !cur.IsMap())
      return (walked.empty() ? std::string("the scenario") : walked) + " is " + describe(cur) + ", not a mapping";
    walked += (walked.empty() ? "" : ".") + name;
    if (last && !index) {
      if (value.IsNull()) cur.remove(name);
      else cur[name] = YAML::Clone(value);
      return std::nullopt;
    }
    YAML::Node child = cur[name];
    if (index) {
      if (!child.IsSequence() || *index >= child.size())
        return walked + " has no item " + std::to_string(*index) + " in the scenario";
      walked += "[" + std::to_string(*index) + "]";
      if (last) {
        if (value.IsNull()) return "a list item cannot be removed; set the whole list instead";
        child[*index] = YAML::Clone(value);
        return std::nullopt;
      }
      YAML::Node item = child[*index];
      cur.reset(item);
    } else {
      cur.reset(child);
    }
  }
  return std::nullopt;
}

// "variant:12:5: pool.scheme: bad ..." -> ("pool.scheme", "pool.scheme: bad ...").
std::pair<std::string, std::string> scenario_problem(const std::string& message) {
  static const std::regex kLocated(R"(^variant:[0-9]+:[0-9]+: (([^:]*): .*)$)");
  std::smatch m;
  if (std::regex_match(message, m, kLocated)) return {m[2].str(), m[1].str()};
  return {"", message};
}

// Whether sweep key `k` concerns scenario key `problem` (one names the other
// or a part of it).
bool concerns(const std::string& k, const std::string& problem) {
  auto under = [](const std::string& a, const std::string& b) {
    return a == b || (a.size() > b.size() && a.compare(0, b.size(), b) == 0 && (a[b.size()] == '.' || a[b.size()] == '['));
  };
  return !problem.empty() && (under(problem, k) || under(k, problem));
}

std::string id_of(char prefix, size_t i, size_t count, size_t width_min) {
  size_t width = std::max(width_min, std::to_string(count > 0 ? count - 1 : 0).size());
  std::string digits = std::to_string(i);
  return std::string(1, prefix) + std::string(width - std::min(width, digits.size()), '0') + digits;
}

Result<std::string> read_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Status(StatusCode::kNotFound, "no " + what + " " + path);
  if (std::filesystem::file_size(path, ec) > kSweepFileBytesMax)
    return Status(StatusCode::kInvalidArgument, what + " " + path + " is larger than 1 MiB");
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return Status(StatusCode::kInvalidArgument, "cannot read " + what + " " + path);
  return text.str();
}

// The scenario's XXH64, and the base seed from it when the sweep gives none.
void adopt_scenario_hash(SweepSpec& spec, const std::string& scenario_text) {
  char hex[17];
  const uint64_t hash = XXH64(scenario_text.data(), scenario_text.size(), 0);
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  spec.scenario_xxh64 = hex;
  if (!spec.seed_given) spec.base_seed = hash;
}

// Every combination of the grid's values, the last axis fastest; each
// variant's scenario is checked by the scenario reader.
void build_variants(Reader& r, const YAML::Node& base, const std::vector<Axis>& set, const std::vector<Axis>& grid,
                    const YAML::Mark& grid_mark, SweepSpec& spec) {
  size_t count = 1;
  for (const Axis& a : grid) count *= a.values.size();
  std::vector<size_t> at(grid.size(), 0);
  for (size_t v = 0; v < count && !r.failed(); ++v) {
    YAML::Node doc = YAML::Clone(base);
    Variant variant{id_of('v', v, count, 3), {}, {}};
    std::string label;
    auto apply = [&](const Axis& a, size_t i, const std::string& section) {
      if (auto problem = set_key(doc, a.key, a.values[i]))
        r.fail(a.marks[i], section + "." + a.key, *problem);
    };
    for (const Axis& a : set) apply(a, 0, a.section);
    for (size_t g = 0; g < grid.size(); ++g) {
      apply(grid[g], at[g], "grid");
      variant.values.push_back(flow_text(grid[g].values[at[g]]));
      label += (label.empty() ? "" : ", ") + grid[g].key + "=" + variant.values.back();
    }
    if (r.failed()) return;
    YAML::Emitter out;
    out << doc;
    variant.scenario_yaml = std::string(out.c_str()) + "\n";
    Result<sim::Scenario> checked = sim::parse_scenario(variant.scenario_yaml, "variant");
    if (!checked) {
      auto [key, what] = scenario_problem(checked.status().message());
      YAML::Mark mark = grid_mark;
      std::string where = "grid";
      for (size_t g = 0; g < grid.size(); ++g)
        if (concerns(grid[g].key, key)) mark = grid[g].marks[at[g]], where = "grid." + grid[g].key;
      if (where == "grid")
        for (const Axis& a : set)
          if (concerns(a.key, key)) mark = a.marks[0], where = a.section + "." + a.key;
      r.fail(mark, where, "variant " + variant.id + " (" + (label.empty() ? "no grid" : label) +
                              ") is not a valid scenario: " + what);
      return;
    }
    spec.variants.push_back(std::move(variant));
    for (size_t g = grid.size(); g-- > 0;) {
      if (++at[g] < grid[g].values.size()) break;
      at[g] = 0;
    }
  }
}

}  // namespace

SweepTask sweep_task(const SweepSpec& spec, size_t index) {
  SweepTask t;
  t.index = index;
  t.variant = index / spec.replicates;
  t.replicate = static_cast<uint32_t>(index % spec.replicates);
  t.seed = sim::replicate_seed(spec.base_seed, t.replicate);
  t.id = spec.variants[t.variant].id + "-" + id_of('r', t.replicate, spec.replicates, 2);
  return t;
}

Result<SweepSpec> parse_sweep(const std::string& text, const std::string& file_name) {
  Reader r(file_name);
  YAML::Node root;
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(text);
    if (docs.size() != 1) {
      r.fail(YAML::Mark::null_mark(), "", "expected one YAML document, got " + std::to_string(docs.size()));
      return r.error();
    }
    root = docs[0];
  } catch (const YAML::Exception& e) {
    r.fail(e.mark, "", "not valid YAML: " + e.msg);
    return r.error();
  }
  SweepSpec spec;
  spec.sweep_file = file_name;
  spec.name = std::filesystem::path(file_name).stem().string();
  YAML::Node scenario_key, grid_value, set_value, slurm_value, sensitivity_value;
  // a default YAML::Node is a defined null
  bool has_grid = false, has_set = false, has_slurm = false, has_sensitivity = false;
  YAML::Mark grid_mark = YAML::Mark::null_mark(), set_mark = grid_mark, slurm_mark = grid_mark,
             sensitivity_mark = grid_mark;
  for (const auto& [key, value] : r.entries(root, YAML::Mark::null_mark(), "", &kTopKeys)) {
    const std::string& k = key.Scalar();
    if (k == "name") {
      spec.name = r.text(value, key.Mark(), k);
      static const std::regex kName(R"([A-Za-z0-9][A-Za-z0-9._-]{0,99})");
      if (!r.failed() && !std::regex_match(spec.name, kName))
        r.fail(key.Mark(), k, "expected 1-100 letters, digits, '.', '_' or '-', got \"" + spec.name + "\"");
    }
    if (k == "description") r.text(value, key.Mark(), k);
    if (k == "scenario") {
      scenario_key.reset(key);
      spec.scenario_file = r.text(value, key.Mark(), k);
    }
    if (k == "replicates") spec.replicates = static_cast<uint32_t>(r.count(value, key.Mark(), k, 1, kSweepReplicatesMax));
    if (k == "seed") {
      spec.base_seed = r.count(value, key.Mark(), k, 0, UINT64_MAX);
      spec.seed_given = true;
    }
    if (k == "set") set_value.reset(value), set_mark = key.Mark(), has_set = true;
    if (k == "grid") grid_value.reset(value), grid_mark = key.Mark(), has_grid = true;
    if (k == "slurm") slurm_value.reset(value), slurm_mark = key.Mark(), has_slurm = true;
    if (k == "nines") {
      const std::string v = value.IsScalar() ? value.Scalar() : std::string();
      if (v != "true" && v != "false") r.fail(key.Mark(), k, "expected true or false, got " + describe(value));
      spec.nines = v == "true";
    }
    if (k == "bias") {
      Result<double> b = parse_number(value.IsScalar() ? value.Scalar() : std::string());
      if (!b || *b < 1 || *b > 1e6) r.fail(key.Mark(), k, "expected a number from 1 to 1e6, got " + describe(value));
      else spec.bias = *b;
    }
    if (k == "constraints") read_constraints(r, value, key.Mark(), spec.constraints);
    if (k == "sensitivity") sensitivity_value.reset(value), sensitivity_mark = key.Mark(), has_sensitivity = true;
  }
  if (!r.failed() && spec.bias != 1.0 && !spec.nines) r.fail(YAML::Mark::null_mark(), "bias", "needs nines: true");
  if (!r.failed() && spec.scenario_file.empty())
    r.fail(YAML::Mark::null_mark(), "scenario", "required key is missing; expected the scenario file to vary, "
                                                "relative to this file (see sweeps/README.md)");
  if (!r.failed() && !has_grid)
    r.fail(YAML::Mark::null_mark(), "grid", "required key is missing; expected a mapping of scenario keys to lists "
                                            "of values, e.g. pool.scheme: [replica:3, ec:8+3] (see sweeps/README.md)");
  std::vector<Axis> set, grid;
  if (has_set && !r.failed()) set = read_axes(r, set_value, set_mark, "set", false);
  if (!r.failed()) grid = read_axes(r, grid_value, grid_mark, "grid", true);
  if (has_slurm && !r.failed()) read_slurm(r, slurm_value, slurm_mark, spec.slurm);
  std::vector<Axis> sensitivity;
  if (has_sensitivity && !r.failed()) {
    sensitivity = read_axes(r, sensitivity_value, sensitivity_mark, "sensitivity", true);
    for (const Axis& a : sensitivity) {
      if (!r.failed() && a.values.size() != 2)
        r.fail(a.key_mark, "sensitivity." + a.key, "expected [low, high], two values, got " +
                                                       std::to_string(a.values.size()));
      for (const Axis& g : grid)
        if (!r.failed() && concerns(g.key, a.key))
          r.fail(a.key_mark, "sensitivity." + a.key, "also varied in grid." + g.key + "; a key is either varied or "
                                                     "moved for sensitivity");
    }
  }
  for (const Axis& g : grid)
    for (const Axis& s : set)
      if (!r.failed() && concerns(g.key, s.key))
        r.fail(g.key_mark, "grid." + g.key, "also set in set." + s.key + "; a key is either fixed or varied");
  size_t tasks = spec.replicates;
  for (const Axis& g : grid) tasks = std::min(kSweepTasksMax + 1, tasks * g.values.size());
  if (!r.failed() && tasks > kSweepTasksMax)
    r.fail(grid_mark, "grid", "more than " + std::to_string(kSweepTasksMax) + " tasks (variants x replicates)");
  if (r.failed()) return r.error();

  // The scenario, relative to the sweep file, must itself be valid.
  std::filesystem::path scenario(spec.scenario_file);
  if (scenario.is_relative()) scenario = std::filesystem::path(file_name).parent_path() / scenario;
  spec.scenario_file = scenario.lexically_normal().string();
  Result<std::string> base_text = read_file(spec.scenario_file, "scenario");
  if (!base_text) {
    r.fail(scenario_key.Mark(), "scenario", base_text.status().message());
    return r.error();
  }
  if (Result<sim::Scenario> base = sim::parse_scenario(*base_text, spec.scenario_file); !base) return base.status();
  adopt_scenario_hash(spec, *base_text);

  for (const Axis& a : set) spec.set.push_back({a.key, {flow_text(a.values[0])}});
  for (const Axis& a : grid) {
    SweepAxis axis{a.key, {}};
    for (const YAML::Node& v : a.values) axis.values.push_back(flow_text(v));
    spec.grid.push_back(std::move(axis));
  }
  const YAML::Node base = YAML::Load(*base_text);
  build_variants(r, base, set, grid, grid_mark, spec);
  // Each sensitivity value must make valid variants too: nothing runs on a bad file.
  for (const Axis& a : sensitivity) {
    SweepAxis axis{a.key, {}};
    for (size_t i = 0; i < a.values.size() && !r.failed(); ++i) {
      std::vector<Axis> moved = set;
      moved.push_back({a.key, a.key_mark, {a.values[i]}, {a.marks[i]}, "sensitivity"});
      SweepSpec scratch;
      build_variants(r, base, moved, grid, grid_mark, scratch);
      axis.values.push_back(flow_text(a.values[i]));
    }
    spec.sensitivity.push_back(std::move(axis));
  }
  if (r.failed()) return r.error();
  return spec;
}

namespace {

// Rebuilds `spec`'s variants from its scenario file and its set and grid
// (as text), after the caller changed them.
Result<SweepSpec> rebuild(SweepSpec spec) {
  Reader r(spec.sweep_file);
  Result<std::string> base_text = read_file(spec.scenario_file, "scenario");
  if (!base_text) return base_text.status();
  if (Result<sim::Scenario> base = sim::parse_scenario(*base_text, spec.scenario_file); !base) return base.status();
  adopt_scenario_hash(spec, *base_text);
  auto axis_of = [](const SweepAxis& a) {
    Axis axis{a.key, YAML::Mark::null_mark(), {}, {}};
    for (const std::string& v : a.values) {
      axis.values.push_back(YAML::Load(v));
      axis.marks.push_back(YAML::Mark::null_mark());
    }
    return axis;
  };
  std::vector<Axis> set, grid;
  for (const SweepAxis& a : spec.set) set.push_back(axis_of(a));
  for (const SweepAxis& a : spec.grid) grid.push_back(axis_of(a));
  spec.variants.clear();
  build_variants(r, YAML::Load(*base_text), set, grid, YAML::Mark::null_mark(), spec);
  if (r.failed()) return r.error();
  return spec;
}

}  // namespace

Result<SweepSpec> with_set(const SweepSpec& spec, const std::string& key, const std::string& value,
                           const std::string& suffix) {
  SweepSpec out = spec;
  out.name += "-" + suffix;
  out.set.push_back({key, {value}});
  out.sensitivity.clear();
  return rebuild(std::move(out));
}

Result<SweepSpec> with_scenario(const SweepSpec& spec, const std::string& scenario_file) {
  SweepSpec out = spec;
  out.scenario_file = scenario_file;
  return rebuild(std::move(out));
}

Result<SweepSpec> load_sweep(const std::string& path) {
  Result<std::string> text = read_file(path, "sweep file");
  if (!text) return text.status();
  return parse_sweep(*text, path);
}

}  // namespace cairn::cli
