// WORM retention on a real lab (label `cluster`): every way round a retained
// file — overwrite, delete, a weaker stamp, shortening or lifting a policy —
// is refused through the `cairn` command, the client library, and a frame
// sent straight to each node (built with the ordinary framing helpers,
// ConnectionPool, as any peer would), each asserting its error; governance is
// lifted only with the explicit bypass, and every node logs it; a node whose
// clock is set back keeps the later compliance time.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/wait.h>

#include "cluster-ref/formats/file_codec.h"
#include "cluster-ref/net/pool.h"
#include "cluster-ref/net/secret.h"
#include "engine/checksum.h"
#include "lab_cli.h"
#include "lab_fixture.h"

namespace cairn {
namespace {

using wire::MsgType;

using testing::cairn_cli;
using testing::CliRun;
using testing::contains;
using testing::expect_cli;

nlohmann::json node_status(const ClusterMap& map, uint32_t node, const std::filesystem::path& cluster_file) {
  auto secret = load_cluster_secret(cluster_file);
  CAIRN_ASSERT(secret.is_ok());
  ConnectionPool pool(Millis(2000), *secret);
  auto reply = pool.call(map.node(NodeId(node)).management, MsgType::kStatus, {}, Millis(5000));
  CAIRN_ASSERT(reply.is_ok());
  return nlohmann::json::parse(wire::StatusReply::decode(reply->payload)->json);
}

class RetentionE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = testing::test_seed(13);
    ASSERT_TRUE(lab_.up().is_ok());
    auto secret = load_cluster_secret(lab_.cluster_file());
    ASSERT_TRUE(secret.is_ok()) << secret.status().message();
    pool_ = std::make_unique<ConnectionPool>(Millis(2000), *secret);  // raw frames authenticate as any peer would
    auto client = Client::open(lab_.cluster_file());
    ASSERT_TRUE(client.is_ok()) << client.status().message();
    client_ = std::move(client).value();
  }
  std::shared_ptr<const ClusterMap> fresh_map() {
    auto map = load_cluster(lab_.cluster_file());
    CAIRN_ASSERT(map.is_ok());
    return std::make_shared<const ClusterMap>(std::move(map).value());
  }
  // The parts every member of `path`'s group holds: (disk, node) in member order.
  std::vector<std::pair<DiskId, NodeId>> members_of(const ClusterMap& map, const std::string& path) {
    std::vector<std::pair<DiskId, NodeId>> out;
    for (DiskId d : map.pool.group(map.pool.lookup(path)).members) out.emplace_back(d, map.node_of(d));
    return out;
  }

  uint64_t seed_ = 0;
  testing::LabCluster lab_{3, 1, Scheme::replica(3)};
  std::unique_ptr<Client> client_;
  std::unique_ptr<ConnectionPool> pool_;
};

