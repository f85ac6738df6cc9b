// Snapshots on a real lab (label `cluster`): `cairn snapshot create`, then a
// delete and an overwrite; `restore` brings both back byte for byte (in place
// and `--to` another path); `list` and `status` show what the snapshot
// holds, `delete` frees it; bad input is refused with exit code 2. A write
// acknowledged before `create` began is in the snapshot and one begun after
// it returned is not, with a writer running throughout. A member healed after
// the overwrite keeps the old version too. An erasure-coded lab restores a
// deleted file from preserved fragments.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <sys/wait.h>

#include "lab_cli.h"
#include "lab_fixture.h"

namespace cairn {
namespace {

using testing::cairn_cli;
using testing::CliRun;
using testing::contains;
using testing::expect_cli;

#define ASSERT_OK(expr)                                                 \
  do {                                                                  \
    auto result_ = (expr);                                              \
    ASSERT_TRUE(result_.is_ok()) << #expr << ": " << result_.status().message(); \
  } while (0)

nlohmann::json cli_json(const testing::LabCluster& lab, const std::string& args) {
  CliRun run = cairn_cli(lab, args);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  auto j = nlohmann::json::parse(run.output, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << run.output;
  return j;
}

class SnapshotE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = testing::test_seed(13);
    ASSERT_TRUE(lab_.up().is_ok());
    auto client = Client::open(lab_.cluster_file());
    ASSERT_TRUE(client.is_ok()) << client.status().message();
    client_ = std::move(client).value();
  }
  std::vector<std::byte> file(uint32_t i) { return testing::seeded_file(seed_, i, 1000, 9000); }
  // What one member of `path` is charged on its disk: its payload and record.
  uint64_t member_bytes(const std::string& path) {
    auto record = client_->stat(path);
    CAIRN_ASSERT(record.is_ok());
    return record->payload_bytes + kRecordBytes;
  }

