// `cairn plan --choose FILE`: run a sweep's variants (the sweep machinery,
// cli/sweep_run.h) and name the cheapest that meets the user's constraints
// (sim/choose.h), with the margin on each and why each other variant lost;
// with a `sensitivity:` section, the same again with each assumption at the
// low and the high end of its range. Writes choose.json and prints a table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cairn::cli {

struct ChooseArgs {
  std::string file;      // the choose file: a sweep file with constraints and sensitivity
  std::string scenario;  // if given, replaces the file's scenario
  std::string out_dir;   // default out/choose/NAME
  unsigned jobs = 2;
  std::optional<double> min_nines, max_fill, max_heal_h, budget;  // override the file's constraints
  bool no_sensitivity = false;
  bool json = false;  // print choose.json instead of the table
};

int run_choose(const ChooseArgs& a);

}  // namespace cairn::cli
