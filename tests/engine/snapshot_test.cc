// The snapshot rules of engine/snapshot.h: which version a member must keep
// when it is replaced, and what a snapshot sees on one member.
#include "engine/snapshot.h"

#include <gtest/gtest.h>

#include <vector>

namespace cairn {
namespace {

Snapshot snap(uint64_t cut, std::string prefix = "/ct/") { return Snapshot{"before-upgrade", std::move(prefix), 1, cut}; }
HeldVersion live(uint64_t v) { return HeldVersion{true, false, v}; }
HeldVersion tomb(uint64_t v) { return HeldVersion{true, true, v}; }

TEST(SnapshotPreserve, AVersionAtOrBeforeTheCutReplacedByOneAfterItIsKept) {
  EXPECT_TRUE(preserve_for_snapshot("/ct/a.dcm", live(100), 101, snap(100), 0));  // at the cut
  EXPECT_TRUE(preserve_for_snapshot("/ct/a.dcm", live(50), 200, snap(100), 0));   // overwrite after
}

TEST(SnapshotPreserve, ADeleteAfterTheCutKeepsTheLiveVersion) {
  // A delete is a tombstone at a newer version: the same rule.
  EXPECT_TRUE(preserve_for_snapshot("/ct/a.dcm", live(50), 150, snap(100), 0));
}

TEST(SnapshotPreserve, NothingIsKeptOutsideTheRule) {
  EXPECT_FALSE(preserve_for_snapshot("/mr/a.dcm", live(50), 150, snap(100), 0));  // not under the prefix
  EXPECT_FALSE(preserve_for_snapshot("/ct/a.dcm", live(150), 160, snap(100), 0)); // written after the cut
  EXPECT_FALSE(preserve_for_snapshot("/ct/a.dcm", live(50), 100, snap(100), 0));  // replaced before the cut
  EXPECT_FALSE(preserve_for_snapshot("/ct/a.dcm", tomb(50), 150, snap(100), 0));  // deleted at the cut
  EXPECT_FALSE(preserve_for_snapshot("/ct/a.dcm", HeldVersion{}, 150, snap(100), 0));  // nothing held
}

TEST(SnapshotPreserve, OneVersionPerSnapshotTheNewerWins) {
  EXPECT_FALSE(preserve_for_snapshot("/ct/a.dcm", live(50), 150, snap(100), 50));  // already kept
  EXPECT_FALSE(preserve_for_snapshot("/ct/a.dcm", live(40), 150, snap(100), 50));  // an older one
  EXPECT_TRUE(preserve_for_snapshot("/ct/a.dcm", live(60), 150, snap(100), 50));   // a newer one replaces it
}

TEST(SnapshotPreserve, APrefixIsAStringPrefix) {
  EXPECT_TRUE(preserve_for_snapshot("/ct2/a.dcm", live(1), 150, snap(100, "/ct"), 0));
  EXPECT_TRUE(preserve_for_snapshot("/x", live(1), 150, snap(100, "/"), 0));
}

TEST(SnapshotSource, PreservedThenCurrentThenNothing) {
  EXPECT_EQ(snapshot_source(live(150), 50, snap(100)), SnapshotSource::kPreserved);
  EXPECT_EQ(snapshot_source(tomb(150), 50, snap(100)), SnapshotSource::kPreserved);
  EXPECT_EQ(snapshot_source(live(80), 0, snap(100)), SnapshotSource::kCurrent);
  EXPECT_EQ(snapshot_source(tomb(100), 0, snap(100)), SnapshotSource::kCurrent);  // deleted at the cut
  EXPECT_EQ(snapshot_source(live(101), 0, snap(100)), SnapshotSource::kNothing);  // created after it
  EXPECT_EQ(snapshot_source(HeldVersion{}, 0, snap(100)), SnapshotSource::kNothing);
  EXPECT_EQ(snapshot_source(live(90), 50, snap(100)), SnapshotSource::kCurrent);  // newer, still before the cut
}

TEST(SnapshotCheck, NamesPrefixesAndSets) {
  EXPECT_TRUE(check_snapshot_name("before-upgrade_2026.12").is_ok());
  EXPECT_EQ(check_snapshot_name("").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(check_snapshot_name(".hidden").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(check_snapshot_name("a/b").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(check_snapshot_name(std::string(65, 'a')).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(check_snapshot_name(std::string(64, 'a')).is_ok());
  EXPECT_EQ(check_snapshot(Snapshot{"a", "ct/", 1, 5}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(check_snapshot(Snapshot{"a", "/ct/", 1, 0}).code(), StatusCode::kInvalidArgument);
  const std::vector<Snapshot> twice = {snap(1), snap(2)};
  EXPECT_EQ(check_snapshots(twice).code(), StatusCode::kInvalidArgument);
  const std::vector<Snapshot> two = {Snapshot{"a", "/", 1, 1}, Snapshot{"b", "/", 1, 1}};
  EXPECT_TRUE(check_snapshots(two).is_ok());
}

}  // namespace
}  // namespace cairn
