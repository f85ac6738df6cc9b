#include "gui/chart_specs.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <QStringList>

#include "sim/scenario.h"

namespace cairn::gui {
namespace {

// Month-end rows sit at (month + 1) / 12 years.
double years(uint32_t month) { return (month + 1) / 12.0; }
double years_at(double time_s) { return time_s / sim::kSecondsPerYear; }

QString name(const std::vector<const RunData*>& runs, const RunData* run, const QString& what) {
  if (runs.size() < 2) return what;
  return QString::fromStdString(run->label) + (what.isEmpty() ? QString() : ": " + what);
}

// A chart with one series per run names it after the variant alone.
QString only(const std::vector<const RunData*>& runs, const QString& what) { return runs.size() > 1 ? QString() : what; }

// In a comparison each variant keeps one colour across every chart.
int variant_color(const std::vector<const RunData*>& runs, const RunData* run) {
  if (runs.size() < 2) return -1;
  for (size_t i = 0; i < runs.size(); ++i)
    if (runs[i] == run) return static_cast<int>(i);
  return -1;
}

SeriesSpec monthly(const std::vector<const RunData*>& runs, const RunData* run, const QString& what,
                   const std::function<double(const sim::MonthRow&)>& value, SeriesStyle style = SeriesStyle::kLine) {
  SeriesSpec s{name(runs, run, what), {}, style, variant_color(runs, run), false};
  if (style == SeriesStyle::kStep && !run->months.empty()) s.points.emplace_back(0.0, value(run->months.front()));
  for (const sim::MonthRow& m : run->months) s.points.emplace_back(years(m.month), value(m));
  return s;
}

// Markers at the month-end value of `value` for each event of `kind`.
SeriesSpec markers(const std::vector<const RunData*>& runs, const RunData* run, const QString& what,
                   const std::string& kind, const std::function<double(const sim::MonthRow&, const sim::Event&)>& value) {
  SeriesSpec s{name(runs, run, what), {}, SeriesStyle::kMarkers, variant_color(runs, run), false};
  for (const sim::Event& e : run->events) {
    uint32_t m = month_of(e.time_s);
    if (e.kind != kind || m >= run->months.size()) continue;
    s.points.emplace_back(years_at(e.time_s), value(run->months[m], e));
  }
  return s;
}

}  // namespace

ChartSpec capacity_chart(const std::vector<const RunData*>& runs) {
  ChartSpec c{"Capacity", "years", "TB", {}};
  if (runs.size() > 1) {
    // Overlaid: raw (solid) and usable (dashed) per variant; used TB is the
    // hospital's data, the same for every variant but for what is lost.
    for (const RunData* r : runs) {
      c.series.push_back(monthly(runs, r, "raw", [](const sim::MonthRow& m) { return m.raw_tb; }));
      c.series.push_back(monthly(runs, r, "usable", [](const sim::MonthRow& m) { return m.usable_tb; }));
      c.series.back().dashed = true;
    }
    c.series.push_back(monthly({runs.front()}, runs.front(), "used (all)", [](const sim::MonthRow& m) { return m.used_tb; }));
    c.series.back().color = 6;
    return c;
  }
  for (const RunData* r : runs) {
    c.series.push_back(monthly(runs, r, "raw TB", [](const sim::MonthRow& m) { return m.raw_tb; }));
    c.series.push_back(monthly(runs, r, "usable TB", [](const sim::MonthRow& m) { return m.usable_tb; }));
    c.series.push_back(monthly(runs, r, "used TB", [](const sim::MonthRow& m) { return m.used_tb; }));
    c.series.push_back(markers(runs, r, "purchase arrives", "purchase_arrival",
                               [](const sim::MonthRow& m, const sim::Event&) { return m.raw_tb; }));
  }
  return c;
}

ChartSpec nodes_chart(const std::vector<const RunData*>& runs) {
  ChartSpec c{"Nodes in service", "years", "nodes", {}};
  for (const RunData* r : runs)
    c.series.push_back(monthly(runs, r, only(runs, "nodes"), [](const sim::MonthRow& m) { return m.nodes; }, SeriesStyle::kStep));
  return c;
}

ChartSpec failures_chart(const std::vector<const RunData*>& runs) {
  ChartSpec c{"Disk failures", "years", "failures per month", {}};
  for (const RunData* r : runs)
    c.series.push_back(monthly(runs, r, only(runs, "disk failures"), [](const sim::MonthRow& m) { return m.disk_failures; }));
  return c;
}

ChartSpec heal_chart(const std::vector<const RunData*>& runs) {
  ChartSpec c{"Heal duration (failure to fully healed)", "years", "hours", {}};
  for (const RunData* r : runs) {
    SeriesSpec p50{name(runs, r, "median heal"), {}, SeriesStyle::kMarkers, variant_color(runs, r), false};
    SeriesSpec p99{name(runs, r, "99th percentile heal"), {}, SeriesStyle::kMarkers, variant_color(runs, r), false};
    for (const sim::MonthRow& m : r->months) {
      if (m.heals_completed == 0) continue;
      p50.points.emplace_back(years(m.month), m.heal_p50_h);
      p99.points.emplace_back(years(m.month), m.heal_p99_h);
    }
    if (runs.size() > 1) p99.name = QString::fromStdString(r->label) + " p99";
    c.series.push_back(std::move(p99));  // the median drawn last, on top, where they coincide
    if (runs.size() < 2) c.series.push_back(std::move(p50));
  }
  return c;
}

ChartSpec risk_chart(const std::vector<const RunData*>& runs) {
  ChartSpec c{"Data at risk and lost", "years", "TB", {}};
  for (const RunData* r : runs) {
    c.series.push_back(monthly(runs, r, "at risk",
                               [](const sim::MonthRow& m) { return m.bytes_at_risk / 1e12; }));
    c.series.push_back(monthly(runs, r, "lost", [](const sim::MonthRow& m) { return m.bytes_lost / 1e12; }));
    c.series.back().dashed = true;
  }
  return c;
}

ChartSpec rebalance_chart(const std::vector<const RunData*>& runs) {
  ChartSpec c{"Rebalance traffic at each expansion", "years", "TB written", {}};
  for (const RunData* r : runs)
    c.series.push_back(markers(runs, r, only(runs, "rebalance"), "rebalance_start",
                               [](const sim::MonthRow&, const sim::Event& e) { return e.bytes / 1e12; }));
  return c;
}

ChartSpec network_chart(const std::vector<const RunData*>& runs) {
  ChartSpec c{"Client network: busiest node NIC", "years", "% of the month busy", {}};
  for (const RunData* r : runs)
    c.series.push_back(monthly(runs, r, only(runs, "client NIC busy"),
                               [](const sim::MonthRow& m) { return 100 * m.client_busy_max; }));
  return c;
}

MoneyUnit money_unit(double largest, const std::string& currency) {
  const QString c = currency.empty() ? QStringLiteral("money units") : QString::fromStdString(currency);
  if (largest >= 1e6) return {1e6, "million " + c};
  if (largest >= 1e4) return {1e3, "thousand " + c};
  return {1, c};
}

ChartSpec cost_chart(const std::vector<const RunData*>& runs) {
  std::vector<const RunData*> priced;
  for (const RunData* r : runs)
    if (!r->cost.empty()) priced.push_back(r);
  const std::string currency = priced.empty() ? std::string() : priced.front()->currency;
  double largest = 0;
  for (const RunData* r : priced) largest = std::max(largest, r->cost.back().cumulative);
  const MoneyUnit unit = money_unit(largest, currency);
  if (runs.size() > 1) {
    ChartSpec c{"Cumulative cost", "years", unit.label, {}};
    for (const RunData* r : priced) {
      SeriesSpec s{name(runs, r, ""), {{0.0, 0.0}}, SeriesStyle::kLine, variant_color(runs, r), false};
      for (const sim::CostYear& y : r->cost) s.points.emplace_back(y.year, y.cumulative / unit.divisor);
      c.series.push_back(std::move(s));
    }
    return c;
  }
  // Capex first, at the bottom of each bar, so that purchase years stand out.
  using Item = double sim::CostYear::*;
  const std::pair<const char*, Item> items[] = {
      {"capex: nodes", &sim::CostYear::nodes},   {"capex: disks", &sim::CostYear::disks},
      {"capex: network", &sim::CostYear::network}, {"capex: racks", &sim::CostYear::racks},
      {"opex: power", &sim::CostYear::power}, {"opex: space", &sim::CostYear::space},
      {"opex: support", &sim::CostYear::support}};
  ChartSpec c{"Cost per year and cumulative", "years", unit.label + " per year", {}, unit.label + ", cumulative"};
  for (const RunData* r : priced) {
    for (const auto& [what, item] : items) {
      SeriesSpec s{what, {}, SeriesStyle::kBars, -1, false};
      for (const sim::CostYear& y : r->cost) s.points.emplace_back(y.year, y.*item / unit.divisor);
      c.series.push_back(std::move(s));
    }
    SeriesSpec total{"cumulative total (right axis)", {{0.0, 0.0}}, SeriesStyle::kLine, kBlack, false, true};
    for (const sim::CostYear& y : r->cost) total.points.emplace_back(y.year, y.cumulative / unit.divisor);
    c.series.push_back(std::move(total));
  }
  return c;
}

ChartSpec durability_chart(const std::vector<const RunData*>& runs) {
  ChartSpec c{"Durability: nines of P(group loss) within the first years", "years", "nines (−log10 P)", {}};
  std::vector<const RunData*> estimated;
  QStringList missing;
  for (const RunData* r : runs) {
    if (r->durability && !r->durability->by_year.empty()) estimated.push_back(r);
    else missing << QString::fromStdString(r->label);
  }
  if (estimated.empty()) {
    c.title = "Durability: not estimated";
    c.caption = "Not estimated: run with durability estimation (the toolbar's \"Estimate durability\", "
                "or cairn plan --nines).";
    return c;
  }
  const bool band = runs.size() == 1;
  // The top line sits one nine above every finite value drawn.
  double finite_max = 0;
  for (const RunData* r : estimated)
    for (const DurabilityYear& y : r->durability->by_year)
      for (const std::optional<double>& v : {y.nines.mean, band ? y.nines.low95 : y.nines.mean,
                                             band ? y.nines.high95 : y.nines.mean})
        if (v) finite_max = std::max(finite_max, *v);
  const double top = std::ceil(finite_max) + 1;
  c.y_max = top + 0.5;  // the top line inside the plot, not on its edge
  bool unbounded = false, below_zero = false;
  auto at = [&](const std::optional<double>& v) {
    if (!v) {
      unbounded = true;
      return top;
    }
    if (*v < 0) {
      below_zero = true;
      return 0.0;
    }
    return *v;
  };
  for (const RunData* r : estimated) {
    const int color = band ? 0 : variant_color(runs, r);  // one run: the band in its line's colour
    SeriesSpec mean{band ? QString("mean") : QString::fromStdString(r->label), {}, SeriesStyle::kLine, color, false};
    SeriesSpec interval{"95 % interval", {}, SeriesStyle::kBand, color, false};
    for (const DurabilityYear& y : r->durability->by_year) {
      mean.points.emplace_back(y.year, at(y.nines.mean));
      if (!band) continue;
      interval.points.emplace_back(y.year, at(y.nines.high95));
      interval.lower.emplace_back(y.year, at(y.nines.low95));
    }
    if (band) c.series.push_back(std::move(interval));
    c.series.push_back(std::move(mean));
  }
  QStringList caption;
  if (unbounded) {
    double x_end = 0;
    for (const RunData* r : estimated) x_end = std::max(x_end, double(r->durability->by_year.size()));
    c.series.push_back({"unbounded (drawn here)", {{0.0, top}, {x_end, top}}, SeriesStyle::kLine, 6, true});
    caption << QString("On the dashed line at %1 nines: unbounded, no loss hazard met by that year, or the "
                       "interval's lower bound of P is 0.")
                   .arg(top);
  }
  if (below_zero) caption << "Below 0 (P above 1, from heavy likelihood-ratio weights): drawn at 0.";
  if (!missing.isEmpty()) caption << "Not estimated for " + missing.join(", ") + ": run with durability estimation.";
  c.caption = caption.join(' ');
  return c;
}

std::vector<NamedChart> all_charts(const std::vector<const RunData*>& runs) {
  std::vector<NamedChart> out = {
      {"capacity", capacity_chart(runs)}, {"nodes", nodes_chart(runs)},   {"failures", failures_chart(runs)},
      {"heal", heal_chart(runs)},         {"risk", risk_chart(runs)},     {"durability", durability_chart(runs)},
      {"rebalance", rebalance_chart(runs)}, {"network", network_chart(runs)}};
  if (std::any_of(runs.begin(), runs.end(), [](const RunData* r) { return !r->cost.empty(); }))
    out.push_back({"cost", cost_chart(runs)});
  return out;
}

}  // namespace cairn::gui
