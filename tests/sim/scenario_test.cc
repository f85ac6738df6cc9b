#include "sim/scenario.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/placement.h"
#include "engine/topology.h"
#include "sim/scenario_yaml.h"
#include "engine/units.h"
#include "tests/sim/yaml_error_testing.h"

namespace cairn::sim {
namespace {

// The repository root, from this file's path (tests/sim/scenario_test.cc).
std::string source_dir() {
  std::string here = __FILE__;
  return here.substr(0, here.rfind("/tests/sim/"));
}

std::string scenario_path(const std::string& name) {
  return source_dir() + "/scenarios/" + name;
}

// ---- shipped scenarios ----------------------------------------------------------

double ingest_over_horizon(const Scenario& s) {
  double total = 0, year = s.workload.first_year_bytes;
  for (int y = 0; y < static_cast<int>(std::round(s.horizon_years)); ++y) {
    total += year;
    year *= 1 + s.workload.annual_growth;
  }
  return total;
}

TEST(ShippedScenarios, TertiaryHospitalIsTheDocumentedDefault) {
  auto r = load_scenario(scenario_path("tertiary-hospital.yaml"));
  ASSERT_TRUE(r) << r.status().message();
  const Scenario& s = *r;
  EXPECT_TRUE(validate(s).is_ok());
  EXPECT_EQ(s.name, "tertiary-hospital");
  EXPECT_EQ(s.pool.scheme, Scheme::erasure(8, 3));
  EXPECT_EQ(s.pool.domain, FailureDomain::kNode);
  EXPECT_EQ(s.cluster.disk.capacity_bytes, 20'000'000'000'000u);
  EXPECT_DOUBLE_EQ(s.workload.first_year_bytes, 54e12);  // REFERENCE: ≈ 54 TB in year 1
  EXPECT_DOUBLE_EQ(s.horizon_years, 15);
  // REFERENCE's estimate defaults: 1.0 % in year 1, 1.5 % in years 2-4, 3 % in year 5, 5 % after.
  EXPECT_EQ(s.failures.disk.kind, DiskFailureModel::Kind::kByAge);
  std::vector<double> afr{0.010, 0.015, 0.015, 0.015, 0.03, 0.05};
  ASSERT_EQ(s.failures.disk.afr_by_age_year.size(), afr.size());
  for (size_t i = 0; i < afr.size(); ++i)
    EXPECT_NEAR(s.failures.disk.afr_by_age_year[i], afr[i], 1e-15) << i;
  // On the order of a petabyte within the horizon; REFERENCE: 1.2-2.6 PB over 15 years.
  double total = ingest_over_horizon(s);
  EXPECT_GT(total, 1.2e15);
  EXPECT_LT(total, 2.6e15);
  EXPECT_EQ(s.procurement.increment_nodes, 0u);  // auto: whole groups
}

TEST(ShippedScenarios, AllParseAndValidate) {
  for (const char* name : {"tertiary-hospital.yaml", "county-hospital.yaml", "smoke.yaml",
                           "lossy-smoke.yaml", "large-1000-nodes.yaml", "what-if-rack-loss.yaml"}) {
    auto r = load_scenario(scenario_path(name));
    ASSERT_TRUE(r) << name << ": " << r.status().message();
    EXPECT_TRUE(validate(*r).is_ok()) << name << ": " << validate(*r).message();
  }
  auto county = load_scenario(scenario_path("county-hospital.yaml"));
  EXPECT_DOUBLE_EQ(county->workload.first_year_bytes, 5e12);  // REFERENCE: ≈ 5 TB in year 1
  EXPECT_EQ(county->pool.scheme, Scheme::replica(3));
  auto smoke = load_scenario(scenario_path("smoke.yaml"));
  EXPECT_LE(smoke->horizon_years, 3);
  EXPECT_LE(smoke->cluster.initial_nodes, 6u);
  EXPECT_GE(smoke->failures.disk.afr, 0.1);  // so that failures happen in a short run
  EXPECT_GT(smoke->failures.node_outages_per_node_year, 0);
  EXPECT_GT(smoke->failures.node_losses_per_node_year, 0);
}

// The engine itself forms the shipped scenarios' pools, at the start and at max_nodes.
TEST(ShippedScenarios, EngineFormsTheirPools) {
  for (const char* name : {"tertiary-hospital.yaml", "county-hospital.yaml", "smoke.yaml",
                           "lossy-smoke.yaml", "large-1000-nodes.yaml", "what-if-rack-loss.yaml"}) {
    auto r = load_scenario(scenario_path(name));
    ASSERT_TRUE(r) << name;
    const ClusterSpec& c = r->cluster;
    for (uint32_t nodes : {c.initial_nodes, r->procurement.max_nodes}) {
      Topology t = Topology::uniform(c.racks, nodes, c.disks_per_node, c.disk);
      auto placement = form_fixed(t, r->pool_spec());
      ASSERT_TRUE(placement) << name << " at " << nodes << ": " << placement.status().message();
      EXPECT_FALSE(placement->groups.empty());
    }
  }
}

// ---- round trips ------------------------------------------------------------------

void expect_near(double a, double b, const char* what) {
  EXPECT_NEAR(a, b, std::abs(b) * 1e-14) << what;
}

// Every field of Scenario, so that a field the YAML cannot set shows up here.
void expect_same(const Scenario& a, const Scenario& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  expect_near(a.horizon_years, b.horizon_years, "horizon");
  EXPECT_EQ(a.seed, b.seed);
  const ClusterSpec &ca = a.cluster, &cb = b.cluster;
  EXPECT_EQ(ca.racks, cb.racks);
  EXPECT_EQ(ca.initial_nodes, cb.initial_nodes);
  EXPECT_EQ(ca.disks_per_node, cb.disks_per_node);
  EXPECT_EQ(ca.disk.capacity_bytes, cb.disk.capacity_bytes);
  EXPECT_EQ(ca.disk.device_class, cb.disk.device_class);
  EXPECT_EQ(ca.disk.read_bytes_per_s, cb.disk.read_bytes_per_s);
  EXPECT_EQ(ca.disk.write_bytes_per_s, cb.disk.write_bytes_per_s);
  for (auto [na, nb] : {std::pair{ca.client, cb.client}, std::pair{ca.storage, cb.storage},
                        std::pair{ca.management, cb.management}}) {
    expect_near(na.bytes_per_s, nb.bytes_per_s, "network bandwidth");
    expect_near(na.latency_s, nb.latency_s, "network latency");
  }
  EXPECT_EQ(a.pool.scheme, b.pool.scheme);
  EXPECT_EQ(a.pool.domain, b.pool.domain);
  EXPECT_EQ(a.pool.strategy, b.pool.strategy);
  EXPECT_EQ(a.pool.member_slots_per_disk, b.pool.member_slots_per_disk);
  expect_near(a.workload.first_year_bytes, b.workload.first_year_bytes, "first_year_ingest");
  expect_near(a.workload.annual_growth, b.workload.annual_growth, "annual_growth");
  expect_near(a.workload.read_fraction, b.workload.read_fraction, "read_fraction");
  ASSERT_EQ(a.workload.file_sizes.size(), b.workload.file_sizes.size());
  for (size_t i = 0; i < a.workload.file_sizes.size(); ++i) {
    expect_near(a.workload.file_sizes[i].file_fraction, b.workload.file_sizes[i].file_fraction,
                "share");
    EXPECT_EQ(a.workload.file_sizes[i].bytes, b.workload.file_sizes[i].bytes);
  }
  const DiskFailureModel &da = a.failures.disk, &db = b.failures.disk;
  EXPECT_EQ(da.kind, db.kind);
  expect_near(da.afr, db.afr, "afr");
  ASSERT_EQ(da.afr_by_age_year.size(), db.afr_by_age_year.size());
  for (size_t i = 0; i < da.afr_by_age_year.size(); ++i)
    expect_near(da.afr_by_age_year[i], db.afr_by_age_year[i], "afr_by_age");
  expect_near(da.weibull_shape, db.weibull_shape, "weibull_shape");
  expect_near(da.weibull_scale_years, db.weibull_scale_years, "weibull_scale");
  const FailureSpec &fa = a.failures, &fb = b.failures;
  expect_near(fa.node_outages_per_node_year, fb.node_outages_per_node_year, "outages");
  expect_near(fa.node_outage_duration_s, fb.node_outage_duration_s, "outage duration");
  expect_near(fa.node_losses_per_node_year, fb.node_losses_per_node_year, "losses");
  expect_near(a.heal.detection_delay_s, b.heal.detection_delay_s, "detection_delay");
  expect_near(a.heal.replacement_delay_s, b.heal.replacement_delay_s, "replacement_delay");
  expect_near(a.heal.bytes_per_s_per_disk, b.heal.bytes_per_s_per_disk, "bandwidth_per_disk");
  expect_near(a.heal.bytes_per_s_per_node, b.heal.bytes_per_s_per_node, "bandwidth_per_node");
  EXPECT_EQ(a.heal.max_concurrent_heals, b.heal.max_concurrent_heals);
  expect_near(a.procurement.fill_threshold, b.procurement.fill_threshold, "fill_threshold");
  expect_near(a.procurement.lead_time_s, b.procurement.lead_time_s, "lead_time");
  EXPECT_EQ(a.procurement.increment_nodes, b.procurement.increment_nodes);
  EXPECT_EQ(a.procurement.max_nodes, b.procurement.max_nodes);
  expect_near(a.procurement.rebalance_bytes_per_s, b.procurement.rebalance_bytes_per_s,
              "rebalance_bandwidth");
  ASSERT_EQ(a.events.size(), b.events.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    ScenarioEvent ea = a.events[i], eb = b.events[i];
    expect_near(ea.at_s, eb.at_s, "events[].at");
    ASSERT_EQ(ea.duration_s.has_value(), eb.duration_s.has_value());
    if (eb.duration_s) expect_near(*ea.duration_s, *eb.duration_s, "events[].duration");
    ea.at_s = eb.at_s;
    ea.duration_s = eb.duration_s;
    EXPECT_EQ(ea, eb) << "events[" << i << "]";
  }
}

// Every key set to a value other than its default, in a different unit each.
constexpr const char* kEveryKey = R"(name: every-key
description: sets every key
horizon: 120 months
seed: 18446744073709551615
cluster:
  racks: 12
  initial_nodes: 14
  node:
    disks: 6
    disk: { size: 16 TiB, class: ssd, read: 2 GB/s, write: 8 Gb/s }
  networks:
    client: { bandwidth: 25 Gbps, latency: 50 us }
    storage: { bandwidth: 100 Gb/s, latency: 0.2 ms }
    management: { bandwidth: 1 Gbit/s, latency: 1 ms }
pool:
  scheme: ec:4+2
  failure_domain: rack
  strategy: declustered
  member_slots_per_disk: 40
workload:
  first_year_ingest: 120 TB
  annual_growth: 0.15
  file_sizes:
    - { share: 0.75, size: 512 KiB }
    - { share: 25 %, size: 1.5 GB }
  read_fraction: 30 %
failures:
  disk:
    model: weibull
    weibull_shape: 1.2
    weibull_scale: 40 years
  node_outages: { per_node_year: 3.5, duration: 90 min }
  node_losses: { per_node_year: 0.02 }
heal:
  detection_delay: 900 s
  replacement_delay: 1 week
  bandwidth_per_disk: 150 MB/s
  bandwidth_per_node: 1.25 GB/s
  max_concurrent: 32
procurement:
  fill_threshold: 75 %
  lead_time: 6 months
  increment_nodes: 7
  max_nodes: 300
  rebalance_bandwidth: 400 MB/s
)";

TEST(ScenarioYaml, EveryFieldIsSettable) {
  auto r = parse_scenario(kEveryKey, "every.yaml");
  ASSERT_TRUE(r) << r.status().message();
  Scenario want;
  want.name = "every-key";
  want.description = "sets every key";
  want.horizon_years = 10;
  want.seed = UINT64_MAX;
  want.cluster.racks = 12;
  want.cluster.initial_nodes = 14;
  want.cluster.disks_per_node = 6;
  want.cluster.disk = {16ULL << 40, DeviceClass::kSsd, 2'000'000'000, 1'000'000'000};
  want.cluster.client = {25e9 / 8, 50e-6};
  want.cluster.storage = {100e9 / 8, 0.2e-3};
  want.cluster.management = {1e9 / 8, 1e-3};
  want.pool = {Scheme::erasure(4, 2), FailureDomain::kRack, GroupStrategy::kDeclustered, 40};
  want.workload.first_year_bytes = 120e12;
  want.workload.annual_growth = 0.15;
  want.workload.file_sizes = {{0.75, 524'288}, {0.25, 1'500'000'000}};
  want.workload.read_fraction = 0.3;
  want.failures.disk.kind = DiskFailureModel::Kind::kWeibull;
  want.failures.disk.weibull_shape = 1.2;
  want.failures.disk.weibull_scale_years = 40;
  want.failures.node_outages_per_node_year = 3.5;
  want.failures.node_outage_duration_s = 5400;
  want.failures.node_losses_per_node_year = 0.02;
  want.heal = {900, 7 * 86400.0, 150e6, 1.25e9, 32};
  want.procurement = {0.75, kSecondsPerYear / 2, 7, 300, 400e6, {}};
  expect_same(*r, want);
}

TEST(ScenarioYaml, MissingKeysTakeTheDefaults) {
  const char* minimal = R"(cluster:
  initial_nodes: 12
  node:
    disks: 12
    disk: { size: 20 TB }
pool:
  scheme: ec:8+3
workload:
  first_year_ingest: 54 TB
)";
  auto r = parse_scenario(minimal, "minimal.yaml");
  ASSERT_TRUE(r) << r.status().message();
  Scenario want;  // scenario.h's defaults are exactly the minimal scenario's values
  want.cluster.initial_nodes = 12;
  want.cluster.disks_per_node = 12;
  expect_same(*r, want);
}

