#include "sim/scenario_yaml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <vector>

#include "engine/units.h"

namespace cairn::sim {
namespace {

enum class Need { kOptional, kRequired };
using Keys = std::vector<std::string_view>;

std::string position(std::string_view file, const YAML::Mark& mark) {
  int line = mark.is_null() ? 1 : mark.line + 1;
  int column = mark.is_null() ? 1 : mark.column + 1;
  return std::string(file) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

// "failures.disk.afr" -> "failures.disk"; "a.b[2]" -> "a.b"; "a" -> "".
std::string parent_key(const std::string& key) {
  size_t cut = key.find_last_of(".[");
  return cut == std::string::npos ? std::string() : key.substr(0, cut);
}

// The first error, and where each key was written so that problems found
// after parsing (validate) can point at it.
class Context {
 public:
  explicit Context(std::string_view file) : file_(file) {}

  bool failed() const { return error_.has_value(); }
  Status error() const { return *error_; }

  void fail(const YAML::Mark& mark, std::string_view key, const std::string& message,
            StatusCode code = StatusCode::kInvalidArgument) {
    if (error_) return;
    std::string where = position(file_, mark) + ": ";
    if (!key.empty()) where += std::string(key) + ": ";
    error_ = Status(code, where + message);
  }
  void note(const std::string& key, const YAML::Mark& mark) { marks_.emplace(key, mark); }
  bool written(const std::string& key) const { return marks_.contains(key); }

  // The mark of `key`, else of its nearest written ancestor, else 1:1.
  YAML::Mark locate(std::string key) const {
    for (;;) {
      if (auto it = marks_.find(key); it != marks_.end()) return it->second;
      if (key.empty()) return YAML::Mark::null_mark();
      key = parent_key(key);
    }
  }

 private:
  std::string file_;
  std::optional<Status> error_;
  std::map<std::string, YAML::Mark> marks_;
};

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return "\"" + node.Scalar() + "\"";
}

std::string join(const Keys& keys) {
  std::string out;
  for (std::string_view k : keys) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

// Converts a scalar with `parse` (text -> Result<T>), or says what was expected.
template <class T, class Parse>
bool convert(Context& ctx, const YAML::Node& value, const YAML::Mark& mark, const std::string& key,
             std::string_view expect, Parse parse, T& out) {
  if (ctx.failed()) return false;
  if (!value.IsScalar()) {
    ctx.fail(mark, key, "expected " + std::string(expect) + ", got " + describe(value));
    return false;
  }
  auto result = parse(value.Scalar());
  if (!result) {
    ctx.fail(mark, key, result.status().message());
    return false;
  }
  out = std::move(result).value();
  return true;
}

// One mapping of the scenario: rejects unknown and duplicate keys on
// construction, then reads its keys. After the first error every call is a
// no-op, so readers need not check between reads.
class Section {
 public:
  Section(Context& ctx, const YAML::Node& node, std::string path, const YAML::Mark& mark,
          Keys allowed)
      : ctx_(ctx), path_(std::move(path)), mark_(mark), allowed_(std::move(allowed)) {
    if (ctx_.failed() || !node.IsDefined() || node.IsNull()) return;
    if (!node.IsMap()) {
      ctx_.fail(mark_, path_,
                "expected a mapping with keys " + join(allowed_) + ", got " + describe(node));
      return;
    }
    for (auto it = node.begin(); it != node.end() && !ctx_.failed(); ++it)
      add(it->first, it->second);
  }

  std::string key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  bool has(std::string_view key) const { return find(key) != nullptr; }

  template <class T, class Parse>
  bool read(std::string_view key, Need need, std::string_view expect, Parse parse, T& out) {
    if (ctx_.failed()) return false;
    const Entry* e = find(key);
    if (e == nullptr) {
      if (need == Need::kRequired) missing(key, expect);
      return false;
    }
    return convert(ctx_, e->value, e->key.Mark(), key_path(key), expect, parse, out);
  }

  Section child(std::string_view key, Need need, Keys allowed) {
    const Entry* e = ctx_.failed() ? nullptr : find(key);
    if (e == nullptr) {
      if (need == Need::kRequired) missing(key, "a mapping with keys " + join(allowed));
      return Section(ctx_, YAML::Node(), key_path(key), mark_, std::move(allowed));
    }
    return Section(ctx_, e->value, key_path(key), e->key.Mark(), std::move(allowed));
  }

  // The raw value of `key` (undefined when absent) and where its key is.
  YAML::Node value(std::string_view key) const {
    const Entry* e = find(key);
    return e ? e->value : YAML::Node(YAML::NodeType::Undefined);
  }
  YAML::Mark mark(std::string_view key) const {
    const Entry* e = find(key);
    return e ? e->key.Mark() : mark_;
  }

  // Refuses `key` when present because the current choice does not use it.
  void forbid(std::string_view key, const std::string& why) {
    if (const Entry* e = find(key); e && !ctx_.failed())
      ctx_.fail(e->key.Mark(), key_path(key), "not used here: " + why);
  }
  void missing(std::string_view key, std::string_view expect) {
    ctx_.fail(
        mark_, key_path(key),
        "required key is missing; expected " + std::string(expect) + " (see scenarios/README.md)");
  }
  Context& context() { return ctx_; }

 private:
  struct Entry {
    std::string name;
    YAML::Node key;
    YAML::Node value;
  };

  const Entry* find(std::string_view key) const {
    for (const Entry& e : entries_)
      if (e.name == key) return &e;
    return nullptr;
  }

  void add(const YAML::Node& key, const YAML::Node& value) {
    if (!key.IsScalar()) {
      ctx_.fail(key.Mark(), path_, "keys must be plain words, got " + describe(key));
      return;
    }
    const std::string& name = key.Scalar();
    if (const Entry* first = find(name)) {
      ctx_.fail(
          key.Mark(), key_path(name),
          "duplicate key (first set at line " + std::to_string(first->key.Mark().line + 1) + ")");
      return;
    }
    if (std::find(allowed_.begin(), allowed_.end(), name) == allowed_.end()) {
      std::string hint;
      for (std::string_view k : allowed_)
        if (edit_distance(k, name) <= 2) hint = " (did you mean " + std::string(k) + "?)";
      std::string level = path_.empty() ? "at the top level" : "in " + path_;
      ctx_.fail(key.Mark(), key_path(name),
                "unknown key" + hint + "; allowed keys " + level + ": " + join(allowed_));
      return;
    }
    ctx_.note(key_path(name), key.Mark());
    entries_.push_back({name, key, value});
  }

  Context& ctx_;
  std::string path_;
  YAML::Mark mark_;  // where this mapping's key is: missing keys are reported there
  Keys allowed_;
  std::vector<Entry> entries_;
};

// ---- typed parsers: text -> Result<T> -----------------------------------------

constexpr std::string_view kExpectScheme = R"(a scheme like "replica:3" or "ec:8+3")";
constexpr std::string_view kExpectDomain = "one of disk, node, rack";
constexpr std::string_view kExpectStrategy = "fixed or declustered";
constexpr std::string_view kExpectClass = "hdd or ssd";
constexpr std::string_view kExpectModel = "constant, by_age or weibull";
constexpr std::string_view kExpectIncrement = "auto or a whole number of nodes like 11";
constexpr std::string_view kExpectText = "text";

Result<std::string> as_text(const std::string& t) {
  return t;
}

Result<uint32_t> as_u32(std::string_view t) {
  auto n = parse_count(t);
  if (!n) return n.status();
  if (*n > UINT32_MAX)
    return invalid_argument("expected " + std::string(kExpectCount) + ", got \"" + std::string(t) +
                            "\" (number out of range)");
  return static_cast<uint32_t>(*n);
}

// Sizes and rates held as whole bytes.
Result<uint64_t> whole(Result<double> value, std::string_view expect, std::string_view t) {
  if (!value) return value.status();
  if (*value >= 0x1p64)
    return invalid_argument("expected " + std::string(expect) + ", got \"" + std::string(t) +
                            "\" (too large)");
  return static_cast<uint64_t>(std::round(*value));
}
Result<uint64_t> as_bytes(std::string_view t) {
  return whole(parse_size_bytes(t), kExpectSize, t);
}
Result<uint64_t> as_byte_rate(std::string_view t) {
  return whole(parse_rate_bytes_per_s(t), kExpectRate, t);
}

Result<uint32_t> as_increment(std::string_view t) {
  if (t == "auto") return 0u;
  auto n = as_u32(t);
  if (!n)
    return invalid_argument("expected " + std::string(kExpectIncrement) + ", got \"" +
                            std::string(t) + "\"");
  return n;
}

Result<DiskFailureModel::Kind> as_model(std::string_view t) {
  if (t == "constant") return DiskFailureModel::Kind::kConstant;
  if (t == "by_age") return DiskFailureModel::Kind::kByAge;
  if (t == "weibull") return DiskFailureModel::Kind::kWeibull;
  return invalid_argument("expected " + std::string(kExpectModel) + ", got \"" + std::string(t) +
                          "\"");
}

Result<double> as_years(std::string_view t) {
  auto s = parse_duration_s(t);
  if (!s) return s.status();
  return *s / kSecondsPerYear;
}

const std::string& expect_retention() {
  static const std::string text = [] {
    std::string names;
    for (const RetentionPreset& p : retention_presets()) names += (names.empty() ? "" : ", ") + std::string(p.name);
    return R"(a duration like "15 years", or one of )" + names;
  }();
  return text;
}

// "15 years", or a preset's name ("china-inpatient").
Result<double> as_retention(std::string_view t) {
  for (const RetentionPreset& p : retention_presets())
    if (t == p.name) return p.years * kSecondsPerYear;
  auto s = parse_duration_s(t);
  if (!s) return invalid_argument("expected " + expect_retention() + ", got \"" + std::string(t) + "\"");
  return s;
}

constexpr std::string_view kExpectMoney = "an amount like 3500 (in cost.currency)";
Result<double> as_money(std::string_view t) {
  auto v = parse_number(t);
  if (!v) return invalid_argument("expected " + std::string(kExpectMoney) + ", got \"" + std::string(t) + "\"");
  return v;
}

// ---- the schema, one function per section ------------------------------------

void read_network(Section& networks, std::string_view key, NetworkSpec& n) {
  Section s = networks.child(key, Need::kOptional, {"bandwidth", "latency"});
  s.read("bandwidth", Need::kOptional, kExpectRate, parse_rate_bytes_per_s, n.bytes_per_s);
  s.read("latency", Need::kOptional, kExpectDuration, parse_duration_s, n.latency_s);
}

void read_cluster(Section& root, ClusterSpec& c) {
  Section s =
      root.child("cluster", Need::kRequired, {"racks", "initial_nodes", "node", "networks", "uplinks"});
  s.read("racks", Need::kOptional, kExpectCount, as_u32, c.racks);
  s.read("initial_nodes", Need::kRequired, kExpectCount, as_u32, c.initial_nodes);
  s.read("uplinks", Need::kOptional, kExpectCount, as_u32, c.uplinks);
  Section node = s.child("node", Need::kRequired, {"disks", "disk", "per_file"});
  node.read("disks", Need::kRequired, kExpectCount, as_u32, c.disks_per_node);
  Section disk = node.child("disk", Need::kRequired, {"size", "class", "read", "write", "ops"});
  disk.read("size", Need::kRequired, kExpectSize, as_bytes, c.disk.capacity_bytes);
  disk.read("class", Need::kOptional, kExpectClass, parse_device_class, c.disk.device_class);
  disk.read("read", Need::kOptional, kExpectRate, as_byte_rate, c.disk.read_bytes_per_s);
  disk.read("write", Need::kOptional, kExpectRate, as_byte_rate, c.disk.write_bytes_per_s);
  c.disk.ops_per_s = c.disk.device_class == DeviceClass::kSsd ? kSsdOpsPerS : kHddOpsPerS;
  disk.read("ops", Need::kOptional, kExpectOpsRate, parse_ops_rate, c.disk.ops_per_s);
  Section per_file = node.child("per_file", Need::kOptional, {"heal", "move"});
  per_file.read("heal", Need::kOptional, kExpectDuration, parse_duration_s, c.per_file.heal_s);
  per_file.read("move", Need::kOptional, kExpectDuration, parse_duration_s, c.per_file.move_s);
  Section nets = s.child("networks", Need::kOptional, {"client", "storage", "management"});
  read_network(nets, "client", c.client);
  read_network(nets, "storage", c.storage);
  read_network(nets, "management", c.management);
}

void read_pool(Section& root, PoolScenario& p) {
  Section s = root.child("pool", Need::kRequired,
                         {"scheme", "failure_domain", "strategy", "member_slots_per_disk"});
  s.read("scheme", Need::kRequired, kExpectScheme, Scheme::parse, p.scheme);
  s.read("failure_domain", Need::kOptional, kExpectDomain, parse_failure_domain, p.domain);
  s.read("strategy", Need::kOptional, kExpectStrategy, parse_group_strategy, p.strategy);
  if (p.strategy == GroupStrategy::kFixed)
    s.forbid("member_slots_per_disk", "only a declustered pool has member slots");
  s.read("member_slots_per_disk", Need::kOptional, kExpectCount, as_u32, p.member_slots_per_disk);
}

// `file_sizes: 300 kB` (one size) or a list of {share, size}.
void read_file_sizes(Section& workload, std::vector<FileSizeBucket>& out) {
  YAML::Node node = workload.value("file_sizes");
  if (!node.IsDefined()) return;
  Context& ctx = workload.context();
  std::string key = workload.key_path("file_sizes");
  YAML::Mark mark = workload.mark("file_sizes");
  out.clear();
  if (!node.IsSequence()) {
    FileSizeBucket b{1.0, 0};
    ctx.note(key + "[0]", mark);
    if (convert(ctx, node, mark, key, "a size like \"300 kB\", or a list of {share, size}",
                as_bytes, b.bytes))
      out.push_back(b);
    return;
  }
  for (size_t i = 0; i < node.size() && !ctx.failed(); ++i) {
    std::string item = key + "[" + std::to_string(i) + "]";
    ctx.note(item, node[i].Mark());
    Section s(ctx, node[i], item, node[i].Mark(), {"share", "size"});
    FileSizeBucket b;
    s.read("share", Need::kRequired, kExpectFraction, parse_fraction, b.file_fraction);
    s.read("size", Need::kRequired, kExpectSize, as_bytes, b.bytes);
    out.push_back(b);
  }
}

void read_workload(Section& root, WorkloadSpec& w) {
  Section s = root.child("workload", Need::kRequired,
                         {"initial_data", "first_year_ingest", "annual_growth", "file_sizes", "read_fraction",
                          "retention"});
  s.read("initial_data", Need::kOptional, kExpectSize, parse_size_bytes, w.initial_bytes);
  s.read("first_year_ingest", Need::kRequired, kExpectSize, parse_size_bytes, w.first_year_bytes);
  s.read("annual_growth", Need::kOptional, kExpectFraction, parse_fraction, w.annual_growth);
  read_file_sizes(s, w.file_sizes);
  s.read("read_fraction", Need::kOptional, kExpectFraction, parse_fraction, w.read_fraction);
  s.read("retention", Need::kOptional, expect_retention(), as_retention, w.retention_s);
}

void read_afr_by_age(Section& disk, std::vector<double>& out) {
  YAML::Node node = disk.value("afr_by_age");
  Context& ctx = disk.context();
  std::string key = disk.key_path("afr_by_age");
  if (!node.IsSequence()) {
    ctx.fail(disk.mark("afr_by_age"), key,
             "expected a list of yearly rates like [1 %, 1.5 %, 3 %], got " + describe(node));
    return;
  }
  out.clear();
  for (size_t i = 0; i < node.size() && !ctx.failed(); ++i) {
    std::string item = key + "[" + std::to_string(i) + "]";
    ctx.note(item, node[i].Mark());
    double afr = 0;
    if (convert(ctx, node[i], node[i].Mark(), item, kExpectFraction, parse_fraction, afr))
      out.push_back(afr);
  }
}

void read_disk_failures(Section& failures, DiskFailureModel& d) {
  using Kind = DiskFailureModel::Kind;
  Section s = failures.child("disk", Need::kOptional,
                             {"model", "afr", "afr_by_age", "weibull_shape", "weibull_scale"});
  s.read("model", Need::kOptional, kExpectModel, as_model, d.kind);
  std::string model = "model is " + std::string(d.kind == Kind::kConstant ? "constant"
                                                : d.kind == Kind::kByAge  ? "by_age"
                                                                          : "weibull");
  if (d.kind != Kind::kConstant) s.forbid("afr", "only model: constant uses it (" + model + ")");
  if (d.kind != Kind::kByAge) s.forbid("afr_by_age", "only model: by_age uses it (" + model + ")");
  if (d.kind != Kind::kWeibull) {
    s.forbid("weibull_shape", "only model: weibull uses it (" + model + ")");
    s.forbid("weibull_scale", "only model: weibull uses it (" + model + ")");
  }
  switch (d.kind) {
    case Kind::kConstant:
      s.read("afr", Need::kOptional, kExpectFraction, parse_fraction, d.afr);
      break;
    case Kind::kByAge:
      if (!s.has("afr_by_age")) s.missing("afr_by_age", "a list of yearly rates like [1 %, 3 %]");
      if (!s.context().failed()) read_afr_by_age(s, d.afr_by_age_year);
      break;
    case Kind::kWeibull:
      s.read("weibull_shape", Need::kRequired, kExpectNumber, parse_number, d.weibull_shape);
      s.read("weibull_scale", Need::kRequired, kExpectDuration, as_years, d.weibull_scale_years);
      break;
  }
}

void read_failures(Section& root, FailureSpec& f) {
  Section s = root.child("failures", Need::kOptional,
                         {"disk", "node_outages", "node_losses", "latent_errors", "racks", "switches", "batches"});
  read_disk_failures(s, f.disk);
  Section outages = s.child("node_outages", Need::kOptional, {"per_node_year", "duration"});
  outages.read("per_node_year", Need::kOptional, kExpectNumber, parse_number,
               f.node_outages_per_node_year);
  outages.read("duration", Need::kOptional, kExpectDuration, parse_duration_s,
               f.node_outage_duration_s);
  Section losses = s.child("node_losses", Need::kOptional, {"per_node_year"});
  losses.read("per_node_year", Need::kOptional, kExpectNumber, parse_number,
              f.node_losses_per_node_year);
  Section racks = s.child("racks", Need::kOptional, {"per_rack_year", "duration", "permanent"});
  racks.read("per_rack_year", Need::kOptional, kExpectNumber, parse_number, f.rack_events_per_rack_year);
  racks.read("duration", Need::kOptional, kExpectDuration, parse_duration_s, f.rack_event_duration_s);
  racks.read("permanent", Need::kOptional, kExpectFraction, parse_fraction, f.rack_event_permanent);
  Section switches = s.child("switches", Need::kOptional, {"per_switch_year", "duration"});
  switches.read("per_switch_year", Need::kOptional, kExpectNumber, parse_number, f.switch_failures_per_switch_year);
  switches.read("duration", Need::kOptional, kExpectDuration, parse_duration_s, f.switch_repair_s);
  Section batches = s.child("batches", Need::kOptional, {"bad_share", "afr_factor"});
  batches.read("bad_share", Need::kOptional, kExpectFraction, parse_fraction, f.bad_batch_share);
  batches.read("afr_factor", Need::kOptional, kExpectNumber, parse_number, f.bad_batch_afr_factor);
  Section latent = s.child("latent_errors", Need::kOptional, {"per_disk_year"});
  latent.read("per_disk_year", Need::kOptional, kExpectNumber, parse_number, f.latent_errors_per_disk_year);
}

void read_heal(Section& root, HealSpec& h) {
  Section s = root.child("heal", Need::kOptional,
                         {"detection_delay", "replacement_delay", "bandwidth_per_disk",
                          "bandwidth_per_node", "max_concurrent", "scrub"});
  s.read("detection_delay", Need::kOptional, kExpectDuration, parse_duration_s,
         h.detection_delay_s);
  s.read("replacement_delay", Need::kOptional, kExpectDuration, parse_duration_s,
         h.replacement_delay_s);
  s.read("bandwidth_per_disk", Need::kOptional, kExpectRate, parse_rate_bytes_per_s,
         h.bytes_per_s_per_disk);
  s.read("bandwidth_per_node", Need::kOptional, kExpectRate, parse_rate_bytes_per_s,
         h.bytes_per_s_per_node);
  s.read("max_concurrent", Need::kOptional, kExpectCount, as_u32, h.max_concurrent_heals);
  Section scrub = s.child("scrub", Need::kOptional, {"interval", "bandwidth_per_node"});
  scrub.read("interval", Need::kOptional, kExpectDuration, parse_duration_s, h.scrub_interval_s);
  scrub.read("bandwidth_per_node", Need::kOptional, kExpectRate, parse_rate_bytes_per_s, h.scrub_bytes_per_s_per_node);
}

void read_procurement(Section& root, ProcurementSpec& p) {
  Section s = root.child(
      "procurement", Need::kOptional,
      {"fill_threshold", "lead_time", "increment_nodes", "max_nodes", "rebalance_bandwidth", "refresh"});
  s.read("fill_threshold", Need::kOptional, kExpectFraction, parse_fraction, p.fill_threshold);
  s.read("lead_time", Need::kOptional, kExpectDuration, parse_duration_s, p.lead_time_s);
  s.read("increment_nodes", Need::kOptional, kExpectIncrement, as_increment, p.increment_nodes);
  s.read("max_nodes", Need::kOptional, kExpectCount, as_u32, p.max_nodes);
  s.read("rebalance_bandwidth", Need::kOptional, kExpectRate, parse_rate_bytes_per_s,
         p.rebalance_bytes_per_s);
  Section refresh = s.child("refresh", Need::kOptional, {"age", "disk_size_growth"});
  refresh.read("age", Need::kOptional, kExpectDuration, parse_duration_s, p.refresh.age_s);
  refresh.read("disk_size_growth", Need::kOptional, kExpectFraction, parse_fraction, p.refresh.disk_size_growth);
}

void read_price_shocks(Section& cost, std::vector<PriceShock>& out) {
  YAML::Node node = cost.value("disk_price_shocks");
  if (!node.IsDefined()) return;
  Context& ctx = cost.context();
  std::string key = cost.key_path("disk_price_shocks");
  if (!node.IsSequence()) {
    ctx.fail(cost.mark("disk_price_shocks"), key,
             "expected a list like [{ year: 3, change: +30 % }], got " + describe(node));
    return;
  }
  out.clear();
  for (size_t i = 0; i < node.size() && !ctx.failed(); ++i) {
    std::string item = key + "[" + std::to_string(i) + "]";
    ctx.note(item, node[i].Mark());
    Section s(ctx, node[i], item, node[i].Mark(), {"year", "change"});
    PriceShock shock;
    s.read("year", Need::kRequired, kExpectCount, as_u32, shock.year);
    s.read("change", Need::kRequired, kExpectChange, parse_change, shock.change);
    out.push_back(shock);
  }
}

void read_cost(Section& root, CostSpec& k) {
  Section s = root.child("cost", Need::kOptional,
                         {"currency", "node", "disk_per_tb", "disk_price_trend", "disk_price_shocks", "switch",
                          "switches_per_rack", "rack", "space_per_rack_year", "power", "support"});
  s.read("currency", Need::kOptional, kExpectText, as_text, k.currency);
  s.read("node", Need::kOptional, kExpectMoney, as_money, k.node);
  Section per_tb = s.child("disk_per_tb", Need::kOptional, {"hdd", "ssd"});
  per_tb.read("hdd", Need::kOptional, kExpectMoney, as_money, k.disk_per_tb_hdd);
  per_tb.read("ssd", Need::kOptional, kExpectMoney, as_money, k.disk_per_tb_ssd);
  s.read("disk_price_trend", Need::kOptional, kExpectChange, parse_change, k.disk_price_trend);
  read_price_shocks(s, k.disk_price_shocks);
  s.read("switch", Need::kOptional, kExpectMoney, as_money, k.switch_price);
  s.read("switches_per_rack", Need::kOptional, kExpectCount, as_u32, k.switches_per_rack);
  s.read("rack", Need::kOptional, kExpectMoney, as_money, k.rack);
  s.read("space_per_rack_year", Need::kOptional, kExpectMoney, as_money, k.space_per_rack_year);
  Section power = s.child("power", Need::kOptional, {"disk_watts", "node_watts", "pue", "price_per_kwh", "trend"});
  Section disk_watts = power.child("disk_watts", Need::kOptional, {"hdd", "ssd"});
  disk_watts.read("hdd", Need::kOptional, kExpectWatts, parse_watts, k.disk_watts_hdd);
  disk_watts.read("ssd", Need::kOptional, kExpectWatts, parse_watts, k.disk_watts_ssd);
  power.read("node_watts", Need::kOptional, kExpectWatts, parse_watts, k.node_watts);
  power.read("pue", Need::kOptional, kExpectNumber, parse_number, k.pue);
  power.read("price_per_kwh", Need::kOptional, kExpectMoney, as_money, k.price_per_kwh);
  power.read("trend", Need::kOptional, kExpectChange, parse_change, k.power_price_trend);
  s.read("support", Need::kOptional, kExpectFraction, parse_fraction, k.support);
}

constexpr std::string_view kExpectEvents =
    "a list of events, each like { at: 5 years, kind: lose_rack, rack: 2 }";
constexpr std::string_view kExpectNodeList = "a list of node indexes like [4, 5]";
constexpr std::array<std::string_view, 6> kEventKeys = {"node",  "disk",  "duration",
                                                        "rack", "count", "nodes"};

void read_node_list(Section& event, std::vector<uint32_t>& out) {
  YAML::Node node = event.value("nodes");
  Context& ctx = event.context();
  std::string key = event.key_path("nodes");
  if (!node.IsSequence()) {
    ctx.fail(event.mark("nodes"), key,
             "expected " + std::string(kExpectNodeList) + ", got " + describe(node));
    return;
  }
  out.clear();
  for (size_t i = 0; i < node.size() && !ctx.failed(); ++i) {
    std::string item = key + "[" + std::to_string(i) + "]";
    ctx.note(item, node[i].Mark());
    uint32_t n = 0;
    if (convert(ctx, node[i], node[i].Mark(), item, kExpectCount, as_u32, n)) out.push_back(n);
  }
}

// One event: at and kind, then the keys of that kind and no other.
void read_event(Context& ctx, const YAML::Node& node, const std::string& key, ScenarioEvent& e) {
  Keys allowed = {"at", "kind"};
  allowed.insert(allowed.end(), kEventKeys.begin(), kEventKeys.end());
  Section s(ctx, node, key, node.Mark(), std::move(allowed));
  s.read("at", Need::kRequired, kExpectDuration, parse_duration_s, e.at_s);
  s.read("kind", Need::kRequired, kExpectEventKind, parse_event_kind, e.kind);
  if (ctx.failed()) return;
  const Keys used = event_keys(e.kind);
  const std::string uses = "kind " + std::string(to_string(e.kind)) + " uses " + join(used);
  for (std::string_view k : kEventKeys)
    if (std::find(used.begin(), used.end(), k) == used.end()) s.forbid(k, uses);
  for (std::string_view k : used) {
    const Need need = event_key_optional(e.kind, k) ? Need::kOptional : Need::kRequired;
    if (k == "node") s.read(k, need, kExpectCount, as_u32, e.node);
    if (k == "disk") s.read(k, need, "a disk slot like 0", as_u32, e.disk);
    if (k == "rack") s.read(k, need, kExpectCount, as_u32, e.rack);
    if (k == "count") s.read(k, need, kExpectCount, as_u32, e.count);
    if (k == "duration") {
      double d = 0;
      if (s.read(k, need, kExpectDuration, parse_duration_s, d)) e.duration_s = d;
    }
    if (k == "nodes") {
      if (!s.has("nodes")) s.missing("nodes", kExpectNodeList);
      if (!ctx.failed()) read_node_list(s, e.nodes);
    }
  }
}

// `events:` a list of events in time order (scenario_events.h); find_problem
// checks times and indexes.
void read_events(Section& root, std::vector<ScenarioEvent>& out) {
  YAML::Node node = root.value("events");
  if (!node.IsDefined() || node.IsNull()) return;
  Context& ctx = root.context();
  if (!node.IsSequence()) {
    ctx.fail(root.mark("events"), "events",
             "expected " + std::string(kExpectEvents) + ", got " + describe(node));
    return;
  }
  if (node.size() > kMaxEvents) {
    ctx.fail(root.mark("events"), "events",
             "must list at most " + std::to_string(kMaxEvents) + " events, got " +
                 std::to_string(node.size()));
    return;
  }
  for (size_t i = 0; i < node.size() && !ctx.failed(); ++i) {
    std::string item = "events[" + std::to_string(i) + "]";
    ctx.note(item, node[i].Mark());
    ScenarioEvent e;
    read_event(ctx, node[i], item, e);
    out.push_back(std::move(e));
  }
}

// `tiers:` — each tier's sections start from the scenario's own (read
// before), so a tier gives only what differs.
void read_tiers(Section& root, Scenario& s) {
  YAML::Node node = root.value("tiers");
  if (!node.IsDefined() || node.IsNull()) return;
  Context& ctx = root.context();
  constexpr std::string_view kExpectTiers = "a list of tiers, each like { name: hot, until: 6 months, reads: 90 % }";
  if (!node.IsSequence()) {
    ctx.fail(root.mark("tiers"), "tiers", "expected " + std::string(kExpectTiers) + ", got " + describe(node));
    return;
  }
  if (node.size() > kMaxTiers) {
    ctx.fail(root.mark("tiers"), "tiers",
             "must list at most " + std::to_string(kMaxTiers) + " tiers, got " + std::to_string(node.size()));
    return;
  }
  for (size_t i = 0; i < node.size() && !ctx.failed(); ++i) {
    std::string item = "tiers[" + std::to_string(i) + "]";
    ctx.note(item, node[i].Mark());
    Section t(ctx, node[i], item, node[i].Mark(),
              {"name", "until", "reads", "cluster", "pool", "heal", "procurement"});
    if (!ctx.failed() && !node[i].IsMap()) {
      ctx.fail(node[i].Mark(), item, "expected " + std::string(kExpectTiers) + ", got " + describe(node[i]));
      return;
    }
    TierSpec tier;
    t.read("name", Need::kRequired, kExpectText, as_text, tier.name);
    t.read("until", Need::kOptional, kExpectDuration, parse_duration_s, tier.until_s);
    t.read("reads", Need::kRequired, kExpectFraction, parse_fraction, tier.read_share);
    if (t.has("cluster")) read_cluster(t, tier.cluster.emplace(s.cluster));
    if (t.has("pool")) read_pool(t, tier.pool.emplace(s.pool));
    if (t.has("heal")) read_heal(t, tier.heal.emplace(s.heal));
    if (t.has("procurement")) read_procurement(t, tier.procurement.emplace(s.procurement));
    s.tiers.push_back(std::move(tier));
  }
}

void read_scenario(Context& ctx, const YAML::Node& root, Scenario& s) {
  Section top(ctx, root, "", YAML::Mark::null_mark(),
              {"name", "description", "horizon", "seed", "cluster", "pool", "workload", "failures",
               "heal", "procurement", "cost", "events", "tiers"});
  top.read("name", Need::kOptional, kExpectText, as_text, s.name);
  top.read("description", Need::kOptional, kExpectText, as_text, s.description);
  top.read("horizon", Need::kOptional, kExpectDuration, as_years, s.horizon_years);
  top.read("seed", Need::kOptional, kExpectCount, parse_count, s.seed);
  read_cluster(top, s.cluster);
  read_pool(top, s.pool);
  read_workload(top, s.workload);
  read_failures(top, s.failures);
  read_heal(top, s.heal);
  read_procurement(top, s.procurement);
  read_cost(top, s.cost);
  read_events(top, s.events);
  read_tiers(top, s);
}

// The block-mapping keys enclosing 0-based `line`, judged by indentation
// alone ("failures.disk"); a hint for syntax errors, when the tree is unknown.
std::string keys_enclosing(std::string_view text, int line) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::string path;
  size_t limit = SIZE_MAX;
  for (int i = std::min<int>(line, static_cast<int>(lines.size()) - 1); i >= 0 && limit > 0; --i) {
    std::string_view l = lines[static_cast<size_t>(i)];
    size_t indent = l.find_first_not_of(' ');
    if (indent == std::string_view::npos || indent >= limit) continue;
    size_t end = indent;
    while (end < l.size() && (std::isalnum(static_cast<unsigned char>(l[end])) || l[end] == '_'))
      ++end;
    if (end == indent || end >= l.size() || l[end] != ':') continue;
    std::string key(l.substr(indent, end - indent));
    path = path.empty() ? key : key + "." + path;
    limit = indent;
  }
  return path;
}

// ---- writing -------------------------------------------------------------------

void emit_network(YAML::Emitter& out, const char* key, const NetworkSpec& n) {
  out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "bandwidth" << YAML::Value << format_bit_rate(n.bytes_per_s);
  out << YAML::Key << "latency" << YAML::Value << format_duration(n.latency_s);
  out << YAML::EndMap;
}

void emit_cluster(YAML::Emitter& out, const ClusterSpec& c) {
  const DiskModel& d = c.disk;
  out << YAML::Key << "cluster" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "racks" << YAML::Value << std::to_string(c.racks);
  out << YAML::Key << "initial_nodes" << YAML::Value << std::to_string(c.initial_nodes);
  out << YAML::Key << "uplinks" << YAML::Value << std::to_string(c.uplinks);
  out << YAML::Key << "node" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "disks" << YAML::Value << std::to_string(c.disks_per_node);
  out << YAML::Key << "disk" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "size" << YAML::Value << format_size(static_cast<double>(d.capacity_bytes));
  out << YAML::Key << "class" << YAML::Value << to_string(d.device_class);
  out << YAML::Key << "read" << YAML::Value << format_rate(static_cast<double>(d.read_bytes_per_s));
  out << YAML::Key << "write" << YAML::Value
      << format_rate(static_cast<double>(d.write_bytes_per_s));
  out << YAML::Key << "ops" << YAML::Value << format_ops_rate(d.ops_per_s);
  out << YAML::EndMap;
  out << YAML::Key << "per_file" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "heal" << YAML::Value << format_duration(c.per_file.heal_s);
  out << YAML::Key << "move" << YAML::Value << format_duration(c.per_file.move_s);
  out << YAML::EndMap << YAML::EndMap;
  out << YAML::Key << "networks" << YAML::Value << YAML::BeginMap;
  emit_network(out, "client", c.client);
  emit_network(out, "storage", c.storage);
  emit_network(out, "management", c.management);
  out << YAML::EndMap << YAML::EndMap;
}

void emit_pool(YAML::Emitter& out, const PoolScenario& p) {
  out << YAML::Key << "pool" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "scheme" << YAML::Value << p.scheme.to_string();
  out << YAML::Key << "failure_domain" << YAML::Value << to_string(p.domain);
  out << YAML::Key << "strategy" << YAML::Value << to_string(p.strategy);
  if (p.strategy == GroupStrategy::kDeclustered)
    out << YAML::Key << "member_slots_per_disk" << YAML::Value
        << std::to_string(p.member_slots_per_disk);
  out << YAML::EndMap;
}

void emit_pool_and_workload(YAML::Emitter& out, const PoolScenario& p, const WorkloadSpec& w) {
  emit_pool(out, p);
  out << YAML::Key << "workload" << YAML::Value << YAML::BeginMap;
  if (w.initial_bytes > 0) out << YAML::Key << "initial_data" << YAML::Value << format_size(w.initial_bytes);
  out << YAML::Key << "first_year_ingest" << YAML::Value << format_size(w.first_year_bytes);
  out << YAML::Key << "annual_growth" << YAML::Value << format_fraction(w.annual_growth);
  out << YAML::Key << "file_sizes" << YAML::Value << YAML::BeginSeq;
  for (const FileSizeBucket& b : w.file_sizes) {
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "share" << YAML::Value << format_fraction(b.file_fraction);
    out << YAML::Key << "size" << YAML::Value << format_size(static_cast<double>(b.bytes));
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "read_fraction" << YAML::Value << format_fraction(w.read_fraction);
  if (w.retention_s > 0) out << YAML::Key << "retention" << YAML::Value << format_duration(w.retention_s);
  out << YAML::EndMap;
}

void emit_failures(YAML::Emitter& out, const FailureSpec& f) {
  using Kind = DiskFailureModel::Kind;
  const DiskFailureModel& d = f.disk;
  out << YAML::Key << "failures" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "disk" << YAML::Value << YAML::BeginMap;
  switch (d.kind) {
    case Kind::kConstant:
      out << YAML::Key << "model" << YAML::Value << "constant";
      out << YAML::Key << "afr" << YAML::Value << format_fraction(d.afr);
      break;
    case Kind::kByAge:
      out << YAML::Key << "model" << YAML::Value << "by_age";
      out << YAML::Key << "afr_by_age" << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (double afr : d.afr_by_age_year) out << format_fraction(afr);
      out << YAML::EndSeq;
      break;
    case Kind::kWeibull:
      out << YAML::Key << "model" << YAML::Value << "weibull";
      out << YAML::Key << "weibull_shape" << YAML::Value << format_number(d.weibull_shape);
      out << YAML::Key << "weibull_scale" << YAML::Value
          << format_duration(d.weibull_scale_years * kSecondsPerYear);
      break;
  }
  out << YAML::EndMap;
  out << YAML::Key << "node_outages" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "per_node_year" << YAML::Value << format_number(f.node_outages_per_node_year);
  out << YAML::Key << "duration" << YAML::Value << format_duration(f.node_outage_duration_s);
  out << YAML::EndMap;
  out << YAML::Key << "node_losses" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "per_node_year" << YAML::Value << format_number(f.node_losses_per_node_year);
  out << YAML::EndMap;
  if (f.rack_events_per_rack_year > 0) {
    out << YAML::Key << "racks" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "per_rack_year" << YAML::Value << format_number(f.rack_events_per_rack_year);
    out << YAML::Key << "duration" << YAML::Value << format_duration(f.rack_event_duration_s);
    out << YAML::Key << "permanent" << YAML::Value << format_fraction(f.rack_event_permanent);
    out << YAML::EndMap;
  }
  if (f.switch_failures_per_switch_year > 0) {
    out << YAML::Key << "switches" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "per_switch_year" << YAML::Value << format_number(f.switch_failures_per_switch_year);
    out << YAML::Key << "duration" << YAML::Value << format_duration(f.switch_repair_s);
    out << YAML::EndMap;
  }
  if (f.bad_batch_share > 0) {
    out << YAML::Key << "batches" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "bad_share" << YAML::Value << format_fraction(f.bad_batch_share);
    out << YAML::Key << "afr_factor" << YAML::Value << format_number(f.bad_batch_afr_factor);
    out << YAML::EndMap;
  }
  if (f.latent_errors_per_disk_year > 0) {
    out << YAML::Key << "latent_errors" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "per_disk_year" << YAML::Value << format_number(f.latent_errors_per_disk_year);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void emit_heal(YAML::Emitter& out, const HealSpec& h) {
  out << YAML::Key << "heal" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "detection_delay" << YAML::Value << format_duration(h.detection_delay_s);
  out << YAML::Key << "replacement_delay" << YAML::Value << format_duration(h.replacement_delay_s);
  out << YAML::Key << "bandwidth_per_disk" << YAML::Value << format_rate(h.bytes_per_s_per_disk);
  out << YAML::Key << "bandwidth_per_node" << YAML::Value << format_rate(h.bytes_per_s_per_node);
  out << YAML::Key << "max_concurrent" << YAML::Value << std::to_string(h.max_concurrent_heals);
  out << YAML::Key << "scrub" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "interval" << YAML::Value << format_duration(h.scrub_interval_s);
  out << YAML::Key << "bandwidth_per_node" << YAML::Value << format_rate(h.scrub_bytes_per_s_per_node);
  out << YAML::EndMap;
  out << YAML::EndMap;
}

void emit_procurement(YAML::Emitter& out, const ProcurementSpec& p) {
  out << YAML::Key << "procurement" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "fill_threshold" << YAML::Value << format_fraction(p.fill_threshold);
  out << YAML::Key << "lead_time" << YAML::Value << format_duration(p.lead_time_s);
  out << YAML::Key << "increment_nodes" << YAML::Value
      << (p.increment_nodes == 0 ? std::string("auto") : std::to_string(p.increment_nodes));
  out << YAML::Key << "max_nodes" << YAML::Value << std::to_string(p.max_nodes);
  out << YAML::Key << "rebalance_bandwidth" << YAML::Value << format_rate(p.rebalance_bytes_per_s);
  if (p.refresh.age_s > 0 || p.refresh.disk_size_growth > 0) {
    out << YAML::Key << "refresh" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "age" << YAML::Value << format_duration(p.refresh.age_s);
    out << YAML::Key << "disk_size_growth" << YAML::Value << format_fraction(p.refresh.disk_size_growth);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void emit_cost(YAML::Emitter& out, const CostSpec& k) {
  auto pair = [&](const char* key, double hdd, double ssd, auto format) {
    out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "hdd" << YAML::Value << format(hdd);
    out << YAML::Key << "ssd" << YAML::Value << format(ssd);
    out << YAML::EndMap;
  };
  out << YAML::Key << "cost" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "currency" << YAML::Value << k.currency;
  out << YAML::Key << "node" << YAML::Value << format_number(k.node);
  pair("disk_per_tb", k.disk_per_tb_hdd, k.disk_per_tb_ssd, format_number);
  out << YAML::Key << "disk_price_trend" << YAML::Value << format_change(k.disk_price_trend);
  if (!k.disk_price_shocks.empty()) {
    out << YAML::Key << "disk_price_shocks" << YAML::Value << YAML::BeginSeq;
    for (const PriceShock& shock : k.disk_price_shocks) {
      out << YAML::Flow << YAML::BeginMap;
      out << YAML::Key << "year" << YAML::Value << std::to_string(shock.year);
      out << YAML::Key << "change" << YAML::Value << format_change(shock.change);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::Key << "switch" << YAML::Value << format_number(k.switch_price);
  out << YAML::Key << "switches_per_rack" << YAML::Value << std::to_string(k.switches_per_rack);
  out << YAML::Key << "rack" << YAML::Value << format_number(k.rack);
  out << YAML::Key << "space_per_rack_year" << YAML::Value << format_number(k.space_per_rack_year);
  out << YAML::Key << "power" << YAML::Value << YAML::BeginMap;
  pair("disk_watts", k.disk_watts_hdd, k.disk_watts_ssd, format_watts);
  out << YAML::Key << "node_watts" << YAML::Value << format_watts(k.node_watts);
  out << YAML::Key << "pue" << YAML::Value << format_number(k.pue);
  out << YAML::Key << "price_per_kwh" << YAML::Value << format_number(k.price_per_kwh);
  out << YAML::Key << "trend" << YAML::Value << format_change(k.power_price_trend);
  out << YAML::EndMap;
  out << YAML::Key << "support" << YAML::Value << format_fraction(k.support);
  out << YAML::EndMap;
}

void emit_events(YAML::Emitter& out, const std::vector<ScenarioEvent>& events) {
  if (events.empty()) return;
  out << YAML::Key << "events" << YAML::Value << YAML::BeginSeq;
  for (const ScenarioEvent& e : events) {
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "at" << YAML::Value << format_duration(e.at_s);
    out << YAML::Key << "kind" << YAML::Value << std::string(to_string(e.kind));
    for (std::string_view k : event_keys(e.kind)) {
      std::string key(k);
      if (k == "node") out << YAML::Key << key << YAML::Value << std::to_string(e.node);
      if (k == "disk") out << YAML::Key << key << YAML::Value << std::to_string(e.disk);
      if (k == "rack") out << YAML::Key << key << YAML::Value << std::to_string(e.rack);
      if (k == "count") out << YAML::Key << key << YAML::Value << std::to_string(e.count);
      if (k == "duration" && e.duration_s)
        out << YAML::Key << key << YAML::Value << format_duration(*e.duration_s);
      if (k == "nodes") {
        out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (uint32_t n : e.nodes) out << std::to_string(n);
        out << YAML::EndSeq;
      }
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

// The position of the last '[' or '{' before byte `end` that is not closed
// by then, skipping comments and quoted text: an unclosed flow collection is
// reported by yaml-cpp where it gave up, often lines later.
std::optional<YAML::Mark> unclosed_flow(std::string_view text, size_t end) {
  std::vector<YAML::Mark> open;
  YAML::Mark here;
  char quote = 0;
  bool comment = false;
  for (size_t i = 0; i < std::min(end, text.size()); ++i) {
    char c = text[i];
    if (c == '\n') {
      comment = false;
      ++here.line;
      here.column = 0;
      continue;
    }
    if (comment) {
    } else if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '#' && (here.column == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
      comment = true;
    } else if ((c == '"' || c == '\'') &&
               (here.column == 0 ||
                std::string_view(" \t[{,:").find(text[i - 1]) != std::string_view::npos)) {
      quote = c;  // a quote opens a scalar only where a scalar may start, not in "hospital's"
    } else if (c == '[' || c == '{') {
      open.push_back(here);
    } else if ((c == ']' || c == '}') && !open.empty()) {
      open.pop_back();
    }
    ++here.column;
  }
  if (open.empty()) return std::nullopt;
  return open.back();
}

}  // namespace

std::string to_yaml(const Scenario& s) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << s.name;
  if (!s.description.empty()) out << YAML::Key << "description" << YAML::Value << s.description;
  out << YAML::Key << "horizon" << YAML::Value
      << format_duration(s.horizon_years * kSecondsPerYear);
  out << YAML::Key << "seed" << YAML::Value << std::to_string(s.seed);
  emit_cluster(out, s.cluster);
  emit_pool_and_workload(out, s.pool, s.workload);
  emit_failures(out, s.failures);
  emit_heal(out, s.heal);
  emit_procurement(out, s.procurement);
  emit_cost(out, s.cost);
  emit_events(out, s.events);
  if (!s.tiers.empty()) {
    out << YAML::Key << "tiers" << YAML::Value << YAML::BeginSeq;
    for (const TierSpec& t : s.tiers) {
      out << YAML::BeginMap;
      out << YAML::Key << "name" << YAML::Value << t.name;
      if (t.until_s > 0) out << YAML::Key << "until" << YAML::Value << format_duration(t.until_s);
      out << YAML::Key << "reads" << YAML::Value << format_fraction(t.read_share);
      if (t.cluster) emit_cluster(out, *t.cluster);
      if (t.pool) emit_pool(out, *t.pool);
      if (t.heal) emit_heal(out, *t.heal);
      if (t.procurement) emit_procurement(out, *t.procurement);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

Result<Scenario> parse_scenario(std::string_view yaml_text, std::string_view file_name) {
  Context ctx(file_name);
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(yaml_text));
  } catch (const YAML::ParserException& e) {
    YAML::Mark mark = e.mark;
    std::string message = "YAML syntax error: " + e.msg;
    if (e.msg.find("flow") != std::string::npos && !mark.is_null()) {
      if (auto open = unclosed_flow(yaml_text, static_cast<size_t>(mark.pos))) {
        message += " (the bracket here is never closed; the parser gave up at line " +
                   std::to_string(mark.line + 1) + ")";
        mark = *open;
      }
    }
    std::string near = keys_enclosing(yaml_text, mark.line);
    ctx.fail(mark, near.empty() ? "" : "near " + near, message);
    return ctx.error();
  }
  if (documents.size() > 1) {
    ctx.fail(
        documents[1].Mark(), "",
        "one scenario per file, found " + std::to_string(documents.size()) + " YAML documents");
    return ctx.error();
  }
  YAML::Node root = documents.empty() ? YAML::Node() : documents[0];
  if (!root.IsMap()) {
    ctx.fail(root.Mark(), "",
             "expected a scenario (a mapping with keys cluster, pool, "
             "workload, ...), got " +
                 describe(root));
    return ctx.error();
  }
  Scenario scenario;
  try {
    read_scenario(ctx, root, scenario);
  } catch (const YAML::Exception& e) {  // not expected: reads check node types first
    ctx.fail(e.mark, "", std::string("cannot read the scenario: ") + e.what());
  }
  if (ctx.failed()) return ctx.error();
  if (std::optional<ScenarioProblem> p = find_problem(scenario)) {
    std::string message = p->status.message();
    if (!ctx.written(p->key))
      message += " (" + p->key + " is not set in the file: its default applies)";
    ctx.fail(ctx.locate(p->key), p->key, message, p->status.code());
    return ctx.error();
  }
  return scenario;
}

Result<Scenario> load_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid_argument(path + ": cannot open the scenario: " + std::strerror(errno));
  std::string text;
  text.resize(kMaxScenarioBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad())
    return invalid_argument(path + ": cannot read the scenario: " + std::strerror(errno));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxScenarioBytes)
    return invalid_argument(path + ": larger than " + std::to_string(kMaxScenarioBytes) +
                            " bytes; a scenario is a few kilobytes of YAML");
  return parse_scenario(text, path);
}

}  // namespace cairn::sim
