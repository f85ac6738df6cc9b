#include "cluster-ref/node/compliance_clock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace cairn {
namespace {

constexpr int64_t kS = 1'000'000'000;

class ComplianceClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/cairn-clock-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ComplianceClockTest, NeverRunsBackwardsInProcessOrAcrossARestart) {
  FakeWallClock wall(1000 * kS);
  auto clock = ComplianceClock::open(dir_, wall);
  ASSERT_TRUE(clock.is_ok()) << clock.status().message();
  EXPECT_EQ((*clock)->now_ns(), 1000 * kS);
  wall.set_ns(5000 * kS);
  EXPECT_EQ((*clock)->now_ns(), 5000 * kS);
  wall.set_ns(2000 * kS);  // set back: the later time stays
  EXPECT_EQ((*clock)->now_ns(), 5000 * kS);
  ASSERT_TRUE((*clock)->persist().is_ok());
  clock->reset();

  auto reopened = ComplianceClock::open(dir_, wall);  // a restart with the clock still back
  ASSERT_TRUE(reopened.is_ok());
  EXPECT_EQ((*reopened)->persisted_at_open_ns(), 5000 * kS);
  EXPECT_EQ((*reopened)->now_ns(), 5000 * kS);
  wall.set_ns(6000 * kS);
  EXPECT_EQ((*reopened)->now_ns(), 6000 * kS);
}

TEST_F(ComplianceClockTest, AnUnreadableClockFileStopsTheNode) {
  {
    std::ofstream out(dir_ / "compliance-clock");
    out << "cairn-compliance-clock 1\nlater\n";
  }
  FakeWallClock wall(1000 * kS);
  auto clock = ComplianceClock::open(dir_, wall);
  EXPECT_EQ(clock.status().code(), StatusCode::kCorrupt);
  {
    std::ofstream out(dir_ / "compliance-clock");
    out << "cairn-compliance-clock 2\n5\n";
  }
  EXPECT_EQ(ComplianceClock::open(dir_, wall).status().code(), StatusCode::kCorrupt);
}

TEST_F(ComplianceClockTest, PersistWritesTheFormat) {
  FakeWallClock wall(42 * kS);
  auto clock = ComplianceClock::open(dir_, wall);
  ASSERT_TRUE(clock.is_ok());
  ASSERT_TRUE((*clock)->persist().is_ok());
  std::ifstream in(dir_ / "compliance-clock");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "cairn-compliance-clock 1\n42000000000\n");
}

}  // namespace
}  // namespace cairn