TEST_F(RetentionE2E, EveryBypassIsRefusedThroughTheCliTheClientAndRawFrames) {
  const auto original = testing::seeded_file(seed_, 0, 1000, 4000);
  const auto other = testing::seeded_file(seed_, 1, 1000, 4000);
  ASSERT_TRUE(client_->put("/ct/before.dcm", original, 1).is_ok());  // written before any policy
  ASSERT_TRUE(client_->put("/mr/free.dcm", original, 1).is_ok());

  CliRun set = cairn_cli(lab_, "retention set /ct/ --period '1 day' --mode compliance");
  ASSERT_EQ(set.exit_code, 0) << set.output;
  ASSERT_TRUE(client_->put("/ct/x.dcm", original, 1).is_ok());  // a create is fine

  // The client library: overwrite, delete, also of a file written before the policy.
  for (const char* path : {"/ct/x.dcm", "/ct/before.dcm"}) {
    auto put = client_->put(path, other, 2);
    EXPECT_EQ(put.status().code(), StatusCode::kRetained) << path << ": " << put.status().message();
    EXPECT_TRUE(contains(put.status().message(), "compliance retention (policy /ct/)")) << put.status().message();
    auto rm = client_->remove(path);
    EXPECT_EQ(rm.status().code(), StatusCode::kRetained) << path << ": " << rm.status().message();
    EXPECT_EQ(client_->check_changeable(path, 0).code(), StatusCode::kOk);  // judged at 1970: not yet written
    EXPECT_EQ(client_->check_changeable(path, static_cast<int64_t>(client_->stat(path)->version)).code(),
              StatusCode::kRetained);
  }
  auto retained = client_->retention_of("/ct/x.dcm", static_cast<int64_t>(client_->stat("/ct/x.dcm")->version));
  ASSERT_TRUE(retained.is_ok());
  EXPECT_TRUE(retained->retained);
  EXPECT_EQ(retained->mode, RetentionMode::kCompliance);
  // Outside the prefix nothing changes.
  EXPECT_TRUE(client_->put("/mr/free.dcm", other, 2).is_ok());
  EXPECT_TRUE(client_->remove("/mr/free.dcm").is_ok());

  // The command.
  const std::string local = (lab_.spec().dir / "other.bin").string();
  {
    std::ofstream out(local, std::ios::binary);
    out.write(reinterpret_cast<const char*>(other.data()), static_cast<std::streamsize>(other.size()));
  }
  CliRun put = cairn_cli(lab_, "put " + local + " /ct/x.dcm");
  EXPECT_EQ(put.exit_code, 1);
  EXPECT_TRUE(contains(put.output, "is under compliance retention")) << put.output;
  expect_cli(lab_, "rm /ct/x.dcm", 1, "cannot be deleted");

  // Frames straight to every member node, past any coordinator.
  auto map = fresh_map();
  const FileRecord current = client_->stat("/ct/x.dcm").value();
  const auto members = members_of(*map, "/ct/x.dcm");
  for (uint32_t m = 0; m < members.size(); ++m) {
    const auto [disk, node] = members[m];
    const NodeConfig& n = map->node(node);
    auto store = [&](FileRecord record, std::vector<std::byte> payload) {
      record.member = static_cast<uint8_t>(m);
      record.payload_bytes = static_cast<uint32_t>(payload.size());
      record.payload_crc = crc32c(payload);
      wire::StoreRequest request{map->epoch(), "/ct/x.dcm", disk.value, record, std::move(payload)};
      return pool_->call(n.storage, MsgType::kStore, request.encode(), Millis(5000)).status();
    };
    FileRecord newer = current;  // an overwrite: a newer version, other bytes
    newer.version += 1;
    newer.file_bytes = other.size();
    newer.file_crc = crc32c(other);
    Status st = store(newer, other);
    EXPECT_EQ(st.code(), StatusCode::kRetained) << "node " << node.value << " store: " << st.message();
    FileRecord tombstone = newer;  // a delete
    tombstone.tombstone = true;
    tombstone.file_bytes = 0;
    st = store(tombstone, {});
    EXPECT_EQ(st.code(), StatusCode::kRetained) << "node " << node.value << " tombstone: " << st.message();
    FileRecord weaker = current;  // the same version with its retention shortened
    weaker.committed = false;
    weaker.retain_until_ns = 0;
    st = store(weaker, original);
    EXPECT_EQ(st.code(), StatusCode::kRetained) << "node " << node.value << " weaker stamp: " << st.message();
    st = pool_->call(n.storage, MsgType::kRemove, wire::RemoveRequest{map->epoch(), "/ct/x.dcm", disk.value}.encode(),
                    Millis(5000))
             .status();
    EXPECT_EQ(st.code(), StatusCode::kRetained) << "node " << node.value << " remove: " << st.message();
    // Heal's store of the very same part still works.
    st = store(current, original);
    EXPECT_TRUE(st.is_ok()) << "node " << node.value << " same part again: " << st.message();
    // And as a coordinator, on the client network.
    st = pool_->call(n.client, MsgType::kPut, wire::PutRequest{map->epoch(), "/ct/x.dcm", 3, other}.encode(),
                    Millis(5000))
             .status();
    EXPECT_EQ(st.code(), StatusCode::kRetained) << "node " << node.value << " put: " << st.message();
    st = pool_->call(n.client, MsgType::kDelete, wire::DeleteRequest{map->epoch(), "/ct/x.dcm"}.encode(), Millis(5000))
             .status();
    EXPECT_EQ(st.code(), StatusCode::kRetained) << "node " << node.value << " delete: " << st.message();
    EXPECT_GT(node_status(*map, node.value, lab_.cluster_file())["retention_refusals"].get<uint64_t>(), 0U);
  }
  // Nothing was lost or changed.
  auto read = client_->get("/ct/x.dcm");
  ASSERT_TRUE(read.is_ok());
  EXPECT_EQ(read->data, original);
  EXPECT_EQ(read->record.version, current.version);
  auto check = client_->check();
  ASSERT_TRUE(check.is_ok());
  EXPECT_EQ(check->differing_count, 0U);

  // Shortening or lifting compliance: refused by the command, the library and each node.
  expect_cli(lab_, "retention set /ct/ --period '1 h' --mode compliance --bypass-governance", 1,
             "compliance retention on /ct/ cannot be shortened or lifted");
  expect_cli(lab_, "retention set /ct/ --period '1 day' --mode governance", 1, "compliance -> governance");
  expect_cli(lab_, "retention lift /ct/ --bypass-governance --reason test", 1, "cannot be shortened or lifted");
  const std::string reason = "test";
  auto lifted = client_->change_retention({}, &reason);
  EXPECT_EQ(lifted.status().code(), StatusCode::kRetained) << lifted.status().message();
  map = fresh_map();
  ClusterConfig without = map->config;
  without.epoch = map->epoch() + 1;
  without.retention.clear();
  const std::string text = to_yaml(without);
  for (const NodeConfig& n : map->config.nodes) {
    Status st = pool_->call(n.management, MsgType::kInstallMap, wire::InstallMapRequest{without.epoch, text}.encode(),
                           Millis(5000))
                    .status();
    EXPECT_EQ(st.code(), StatusCode::kRetained) << "node " << n.id << " install: " << st.message();
    st = pool_->call(n.management, MsgType::kBypassGovernance,
                    wire::BypassGovernanceRequest{without.epoch, text, "raw"}.encode(), Millis(5000))
             .status();
    EXPECT_EQ(st.code(), StatusCode::kRetained) << "node " << n.id << " bypass: " << st.message();
    EXPECT_EQ(node_status(*map, n.id, lab_.cluster_file())["epoch"].get<uint64_t>(), map->epoch());
  }
  CliRun show = cairn_cli(lab_, "retention show /ct/x.dcm");
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_TRUE(contains(show.output, "/ct/\tcompliance\t1 days")) << show.output;
  EXPECT_TRUE(contains(show.output, "/ct/x.dcm: retained until")) << show.output;
}

