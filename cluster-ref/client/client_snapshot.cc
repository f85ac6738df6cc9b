// Client: snapshots (client.h, engine/snapshot.h). Making one is two map
// changes at most per attempt: the map holding it, and, when the check after
// it fails, the map without it again.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

#include "cluster-ref/client/client.h"
#include "cluster-ref/store/disk_store.h"

namespace cairn {
namespace {

constexpr int kCreateAttempts = 3;
// How long create_snapshot waits for every node's clock to pass the cut,
// beyond the lead itself (a node whose clock runs behind the others').
constexpr Millis kPassCutSlack(30'000);

const Snapshot* find_snapshot(const ClusterMap& map, std::string_view name) {
  for (const Snapshot& s : map.config.snapshots)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace

Result<Client::NodeClocks> Client::node_clocks() {
  NodeClocks clocks;
  for (const Result<std::string>& status : node_status()) {
    if (!status) continue;
    const auto j = nlohmann::json::parse(*status, nullptr, false);
    if (j.is_discarded() || !j.contains("compliance_time_ns")) continue;
    const auto ns = j["compliance_time_ns"].get<int64_t>();
    clocks.latest_ns = clocks.answered == 0 ? ns : std::max(clocks.latest_ns, ns);
    clocks.earliest_ns = clocks.answered == 0 ? ns : std::min(clocks.earliest_ns, ns);
    ++clocks.answered;
  }
  if (clocks.answered == 0) return unavailable("no node reported its time");
  return clocks;
}

Result<SnapshotChange> Client::create_snapshot(const std::string& name, const std::string& prefix,
                                               int64_t created_ns, Millis lead) {
  if (Status st = check_snapshot(Snapshot{name, prefix, created_ns, 1}); !st.is_ok()) return st;
  if (auto fresh = retention_policies(); !fresh) return fresh.status();  // the newest map a node serves
  if (find_snapshot(*map(), name) != nullptr) {
    return invalid_argument("a snapshot named " + name + " exists (`cairn snapshot list` lists them)");
  }
  for (int attempt = 0; attempt < kCreateAttempts; ++attempt, lead *= 4) {
    auto before = node_clocks();
    if (!before) return before.status();
    const auto current = map();
    SnapshotChange change;
    change.snapshot = Snapshot{name, prefix, created_ns,
                               static_cast<uint64_t>(before->latest_ns) +
                                   static_cast<uint64_t>(lead.count()) * 1'000'000};
    ClusterConfig next = current->config;
    next.epoch = current->epoch() + 1;
    next.snapshots.push_back(change.snapshot);
    if (Status st = check_snapshots(next.snapshots); !st.is_ok()) return st;
    auto installed = install_next(std::move(next), "snapshot " + name, nullptr, &change.nodes_unreachable);
    if (!installed) return installed.status();
    change.map = *installed;
    auto after = node_clocks();
    if (!after) return after.status();
    if (static_cast<uint64_t>(after->latest_ns) < change.snapshot.cut) {
      // Every node preserves for the snapshot now, and none has handed out a
      // version past its cut yet. Wait until all have, so that a write begun
      // after this returns is newer than the cut.
      const auto give_up = std::chrono::steady_clock::now() + lead + kPassCutSlack;
      while (std::chrono::steady_clock::now() < give_up) {
        auto clocks = node_clocks();
        if (clocks && static_cast<uint64_t>(clocks->earliest_ns) > change.snapshot.cut) return change;
        std::this_thread::sleep_for(Millis(50));
      }
      return Status(StatusCode::kTimeout, "snapshot " + name + " is made, but a node's clock did not pass its cut " +
                                              "within " + std::to_string((lead + kPassCutSlack).count()) +
                                              " ms: writes to it right now may still fall in the snapshot");
    }
    // A node's clock passed the cut before every node had the map: a node
    // may have replaced a version the snapshot needs without keeping it.
    ClusterConfig without = change.map->config;
    without.epoch += 1;
    std::erase_if(without.snapshots, [&](const Snapshot& s) { return s.name == name; });
    std::vector<uint32_t> ignored;
    if (auto undone = install_next(std::move(without), "snapshot " + name + " undone", nullptr, &ignored); !undone)
      return undone.status();
  }
  return unavailable("snapshot " + name + ": the nodes did not all install it within the lead, " +
                     std::to_string(kCreateAttempts) + " times; the cluster is slow, try again");
}

Result<SnapshotChange> Client::delete_snapshot(const std::string& name) {
  if (auto fresh = retention_policies(); !fresh) return fresh.status();
  const auto current = map();
  const Snapshot* found = find_snapshot(*current, name);
  if (found == nullptr) return invalid_argument("no snapshot is named " + name + " (`cairn snapshot list` lists them)");
  SnapshotChange change;
  change.snapshot = *found;
  ClusterConfig next = current->config;
  next.epoch = current->epoch() + 1;
  std::erase_if(next.snapshots, [&](const Snapshot& s) { return s.name == name; });
  auto installed = install_next(std::move(next), "snapshot " + name + " deleted", nullptr, &change.nodes_unreachable);
  if (!installed) return installed.status();
  change.map = *installed;
  return change;
}

Result<std::vector<SnapshotInfo>> Client::snapshots() {
  if (auto fresh = retention_policies(); !fresh) return fresh.status();
  const auto current = map();
  std::vector<SnapshotInfo> out;
  for (const Snapshot& s : current->config.snapshots) out.push_back(SnapshotInfo{s, 0, 0});
  for (const Result<std::string>& status : node_status()) {
    if (!status) continue;
    const auto j = nlohmann::json::parse(*status, nullptr, false);
    if (j.is_discarded() || !j.contains("snapshots")) continue;
    for (const auto& held : j["snapshots"]) {
      for (SnapshotInfo& info : out) {
        if (info.snapshot.name != held.value("name", "")) continue;
        info.files_held += held.value("files", uint64_t{0});
        info.bytes_held += held.value("bytes", uint64_t{0});
      }
    }
  }
  return out;
}

Result<std::vector<std::string>> Client::snapshot_candidates(const std::string& name, std::string_view folder) {
  if (folder.empty() || folder.front() != '/' || folder.back() != '/')
    return invalid_argument(std::string(folder) + " is not a folder (it starts and ends with '/')");
  if (auto fresh = retention_policies(); !fresh) return fresh.status();
  const auto current = map();
  const Snapshot* found = find_snapshot(*current, name);
  if (found == nullptr) return invalid_argument("no snapshot is named " + name + " (`cairn snapshot list` lists them)");
  if (!std::string_view(folder).starts_with(found->prefix)) {
    return invalid_argument("snapshot " + name + " holds the files under " + found->prefix + ", not all of " +
                            std::string(folder));
  }
  auto entries = list_everywhere(folder, nullptr);
  if (!entries) return entries.status();
  std::vector<std::string> paths;
  for (const wire::ListEntry& e : *entries) paths.push_back(e.path);
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

}  // namespace cairn
