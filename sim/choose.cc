#include "sim/choose.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace cairn::sim {
namespace {

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}


// A check of `value` (with its interval low..high) against `bound`; `at_least`:
// the figure must be >= bound, else <= bound.
Check check(std::string name, double value, double low, double high, double bound, bool at_least) {
  Check c;
  c.name = std::move(name);
  c.value = value;
  c.bound = bound;
  if (at_least) {
    c.met = value >= bound;
    c.margin = std::isinf(value) ? std::numeric_limits<double>::infinity() : value - bound;
    c.certain = c.met ? low >= bound : high < bound;
  } else {
    c.met = value <= bound;
    c.margin = bound - value;
    c.certain = c.met ? high <= bound : low > bound;
  }
  return c;
}

// The checks a variant failed, in words, joined by "; ".
std::string failed_text(const VariantVerdict& verdict) {
  std::string out;
  for (const Check& c : verdict.checks)
    if (!c.met) out += (out.empty() ? "" : "; ") + c.text;
  return out;
}

}  // namespace

std::vector<ConstraintText> constraint_texts(const Constraints& c, const std::string& currency, double horizon_years) {
  std::vector<ConstraintText> out;
  if (c.min_nines)
    out.push_back({"min_nines", *c.min_nines,
                   "durability at least " + fixed(*c.min_nines, 2) + " nines over " + fixed(horizon_years, 0) + " years"});
  if (c.max_fill) out.push_back({"max_fill", *c.max_fill, "peak fill at most " + fixed(100 * *c.max_fill, 1) + " %"});
  if (c.max_heal_h) out.push_back({"max_heal_h", *c.max_heal_h, "longest heal at most " + fixed(*c.max_heal_h, 0) + " h"});
  if (c.budget) out.push_back({"budget", *c.budget, "cost over the horizon at most " + money_text(currency, *c.budget)});
  return out;
}

std::string money_text(const std::string& currency, double amount) {
  const long long whole = std::llround(std::fabs(amount));
  std::string digits = std::to_string(whole), grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return currency + " " + (amount < 0 ? "-" : "") + grouped;
}

Choice choose_variant(const std::vector<VariantFigures>& variants, const Constraints& constraints,
                      const std::string& currency, double horizon_years) {
  Choice out;
  const std::string years = fixed(horizon_years, 0);
  for (const VariantFigures& v : variants) {
    VariantVerdict verdict;
    if (constraints.min_nines) {
      Check c;
      if (v.p_group_loss) {
        const Estimate n = nines_of(*v.p_group_loss);
        c = check("min_nines", n.mean, n.low, n.high, *constraints.min_nines, true);
        // No run met a fatal hazard: the estimate is 0 and its interval too,
        // but a few replicates bound nothing; met, never certain.
        if (std::isinf(c.value)) c.certain = false;
        c.text = "durability " + nines_text(c.value) + " nines over " + years + " years " + (c.met ? ">=" : "<") +
                 " " + fixed(c.bound, 2) +
                 (std::isinf(c.margin) ? " (no run met a fatal hazard; more replicates would bound it)"
                                       : " (" + std::string(c.met ? "margin " : "short by ") +
                                             fixed(std::fabs(c.margin), 2) + ")");
      } else {
        c.name = "min_nines";
        c.bound = *constraints.min_nines;
        c.value = std::numeric_limits<double>::quiet_NaN();
        c.margin = -c.bound;
        c.text = "durability not estimated (run with --nines)";
      }
      verdict.checks.push_back(c);
    }
    if (constraints.max_fill) {
      Check c = check("max_fill", v.peak_fill.mean, v.peak_fill.low, v.peak_fill.high, *constraints.max_fill, false);
      c.text = "peak fill " + fixed(100 * c.value, 1) + " % " + (c.met ? "<=" : ">") + " " + fixed(100 * c.bound, 1) +
               " % (" + (c.met ? "margin " : "over by ") + fixed(100 * std::fabs(c.margin), 1) + " points)";
      verdict.checks.push_back(c);
    }
    if (constraints.max_heal_h) {
      Check c = check("max_heal_h", v.longest_heal_h.mean, v.longest_heal_h.low, v.longest_heal_h.high,
                      *constraints.max_heal_h, false);
      c.text = "longest heal " + fixed(c.value, 0) + " h " + (c.met ? "<=" : ">") + " " + fixed(c.bound, 0) + " h (" +
               (c.met ? "margin " : "over by ") + fixed(std::fabs(c.margin), 0) + " h)";
      verdict.checks.push_back(c);
    }
    if (constraints.budget) {
      Check c = check("budget", v.cost.mean, v.cost.low, v.cost.high, *constraints.budget, false);
      c.text = "cost " + money_text(currency, c.value) + " " + (c.met ? "<=" : ">") + " budget " +
               money_text(currency, c.bound) + " (" + (c.met ? "margin " : "over by ") +
               money_text(currency, std::fabs(c.margin)) + ")";
      verdict.checks.push_back(c);
    }
    verdict.feasible = true;
    for (const Check& c : verdict.checks) {
      if (c.met) continue;
      verdict.feasible = false;
      verdict.shortfall += std::fabs(c.margin) / std::max(std::fabs(c.bound), 1e-12);
    }
    out.variants.push_back(std::move(verdict));
  }
  for (size_t i = 0; i < variants.size(); ++i) {
    if (out.variants[i].feasible) {
      if (!out.recommended || variants[i].cost.mean < variants[*out.recommended].cost.mean) out.recommended = i;
    } else if (!out.nearest_miss || out.variants[i].shortfall < out.variants[*out.nearest_miss].shortfall) {
      out.nearest_miss = i;
    }
  }
  if (out.recommended) out.nearest_miss.reset();
  for (size_t i = 0; i < variants.size(); ++i) {
    VariantVerdict& v = out.variants[i];
    if (out.recommended && i == *out.recommended) {
      v.verdict = "recommended: the cheapest that meets every constraint";
    } else if (v.feasible) {
      v.verdict = "meets every constraint, " +
                  money_text(currency, variants[i].cost.mean - variants[*out.recommended].cost.mean) + " dearer than " +
                  variants[*out.recommended].id;
    } else {
      v.verdict = (out.nearest_miss && i == *out.nearest_miss ? "nearest miss; fails: " : "fails: ") + failed_text(v);
    }
  }
  if (out.recommended) {
    const size_t r = *out.recommended;
    out.verdict = "Choose " + variants[r].id + " (" + variants[r].label + "): the cheapest of " +
                  std::to_string(variants.size()) + " variants that meets every constraint, at " +
                  money_text(currency, variants[r].cost.mean) + " over " + years + " years.";
  } else if (out.nearest_miss) {
    const size_t m = *out.nearest_miss;
    out.verdict = "None of the " + std::to_string(variants.size()) + " variants meets every constraint; the nearest miss is " +
                  variants[m].id + " (" + variants[m].label + "): " + failed_text(out.variants[m]) + ".";
  } else {
    out.verdict = "No variant to choose from.";
  }
  return out;
}

}  // namespace cairn::sim
