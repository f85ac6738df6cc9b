// The report's words: the sentences of its first page, written for a reader
// who is not an engineer — the hospital as the scenario describes it, what
// the chance of losing data comes to, the main risks, the recommendation —
// and the scenario's key assumptions with the sources written beside them,
// and the command that reproduces the run from the export folder. Pure
// functions over the scenario, its text and the run's summary; no Qt.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gui/choose.h"
#include "gui/run_results.h"
#include "sim/scenario.h"

namespace cairn::gui {

// "The archive takes in 54 TB of images in year 1, growing 10 % a year
// (1.7 PB over 15 years). ..." — ingest, growth, the scheme in words, the
// nodes and disks at the start, when purchases are made, the horizon.
// `with_description`: the scenario's own description first (not for a
// variant, whose scheme or sizes it may no longer match).
std::string hospital_in_words(const sim::Scenario& scenario, bool with_description = true);

// The chance of losing data, as counted runs: "No run lost data (0 of 20);
// with 20 runs that bounds the chance below 16 % (95 % confidence)." With a
// durability estimate (--nines) its nines and P(group loss) follow.
std::string loss_in_words(const RunData& run);

// Cost over the horizon with its interval, in words.
std::string cost_in_words(const RunData& run);

// The main risks, one sentence each: the longest heal (the window in which
// a further failure could lose data), the peak fill against the purchase
// threshold, purchases not made in every run, and the run's warnings.
std::vector<std::string> main_risks(const RunData& run, const sim::Scenario& scenario);

// The recommendation in a sentence or two: the chosen variant, its cost
// and the margin on each constraint, and why the others lost (in brief).
std::string recommendation_in_words(const ChooseResult& choose);

// The summary's "reproduce" with the scenario named `scenario_name`
// (relative to the export folder) and written to `out_dir`:
// "cairn plan scenario.yaml --seed 1 --runs 20 --out reproduced".
std::string relative_reproduce(const nlohmann::json& summary, const std::string& scenario_name,
                               const std::string& out_dir);

// A scenario value that matters to the plan, as written, with the comment
// beside (or above) it, which carries its source.
struct Assumption {
  std::string key;     // "workload.annual_growth"
  std::string value;   // "10 %"
  std::string source;  // "REFERENCE estimate: base case +8–12 %/yr total (high case 15 %)"
};
// The key assumptions present in `yaml`, in a fixed order (ingest, growth,
// scheme, disks, failure rates, heal, procurement, prices).
std::vector<Assumption> key_assumptions(std::string_view yaml);

}  // namespace cairn::gui
