#include "cli/choose_cmd.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/sweep_run.h"
#include "sim/choose.h"

namespace cairn::cli {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {


// A number, or null for infinities and NaN (JSON has neither).
json finite(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

struct Evaluated {
  std::vector<sim::VariantFigures> figures;
  sim::Choice choice;
  std::string currency = "USD";
  double horizon_years = 15;
};

// Each variant's figures over its replicates, from the tasks' summary.json.
Result<Evaluated> evaluate(const fs::path& dir, const SweepSpec& spec) {
  Evaluated out;
  for (size_t v = 0; v < spec.variants.size(); ++v) {
    std::vector<double> cost, p, fill, heal;
    bool durability = spec.nines;
    for (uint32_t r = 0; r < spec.replicates; ++r) {
      const fs::path file = task_dir(dir, sweep_task(spec, v * spec.replicates + r)) / "summary.json";
      try {
        const json s = json::parse(std::ifstream(file));
        out.currency = s.value("currency", out.currency);
        out.horizon_years = s.value("horizon_years", out.horizon_years);
        cost.push_back(s.at("cost").at("total").at("mean").get<double>());
        fill.push_back(s.at("peak_fill").at("mean").get<double>());
        heal.push_back(s.at("longest_heal_h").at("mean").get<double>());
        if (s.at("durability").is_null()) durability = false;
        else p.push_back(s.at("durability").at("probability_of_group_loss").at("mean").get<double>());
      } catch (const json::exception& e) {
        return Status(StatusCode::kIoError, file.string() + ": " + e.what());
      }
    }
    sim::VariantFigures f;
    f.id = spec.variants[v].id;
    for (size_t g = 0; g < spec.grid.size(); ++g)
      f.label += (g ? ", " : "") + spec.grid[g].key + "=" + spec.variants[v].values[g];
    f.cost = sim::mean_interval(cost);
    if (durability) f.p_group_loss = sim::mean_interval(p);
    f.peak_fill = sim::mean_interval(fill);
    f.longest_heal_h = sim::mean_interval(heal);
    out.figures.push_back(std::move(f));
  }
  return out;
}

// The recommendation at one end of an assumption's range, and what the
// base's choice costs there.
json end_json(const Evaluated& e, const std::optional<size_t>& base_choice) {
  json j = {{"recommended", nullptr}, {"cost", nullptr}, {"base_choice_cost", nullptr}, {"base_choice_feasible", false}};
  if (e.choice.recommended) {
    j["recommended"] = e.figures[*e.choice.recommended].id;
    j["cost"] = e.figures[*e.choice.recommended].cost.mean;
  }
  if (base_choice) {
    j["base_choice_cost"] = e.figures[*base_choice].cost.mean;
    j["base_choice_feasible"] = e.choice.variants[*base_choice].feasible;
  }
  return j;
}

json constraints_json(const sim::Constraints& c, double years, const std::string& currency) {
  json out = json::array();
  for (const sim::ConstraintText& t : sim::constraint_texts(c, currency, years))
    out.push_back({{"name", t.name}, {"text", t.text}, {"bound", t.bound}});
  return out;
}

std::string shell_word(const std::string& s) {
  if (s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./+:=%") == std::string::npos)
    return s;
  return shell_quoted(s);
}

}  // namespace

int run_choose(const ChooseArgs& a) {
  Result<SweepSpec> loaded = load_sweep(a.file);
  if (!loaded) return usage_error("plan --choose", loaded.status().message());
  SweepSpec spec = std::move(loaded).value();
  if (!a.scenario.empty()) {
    loaded = with_scenario(spec, a.scenario);
    if (!loaded) return usage_error("plan --choose", loaded.status().message());
    spec = std::move(loaded).value();
  }
  sim::Constraints& c = spec.constraints;
  if (a.min_nines) c.min_nines = a.min_nines;
  if (a.max_fill) c.max_fill = a.max_fill;
  if (a.max_heal_h) c.max_heal_h = a.max_heal_h;
  if (a.budget) c.budget = a.budget;
  if (c.min_nines) spec.nines = true;  // durability is estimated by conditioning
  const fs::path out = a.out_dir.empty() ? fs::path("out/choose") / spec.name : fs::path(a.out_dir);

  // The base sweep, then each sensitivity end as a sweep of its own.
  struct Run {
    SweepSpec spec;
    size_t factor = 0;
    bool high = false;
  };
  std::vector<Run> runs = {{spec}};
  if (!a.no_sensitivity) {
    for (size_t i = 0; i < spec.sensitivity.size(); ++i) {
      for (size_t end = 0; end < 2; ++end) {
        Result<SweepSpec> moved = with_set(spec, spec.sensitivity[i].key, spec.sensitivity[i].values[end],
                                           "s" + std::to_string(i) + (end ? "-high" : "-low"));
        if (!moved) return usage_error("plan --choose", moved.status().message());
        runs.push_back({std::move(moved).value(), i, end == 1});
      }
    }
  }
  size_t tasks = 0;
  for (const Run& r : runs) tasks += r.spec.task_count();
  std::fprintf(stderr,
               "cairn plan --choose: %s: %zu variants x %u replicates%s; %zu sweep(s), %zu runs%s, %u at a time, in %s\n",
               spec.name.c_str(), spec.variants.size(), spec.replicates, spec.nines ? " with --nines" : "", runs.size(),
               tasks, runs.size() > 1 ? " (sensitivity: each assumption at its low and high end)" : "", a.jobs,
               out.c_str());
  std::vector<Evaluated> results;
  for (const Run& r : runs) {
    const fs::path dir = out / "runs" / r.spec.name;
    if (Status st = prepare_sweep_dir(r.spec, dir); !st.is_ok()) return usage_error("plan --choose", st.message());
    if (int rc = run_local(dir, r.spec, a.jobs, false); rc != 0) return rc;
    Result<Evaluated> e = evaluate(dir, r.spec);
    if (!e) {
      std::fprintf(stderr, "cairn plan --choose: error: %s\n", e.status().message().c_str());
      return 1;
    }
    e->choice = sim::choose_variant(e->figures, spec.constraints, e->currency, e->horizon_years);
    results.push_back(std::move(e).value());
  }

  const Evaluated& base = results[0];
  json variants = json::array();
  for (size_t v = 0; v < base.figures.size(); ++v) {
    const sim::VariantFigures& f = base.figures[v];
    const sim::VariantVerdict& verdict = base.choice.variants[v];
    json values = json::object(), checks = json::array();
    for (size_t g = 0; g < spec.grid.size(); ++g) values[spec.grid[g].key] = spec.variants[v].values[g];
    for (const sim::Check& ch : verdict.checks)
      checks.push_back({{"name", ch.name}, {"value", finite(ch.value)}, {"bound", ch.bound},
                        {"margin", finite(ch.margin)}, {"met", ch.met}, {"certain", ch.certain}, {"text", ch.text}});
    std::string label;
    for (size_t g = 0; g < spec.grid.size(); ++g) label += (g ? ", " : "") + spec.variants[v].values[g];
    variants.push_back({{"id", f.id},
                        {"label", label},
                        {"values", values},
                        {"cost", sim::to_json(f.cost)},
                        {"probability_of_group_loss", f.p_group_loss ? sim::to_json(*f.p_group_loss) : json(nullptr)},
                        {"nines", f.p_group_loss ? sim::to_json(sim::nines_of(*f.p_group_loss)) : json(nullptr)},
                        {"peak_fill", sim::to_json(f.peak_fill)},
                        {"longest_heal_h", sim::to_json(f.longest_heal_h)},
                        {"checks", checks},
                        {"feasible", verdict.feasible},
                        {"verdict", verdict.verdict}});
  }
  json sensitivity = nullptr;
  if (runs.size() > 1) {
    sensitivity = {{"base", end_json(base, base.choice.recommended)}, {"factors", json::array()}};
    for (size_t i = 0; i < spec.sensitivity.size(); ++i) {
      const SweepAxis& axis = spec.sensitivity[i];
      sensitivity["factors"].push_back({{"key", axis.key},
                                        {"text", axis.key},
                                        {"low", axis.values[0]},
                                        {"high", axis.values[1]},
                                        {"at_low", end_json(results[1 + 2 * i], base.choice.recommended)},
                                        {"at_high", end_json(results[2 + 2 * i], base.choice.recommended)}});
    }
  }
  std::string reproduce = "cairn plan";
  if (!a.scenario.empty()) reproduce += " " + shell_word(a.scenario);
  reproduce += " --choose " + shell_word(a.file);
  if (a.min_nines) reproduce += " --min-nines " + number_text(*a.min_nines);
  if (a.max_fill) reproduce += " --max-fill " + number_text(*a.max_fill);
  if (a.max_heal_h) reproduce += " --max-heal " + number_text(*a.max_heal_h);
  if (a.budget) reproduce += " --budget " + number_text(*a.budget);
  if (a.no_sensitivity) reproduce += " --no-sensitivity";
  json j = {{"choose_file", a.file},
            {"scenario_file", spec.scenario_file},
            {"scenario_xxh64", spec.scenario_xxh64},
            {"base_seed", spec.base_seed},
            {"replicates", spec.replicates},
            {"nines", spec.nines},
            {"currency", base.currency},
            {"horizon_years", base.horizon_years},
            {"constraints", constraints_json(c, base.horizon_years, base.currency)},
            {"variants", variants},
            {"recommended", base.choice.recommended ? json(base.figures[*base.choice.recommended].id) : json(nullptr)},
            {"nearest_miss", base.choice.nearest_miss ? json(base.figures[*base.choice.nearest_miss].id) : json(nullptr)},
            {"verdict", base.choice.verdict},
            {"sensitivity", sensitivity},
            {"reproduce", reproduce}};
  {
    std::ofstream file(out / "choose.json");
    file << j.dump(2) << "\n";
    if (!file) {
      std::fprintf(stderr, "cairn plan --choose: error: cannot write %s\n", (out / "choose.json").c_str());
      return 1;
    }
  }
  if (a.json) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }

  std::printf("choose among %zu variants of %s, %u replicate(s) each (seeds from %llu)\n", base.figures.size(),
              spec.scenario_file.c_str(), spec.replicates, static_cast<unsigned long long>(spec.base_seed));
  std::string constraints;
  for (const json& each : j["constraints"]) constraints += (constraints.empty() ? "" : "; ") + each["text"].get<std::string>();
  std::printf("constraints: %s\n", constraints.empty() ? "none (the cheapest variant is recommended)" : constraints.c_str());
  for (size_t v = 0; v < base.figures.size(); ++v) {
    const sim::VariantFigures& f = base.figures[v];
    const bool chosen = base.choice.recommended && *base.choice.recommended == v;
    const std::string nines =
        f.p_group_loss ? sim::nines_text(sim::nines_of(*f.p_group_loss).mean) : std::string("not estimated");
    std::printf("%s %s  %s\n    cost %s (95%% CI %s .. %s), nines %s, peak fill %.1f %%, longest heal %.0f h\n    %s\n",
                chosen ? "=>" : "  ", f.id.c_str(), f.label.c_str(), sim::money_text(base.currency, f.cost.mean).c_str(),
                sim::money_text(base.currency, f.cost.low).c_str(), sim::money_text(base.currency, f.cost.high).c_str(),
                nines.c_str(), 100 * f.peak_fill.mean, f.longest_heal_h.mean, base.choice.variants[v].verdict.c_str());
  }
  std::printf("%s\n", base.choice.verdict.c_str());
  if (runs.size() > 1) {
    std::printf("sensitivity: the recommendation and its cost with each assumption at the low and the high end\n");
    auto end_text = [&](const Evaluated& e) {
      if (!e.choice.recommended) return std::string("none feasible");
      const sim::VariantFigures& f = e.figures[*e.choice.recommended];
      return f.id + " " + sim::money_text(e.currency, f.cost.mean);
    };
    for (size_t i = 0; i < spec.sensitivity.size(); ++i) {
      const SweepAxis& axis = spec.sensitivity[i];
      std::printf("  %-32s %-12s -> %-26s %-12s -> %s\n", axis.key.c_str(), axis.values[0].c_str(),
                  end_text(results[1 + 2 * i]).c_str(), axis.values[1].c_str(), end_text(results[2 + 2 * i]).c_str());
    }
  }
  std::printf("wrote %s\nreproduce: %s\n", (out / "choose.json").c_str(), reproduce.c_str());
  return 0;
}

}  // namespace cairn::cli
