// The planner's pure parts, without windows or processes: editing one key of
// a scenario's YAML in place, taking the simulator's errors apart, variants,
// and the replay state built from a run's outputs.
#include <QTest>

#include "gui/replay.h"
#include "gui/scenario_text.h"
#include "gui/variants.h"
#include "sim/scenario_yaml.h"

using namespace cairn;
using namespace cairn::gui;

namespace {

const char* const kScenario = R"(# sources beside the numbers
name: t
cluster:
  initial_nodes: 12   # estimate
  node:
    disks: 4
    disk: { size: 20 TB, class: hdd }
pool:
  scheme: ec:8+3
workload:
  first_year_ingest: 54 TB   # REFERENCE
failures:
  disk: { model: by_age, afr_by_age: [1 %, 2 %] }
)";

}  // namespace

class ScenarioTextTest : public QObject {
  Q_OBJECT

 private slots:
  void replaces_a_block_scalar_and_keeps_comments() {
    auto out = set_value(kScenario, "cluster.initial_nodes", "24");
    QVERIFY(out.is_ok());
    QVERIFY(out->find("initial_nodes: 24   # estimate") != std::string::npos);
    QVERIFY(out->find("# sources beside the numbers") != std::string::npos);
    QCOMPARE(get_value(*out, "cluster.initial_nodes").value(), std::string("24"));
  }
  void replaces_in_a_flow_mapping() {
    auto out = set_value(kScenario, "cluster.node.disk.size", "12 TB");
    QVERIFY(out.is_ok());
    QVERIFY(out->find("disk: { size: 12 TB, class: hdd }") != std::string::npos);
  }
  void replaces_a_flow_list() {
    auto out = set_value(kScenario, "failures.disk.afr_by_age", "[1 %, 3 %, 5 %]");
    QVERIFY(out.is_ok());
    QCOMPARE(get_value(*out, "failures.disk.afr_by_age").value(), std::string("[1 %, 3 %, 5 %]"));
  }
  void inserts_a_missing_key_in_block_and_flow_style() {
    auto out = set_value(kScenario, "pool.strategy", "declustered");
    QVERIFY(out.is_ok());
    QVERIFY(out->find("  scheme: ec:8+3\n  strategy: declustered\n") != std::string::npos);
    out = set_value(*out, "cluster.node.disk.read", "200 MB/s");
    QVERIFY(out.is_ok());
    QVERIFY(out->find("class: hdd, read: 200 MB/s }") != std::string::npos);
    out = set_value(*out, "procurement.fill_threshold", "70 %");
    QVERIFY(out.is_ok());
    QCOMPARE(get_value(*out, "procurement.fill_threshold").value(), std::string("70 %"));
    auto parsed = sim::parse_scenario(*out, "t.yaml");
    QVERIFY2(parsed.is_ok(), parsed.is_ok() ? "" : parsed.status().message().c_str());
    QCOMPARE(parsed->procurement.fill_threshold, 0.70);
    QCOMPARE(parsed->pool.strategy, GroupStrategy::kDeclustered);
  }
  void quotes_what_yaml_would_misread() {
    QCOMPARE(yaml_scalar("ec:8+3"), std::string("ec:8+3"));
    QCOMPARE(yaml_scalar("a: b"), std::string("\"a: b\""));
    QCOMPARE(yaml_scalar(""), std::string("\"\""));
    auto out = set_value(kScenario, "name", yaml_scalar("x # y"));
    QVERIFY(out.is_ok());
    QCOMPARE(get_value(*out, "name").value(), std::string("x # y"));
  }
  void refuses_broken_yaml() { QVERIFY(!set_value("a: [1,", "a", "2").is_ok()); }

  void splits_the_simulators_errors() {
    auto bad = set_value(kScenario, "cluster.node.disk.size", "20 TX");
    QVERIFY(bad.is_ok());
    auto parsed = sim::parse_scenario(*bad, "t.yaml");
    QVERIFY(!parsed.is_ok());
    ScenarioError e = split_error(parsed.status().message(), "t.yaml");
    QCOMPARE(e.key, std::string("cluster.node.disk.size"));
    QCOMPARE(e.line, 7);
    QVERIFY(e.message.find("expected a size") != std::string::npos);
    ScenarioError none = split_error("t.yaml:1:1: one scenario per file, found 2 YAML documents", "t.yaml");
    QVERIFY(none.key.empty());
    QCOMPARE(none.line, 1);
  }

  void applies_variants() {
    QCOMPARE(parse_variants("replica:3, ec:4+2 ec:8+3").size(), size_t(3));
    auto out = apply_variant(kScenario, "replica:3/declustered/rack");
    QVERIFY(out.is_ok());
    QCOMPARE(get_value(*out, "pool.scheme").value(), std::string("replica:3"));
    QCOMPARE(get_value(*out, "pool.strategy").value(), std::string("declustered"));
    QCOMPARE(get_value(*out, "pool.failure_domain").value(), std::string("rack"));
    QVERIFY(!apply_variant(kScenario, "raid6").is_ok());
  }

  void replay_picks_the_eventful_disk_of_a_slot() {
    RunData run;
    run.months.resize(2);
    using S = sim::DiskState;
    // Month 1: disk 0 failed and was healed (retired); disk 2 replaced it in slot 0.
    run.disks = {{0, 0, 0, 0, 0, S::kHealthy, true, false, 5e11, 1e12},
                 {0, 1, 0, 0, 1, S::kHealthy, true, false, 2e11, 1e12},
                 {1, 0, 0, 0, 0, S::kRetired, false, true, 0, 1e12},
                 {1, 1, 0, 0, 1, S::kFailed, false, true, 2e11, 1e12},
                 {1, 2, 0, 0, 0, S::kHealthy, true, false, 0, 1e12}};
    run.events = {{sim::kSecondsPerMonth * 1.5, "disk_failure", 0, 1, -1, 0, 0, ""}};
    ReplayState m0 = replay_state(run, 0);
    QCOMPARE(m0.nodes(), 1u);
    QCOMPARE(m0.find_disk(0)->state, SlotState::kNew);
    QCOMPARE(m0.find_disk(0)->fill, 0.5);
    QVERIFY(m0.events.empty());
    ReplayState m1 = replay_state(run, 1);
    const SlotView* slot0 = m1.find_disk(2);
    QCOMPARE(slot0->disk, int64_t(2));  // the replacement, in service, over the retired disk
    QCOMPARE(slot0->state, SlotState::kNew);
    QVERIFY(slot0->failed_in_month);
    QCOMPARE(m1.find_disk(1)->state, SlotState::kFailed);
    QCOMPARE(m1.events.size(), size_t(1));
    QCOMPARE(m1.count[static_cast<int>(SlotState::kFailed)], 1u);
    QCOMPARE(replay_state(run, 99).month, 1u);  // clamped
  }
};

QTEST_APPLESS_MAIN(ScenarioTextTest)
#include "scenario_text_test.moc"
