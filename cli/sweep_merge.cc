// `cairn sweep merge DIR`: every task's summary.json into tasks.csv (a row
// per task), results.csv (a row per variant: means with 95 % intervals over
// its replicates) and the printed table. Nothing in them depends on where or
// when a task ran, so a Slurm run and a local run merge to the same bytes.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/sweep_run.h"
#include "sim/durability.h"
#include "sim/results.h"

namespace cairn::cli {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// One figure of a task, read from its summary.json (a single run, so each
// estimate is that run's value).
struct Figure {
  const char* column;
  double (*read)(const json&);
};

double mean_of(const json& s, const char* key) { return s.at(key).at("mean").get<double>(); }

const Figure kFigures[] = {
    {"final_nodes", [](const json& s) { return mean_of(s, "final_nodes"); }},
    {"nodes_bought", [](const json& s) {
       double n = 0;
       for (const json& y : s.at("nodes_bought_per_year_mean")) n += y.get<double>();
       return n;
     }},
    {"peak_fill", [](const json& s) { return mean_of(s, "peak_fill"); }},
    {"longest_heal_h", [](const json& s) { return mean_of(s, "longest_heal_h"); }},
    {"disk_failures", [](const json& s) { return mean_of(s, "disk_failures"); }},
    {"data_lost", [](const json& s) { return mean_of(s, "probability_of_loss"); }},
    {"bytes_lost", [](const json& s) { return mean_of(s, "bytes_lost"); }},
    {"files_lost", [](const json& s) { return mean_of(s, "files_lost"); }},
    {"raw_tb", [](const json& s) { return s.at("waterfall").at("raw_tb").get<double>(); }},
    {"safely_usable_tb", [](const json& s) { return s.at("waterfall").at("safely_usable_tb").get<double>(); }},
    {"cost_total", [](const json& s) { return s.at("cost").at("total").at("mean").get<double>(); }},
    {"cost_per_usable_tb_year", [](const json& s) { return s.at("cost").at("per_usable_tb_year").at("mean").get<double>(); }},
    {"unavailable_group_hours", [](const json& s) { return s.value("unavailable_group_hours", json{{"mean", 0.0}}).at("mean").get<double>(); }},
};
constexpr size_t kAllFigures = sizeof kFigures / sizeof kFigures[0];
// With `nines: true` one more figure: the run's P(group loss) by conditioning
// (the durability estimator's per-run term, whose mean over runs is the estimate).
const Figure kDurability = {"p_group_loss", [](const json& s) {
                              return s.at("durability").at("probability_of_group_loss").at("mean").get<double>();
                            }};
constexpr size_t kDataLost = 5;

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// "0.62 [0.31, 0.86]"
std::string with_interval(const sim::Estimate& e) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%.2f [%.2f, %.2f]", e.mean, e.low, e.high);
  return buf;
}

// "35.1 ± 1.7", or "35.1" when the interval is a point.
std::string plus_minus(const sim::Estimate& e, double scale, int digits) {
  const double half = (e.high - e.low) / 2 * scale;
  char buf[80];
  if (half <= 0) std::snprintf(buf, sizeof buf, "%.*f", digits, e.mean * scale);
  else std::snprintf(buf, sizeof buf, "%.*f ± %.*f", digits, e.mean * scale, digits, half);
  return buf;
}

void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(rows[0].size(), 0);
  auto length = [](const std::string& s) {  // characters, not bytes (± is two bytes)
    size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
  };
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], length(row[c]));
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - length(row[c]), ' ');
      line += (c ? "  " : "") + (c < 1 ? row[c] + pad : pad + row[c]);
    }
    std::printf("%s\n", line.c_str());
  }
}

}  // namespace