  uint64_t seed_ = 0;
  testing::LabCluster lab_{3, 1, Scheme::replica(3)};
  std::unique_ptr<Client> client_;
};

TEST_F(SnapshotE2E, RestoresADeletedAndAnOverwrittenFileAndDeleteFreesWhatItHeld) {
  const auto a = file(0), b = file(1), b2 = file(2), same = file(3), other = file(4);
  ASSERT_OK(client_->put("/ct/a.dcm", a, 1));
  ASSERT_OK(client_->put("/ct/b.dcm", b, 2));
  ASSERT_OK(client_->put("/ct/same.dcm", same, 3));
  ASSERT_OK(client_->put("/mr/c.dcm", other, 4));
  const uint64_t held_per_node = member_bytes("/ct/a.dcm") + member_bytes("/ct/b.dcm");

  CliRun create = cairn_cli(lab_, "snapshot create /ct/ before-upgrade");
  ASSERT_EQ(create.exit_code, 0) << create.output;
  EXPECT_TRUE(contains(create.output, "snapshot before-upgrade of /ct/ made at map epoch")) << create.output;
  // Nothing is held until something changes.
  auto listed = cli_json(lab_, "snapshot list --json");
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0]["name"], "before-upgrade");
  EXPECT_EQ(listed[0]["prefix"], "/ct/");
  EXPECT_EQ(listed[0]["files_held"].get<uint64_t>(), 0U);

  // The mistakes: a delete and an overwrite; and a change outside the prefix.
  ASSERT_OK(client_->remove("/ct/a.dcm"));
  ASSERT_OK(client_->put("/ct/b.dcm", b2, 5));
  ASSERT_OK(client_->remove("/mr/c.dcm"));
  ASSERT_EQ(client_->get("/ct/a.dcm").status().code(), StatusCode::kNotFound);

  // Held: the two old versions on each of the three members.
  listed = cli_json(lab_, "snapshot list --json");
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0]["files_held"].get<uint64_t>(), 6U);
  EXPECT_EQ(listed[0]["bytes_held"].get<uint64_t>(), 3 * held_per_node);
  CliRun text_list = cairn_cli(lab_, "snapshot list");
  EXPECT_TRUE(contains(text_list.output, "before-upgrade\t/ct/\t")) << text_list.output;
  auto status = cli_json(lab_, "status --json");
  EXPECT_EQ(status["snapshots"]["preserved_bytes"].get<uint64_t>(), 3 * held_per_node);
  EXPECT_EQ(status["snapshots"]["preserved_files"].get<uint64_t>(), 6U);
  for (const auto& n : status["nodes"]) EXPECT_EQ(n["preserved_bytes"].get<uint64_t>(), held_per_node) << n.dump();
  CliRun text_status = cairn_cli(lab_, "status");
  EXPECT_TRUE(contains(text_status.output, "snapshots: 1, holding")) << text_status.output;

  // Restore: the deleted file in place, the overwritten one elsewhere and then in place.
  CliRun restore_a = cairn_cli(lab_, "snapshot restore before-upgrade /ct/a.dcm");
  ASSERT_EQ(restore_a.exit_code, 0) << restore_a.output;
  auto got = client_->get("/ct/a.dcm");
  ASSERT_TRUE(got.is_ok()) << got.status().message();
  EXPECT_EQ(got->data, a);
  EXPECT_EQ(got->record.mtime_ns, 1);
  CliRun restore_b = cairn_cli(lab_, "snapshot restore before-upgrade /ct/b.dcm --to /ct/b-as-before.dcm");
  ASSERT_EQ(restore_b.exit_code, 0) << restore_b.output;
  got = client_->get("/ct/b-as-before.dcm");
  ASSERT_TRUE(got.is_ok()) << got.status().message();
  EXPECT_EQ(got->data, b);
  EXPECT_EQ(client_->get("/ct/b.dcm")->data, b2);  // --to leaves the path alone
  ASSERT_EQ(cairn_cli(lab_, "snapshot restore before-upgrade /ct/b.dcm").exit_code, 0);
  EXPECT_EQ(client_->get("/ct/b.dcm")->data, b);
  // An unchanged file restores from its live version.
  ASSERT_EQ(cairn_cli(lab_, "snapshot restore before-upgrade /ct/same.dcm --to /ct/same-copy.dcm").exit_code, 0);
  EXPECT_EQ(client_->get("/ct/same-copy.dcm")->data, same);
  // The restores are new versions after the cut, so the snapshot still sees the old ones.
  auto seen = client_->snapshot_get("before-upgrade", "/ct/b.dcm");
  ASSERT_TRUE(seen.is_ok()) << seen.status().message();
  EXPECT_EQ(seen->data, b);

  // Bad input: exit 2, saying what is wrong.
  expect_cli(lab_, "snapshot restore no-such /ct/a.dcm", 2, "no snapshot is named no-such");
  expect_cli(lab_, "snapshot create / before-upgrade", 2, "a snapshot named before-upgrade exists");
  expect_cli(lab_, "snapshot create ct/ s2", 2, "is not an archive path prefix");
  expect_cli(lab_, "snapshot create /ct/ 'a b'", 2, "only letters, digits");
  expect_cli(lab_, "snapshot restore before-upgrade /mr/c.dcm", 2, "holds the files under /ct/, not /mr/c.dcm");
  expect_cli(lab_, "snapshot delete no-such", 2, "no snapshot is named no-such");
  // A file made after the snapshot is not in it.
  expect_cli(lab_, "snapshot restore before-upgrade /ct/b-as-before.dcm", 1, "no such file");
  expect_cli(lab_, "snapshot restore --help", 0, "--to");

  // Retention wins over a restore.
  ASSERT_EQ(cairn_cli(lab_, "retention set /ct/keep/ --period '1 day' --mode governance").exit_code, 0);
  ASSERT_OK(client_->put("/ct/keep/k.dcm", other, 6));
  expect_cli(lab_, "snapshot restore before-upgrade /ct/b.dcm --to /ct/keep/k.dcm", 1, "governance retention");
  EXPECT_EQ(client_->get("/ct/keep/k.dcm")->data, other);

  // Delete frees what it held on every node.
  CliRun del = cairn_cli(lab_, "snapshot delete before-upgrade");
  ASSERT_EQ(del.exit_code, 0) << del.output;
  status = cli_json(lab_, "status --json");
  EXPECT_EQ(status["snapshots"]["count"].get<uint64_t>(), 0U);
  EXPECT_EQ(status["snapshots"]["preserved_bytes"].get<uint64_t>(), 0U);
  for (const auto& n : status["nodes"]) EXPECT_EQ(n["preserved_bytes"].get<uint64_t>(), 0U) << n.dump();
  EXPECT_TRUE(contains(cairn_cli(lab_, "snapshot list").output, "no snapshots"));
  for (const NodeConfig& n : client_->map()->config.nodes) {
    for (const DiskConfig& d : n.disks) {
      EXPECT_TRUE(std::filesystem::is_empty(std::filesystem::path(d.path) / "preserved")) << d.path;
    }
  }
}

