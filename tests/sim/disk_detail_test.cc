// Per-disk detail (SimOptions::disk_detail), which the planner's replay draws:
// the rows agree with the run's own events and end-of-run disk use, and
// asking for them changes nothing else in the run.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "sim/replicates.h"
#include "sim/scenario_yaml.h"

namespace cairn::sim {
namespace {

uint32_t month_of(double time_s) { return static_cast<uint32_t>(time_s / kSecondsPerMonth); }

class DiskDetail : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<Scenario> loaded = load_scenario(std::string(CAIRN_SOURCE_DIR) + "/scenarios/smoke.yaml");
    ASSERT_TRUE(loaded) << loaded.status().message();
    ReplicateOptions with{1, 1, false};
    with.disk_detail = true;
    auto a = run_replicates(*loaded, with, nullptr);
    auto b = run_replicates(*loaded, ReplicateOptions{1, 1, false}, nullptr);
    ASSERT_TRUE(a && b);
    detailed_ = new RunResult(a->front());
    plain_ = new RunResult(b->front());
  }
  static void TearDownTestSuite() {
    delete detailed_;
    delete plain_;
  }
  static RunResult* detailed_;
  static RunResult* plain_;
};
RunResult* DiskDetail::detailed_ = nullptr;
RunResult* DiskDetail::plain_ = nullptr;

TEST_F(DiskDetail, DoesNotChangeTheRun) {
  EXPECT_TRUE(plain_->disk_months.empty());
  nlohmann::json plain = to_json(*plain_, false), detailed = to_json(*detailed_, false);
  plain.erase("wall_s");
  detailed.erase("wall_s");
  EXPECT_EQ(detailed, plain);
  ASSERT_EQ(detailed_->events.size(), plain_->events.size());
  for (size_t i = 0; i < plain_->events.size(); ++i) EXPECT_EQ(detailed_->events[i].kind, plain_->events[i].kind);
}

TEST_F(DiskDetail, EveryMonthCountsTheDisksInService) {
  const RunResult& r = *detailed_;
  std::map<uint32_t, uint32_t> serving;  // month -> disks in service and not failed
  std::set<uint32_t> months;
  for (const DiskMonth& d : r.disk_months) {
    months.insert(d.month);
    serving[d.month] += d.state == DiskState::kHealthy || d.state == DiskState::kDown;
    EXPECT_GT(d.capacity_bytes, 0);
    EXPECT_LE(d.used_bytes, d.capacity_bytes);
  }
  ASSERT_EQ(months.size(), r.months.size());
  for (const MonthRow& m : r.months) EXPECT_EQ(serving[m.month], m.disks) << "month " << m.month;
}

TEST_F(DiskDetail, AgreesWithEvents) {
  const RunResult& r = *detailed_;
  std::map<std::pair<uint32_t, uint32_t>, const DiskMonth*> at;  // (month, disk)
  for (const DiskMonth& d : r.disk_months) at[{d.month, d.disk}] = &d;
  uint32_t checked = 0;
  for (const Event& e : r.events) {
    uint32_t month = month_of(e.time_s);
    if (month >= r.months.size()) continue;
    if (e.kind == "disk_failure") {
      auto it = at.find({month, static_cast<uint32_t>(e.disk)});
      ASSERT_NE(it, at.end()) << "failed disk " << e.disk << " missing in month " << month;
      EXPECT_TRUE(it->second->failed_in_month);
      EXPECT_NE(it->second->state, DiskState::kHealthy);
      ++checked;
    } else if (e.kind == "disk_replaced") {
      auto it = at.find({month, static_cast<uint32_t>(e.disk)});
      ASSERT_NE(it, at.end());
      EXPECT_TRUE(it->second->installed_in_month);
      ++checked;
    } else if (e.kind == "purchase_arrival") {
      uint32_t new_disks = 0;
      for (const DiskMonth& d : r.disk_months)
        new_disks += d.month == month && d.installed_in_month && d.node >= static_cast<uint32_t>(e.node);
      EXPECT_GE(new_disks, 1u);
      ++checked;
    }
  }
  EXPECT_GT(checked, 5u);
}

TEST_F(DiskDetail, LastMonthMatchesFinalDiskUse) {
  const RunResult& r = *detailed_;
  const uint32_t last = static_cast<uint32_t>(r.months.size() - 1);
  uint32_t rows = 0;
  for (const DiskMonth& d : r.disk_months) {
    if (d.month != last) continue;
    ASSERT_LT(d.disk, r.final_disk_used_bytes.size());
    EXPECT_DOUBLE_EQ(d.used_bytes, r.final_disk_used_bytes[d.disk]);
    ++rows;
  }
  EXPECT_GT(rows, 0u);
}

TEST_F(DiskDetail, RoundTripsThroughJsonAndCsv) {
  RunResult back = run_result_from_json(to_json(*detailed_, true));
  ASSERT_EQ(back.disk_months.size(), detailed_->disk_months.size());
  EXPECT_EQ(back.disk_months.back().state, detailed_->disk_months.back().state);
  std::ostringstream csv;
  write_disks_csv(csv, detailed_->disk_months);
  std::string text = csv.str();
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "month,disk,node,rack,slot,state,installed_in_month,failed_in_month,used_bytes,capacity_bytes");
  EXPECT_EQ(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')), detailed_->disk_months.size() + 1);
}

}  // namespace
}  // namespace cairn::sim
