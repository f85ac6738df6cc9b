// A fixed-seed smoke run pinned by a golden summary (STYLE.md 10): the key
// figures of `cairn plan scenarios/smoke.yaml --seed 42` and how many events
// of each kind it records. Any change to the model's behaviour shows here;
// when the change is intended, regenerate the file (the command is printed
// on failure) and let the diff explain it in the commit.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/replicates.h"
#include "sim/scenario_yaml.h"

namespace cairn::sim {
namespace {

using nlohmann::json;

constexpr double kRelativeTolerance = 1e-9;
const char* const kGoldenPath = "/tests/sim/golden/smoke_summary.json";
const char* const kCommand = "cairn plan scenarios/smoke.yaml --seed 42";
const char* const kRegenerate =
    "CAIRN_UPDATE_GOLDEN=1 build/tests/sim/sim_tests --gtest_filter='GoldenSmoke.*'";

// The run's figures as pinned: to_json(result, false) without the wall time
// (not reproducible), plus the number of events of each kind.
json figures(const RunResult& r) {
  json j = to_json(r, false);
  j.erase("wall_s");
  std::map<std::string, uint64_t> counts;
  for (const Event& e : r.events) ++counts[e.kind];
  j["event_counts"] = counts;
  j["months"] = r.months.size();
  return j;
}

bool same_number(const json& golden, const json& now) {
  if (golden.is_number_float() || now.is_number_float()) {
    const double g = golden.get<double>(), n = now.get<double>();
    return std::abs(g - n) <= kRelativeTolerance * std::max(std::abs(g), std::abs(n));
  }
  return golden == now;  // counts: exact
}

// Appends "path: golden X, now Y" for every difference.
void diff(const json& golden, const json& now, const std::string& path, std::string& out) {
  if (golden.is_object() && now.is_object()) {
    for (auto it = golden.begin(); it != golden.end(); ++it) {
      if (!now.contains(it.key())) out += "  " + path + it.key() + ": golden " + it.value().dump() + ", now missing\n";
      else diff(it.value(), now[it.key()], path + it.key() + ".", out);
    }
    for (auto it = now.begin(); it != now.end(); ++it)
      if (!golden.contains(it.key())) out += "  " + path + it.key() + ": not in golden, now " + it.value().dump() + "\n";
    return;
  }
  std::string where = path.empty() ? "(root)" : path.substr(0, path.size() - 1);
  if (golden.is_array() && now.is_array()) {
    if (golden.size() != now.size()) {
      out += "  " + where + ": golden " + golden.dump() + ", now " + now.dump() + "\n";
      return;
    }
    for (size_t i = 0; i < golden.size(); ++i) diff(golden[i], now[i], where + "[" + std::to_string(i) + "].", out);
    return;
  }
  const bool equal = golden.is_number() && now.is_number() ? same_number(golden, now) : golden == now;
  if (!equal) out += "  " + where + ": golden " + golden.dump() + ", now " + now.dump() + "\n";
}

TEST(GoldenSmoke, SummaryMatchesGoldenFile) {
  const std::string source = CAIRN_SOURCE_DIR;
  Result<Scenario> loaded = load_scenario(source + "/scenarios/smoke.yaml");
  ASSERT_TRUE(loaded) << loaded.status().message();
  Scenario s = *loaded;
  s.seed = 42;  // as kCommand; the file's own seed may change without moving the golden run
  auto runs = run_replicates(s, ReplicateOptions{1, 1, false}, nullptr);
  ASSERT_TRUE(runs) << runs.status().message();
  const json now = figures(runs->front());

  const std::string path = source + kGoldenPath;
  if (std::getenv("CAIRN_UPDATE_GOLDEN") != nullptr) {
    json file = {{"command", kCommand}, {"regenerate", kRegenerate}, {"figures", now}};
    std::ofstream(path) << file.dump(2) << "\n";
    GTEST_SKIP() << "wrote " << path;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "no golden file " << path << "; create it with: " << kRegenerate;
  const json golden = json::parse(in, nullptr, false);
  ASSERT_FALSE(golden.is_discarded()) << path << " is not valid JSON";
  ASSERT_TRUE(golden.contains("figures")) << path << " has no \"figures\"";

  std::string differences;
  diff(golden["figures"], now, "", differences);
  EXPECT_TRUE(differences.empty()) << "`" << kCommand << "` no longer gives the golden summary in " << path
                                   << " (counts exact, other figures to 1e-9 relative):\n"
                                   << differences << "If the change is intended, regenerate it with\n  "
                                   << kRegenerate << "\nand say in the commit why the figures moved.";
}

// The comparison itself must catch a change: a perturbed copy differs.
TEST(GoldenSmoke, DiffCatchesChanges) {
  json a = {{"disk_failures", 10}, {"peak_fill", 0.5}, {"nodes_bought_per_year", {0, 3, 6}}};
  std::string out;
  diff(a, a, "", out);
  EXPECT_EQ(out, "");
  json b = a;
  b["peak_fill"] = 0.5 * (1 + 1e-12);  // within tolerance
  diff(a, b, "", out);
  EXPECT_EQ(out, "");
  b["peak_fill"] = 0.5 * (1 + 1e-8);
  b["disk_failures"] = 11;
  b["nodes_bought_per_year"][2] = 7;
  b["extra"] = 1;
  diff(a, b, "", out);
  EXPECT_NE(out.find("peak_fill"), std::string::npos) << out;
  EXPECT_NE(out.find("disk_failures: golden 10, now 11"), std::string::npos) << out;
  EXPECT_NE(out.find("nodes_bought_per_year[2]"), std::string::npos) << out;
  EXPECT_NE(out.find("extra: not in golden"), std::string::npos) << out;
}

}  // namespace
}  // namespace cairn::sim