// Writes one path over and over while a snapshot is made: the snapshot holds
// a version at least as new as the last write acknowledged before create
// began, and older than the first write begun after it returned.
TEST_F(SnapshotE2E, AWriteAcknowledgedBeforeCreateIsInItAndOneBegunAfterItReturnedIsNot) {
  using Clock = std::chrono::steady_clock;
  struct Write {
    uint32_t i;
    Clock::time_point started, acked;
  };
  std::mutex mutex;
  std::vector<Write> writes;
  std::atomic<bool> stop{false};
  std::atomic<bool> failed{false};
  std::thread writer([&] {
    auto client = Client::open(lab_.cluster_file());
    CAIRN_ASSERT(client.is_ok());
    for (uint32_t i = 100; !stop.load(); ++i) {
      const Clock::time_point started = Clock::now();
      if (!(*client)->put("/ct/busy.dcm", file(i), i).is_ok()) {
        failed = true;
        continue;
      }
      std::lock_guard lock(mutex);
      writes.push_back({i, started, Clock::now()});
    }
  });
  // The writer stops and is joined however the test ends.
  struct Joiner {
    std::atomic<bool>& stop;
    std::thread& thread;
    ~Joiner() {
      stop = true;
      if (thread.joinable()) thread.join();
    }
  } joiner{stop, writer};
  ASSERT_OK(client_->put("/ct/acked.dcm", file(1), 1));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const Clock::time_point create_began = Clock::now();
  auto made = client_->create_snapshot("during", "/ct/", 1);
  const Clock::time_point create_returned = Clock::now();
  ASSERT_TRUE(made.is_ok()) << made.status().message();
  ASSERT_OK(client_->put("/ct/acked.dcm", file(2), 2));  // after: not in it
  ASSERT_OK(client_->put("/ct/later.dcm", file(3), 3));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  writer.join();
  EXPECT_FALSE(failed.load());

  auto acked = client_->snapshot_get("during", "/ct/acked.dcm");
  ASSERT_TRUE(acked.is_ok()) << acked.status().message();
  EXPECT_EQ(acked->data, file(1));
  EXPECT_EQ(client_->snapshot_get("during", "/ct/later.dcm").status().code(), StatusCode::kNotFound);

  uint32_t last_acked_before = 0, first_begun_after = UINT32_MAX;
  for (const Write& w : writes) {
    if (w.acked < create_began) last_acked_before = std::max(last_acked_before, w.i);
    if (w.started > create_returned) first_begun_after = std::min(first_begun_after, w.i);
  }
  std::printf("writes: %zu; last acknowledged before create %u, first begun after it returned %u\n", writes.size(),
              last_acked_before, first_begun_after);
  ASSERT_GT(last_acked_before, 0U) << "the writer did not run before create";
  ASSERT_LT(first_begun_after, UINT32_MAX) << "the writer did not run after create";
  auto busy = client_->snapshot_get("during", "/ct/busy.dcm");
  ASSERT_TRUE(busy.is_ok()) << busy.status().message();
  const auto seen_i = static_cast<uint32_t>(busy->record.mtime_ns);
  std::printf("the snapshot holds write %u\n", seen_i);
  EXPECT_EQ(busy->data, file(seen_i));
  EXPECT_GE(seen_i, last_acked_before);
  EXPECT_LT(seen_i, first_begun_after);
}