// Heal and scrub write the same version back: retention must not stop them.
TEST_F(RetentionE2E, HealAndScrubStillRepairRetainedFiles) {
  ASSERT_EQ(cairn_cli(lab_, "retention set /ct/ --period '1 day' --mode compliance").exit_code, 0);
  const auto data = testing::seeded_file(seed_, 4, 1000, 100'000);
  ASSERT_TRUE(lab_.kill(2).is_ok());
  auto put = client_->put("/ct/heal.dcm", data, 1);  // owed to node 2
  ASSERT_TRUE(put.is_ok()) << put.status().message();
  EXPECT_NE(put->owed, 0U);
  ASSERT_TRUE(lab_.start(2).is_ok());
  auto agree = [&] {
    for (int i = 0; i < 300; ++i) {
      auto check = client_->check();
      if (check.is_ok() && check->differing_count == 0 && check->nodes_unreachable.empty()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  };
  EXPECT_TRUE(agree()) << "the heal of a retained file did not complete";

  // A member's copy deleted under its node: the scrub puts it back.
  auto map = fresh_map();
  const DiskId disk = map->pool.group(map->pool.lookup("/ct/heal.dcm")).members[1];
  const std::filesystem::path copy = map->disk_config(disk).path + "/data/ct/heal.dcm";
  ASSERT_TRUE(std::filesystem::remove(copy));
  auto scrubbed = client_->scrub(true, Millis(120'000), nullptr);
  ASSERT_TRUE(scrubbed.is_ok()) << scrubbed.status().message();
  EXPECT_TRUE(std::filesystem::exists(copy)) << "the scrub did not rebuild the retained copy";
  EXPECT_TRUE(agree());
  auto read = client_->get("/ct/heal.dcm");
  ASSERT_TRUE(read.is_ok());
  EXPECT_EQ(read->data, data);
}

TEST_F(RetentionE2E, GovernanceIsLiftedOnlyWithTheBypassAndEveryNodeLogsIt) {
  ASSERT_EQ(cairn_cli(lab_, "retention set /gov/ --period '30 days' --mode governance").exit_code, 0);
  const auto data = testing::seeded_file(seed_, 2, 100, 1000);
  ASSERT_TRUE(client_->put("/gov/g.dcm", data, 1).is_ok());
  EXPECT_EQ(client_->put("/gov/g.dcm", data, 2).status().code(), StatusCode::kRetained);

  expect_cli(lab_, "retention set /gov/ --period '1 day' --mode governance", 1,
             "an administrator must bypass governance explicitly");
  expect_cli(lab_, "retention lift /gov/", 1, "bypass governance");
  EXPECT_EQ(client_->remove("/gov/g.dcm").status().code(), StatusCode::kRetained);

  CliRun bypass = cairn_cli(lab_, "retention lift /gov/ --bypass-governance --reason 'wrong study'");
  ASSERT_EQ(bypass.exit_code, 0) << bypass.output;
  EXPECT_TRUE(contains(bypass.output, "governance bypassed (logged by every node): /gov/: lifted")) << bypass.output;
  auto map = fresh_map();
  EXPECT_TRUE(map->config.retention.empty());
  for (const NodeConfig& n : map->config.nodes) {
    std::ifstream in(n.state_dir + "/retention-audit.log");
    std::stringstream log;
    log << in.rdbuf();
    EXPECT_TRUE(contains(log.str(), "governance retention bypassed: /gov/: lifted")) << "node " << n.id;
    // The administrator's reason; or, on a node that heard of the new epoch
    // from a peer before the request reached it, that it caught up.
    EXPECT_TRUE(contains(log.str(), "wrong study") || (n.id != 0 && contains(log.str(), "caught up")))
        << "node " << n.id << ": " << log.str();
  }
  // Freed at once.
  EXPECT_TRUE(client_->put("/gov/g.dcm", data, 3).is_ok());
  EXPECT_TRUE(client_->remove("/gov/g.dcm").is_ok());
}

TEST_F(RetentionE2E, ANodeWhoseClockIsSetBackKeepsTheLaterComplianceTime) {
  ASSERT_EQ(cairn_cli(lab_, "retention set /ct/ --period '1 day' --mode compliance").exit_code, 0);
  auto map = fresh_map();
  // Node 2's clock runs two days ahead, then is set back to the true time.
  ASSERT_TRUE(lab_.kill(2).is_ok());
  setenv("CAIRN_NODE_CLOCK_OFFSET_S", "172800", 1);
  Status started = lab_.start(2);
  unsetenv("CAIRN_NODE_CLOCK_OFFSET_S");
  ASSERT_TRUE(started.is_ok()) << started.message();
  const int64_t ahead = node_status(*map, 2, lab_.cluster_file())["compliance_time_ns"].get<int64_t>();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // persisted about once a second
  ASSERT_TRUE(lab_.kill(2).is_ok());
  ASSERT_TRUE(lab_.start(2).is_ok());
  const int64_t after = node_status(*map, 2, lab_.cluster_file())["compliance_time_ns"].get<int64_t>();
  EXPECT_GE(after, ahead);
  const int64_t wall = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  EXPECT_GT(after, wall + int64_t{86400} * 1'000'000'000);  // still about two days ahead of the wall clock

  // A file node 2 coordinates is written at the later time, so its retention
  // is not cut short by the clock that went back.
  const auto data = testing::seeded_file(seed_, 3, 100, 1000);
  map = fresh_map();
  auto reply = pool_->call(map->node(NodeId(2)).client, MsgType::kPut,
                          wire::PutRequest{map->epoch(), "/ct/late.dcm", 1, data}.encode(), Millis(5000));
  ASSERT_TRUE(reply.is_ok()) << reply.status().message();
  auto record = client_->stat("/ct/late.dcm");
  ASSERT_TRUE(record.is_ok());
  EXPECT_GE(static_cast<int64_t>(record->version), ahead);
  EXPECT_TRUE(record->committed);
  EXPECT_GE(record->retain_until_ns, ahead + int64_t{86400} * 1'000'000'000);
}

}  // namespace
}  // namespace cairn
