#include "gui/figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

namespace cairn::gui {

std::string format_fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

namespace {

const auto& fixed = format_fixed;


// fixed() with a comma between each group of three integer digits.
std::string grouped(double v, int digits) {
  const std::string plain = fixed(v, digits);
  const size_t start = plain[0] == '-' ? 1 : 0;
  size_t point = plain.find('.');
  if (point == std::string::npos) point = plain.size();
  std::string out = plain.substr(0, start);
  for (size_t i = start; i < plain.size(); ++i) {
    if (i > start && i < point && (point - i) % 3 == 0) out += ',';
    out += plain[i];
  }
  return out;
}

std::string estimate_with(const nlohmann::json& e, double scale, int digits,
                          const std::function<std::string(double, int)>& format) {
  if (!e.is_object()) return "—";
  double mean = e.value("mean", 0.0) * scale, low = e.value("low95", 0.0) * scale, high = e.value("high95", 0.0) * scale;
  std::string out = format(mean, digits);
  if (format(low, digits) != format(high, digits))
    out += " (95 % CI " + format(low, digits) + " – " + format(high, digits) + ")";
  return out;
}

bool any_has(const std::vector<const RunData*>& runs, const char* key) {
  return std::any_of(runs.begin(), runs.end(), [key](const RunData* r) { return r->summary.contains(key); });
}

// A figure of summary.json's "cost" (or "refresh") object, or null.
nlohmann::json part(const RunData& r, const char* object, const char* key) {
  auto o = r.summary.find(object);
  if (o == r.summary.end() || !o->is_object() || !o->contains(key)) return nullptr;
  return (*o)[key];
}

// "total cost over 15 years (USD)": the first priced run names the horizon
// and currency, since a comparison's variants share both.
std::string money_row(const std::vector<const RunData*>& runs, const std::string& what) {
  for (const RunData* r : runs) {
    if (!r->summary.contains("cost")) continue;
    std::string name = what;
    const size_t at = name.find("{years}");
    if (at != std::string::npos) name.replace(at, 7, fixed(r->summary.value("horizon_years", 0.0), 0));
    return name + " (" + (r->currency.empty() ? std::string("money units") : r->currency) + ")";
  }
  return what;
}

std::string significant(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// "… over 15 years": the first run names the horizon, which a comparison's
// variants share.
std::string over_horizon(const std::vector<const RunData*>& runs, const std::string& what) {
  if (runs.empty()) return what;
  return what + " over " + fixed(runs.front()->summary.value("horizon_years", 0.0), 0) + " years";
}

// A durability figure of the run, or "not estimated" without --nines.
std::function<std::string(const RunData&)> durability_cell(std::function<std::string(const Durability&)> cell) {
  return [cell = std::move(cell)](const RunData& r) {
    return r.durability ? cell(*r.durability) : std::string("not estimated");
  };
}

// "0 of 20 (95 % CI 0 – 16 %)" from the proportion summary.json holds.
std::string runs_with_loss(const RunData& r) {
  const nlohmann::json& p = r.summary.value("probability_of_loss", nlohmann::json());
  if (!p.is_object()) return "—";
  const uint32_t n = r.runs();
  const long lost = std::lround(p.value("mean", 0.0) * n);
  return std::to_string(lost) + " of " + std::to_string(n) + " (95 % CI " + fixed(100 * p.value("low95", 0.0), 0) +
         " – " + fixed(100 * p.value("high95", 0.0), 0) + " %)";
}

}  // namespace

std::string format_nines(const NinesEstimate& n) {
  if (!n.mean) return "unbounded (no loss hazard met)";
  std::string out = fixed(*n.mean, 2);
  if (!n.low95) return out;  // a finite mean has a finite lower bound; kept safe for hand-edited files
  if (!n.high95) return out + " (95 % CI ≥ " + fixed(*n.low95, 2) + ")";
  if (fixed(*n.low95, 2) != fixed(*n.high95, 2))
    out += " (95 % CI " + fixed(*n.low95, 2) + " – " + fixed(*n.high95, 2) + ")";
  return out;
}

std::string format_significant(const sim::Estimate& e, double scale) {
  std::string out = significant(e.mean * scale);
  if (significant(e.low * scale) != significant(e.high * scale))
    out += " (95 % CI " + significant(e.low * scale) + " – " + significant(e.high * scale) + ")";
  return out;
}

std::vector<std::string> durability_notes(const std::vector<const RunData*>& runs) {
  std::vector<std::string> notes;
  for (const RunData* r : runs) {
    if (!r->durability) continue;
    const std::string method = "How durability was estimated: " + r->durability->method + ".";
    if (std::find(notes.begin(), notes.end(), method) == notes.end()) notes.push_back(method);
  }
  for (const RunData* r : runs) {
    if (!r->durability) continue;
    for (const std::string& w : r->durability->warnings)
      notes.push_back("Warning" + (runs.size() > 1 ? " (" + r->label + ")" : std::string()) + ": " + w);
  }
  return notes;
}

std::string format_estimate(const nlohmann::json& e, double scale, int digits) {
  return estimate_with(e, scale, digits, fixed);
}

std::string format_money(const nlohmann::json& e, int digits) { return estimate_with(e, 1, digits, grouped); }

std::string format_grouped(double value, int digits) { return grouped(value, digits); }

FiguresTable key_figures(const std::vector<const RunData*>& runs) {
  using Cell = std::function<std::string(const RunData&)>;
  std::vector<std::pair<std::string, Cell>> figures = {
      {"scheme / strategy",
       [](const RunData& r) {
         return r.summary.value("scheme", std::string("?")) + " " + r.summary.value("strategy", std::string("?"));
       }},
      {"replicates", [](const RunData& r) { return std::to_string(r.runs()); }},
      {"nodes bought (mean)",
       [](const RunData& r) {
         double total = 0;
         for (const auto& y : r.summary.value("nodes_bought_per_year_mean", nlohmann::json::array())) total += y.get<double>();
         return fixed(total, 1);
       }},
      {"final nodes", [](const RunData& r) { return format_estimate(r.summary["final_nodes"], 1, 1); }},
      {"raw TB at horizon (run 0)",
       [](const RunData& r) { return r.months.empty() ? std::string("—") : fixed(r.months.back().raw_tb, 0); }},
      {"peak fill (%)", [](const RunData& r) { return format_estimate(r.summary["peak_fill"], 100, 1); }},
      {"longest heal (h)", [](const RunData& r) { return format_estimate(r.summary["longest_heal_h"], 1, 1); }},
      {"disk failures", [](const RunData& r) { return format_estimate(r.summary["disk_failures"], 1, 1); }},
      // As counted runs, which a reader takes in, rather than "0.000 (95 % CI 0.000 – 0.793)".
      {"runs that lost data", [](const RunData& r) { return runs_with_loss(r); }},
      {"bytes lost (GB)", [](const RunData& r) { return format_estimate(r.summary["bytes_lost"], 1e-9, 3); }},
  };
  if (any_has(runs, "cost")) {
    figures.push_back({money_row(runs, "total cost over {years} years"),
                       [](const RunData& r) { return format_money(part(r, "cost", "total"), 0); }});
    figures.push_back({money_row(runs, "capex: hardware bought"),
                       [](const RunData& r) { return format_money(part(r, "cost", "capex"), 0); }});
    figures.push_back({money_row(runs, "opex: power, space, support"),
                       [](const RunData& r) { return format_money(part(r, "cost", "opex"), 0); }});
    figures.push_back({money_row(runs, "cost per usable TB per year"),
                       [](const RunData& r) { return format_money(part(r, "cost", "per_usable_tb_year"), 2); }});
    figures.push_back({money_row(runs, "cost per stored TB per year"),
                       [](const RunData& r) { return format_money(part(r, "cost", "per_stored_tb_year"), 2); }});
  }
  // Without a refresh age nothing is retired: rows of zeros would only be noise.
  const bool refreshed = std::any_of(runs.begin(), runs.end(), [](const RunData* r) {
    const nlohmann::json retired = part(*r, "refresh", "retired_nodes");
    return retired.is_object() && retired.value("mean", 0.0) > 0;
  });
  if (refreshed) {
    figures.push_back({"nodes retired at hardware refresh",
                       [](const RunData& r) { return format_estimate(part(r, "refresh", "retired_nodes"), 1, 1); }});
    figures.push_back({"longest refresh migration (months)", [](const RunData& r) {
                         return format_estimate(part(r, "refresh", "longest_migration_months"), 1, 1);
                       }});
  }
  if (std::any_of(runs.begin(), runs.end(), [](const RunData* r) { return r->durability.has_value(); })) {
    figures.push_back({over_horizon(runs, "durability (nines)"),
                       durability_cell([](const Durability& d) { return format_nines(d.nines); })});
    figures.push_back({over_horizon(runs, "P(group loss)"), durability_cell([](const Durability& d) {
                         return format_significant(d.probability_of_group_loss, 1);
                       })});
    figures.push_back({"expected bytes lost per year (GB)", durability_cell([](const Durability& d) {
                         return format_significant(d.expected_bytes_lost_per_year, 1e-9);
                       })});
    figures.push_back({"runs that met a loss hazard", [](const RunData& r) {
                         return r.durability ? std::to_string(r.durability->runs_with_hazard) + " of " +
                                                   std::to_string(r.runs())
                                             : std::string("not estimated");
                       }});
    figures.push_back({"effective sample size (runs)", [](const RunData& r) {
                         return r.durability ? fixed(r.durability->effective_sample_size, 1) + " of " +
                                                   std::to_string(r.runs())
                                             : std::string("not estimated");
                       }});
    figures.push_back({"durability warnings", durability_cell([](const Durability& d) {
                         std::string out;
                         for (const std::string& w : d.warnings) out += (out.empty() ? "" : "; ") + w;
                         return out.empty() ? std::string("none") : out;
                       })});
  }
  FiguresTable t;
  for (const RunData* r : runs) t.columns.push_back(r->label);
  for (const auto& [name, cell] : figures) {
    t.rows.push_back(name);
    std::vector<std::string> row;
    for (const RunData* r : runs) row.push_back(cell(*r));
    t.cells.push_back(std::move(row));
  }
  return t;
}

FiguresTable capacity_waterfall(const std::vector<const RunData*>& runs) {
  FiguresTable t;
  if (std::none_of(runs.begin(), runs.end(), [](const RunData* r) { return r->waterfall.has_value(); })) return t;
  using Amount = double (*)(const sim::Waterfall&);
  const std::pair<const char*, Amount> steps[] = {
      {"raw capacity (TB; the shares below are of raw)", [](const sim::Waterfall& w) { return w.raw_tb; }},
      {"− redundancy: parity or extra copies (TB)", [](const sim::Waterfall& w) { return w.redundancy_tb; }},
      {"− spare disks (TB)", [](const sim::Waterfall& w) { return w.spares_tb; }},
      {"− kept free above the fill ceiling (TB)", [](const sim::Waterfall& w) { return w.fill_ceiling_tb; }},
      {"− kept free to re-protect after a failure (TB)", [](const sim::Waterfall& w) { return w.reprotect_tb; }},
      {"= safely usable (TB)", [](const sim::Waterfall& w) { return w.safely_usable_tb(); }}};
  for (const RunData* r : runs) t.columns.push_back(r->label);
  for (size_t step = 0; step < std::size(steps); ++step) {
    t.rows.push_back(steps[step].first);
    std::vector<std::string> row;
    for (const RunData* r : runs) {
      if (!r->waterfall) {
        row.push_back("—");
        continue;
      }
      const sim::Waterfall& w = *r->waterfall;
      const double tb = steps[step].second(w);
      std::string cell = grouped(tb, 1);
      // The share of raw is what differs between schemes at a glance.
      if (step > 0 && w.raw_tb > 0) cell += " (" + fixed(100 * tb / w.raw_tb, 0) + " %)";
      row.push_back(std::move(cell));
    }
    t.cells.push_back(std::move(row));
  }
  return t;
}

}  // namespace cairn::gui