// A folder (a study) restored whole: its deleted and overwritten files come
// back; a file created in it after the snapshot does not.
TEST_F(SnapshotE2E, RestoresAFolderFileByFile) {
  const std::string study = "/ct/2026/12/05/1.2.840.9/";
  for (uint32_t i = 0; i < 4; ++i) ASSERT_OK(client_->put(study + "IM-" + std::to_string(i) + ".dcm", file(i), i));
  ASSERT_EQ(cairn_cli(lab_, "snapshot create /ct/ s").exit_code, 0);
  ASSERT_OK(client_->remove(study + "IM-0.dcm"));
  ASSERT_OK(client_->remove(study + "IM-1.dcm"));
  ASSERT_OK(client_->put(study + "IM-2.dcm", file(20), 20));
  ASSERT_OK(client_->put(study + "IM-9.dcm", file(9), 9));  // after the snapshot
  CliRun run = cairn_cli(lab_, "snapshot restore s " + study + " --to /restored/");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(contains(run.output, "restored 4 files of " + study)) << run.output;
  for (uint32_t i = 0; i < 4; ++i) {
    auto got = client_->get("/restored/IM-" + std::to_string(i) + ".dcm");
    ASSERT_TRUE(got.is_ok()) << i << ": " << got.status().message();
    EXPECT_EQ(got->data, file(i)) << i;
  }
  EXPECT_EQ(client_->get("/restored/IM-9.dcm").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(cairn_cli(lab_, "snapshot restore s " + study + " --to /restored/x.dcm").exit_code, 2);
  EXPECT_EQ(cairn_cli(lab_, "snapshot restore s /mr/ --to /restored/").exit_code, 2);
}

// A member down during the overwrite keeps the snapshot's version when heal
// brings it the newer one, so every member holds it again.
TEST_F(SnapshotE2E, AMemberHealedAfterTheOverwriteKeepsTheSnapshotsVersionToo) {
  const auto a = file(0), b = file(1);
  ASSERT_OK(client_->put("/ct/h.dcm", a, 1));
  ASSERT_EQ(cairn_cli(lab_, "snapshot create /ct/ s").exit_code, 0);
  ASSERT_TRUE(lab_.kill(2).is_ok());
  ASSERT_OK(client_->put("/ct/h.dcm", b, 2));  // node 2 is owed it
  ASSERT_TRUE(lab_.start(2).is_ok());
  uint64_t held = 0;
  for (int i = 0; i < 300 && held != 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto status = nlohmann::json::parse(cairn_cli(lab_, "status --json").output, nullptr, false);
    if (status.is_discarded()) continue;
    held = status["snapshots"]["preserved_files"].get<uint64_t>();
    if (held == 3) {
      for (const auto& n : status["nodes"]) EXPECT_EQ(n["preserved_files"].get<uint64_t>(), 1U) << n.dump();
    }
  }
  EXPECT_EQ(held, 3U) << "the healed member did not keep the snapshot's version";
  auto check = client_->check();
  ASSERT_TRUE(check.is_ok()) << check.status().message();
  EXPECT_EQ(check->differing_count, 0U);
  auto seen = client_->snapshot_get("s", "/ct/h.dcm");
  ASSERT_TRUE(seen.is_ok()) << seen.status().message();
  EXPECT_EQ(seen->data, a);
  EXPECT_EQ(client_->get("/ct/h.dcm")->data, b);
}

// Erasure-coded: the snapshot's version comes back from k preserved fragments,
// also with one node down; preserved versions survive a node's restart.
TEST(SnapshotE2EErasure, RestoresADeletedFileFromPreservedFragments) {
  const uint64_t seed = testing::test_seed(29);
  testing::LabCluster lab(3, 1, Scheme::erasure(2, 1));
  ASSERT_TRUE(lab.up().is_ok());
  auto client = Client::open(lab.cluster_file());
  ASSERT_TRUE(client.is_ok()) << client.status().message();
  const auto big = testing::seeded_file(seed, 0, 200'000, 100'000);
  ASSERT_OK((*client)->put("/2026/12/05/CT/IM-1.dcm", big, 7));
  ASSERT_EQ(cairn_cli(lab, "snapshot create / nightly").exit_code, 0);
  ASSERT_OK((*client)->remove("/2026/12/05/CT/IM-1.dcm"));
  ASSERT_TRUE(lab.kill(1).is_ok());
  ASSERT_TRUE(lab.start(1).is_ok());
  auto listed = cli_json(lab, "snapshot list --json");
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0]["files_held"].get<uint64_t>(), 3U);  // one fragment per member
  ASSERT_TRUE(lab.kill(2).is_ok());
  auto seen = (*client)->snapshot_get("nightly", "/2026/12/05/CT/IM-1.dcm");
  ASSERT_TRUE(seen.is_ok()) << seen.status().message();
  EXPECT_EQ(seen->data, big);
  ASSERT_TRUE(lab.start(2).is_ok());
  ASSERT_EQ(cairn_cli(lab, "snapshot restore nightly /2026/12/05/CT/IM-1.dcm").exit_code, 0);
  auto got = (*client)->get("/2026/12/05/CT/IM-1.dcm");
  ASSERT_TRUE(got.is_ok()) << got.status().message();
  EXPECT_EQ(got->data, big);
}

}  // namespace
}  // namespace cairn