TEST(ScenarioYaml, ToYamlRoundTripsShippedAndEveryKeyScenarios) {
  std::vector<Scenario> scenarios;
  for (const char* name :
       {"tertiary-hospital.yaml", "county-hospital.yaml", "smoke.yaml", "what-if-rack-loss.yaml"})
    scenarios.push_back(*load_scenario(scenario_path(name)));
  scenarios.push_back(*parse_scenario(kEveryKey, "every.yaml"));
  for (const Scenario& s : scenarios) {
    std::string text = to_yaml(s);
    auto back = parse_scenario(text, "written.yaml");
    ASSERT_TRUE(back) << back.status().message() << "\n" << text;
    SCOPED_TRACE(s.name);
    expect_same(*back, s);
    EXPECT_EQ(to_yaml(*back), text);
  }
}

// Each unit, written in a scenario, reads back as the value it names.
TEST(ScenarioYaml, UnitsRoundTripThroughTheScenario) {
  struct Case {
    const char* written;
    double bytes;
  };
  for (Case c : {Case{"54 TB", 54e12}, Case{"4 TiB", 4398046511104.0}, Case{"300 kB", 300e3},
                 Case{"0.5 MB", 0.5e6}, Case{"512 KiB", 524288}, Case{"1 PB", 1e15},
                 Case{"2 GiB", 2147483648.0}, Case{"7 EB", 7e18}}) {
    std::string text =
        std::string(R"(cluster: { initial_nodes: 12, node: { disks: 12, disk: { size: 20 TB } } }
pool: { scheme: "ec:8+3" }
workload: { first_year_ingest: )") +
        c.written + " }\n";
    auto r = parse_scenario(text, "u.yaml");
    ASSERT_TRUE(r) << c.written << ": " << r.status().message();
    EXPECT_DOUBLE_EQ(r->workload.first_year_bytes, c.bytes) << c.written;
    EXPECT_DOUBLE_EQ(*parse_size_bytes(format_size(c.bytes)), c.bytes) << c.written;
  }
}

// The README's examples are valid scenarios.
TEST(ScenarioYaml, ReadmeExamplesParse) {
  std::ifstream in(source_dir() + "/scenarios/README.md");
  ASSERT_TRUE(in);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string readme = buffer.str();
  int examples = 0;
  for (size_t at = readme.find("```yaml\n"); at != std::string::npos;
       at = readme.find("```yaml\n", at + 1)) {
    size_t begin = at + 8, end = readme.find("```", begin);
    auto r = parse_scenario(readme.substr(begin, end - begin), "README.md");
    EXPECT_TRUE(r) << r.status().message();
    ++examples;
  }
  EXPECT_GE(examples, 2);
}

// ---- validate against the engine ---------------------------------------------------

// validate() calls a topology unsatisfiable exactly when the engine cannot form
// the pool on the initial nodes, and for a fixed pool, exactly when the engine
// refuses a purchase of increment_nodes.
TEST(Validate, AgreesWithTheEngineOnWhatTopologyHoldsTheScheme) {
  int checked = 0;
  for (Scheme scheme : {Scheme::replica(3), Scheme::erasure(4, 2), Scheme::erasure(8, 3)}) {
    for (FailureDomain domain :
         {FailureDomain::kDisk, FailureDomain::kNode, FailureDomain::kRack}) {
      for (uint32_t racks : {1u, 3u, 6u, 11u}) {
        for (uint32_t nodes : {1u, 2u, 3u, 5u, 6u, 10u, 11u, 13u}) {
          for (uint32_t disks : {1u, 2u, 4u}) {
            Scenario s;
            s.pool.scheme = scheme;
            s.pool.domain = domain;
            s.cluster.racks = racks;
            s.cluster.initial_nodes = nodes;
            s.cluster.disks_per_node = disks;
            s.procurement.max_nodes = nodes;
            auto problem = find_problem(s);
            ASSERT_TRUE(!problem || problem->status.code() == StatusCode::kUnsatisfiable)
                << problem->key << ": " << problem->status.message();
            Topology t = Topology::uniform(racks, nodes, disks, s.cluster.disk);
            auto placement = form_fixed(t, s.pool_spec());
            EXPECT_EQ(placement.is_ok(), !problem)
                << scheme.to_string() << " " << to_string(domain) << " racks " << racks << " nodes "
                << nodes << " disks " << disks;
            auto declustered = form_declustered(t, s.pool_spec());
            EXPECT_EQ(declustered.is_ok(), placement.is_ok());
            if (!placement) continue;
            for (uint32_t inc : {1u, 3u, 6u, 11u}) {
              s.procurement.increment_nodes = inc;
              s.procurement.max_nodes = nodes + inc;
              auto inc_problem = find_problem(s);
              Topology grown = t;
              grown.add_nodes_spread(inc, disks, s.cluster.disk);
              auto next = next_fixed(*placement, grown, s.pool_spec());
              EXPECT_EQ(next.is_ok(), !inc_problem)
                  << scheme.to_string() << " " << to_string(domain) << " racks " << racks
                  << " nodes " << nodes << " disks " << disks << " +" << inc << ": "
                  << (inc_problem ? inc_problem->status.message() : next.status().message());
              ++checked;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 100);
}

TEST(Validate, MessageIsKeyThenReason) {
  Scenario s;
  s.procurement.max_nodes = 4;
  Status st = validate(s);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(),
            "procurement.max_nodes: must be at least cluster.initial_nodes (12), got 4");
  EXPECT_TRUE(validate(Scenario{}).is_ok());
}

TEST(Validate, ChecksRangesOfCodeBuiltScenarios) {
  auto key_of = [](const Scenario& s) {
    auto p = find_problem(s);
    return p ? p->key : std::string("(none)");
  };
  Scenario s;
  s.workload.read_fraction = 1.0;
  EXPECT_EQ(key_of(s), "workload.read_fraction");
  s = {};
  s.horizon_years = 101;
  EXPECT_EQ(key_of(s), "horizon");
  s = {};
  s.horizon_years = 0;
  EXPECT_EQ(key_of(s), "horizon");
  s = {};
  s.procurement.fill_threshold = 1.0;
  EXPECT_EQ(key_of(s), "procurement.fill_threshold");
  s = {};
  s.procurement.fill_threshold = 0;
  EXPECT_EQ(key_of(s), "procurement.fill_threshold");
  s = {};
  s.failures.disk.afr = std::nan("");
  EXPECT_EQ(key_of(s), "failures.disk.afr");
  s = {};
  s.failures.disk.kind = DiskFailureModel::Kind::kByAge;
  EXPECT_EQ(key_of(s), "failures.disk.afr_by_age");
  s.failures.disk.afr_by_age_year = {0.01, 1.0};
  EXPECT_EQ(key_of(s), "failures.disk.afr_by_age[1]");
  s = {};
  s.workload.file_sizes = {{0.5, 1000}, {0.5, 0}};
  EXPECT_EQ(key_of(s), "workload.file_sizes[1].size");
  s = {};
  s.workload.file_sizes = {{0.5, 1000}, {0.0, 10}, {0.5, 10}};
  EXPECT_EQ(key_of(s), "workload.file_sizes[1].share");
  s = {};
  s.cluster.disk.capacity_bytes = 0;
  EXPECT_EQ(key_of(s), "cluster.node.disk.size");
  s = {};
  s.heal.max_concurrent_heals = 0;
  EXPECT_EQ(key_of(s), "heal.max_concurrent");
  s = {};
  s.cluster.storage.bytes_per_s = 0;
  EXPECT_EQ(key_of(s), "cluster.networks.storage.bandwidth");
  s = {};
  s.pool.scheme = Scheme::erasure(30, 3);
  EXPECT_EQ(key_of(s), "pool.scheme");
}

// ---- mistakes: each names file:line:column, the key path, and what was expected ----

// A valid scenario whose lines the tests below replace one at a time.
const std::vector<std::string> kBase = {
    "name: t",                              // 1
    "cluster:",                             // 2
    "  racks: 4",                           // 3
    "  initial_nodes: 12",                  // 4
    "  node:",                              // 5
    "    disks: 4",                         // 6
    "    disk:",                            // 7
    "      size: 20 TB",                    // 8
    "pool:",                                // 9
    "  scheme: ec:8+3",                     // 10
    "  failure_domain: node",               // 11
    "workload:",                            // 12
    "  first_year_ingest: 54 TB",           // 13
    "  file_sizes:",                        // 14
    "    - { share: 90 %, size: 200 kB }",  // 15
    "    - { share: 10 %, size: 4 MB }",    // 16
    "failures:",                            // 17
    "  disk:",                              // 18
    "    model: constant",                  // 19
    "    afr: 1.5 %",                       // 20
    "procurement:",                         // 21
    "  fill_threshold: 80 %",               // 22
    "  max_nodes: 60",                      // 23
};

// kBase with line `line` (1-based) replaced; an empty replacement drops it.
std::string with_line(int line, const std::string& replacement) {
  std::string text;
  for (int i = 1; i <= static_cast<int>(kBase.size()); ++i) {
    const std::string& l = i == line ? replacement : kBase[static_cast<size_t>(i - 1)];
    if (i == line && l.empty()) continue;
    text += l + "\n";
  }
  return text;
}


Status error_of(const std::string& text) {
  auto r = parse_scenario(text, "t.yaml");
  EXPECT_FALSE(r) << "accepted:\n" << text;
  return r ? Status::ok() : r.status();
}

// The message, from its start: where, which key, then `rest` somewhere after.
void expect_error(const std::string& text, const std::string& where_and_key,
                  const std::string& rest) {
  Status st = error_of(text);
  EXPECT_EQ(st.message().substr(0, where_and_key.size()), where_and_key) << st.message();
  EXPECT_NE(st.message().find(rest, where_and_key.size()), std::string::npos) << st.message();
}

TEST(ScenarioErrors, BaseIsValid) {
  auto r = parse_scenario(with_line(0, ""), "t.yaml");
  EXPECT_TRUE(r) << r.status().message();
}

TEST(ScenarioErrors, YamlSyntaxError) {
  // An unclosed flow list: yaml-cpp notices at line 21, the error points at its '['.
  std::string text = with_line(20, "    afr: [1.5 %, 2 %");
  Status st = error_of(text);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(
      st.message().rfind(at(text, 20, "[") + "near failures.disk.afr: YAML syntax error: ", 0), 0u)
      << st.message();
  EXPECT_NE(st.message().find("never closed; the parser gave up at line 21"), std::string::npos)
      << st.message();
  // Comments and quoted text before it do not confuse the search for the '['.
  text = with_line(20, "    afr: [1.5 %, 2 %");
  text.insert(text.find("cluster:"), "# the hospital's archive, \"quoted\" [brackets\n");
  st = error_of(text);
  EXPECT_EQ(st.message().rfind(at(text, 21, "[") + "near failures.disk.afr: YAML syntax error", 0),
            0u)
      << st.message();
  text = with_line(16, "    - { share: 10 %, size: 4 MB");
  st = error_of(text);
  EXPECT_EQ(
      st.message().rfind(at(text, 16, "{") + "near workload.file_sizes: YAML syntax error", 0), 0u)
      << st.message();
  // A key indented under no mapping: the parser's own position, and the keys around it.
  text = with_line(8, "      size: 20 TB\n     oops: 1");
  st = error_of(text);
  EXPECT_EQ(st.message().rfind("t.yaml:9:6: near cluster.node.disk.oops: YAML syntax error: ", 0),
            0u)
      << st.message();
}

TEST(ScenarioErrors, UnknownKeyListsAllowedKeys) {
  std::string text = with_line(3, "  rakcs: 4");
  expect_error(text, at(text, 3, "rakcs") + "cluster.rakcs: unknown key (did you mean racks?); ",
               "allowed keys in cluster: racks, initial_nodes, node, networks");
  text = with_line(1, "nmae: t");
  expect_error(text, "t.yaml:1:1: nmae: unknown key (did you mean name?)",
               "allowed keys at the top level: name, description, horizon, seed, cluster, pool, "
               "workload, failures, heal, procurement");
  text = with_line(15, "    - { share: 90 %, size: 200 kB, colour: red }");
  expect_error(text, at(text, 15, "colour") + "workload.file_sizes[0].colour: unknown key",
               "allowed keys in workload.file_sizes[0]: share, size");
}

TEST(ScenarioErrors, DuplicateKey) {
  std::string text = with_line(23, "  fill_threshold: 70 %");
  expect_error(text, at(text, 23, "fill_threshold") + "procurement.fill_threshold: ",
               "duplicate key (first set at line 22)");
}

TEST(ScenarioErrors, WrongType) {
  std::string text = with_line(6, "    disks: [4]");
  expect_error(text, at(text, 6, "disks") + "cluster.node.disks: ",
               "expected a whole number like 12, got a list");
  text = with_line(18, "  disk: broken");
  const std::string disk_keys = "    model: constant\n    afr: 1.5 %\n";
  text.erase(text.find(disk_keys), disk_keys.size());
  expect_error(text, at(text, 18, "disk") + "failures.disk: ",
               "expected a mapping with keys model, afr, afr_by_age, weibull_shape, weibull_scale, "
               "got \"broken\"");
  text = with_line(4, "  initial_nodes: twelve");
  expect_error(text, at(text, 4, "initial_nodes") + "cluster.initial_nodes: ",
               "expected a whole number like 12, got \"twelve\"");
  text = with_line(10, "  scheme: raid6");
  expect_error(text, at(text, 10, "scheme") + "pool.scheme: ", "expected replica:N or ec:K+M");
  text = with_line(20, "    afr: high");
  expect_error(text, at(text, 20, "afr") + "failures.disk.afr: ",
               R"(expected a fraction like "1.5 %" or 0.015, got "high")");
  text = with_line(20, "    afr:");
  expect_error(text, at(text, 20, "afr") + "failures.disk.afr: ", "got nothing");
}

TEST(ScenarioErrors, BadUnit) {
  std::string text = with_line(8, "      size: 20 TQ");
  expect_error(
      text, at(text, 8, "size") + "cluster.node.disk.size: ",
      R"(expected a size like "20 TB", "300 kB" or "4 TiB", got "20 TQ" (unknown unit "TQ"))");
  auto huge = parse_scenario(with_line(8, "      size: 18 EB"), "t.yaml");  // fits 64 bits
  ASSERT_TRUE(huge) << huge.status().message();
  EXPECT_EQ(huge->cluster.disk.capacity_bytes, 18'000'000'000'000'000'000u);
  text = with_line(8, "      size: 19 EB");  // more bytes than a 64-bit count holds
  expect_error(text, at(text, 8, "size") + "cluster.node.disk.size: ", "(too large)");
  text = with_line(13, "  first_year_ingest: 54000000000000");
  expect_error(
      text, at(text, 13, "first_year_ingest") + "workload.first_year_ingest: ", "a unit is needed");
  text = with_line(16, "    - { share: 10 %, size: 4 Mb }");
  expect_error(text, at(text, 16, "size: 4") + "workload.file_sizes[1].size: ", "is bits");
  text = with_line(22, "  fill_threshold: 80");
  expect_error(text, at(text, 22, "fill_threshold") + "procurement.fill_threshold: ",
               "for a percentage write \"80 %\"");
  text = with_line(22, "  fill_threshold: -80 %");
  expect_error(text, at(text, 22, "fill_threshold") + "procurement.fill_threshold: ", "negative");
}

TEST(ScenarioErrors, OutOfRange) {
  std::string text = with_line(22, "  fill_threshold: 120 %");
  expect_error(text, at(text, 22, "fill_threshold") + "procurement.fill_threshold: ",
               "must be in (0 %, 100 %), got 120 %");
  text = with_line(20, "    afr: 100 %");
  expect_error(text, at(text, 20, "afr") + "failures.disk.afr: ", "must be in [0 %, 100 %)");
  text = with_line(1, "horizon: 150 years");
  expect_error(text, "t.yaml:1:1: horizon: ", "at most 100 years, got 150 years");
  text = with_line(3, "  racks: 0");
  expect_error(text, at(text, 3, "racks") + "cluster.racks: ", "must be 1 to 10000, got 0");
}

TEST(ScenarioErrors, MissingRequiredKey) {
  std::string text = with_line(13, "  annual_growth: 10 %");
  expect_error(text, "t.yaml:12:1: workload.first_year_ingest: required key is missing; ",
               "expected a size like");
  text = with_line(10, "  strategy: fixed");
  expect_error(text, "t.yaml:9:1: pool.scheme: required key is missing; ", "ec:8+3");
  text = with_line(8, "      class: hdd");
  expect_error(text, at(text, 7, "disk") + "cluster.node.disk.size: required key is missing",
               "expected a size");
  // A whole required section.
  std::string no_pool;
  for (int i = 1; i <= static_cast<int>(kBase.size()); ++i)
    if (i < 9 || i > 11) no_pool += kBase[static_cast<size_t>(i - 1)] + "\n";
  expect_error(no_pool, "t.yaml:1:1: pool: required key is missing; ",
               "expected a mapping with keys scheme, failure_domain");
  text = with_line(19, "    model: by_age");
  text = text.substr(0, text.find("    afr:")) + text.substr(text.find("procurement:"));
  expect_error(text, at(text, 18, "disk") + "failures.disk.afr_by_age: required key is missing",
               "list of yearly rates");
}

TEST(ScenarioErrors, InconsistentValues) {
  std::string text = with_line(23, "  max_nodes: 8");
  expect_error(text, at(text, 23, "max_nodes") + "procurement.max_nodes: ",
               "must be at least cluster.initial_nodes (12), got 8");
  text = with_line(16, "    - { share: 20 %, size: 4 MB }");
  expect_error(text, at(text, 14, "file_sizes") + "workload.file_sizes: ",
               "shares must add up to 100 %, they add up to 110 %");
  text = with_line(19, "    model: by_age");
  expect_error(text, at(text, 20, "afr") + "failures.disk.afr: ",
               "not used here: only model: constant uses it (model is by_age)");
  text = with_line(11, "  member_slots_per_disk: 50");
  expect_error(text, at(text, 11, "member") + "pool.member_slots_per_disk: ",
               "only a declustered pool has member slots");
}

TEST(ScenarioErrors, ProblemWithADefaultPointsAtTheEnclosingKey) {
  std::string text = with_line(4, "  initial_nodes: 300");
  text = text.substr(0, text.find("  max_nodes"));
  expect_error(text, at(text, 21, "procurement") + "procurement.max_nodes: ",
               "got 200 (procurement.max_nodes is not set in the file: its default applies)");
}

TEST(ScenarioErrors, UnsatisfiableSchemeForTopology) {
  std::string text = with_line(11, "  failure_domain: rack");
  Status st = error_of(text);
  EXPECT_EQ(st.code(), StatusCode::kUnsatisfiable);
  expect_error(text, at(text, 3, "racks") + "cluster.racks: ",
               "ec:8+3 across racks needs 11 distinct racks, but the cluster has 4 racks");
  text = with_line(4, "  initial_nodes: 8");
  EXPECT_EQ(error_of(text).code(), StatusCode::kUnsatisfiable);
  expect_error(text, at(text, 4, "initial_nodes") + "cluster.initial_nodes: ",
               "ec:8+3 across nodes needs 11 distinct nodes to form the first group, but 8 nodes "
               "give only 8");
  text = with_line(23, "  increment_nodes: 4");
  expect_error(text, at(text, 23, "increment_nodes") + "procurement.increment_nodes: ",
               "a fixed pool grows by whole groups");
}

TEST(ScenarioErrors, NotAScenarioAtAll) {
  expect_error("", "t.yaml:1:1: ", "expected a scenario (a mapping");
  expect_error("# only a comment\n", "t.yaml:1:1: ", "got nothing");
  expect_error("- 1\n- 2\n", "t.yaml:1:1: ", "got a list");
  expect_error(with_line(0, "") + "---\nname: second\n",
               "t.yaml:25:1: ", "one scenario per file, found 2 YAML documents");
}

TEST(ScenarioErrors, FileNotFound) {
  auto r = load_scenario("/nonexistent/tertiary.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message().rfind("/nonexistent/tertiary.yaml: cannot open the scenario: ", 0),
            0u)
      << r.status().message();
  EXPECT_NE(r.status().message().find("No such file"), std::string::npos);
}

TEST(ScenarioErrors, LoadNamesTheFileInParseErrors) {
  std::string path = testing::TempDir() + "/broken-scenario.yaml";
  {
    std::ofstream out(path);
    out << with_line(20, "    afr: high");
  }
  auto r = load_scenario(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message().rfind(path + ":20:5: failures.disk.afr: expected a fraction", 0),
            0u)
      << r.status().message();
}

}  // namespace
}  // namespace cairn::sim