int merge_sweep(const fs::path& dir) {
  Result<SweepSpec> loaded = load_sweep_dir(dir);
  if (!loaded) return sweep_error(2, loaded.status().message());
  const SweepSpec& spec = *loaded;
  const std::vector<size_t> missing = pending_tasks(dir, spec);
  if (!missing.empty()) {
    std::string list;
    for (size_t i = 0; i < missing.size() && i < 10; ++i) {
      if (i) list += ", ";
      list += sweep_task(spec, missing[i]).id;
    }
    return sweep_error(1, std::to_string(missing.size()) + " of " + std::to_string(spec.task_count()) +
                              " tasks have no results yet (" + list + (missing.size() > 10 ? ", ..." : "") +
                              "); run them with `cairn sweep task DIR INDEX` or by running the sweep again");
  }

  std::string header;
  for (const SweepAxis& a : spec.grid) {
    header += ',';
    header += csv_field(a.key);
  }
  std::vector<Figure> figures(kFigures, kFigures + kAllFigures);
  if (spec.nines) figures.push_back(kDurability);
  const size_t figure_count = figures.size();
  std::ofstream tasks_csv(dir / "tasks.csv"), results_csv(dir / "results.csv");
  tasks_csv << "task,variant,replicate,seed" << header;
  results_csv << "variant" << header << ",replicates";
  for (const Figure& f : figures) {
    tasks_csv << "," << f.column;
    results_csv << "," << f.column << "_mean," << f.column << "_low95," << f.column << "_high95";
  }
  tasks_csv << "\n";
  results_csv << "\n";

  std::string currency = "USD";
  try {
    currency = json::parse(std::ifstream(task_dir(dir, sweep_task(spec, 0)) / "summary.json")).value("currency", currency);
  } catch (const json::exception&) {
  }
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> head = {"variant"};
  for (const SweepAxis& a : spec.grid) head.push_back(a.key);
  for (std::string h : {"final nodes", "longest heal h", "P(data loss) [95% CI]", "GB lost", "cost (M "})
    head.push_back(h == "cost (M " ? h + currency + ")" : h);
  if (spec.nines) head.push_back("nines");
  table.push_back(head);

  for (size_t v = 0; v < spec.variants.size(); ++v) {
    const Variant& variant = spec.variants[v];
    std::vector<std::vector<double>> values(figure_count);
    for (uint32_t r = 0; r < spec.replicates; ++r) {
      const SweepTask task = sweep_task(spec, v * spec.replicates + r);
      json summary;
      try {
        summary = json::parse(std::ifstream(task_dir(dir, task) / "summary.json"));
        tasks_csv << task.index << "," << variant.id << "," << r << "," << task.seed;
        for (const std::string& value : variant.values) tasks_csv << "," << csv_field(value);
        for (size_t f = 0; f < figure_count; ++f) {
          values[f].push_back(figures[f].read(summary));
          tasks_csv << "," << number_text(values[f].back());
        }
        tasks_csv << "\n";
      } catch (const json::exception& e) {
        return sweep_error(1, (task_dir(dir, task) / "summary.json").string() + ": " + e.what());
      }
    }
    std::vector<sim::Estimate> estimates(figure_count);
    results_csv << variant.id;
    for (const std::string& value : variant.values) results_csv << "," << csv_field(value);
    results_csv << "," << spec.replicates;
    for (size_t f = 0; f < figure_count; ++f) {
      uint32_t lost = 0;
      for (double x : values[f]) lost += x > 0;
      estimates[f] = f == kDataLost ? sim::proportion_interval(lost, spec.replicates) : sim::mean_interval(values[f]);
      results_csv << "," << number_text(estimates[f].mean) << "," << number_text(estimates[f].low) << ","
                  << number_text(estimates[f].high);
    }
    results_csv << "\n";
    std::vector<std::string> row = {variant.id};
    row.insert(row.end(), variant.values.begin(), variant.values.end());
    row.push_back(plus_minus(estimates[0], 1, 1));
    row.push_back(plus_minus(estimates[3], 1, 0));
    row.push_back(with_interval(estimates[kDataLost]));
    row.push_back(plus_minus(estimates[6], 1e-9, 1));
    row.push_back(plus_minus(estimates[10], 1e-6, 2));
    if (spec.nines) row.push_back(sim::nines_text(sim::nines(estimates[kAllFigures].mean)));
    table.push_back(row);
  }
  if (!tasks_csv || !results_csv) return sweep_error(1, "cannot write the merged results into " + dir.string());
  std::printf("sweep %s: %zu variants x %u replicates, seeds from %s %llu (replicate r: cairn plan VARIANT --seed %llu "
              "--runs R)\n",
              spec.name.c_str(), spec.variants.size(), spec.replicates,
              spec.seed_given ? "the sweep's seed" : "the scenario's hash", static_cast<unsigned long long>(spec.base_seed),
              static_cast<unsigned long long>(spec.base_seed));
  for (const SweepAxis& a : spec.set) std::printf("set %s = %s\n", a.key.c_str(), a.values[0].c_str());
  print_table(table);
  std::printf("(mean ± 95%% interval over replicates; P(data loss): share of replicates that lost data, Wilson interval)\n");
  std::printf("wrote %s and %s\n", (dir / "results.csv").c_str(), (dir / "tasks.csv").c_str());
  return 0;
}

}  // namespace cairn::cli
