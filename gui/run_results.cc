#include "gui/run_results.h"

#include <fstream>
#include <functional>

#include "sim/scenario.h"

namespace cairn::gui {
namespace {

using Row = std::vector<std::string>;

// cost.csv's columns are read by position, so a reordered or renamed
// column must be refused rather than charted under the wrong name.
constexpr const char* kCostHeader =
    "year,nodes,disks,network,racks,power,space,support,capex,opex,total,cumulative,usable_tb,stored_tb,"
    "per_usable_tb_year,per_stored_tb_year";

// Calls `take(row)` for each data row of `path`, after checking that the
// header names `columns` fields (and is exactly `header`, when given); stops
// at the first malformed row.
Status read_csv(const std::string& path, size_t columns, const std::function<void(const Row&)>& take,
                const char* header = nullptr) {
  std::ifstream in(path);
  if (!in) return invalid_argument(path + ": cannot open");
  std::string line;
  if (!std::getline(in, line) || split_csv_line(line).size() != columns)
    return invalid_argument(path + ": expected a header of " + std::to_string(columns) + " columns");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (header && line != header) return invalid_argument(path + ": expected the header " + header);
  for (size_t n = 2; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    Row row = split_csv_line(line);
    if (row.size() != columns) return invalid_argument(path + ":" + std::to_string(n) + ": wrong field count");
    try {
      take(row);
    } catch (const std::exception& e) {
      return invalid_argument(path + ":" + std::to_string(n) + ": " + e.what());
    }
  }
  return Status();
}

double num(const std::string& s) { return std::stod(s); }
uint32_t count(const std::string& s) { return static_cast<uint32_t>(std::stoul(s)); }

sim::DiskState disk_state(const std::string& s) {
  for (auto st : {sim::DiskState::kHealthy, sim::DiskState::kDown, sim::DiskState::kFailed,
                  sim::DiskState::kHealing, sim::DiskState::kRetired})
    if (s == sim::to_string(st)) return st;
  throw std::invalid_argument("unknown disk state " + s);
}

// The capex, opex, total and per-TB columns are left to sim::CostYear to
// derive from the items, as the simulator derived them when writing.
Status read_cost(const std::string& path, std::vector<sim::CostYear>& out) {
  Status st = read_csv(
      path, 16,
      [&](const Row& r) {
        sim::CostYear y;
        y.year = count(r[0]);
        y.nodes = num(r[1]), y.disks = num(r[2]), y.network = num(r[3]), y.racks = num(r[4]);
        y.power = num(r[5]), y.space = num(r[6]), y.support = num(r[7]);
        y.cumulative = num(r[11]), y.usable_tb = num(r[12]), y.stored_tb = num(r[13]);
        // Charts place year y at x = y; a gap would shift every bar after it.
        if (y.year != out.size() + 1)
          throw std::invalid_argument("year " + std::to_string(y.year) + " where " + std::to_string(out.size() + 1) +
                                      " was expected");
        out.push_back(y);
      },
      kCostHeader);
  if (!st.is_ok()) out.clear();
  return st;
}

Status read_waterfall(const nlohmann::json& summary, std::optional<sim::Waterfall>& out) {
  auto it = summary.find("waterfall");
  if (it == summary.end()) return Status();
  try {
    out = sim::waterfall_from_json(*it);
  } catch (const nlohmann::json::exception& e) {
    return invalid_argument(std::string("waterfall: ") + e.what());
  }
  return Status();
}

sim::Estimate estimate_from(const nlohmann::json& j) {
  return {j.at("mean").get<double>(), j.at("low95").get<double>(), j.at("high95").get<double>()};
}

NinesEstimate nines_from(const nlohmann::json& j) {
  auto value = [&](const char* key) -> std::optional<double> {
    const nlohmann::json& v = j.at(key);
    if (v.is_null()) return std::nullopt;
    return v.get<double>();
  };
  return {value("mean"), value("low95"), value("high95")};
}

Status read_durability(const nlohmann::json& summary, std::optional<Durability>& out) {
  auto it = summary.find("durability");
  if (it == summary.end() || it->is_null()) return Status();
  try {
    const nlohmann::json& j = *it;
    Durability d;
    d.method = j.at("method").get<std::string>();
    d.probability_of_group_loss = estimate_from(j.at("probability_of_group_loss"));
    d.nines = nines_from(j.at("nines"));
    d.expected_bytes_lost_per_year = estimate_from(j.at("expected_bytes_lost_per_year"));
    d.runs_with_hazard = j.at("runs_with_hazard").get<uint32_t>();
    d.effective_sample_size = j.at("effective_sample_size").get<double>();
    d.warnings = j.at("warnings").get<std::vector<std::string>>();
    d.suppressed_failures_per_run = j.at("suppressed_failures_per_run").get<double>();
    for (const nlohmann::json& y : j.at("by_year")) {
      DurabilityYear row{y.at("year").get<uint32_t>(), estimate_from(y.at("probability_of_group_loss")),
                         nines_from(y.at("nines"))};
      // The chart places year y at x = y; a gap would misplace the curve.
      if (row.year != d.by_year.size() + 1)
        return invalid_argument("durability: by_year holds year " + std::to_string(row.year) + " where " +
                                std::to_string(d.by_year.size() + 1) + " was expected");
      d.by_year.push_back(row);
    }
    out = std::move(d);
  } catch (const nlohmann::json::exception& e) {
    return invalid_argument(std::string("durability: ") + e.what());
  }
  return Status();
}

}  // namespace

uint32_t RunData::runs() const { return summary.value("runs", 1u); }

uint32_t month_of(double time_s) { return static_cast<uint32_t>(time_s / sim::kSecondsPerMonth); }

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

Result<RunData> load_run(const std::string& dir, const std::string& label) {
  RunData run;
  run.label = label;
  run.dir = dir;
  Status st = read_csv(dir + "/timeseries.csv", 17, [&](const Row& r) {
    run.months.push_back({count(r[0]), num(r[1]), num(r[2]), num(r[3]), count(r[4]), count(r[5]), count(r[6]),
                          count(r[7]), count(r[8]), count(r[9]), num(r[10]), num(r[11]), num(r[12]), num(r[13]),
                          num(r[14]), num(r[15]), num(r[16])});
  });
  if (!st.is_ok()) return st;
  st = read_csv(dir + "/events.csv", 9, [&](const Row& r) {
    run.events.push_back({num(r[0]), r[2], std::stoll(r[3]), std::stoll(r[4]), std::stoll(r[5]), num(r[6]),
                          num(r[7]), r[8]});
  });
  if (!st.is_ok()) return st;
  if (std::ifstream(dir + "/disks.csv")) {
    st = read_csv(dir + "/disks.csv", 10, [&](const Row& r) {
      run.disks.push_back({count(r[0]), count(r[1]), count(r[2]), count(r[3]), count(r[4]), disk_state(r[5]),
                           r[6] == "1", r[7] == "1", num(r[8]), num(r[9])});
    });
    if (!st.is_ok()) return st;
  }
  if (std::ifstream(dir + "/cost.csv")) {
    st = read_cost(dir + "/cost.csv", run.cost);
    if (!st.is_ok()) return st;
  }
  std::ifstream js(dir + "/summary.json");
  if (!js) return invalid_argument(dir + "/summary.json: cannot open");
  run.summary = nlohmann::json::parse(js, nullptr, false);
  if (run.summary.is_discarded() || !run.summary.is_object())
    return invalid_argument(dir + "/summary.json: not a JSON object");
  st = read_waterfall(run.summary, run.waterfall);
  if (!st.is_ok()) return invalid_argument(dir + "/summary.json: " + st.message());
  st = read_durability(run.summary, run.durability);
  if (!st.is_ok()) return invalid_argument(dir + "/summary.json: " + st.message());
  if (auto c = run.summary.find("currency"); c != run.summary.end() && c->is_string())
    run.currency = c->get<std::string>();
  return run;
}

}  // namespace cairn::gui
