#include "gui/choose.h"
#include "gui/figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <numeric>

#include <yaml-cpp/yaml.h>

#include "gui/chart_specs.h"
#include "gui/scenario_text.h"

namespace cairn::gui {
namespace {

const auto& fixed = format_fixed;

std::string signed_fixed(double v, int digits) { return (v >= 0 ? "+" : "") + fixed(v, digits); }

std::optional<std::string> optional_string(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<std::string>();
}

SensitivityEnd end_from(const nlohmann::json& j) {
  SensitivityEnd e;
  e.recommended = optional_string(j, "recommended");
  if (auto c = j.find("cost"); c != j.end() && !c->is_null()) e.cost = c->get<double>();
  return e;
}

ChooseVariant variant_from(const nlohmann::json& j) {
  ChooseVariant v;
  v.id = j.at("id").get<std::string>();
  v.label = j.at("label").get<std::string>();
  v.values = j.value("values", nlohmann::json::object());
  v.cost = j.at("cost"), v.nines = j.at("nines"), v.peak_fill = j.at("peak_fill");
  v.longest_heal_h = j.at("longest_heal_h");
  // cairn plan writes null for an infinite value (unbounded nines) and its margin.
  auto number = [](const nlohmann::json& x) {
    return x.is_null() ? std::numeric_limits<double>::infinity() : x.get<double>();
  };
  for (const nlohmann::json& c : j.at("checks"))
    v.checks.push_back({c.at("name").get<std::string>(), number(c.at("value")), c.at("bound").get<double>(),
                        number(c.at("margin")), c.at("met").get<bool>()});
  v.feasible = j.at("feasible").get<bool>();
  v.verdict = j.at("verdict").get<std::string>();
  return v;
}

NinesEstimate nines_of(const nlohmann::json& j) {
  auto value = [&](const char* key) -> std::optional<double> {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return it->get<double>();
  };
  if (!j.is_object()) return {};
  return {value("mean"), value("low95"), value("high95")};
}

// A check's margin in its constraint's unit, with ✓ or ✗.
std::string margin_text(const ChooseCheck& c) {
  if (std::isinf(c.margin)) return c.met ? "✓ unbounded" : "✗ unbounded";
  std::string amount;
  if (c.name == "max_fill") amount = signed_fixed(100 * c.margin, 1) + " pts";
  else if (c.name == "max_heal_h") amount = signed_fixed(c.margin, 0) + " h";
  else if (c.name == "budget") amount = (c.margin >= 0 ? "+" : "-") + format_grouped(std::abs(c.margin), 0);
  else amount = signed_fixed(c.margin, 2);
  return (c.met ? "✓ " : "✗ ") + amount;
}

std::string constraint_column(const ChooseConstraint& c) {
  if (c.name == "min_nines") return "margin: ≥ " + fixed(c.bound, 1) + " nines";
  if (c.name == "max_fill") return "margin: fill ≤ " + fixed(100 * c.bound, 0) + " %";
  if (c.name == "max_heal_h") return "margin: heal ≤ " + fixed(c.bound, 0) + " h";
  if (c.name == "budget") return "margin: cost ≤ " + format_grouped(c.bound, 0);
  return "margin: " + c.name;
}

// A sensitivity factor's key in words, for the tornado's rows.
std::string factor_words(const std::string& key, const std::string& text) {
  static const std::pair<const char*, const char*> kWords[] = {
      {"workload.annual_growth", "annual growth"},       {"workload.first_year_ingest", "first-year ingest"},
      {"failures.disk.afr", "disk AFR"},                 {"failures.disk.afr_by_age", "disk AFR by age"},
      {"cost.disk_price_trend", "disk price trend"},     {"cost.disk_per_tb", "disk price per TB"},
      {"heal.bandwidth_per_disk", "heal budget per disk"}, {"heal.bandwidth_per_node", "heal budget per node"},
      {"procurement.lead_time", "purchase lead time"},   {"procurement.fill_threshold", "purchase threshold"}};
  for (const auto& [k, words] : kWords)
    if (key == k) return words;
  return text.empty() ? key : text;
}

// A value as the tornado's row shows it: a list by its first item
// ("[0.5 %, 0.75 %, …, 2.5 %]" -> "0.5 % …"), so that the row's name fits.
std::string value_words(const std::string& v) {
  if (v.size() < 2 || v.front() != '[' || v.back() != ']') return v;
  const std::string inner = v.substr(1, v.size() - 2);
  const size_t first = inner.find(','), last = first;
  if (first == std::string::npos) return inner;
  const std::string head = inner.substr(0, first);
  const size_t a = head.find_first_not_of(' '), b = head.find_last_not_of(' ');
  (void)last;
  return (a == std::string::npos ? std::string() : head.substr(a, b - a + 1)) + " …";
}

// Short, for a table of many variants: "unbounded" when no run met a loss hazard.
std::string nines_cell(const nlohmann::json& nines) {
  if (nines.is_null()) return "not estimated";
  const NinesEstimate n = nines_of(nines);
  return n.mean ? format_nines(n) : std::string("unbounded");
}

}  // namespace

const ChooseVariant* ChooseResult::variant(const std::string& id) const {
  for (const ChooseVariant& v : variants)
    if (v.id == id) return &v;
  return nullptr;
}

const ChooseVariant* ChooseResult::chosen() const {
  if (recommended) return variant(*recommended);
  if (nearest_miss) return variant(*nearest_miss);
  return nullptr;
}

Result<ChooseResult> parse_choose(const nlohmann::json& j, const std::string& dir) {
  try {
    ChooseResult r;
    r.dir = dir;
    r.choose_file = j.value("choose_file", std::string());
    r.scenario_file = j.value("scenario_file", std::string());
    r.currency = j.value("currency", std::string());
    r.reproduce = j.value("reproduce", std::string());
    r.verdict = j.at("verdict").get<std::string>();
    r.replicates = j.value("replicates", 0u);
    r.horizon_years = j.value("horizon_years", 0.0);
    for (const nlohmann::json& c : j.value("constraints", nlohmann::json::array()))
      r.constraints.push_back({c.at("name").get<std::string>(), c.value("text", std::string()),
                               c.at("bound").get<double>()});
    for (const nlohmann::json& v : j.at("variants")) r.variants.push_back(variant_from(v));
    r.recommended = optional_string(j, "recommended");
    r.nearest_miss = optional_string(j, "nearest_miss");
    if (r.recommended && !r.variant(*r.recommended))
      return invalid_argument("choose.json: recommended " + *r.recommended + " is not among the variants");
    if (auto s = j.find("sensitivity"); s != j.end() && !s->is_null()) {
      Sensitivity sens;
      sens.base = end_from(s->at("base"));
      for (const nlohmann::json& f : s->at("factors"))
        sens.factors.push_back({f.at("key").get<std::string>(),
                                factor_words(f.at("key").get<std::string>(), f.value("text", std::string())),
                                value_words(f.at("low").get<std::string>()), value_words(f.at("high").get<std::string>()),
                                end_from(f.at("at_low")), end_from(f.at("at_high"))});
      r.sensitivity = std::move(sens);
    }
    return r;
  } catch (const nlohmann::json::exception& e) {
    return invalid_argument(std::string("choose.json: ") + e.what());
  }
}

Result<ChooseResult> load_choose(const std::string& dir) {
  std::ifstream in(dir + "/choose.json");
  if (!in) return invalid_argument(dir + "/choose.json: cannot open");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return invalid_argument(dir + "/choose.json: not a JSON object");
  return parse_choose(j, dir);
}

Result<std::string> variant_scenario(std::string_view sweep_yaml, std::string_view scenario_yaml,
                                     const ChooseVariant& variant) {
  std::vector<std::pair<std::string, std::string>> edits;
  try {
    const YAML::Node sweep = YAML::Load(std::string(sweep_yaml));
    for (const auto& kv : sweep["set"]) {
      const std::string key = kv.first.as<std::string>();
      const YAML::Node& v = kv.second;
      if (v.IsScalar()) {
        edits.emplace_back(key, v.Scalar());
      } else if (v.IsSequence()) {
        std::string list;
        for (const YAML::Node& item : v) {
          if (!item.IsScalar()) return invalid_argument("set: " + key + ": only scalars and lists of scalars");
          list += (list.empty() ? "" : ", ") + item.Scalar();
        }
        edits.emplace_back(key, "[" + list + "]");
      } else {
        return invalid_argument("set: " + key + ": only scalars and lists of scalars can be applied here");
      }
    }
  } catch (const YAML::Exception& e) {
    return invalid_argument(std::string("choose file: ") + e.what());
  }
  for (const auto& [key, value] : variant.values.items())
    edits.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
  std::string text(scenario_yaml);
  for (const auto& [key, value] : edits) {
    Result<std::string> next = set_value(text, key, value);
    if (!next) return invalid_argument(key + ": " + next.status().message());
    text = std::move(next).value();
  }
  return text;
}

std::string variant_name(const ChooseVariant& v) { return v.id + " (" + v.label + ")"; }

FiguresTable variants_table(const ChooseResult& r) {
  FiguresTable t;
  const std::string currency = r.currency.empty() ? std::string("money units") : r.currency;
  t.columns = {"cost (" + currency + ")", "durability (nines)", "peak fill (%)", "longest heal (h)"};
  for (const ChooseConstraint& c : r.constraints) t.columns.push_back(constraint_column(c));
  t.columns.push_back("verdict");
  for (const ChooseVariant& v : r.variants) {
    std::string row = v.id + ": " + v.label;
    if (r.recommended && *r.recommended == v.id) row += "  ★ recommended";
    else if (r.nearest_miss && *r.nearest_miss == v.id) row += "  (nearest miss)";
    t.rows.push_back(row);
    std::vector<std::string> cells = {format_money(v.cost, 0),
                                      nines_cell(v.nines),
                                      format_estimate(v.peak_fill, 100, 1), format_estimate(v.longest_heal_h, 1, 0)};
    for (const ChooseConstraint& c : r.constraints) {
      auto check = std::find_if(v.checks.begin(), v.checks.end(), [&](const ChooseCheck& k) { return k.name == c.name; });
      cells.push_back(check == v.checks.end() ? "—" : margin_text(*check));
    }
    cells.push_back(v.verdict);
    t.cells.push_back(std::move(cells));
  }
  return t;
}

int chosen_row(const ChooseResult& r) {
  const ChooseVariant* v = r.chosen();
  return v ? static_cast<int>(v - r.variants.data()) : -1;
}

ChartSpec tornado_chart(const ChooseResult& r) {
  ChartSpec c{"What moves the recommendation's cost", "", "", {}};
  if (!r.sensitivity || !r.sensitivity->base.cost || r.sensitivity->factors.empty()) {
    c.title = "Sensitivity: not run";
    c.caption = r.sensitivity ? "No variant meets every constraint at the base case: there is no cost to vary."
                              : "Not run: choose with --sensitivity (or a sensitivity: section in the file).";
    c.rows = {""};
    return c;
  }
  const Sensitivity& s = *r.sensitivity;
  const double base = *s.base.cost;
  double largest = base;
  for (const SensitivityFactor& f : s.factors)
    for (const SensitivityEnd* e : {&f.at_low, &f.at_high})
      if (e->cost) largest = std::max(largest, *e->cost);
  const MoneyUnit unit = money_unit(largest, r.currency);
  c.x_label = "cost over the horizon, " + unit.label;
  c.origin = base / unit.divisor;
  // Widest first: the factor whose ends move the cost furthest from the base.
  auto width = [&](const SensitivityFactor& f) {
    double lo = base, hi = base;
    for (const SensitivityEnd* e : {&f.at_low, &f.at_high})
      if (e->cost) lo = std::min(lo, *e->cost), hi = std::max(hi, *e->cost);
    return hi - lo;
  };
  std::vector<size_t> order(s.factors.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return width(s.factors[a]) > width(s.factors[b]); });
  SeriesSpec low{"at the low end", {}, SeriesStyle::kSpans, 0, false};
  SeriesSpec high{"at the high end", {}, SeriesStyle::kSpans, 1, false};
  const std::string base_choice = s.base.recommended.value_or("");
  for (size_t row = 0; row < order.size(); ++row) {
    const SensitivityFactor& f = s.factors[order[row]];
    QString name = QString::fromStdString(f.text + " " + f.low + " – " + f.high);
    QStringList changes;
    for (auto [end, value] : {std::pair{&f.at_low, &f.low}, std::pair{&f.at_high, &f.high}}) {
      if (!end->cost) changes << QString::fromStdString("at " + *value + ": none feasible");
      else if (end->recommended && *end->recommended != base_choice)
        changes << QString::fromStdString("at " + *value + ": " + *end->recommended);
    }
    // On a second line, so that the axis keeps the range in full.
    if (!changes.isEmpty()) name += "<br>→ " + changes.join("; ");
    c.rows << name;
    if (f.at_low.cost) low.points.emplace_back(double(row), *f.at_low.cost / unit.divisor);
    if (f.at_high.cost) high.points.emplace_back(double(row), *f.at_high.cost / unit.divisor);
  }
  c.series = {std::move(low), std::move(high)};
  c.caption = QString::fromStdString(
      "Each bar runs from the recommendation's cost at the base case (" + base_choice + ", " +
      format_grouped(base, 0) + " " + r.currency +
      ", the vertical line) to its cost when one input is moved to the end of its range, the others held. "
      "Longest bar on top: the input the purchase depends on most. A variant named beside an input is the "
      "recommendation at that end.");
  return c;
}

}  // namespace cairn::gui
