// `cairn durability`: the analytic probability of data loss of a set of
// identical redundancy groups, from the Markov chain in sim/durability.h,
// under both repair assumptions (one rebuild at a time per group, or every
// failed disk rebuilding at once). Every figure is labelled with the
// assumption it uses. This is the yardstick the simulator must agree with
// when it runs under the same assumptions: independent exponential failures
// and exponential repairs of mean disk size / heal bandwidth.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "engine/scheme.h"
#include "sim/durability.h"

namespace cairn::cli {
namespace {

using nlohmann::json;
using sim::DurabilityFigures;
using sim::RepairModel;

const char* const kCommand = "durability";

struct DurabilityArgs {
  std::string scheme, afr, repair = "both";
  uint32_t disks = 0;
  double disk_tb = 0, heal_mbps = 0, years = 1;
  bool json = false;
};

// The validated inputs of the chain.
struct Inputs {
  Scheme scheme;
  uint32_t groups = 0;
  double afr = 0, failure_rate_per_h = 0, repair_time_s = 0, horizon_h = 0;
  std::vector<RepairModel> repairs;
};

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// "2%", "2 %" or "0.02" -> 0.02. Empty when not a number or not in (0, 1).
std::optional<double> parse_afr(const std::string& text) {
  std::string number = trim(text);
  const bool percent = !number.empty() && number.back() == '%';
  if (percent) number = trim(number.substr(0, number.size() - 1));
  double value = 0;
  const char* end = number.data() + number.size();
  const auto [ptr, ec] = std::from_chars(number.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  if (percent) value /= 100;
  if (!(value > 0 && value < 1)) return std::nullopt;
  return value;
}

std::optional<std::string> check_numbers(const DurabilityArgs& a) {
  auto positive = [](double x) { return std::isfinite(x) && x > 0; };
  if (!positive(a.disk_tb)) return "--disk-tb must be a positive size in TB";
  if (!positive(a.heal_mbps)) return "--heal-mbps must be a positive rate in MB/s";
  if (!positive(a.years)) return "--years must be a positive number of years";
  return std::nullopt;
}

// Validates the arguments; on error prints the one-line message and sets *code.
std::optional<Inputs> read_inputs(const DurabilityArgs& a, int* code) {
  auto fail = [code](const std::string& message) {
    *code = usage_error(kCommand, message);
    return std::nullopt;
  };
  Result<Scheme> scheme = Scheme::parse(a.scheme);
  if (!scheme) return fail(scheme.status().message());
  const std::optional<double> afr = parse_afr(a.afr);
  if (!afr) return fail("bad --afr '" + a.afr + "': give a fraction in (0, 1) such as 0.02, or a percentage such as 2%");
  if (auto bad = check_numbers(a)) return fail(*bad);
  const uint32_t width = scheme->width();
  if (a.disks == 0 || a.disks % width != 0)
    return fail("--disks " + std::to_string(a.disks) + " is not a whole number of " +
                scheme->to_string() + " groups of " + std::to_string(width) + " disks (try " +
                std::to_string(std::max(1u, a.disks / width) * width) + ")");
  Inputs in;
  in.scheme = *scheme;
  in.groups = a.disks / width;
  in.afr = *afr;
  in.failure_rate_per_h = sim::failure_rate_per_h_from_afr(*afr);
  in.repair_time_s = a.disk_tb * 1e12 / (a.heal_mbps * 1e6);
  in.horizon_h = a.years * sim::kHoursPerYear;
  if (a.repair != "parallel") in.repairs.push_back(RepairModel::kSerial);
  if (a.repair != "serial") in.repairs.push_back(RepairModel::kParallel);
  return in;
}

sim::GroupChain chain_of(const Inputs& in, RepairModel repair) {
  return {in.scheme.width(), in.scheme.tolerated_losses(), in.failure_rate_per_h,
          3600.0 / in.repair_time_s, repair};
}

const char* describe(RepairModel repair) {
  return repair == RepairModel::kSerial ? "one rebuild at a time per group, each at mu"
                                        : "every failed disk rebuilds at once, each at mu";
}

json report_json(const DurabilityArgs& a, const Inputs& in,
                 const std::vector<DurabilityFigures>& figures) {
  json results = json::array();
  for (const DurabilityFigures& f : figures)
    results.push_back({{"repair", sim::to_string(f.repair)},
                       {"mttdl_per_group_h", f.mttdl_per_group_h},
                       {"group_loss_probability", f.group_loss_probability},
                       {"loss_probability", f.loss_probability},
                       {"nines", f.nines}});
  return {{"scheme", in.scheme.to_string()}, {"disks", a.disks}, {"groups", in.groups},
          {"afr", in.afr}, {"failure_rate_per_h", in.failure_rate_per_h},
          {"disk_tb", a.disk_tb}, {"heal_mbps", a.heal_mbps},
          {"repair_time_s", in.repair_time_s}, {"repair_rate_per_h", 3600.0 / in.repair_time_s},
          {"horizon_years", a.years}, {"hours_per_year", sim::kHoursPerYear},
          {"model", "independent exponential failures and repairs, groups independent, start healthy"},
          {"results", results}};
}

void print_text(const DurabilityArgs& a, const Inputs& in,
                const std::vector<DurabilityFigures>& figures) {
  const double hours_per_year = sim::kHoursPerYear;
  const char* plural = in.groups == 1 ? "" : "s";
  std::printf("%s: %u disks in %u group%s of %u, horizon %g year(s) of %g h\n",
              in.scheme.to_string().c_str(), a.disks, in.groups, plural, in.scheme.width(), a.years,
              hours_per_year);
  std::printf("  lambda       %.6g per disk-hour (AFR %g %%, lambda = -ln(1 - AFR) / %g h)\n",
              in.failure_rate_per_h, in.afr * 100, hours_per_year);
  std::printf("  repair time  %.6g s = %.4g h per failed disk (%g TB at %g MB/s), mu = 1/repair time\n",
              in.repair_time_s, in.repair_time_s / 3600, a.disk_tb, a.heal_mbps);
  std::printf("  model        independent exponential failures and repairs; a group loses data at\n"
              "               %u concurrent failures; groups independent; every disk healthy at start\n",
              in.scheme.tolerated_losses() + 1);
  char one_group[64], all_groups[64];
  std::snprintf(one_group, sizeof one_group, "P(loss) one group, %g y", a.years);
  std::snprintf(all_groups, sizeof all_groups, "P(loss) any of %u group%s, %g y", in.groups, plural,
                a.years);
  for (const DurabilityFigures& f : figures) {
    const char* name = sim::to_string(f.repair);
    std::printf("%s repair (%s)\n", name, describe(f.repair));
    std::printf("  %-30s %.8g h (%.6g years)\n", "MTTDL per group", f.mttdl_per_group_h,
                f.mttdl_per_group_h / hours_per_year);
    std::printf("  %-30s %.4g\n", one_group, f.group_loss_probability);
    std::printf("  %-30s %.4g\n", all_groups, f.loss_probability);
    std::printf("  %-30s %.2f (%s repair)\n", "nines", f.nines, name);
  }
}

int run_durability(const DurabilityArgs& a) {
  int code = 0;
  const std::optional<Inputs> in = read_inputs(a, &code);
  if (!in) return code;
  std::vector<DurabilityFigures> figures;
  for (RepairModel repair : in->repairs)
    figures.push_back(sim::durability_figures(chain_of(*in, repair), in->groups, in->horizon_h));
  if (a.json)
    std::printf("%s\n", report_json(a, *in, figures).dump(2).c_str());
  else
    print_text(a, *in, figures);
  return 0;
}

}  // namespace

void add_durability_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<DurabilityArgs>();
  CLI::App* sub = app.add_subcommand(
      "durability", "Analytic probability of data loss (Markov chain) for identical groups");
  sub->add_option("--scheme", args->scheme, "ec:K+M or replica:N")->required();
  sub->add_option("--disks", args->disks, "Total disks, a multiple of the group width")->required();
  sub->add_option("--afr", args->afr, "Annual failure rate per disk: 0.02 or 2%")->required();
  sub->add_option("--disk-tb", args->disk_tb, "Disk size in TB (10^12 bytes)")->required();
  sub->add_option("--heal-mbps", args->heal_mbps, "Rebuild rate of one failed disk in MB/s (10^6 bytes/s)")
      ->required();
  sub->add_option("--years", args->years, "Horizon in years of 8766 h")->capture_default_str();
  sub->add_option("--repair", args->repair, "Repair assumption: serial, parallel or both")
      ->check(CLI::IsMember({"serial", "parallel", "both"}))
      ->capture_default_str();
  sub->add_flag("--json", args->json, "Print one JSON object instead of text");
  sub->callback([args, exit_code] { *exit_code = run_durability(*args); });
}

}  // namespace cairn::cli
