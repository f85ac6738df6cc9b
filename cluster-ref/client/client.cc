#include "cluster-ref/client/client.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>
#include <numeric>

#include "cluster-ref/store/disk_store.h"
#include "cluster-ref/formats/file_codec.h"
#include "engine/checksum.h"
#include "engine/reconcile.h"

namespace cairn {
namespace {

Millis timeout_for(const ClusterMap& map, uint64_t bytes) {
  return Millis(map.config.peer_timeout_ms * 2 + bytes / 20'000);
}

bool worth_another_member(const Status& st) {
  return st.code() == StatusCode::kUnavailable || st.code() == StatusCode::kTimeout ||
         st.code() == StatusCode::kIoError;
}


}  // namespace

Client::Client(ClusterMap map, SecretPtr secret)
    : map_(std::make_shared<const ClusterMap>(std::move(map))),
      pool_(Millis(map_->config.peer_timeout_ms), std::move(secret)) {}

Result<std::unique_ptr<Client>> Client::open(const std::filesystem::path& cluster_file) {
  auto map = load_cluster(cluster_file);
  if (!map) return map.status();
  auto secret = load_cluster_secret(cluster_file);
  if (!secret) return secret.status();
  return from_map(std::move(map).value(), std::move(secret).value());
}

Result<std::unique_ptr<Client>> Client::from_map(ClusterMap map, SecretPtr secret) {
  if (secret == nullptr) return invalid_argument("a client needs the cluster's secret");
  return std::unique_ptr<Client>(new Client(std::move(map), std::move(secret)));
}

std::shared_ptr<const ClusterMap> Client::map() const {
  std::lock_guard lock(mutex_);
  return map_;
}

Status Client::refresh_map(NodeId from) {
  auto current = map();
  wire::MapRequest request{current->epoch()};
  auto reply = pool_.call(current->node(from).client, wire::MsgType::kMapRequest, request.encode(),
                          timeout_for(*current, 0));
  if (!reply) return reply.status();
  auto decoded = wire::MapReply::decode(reply->payload);
  if (!decoded) return decoded.status();
  auto fresh = build_map(decoded->cluster_yaml, "cluster map from node " + std::to_string(from.value));
  if (!fresh) return fresh.status();
  std::lock_guard lock(mutex_);
  if (fresh->epoch() > map_->epoch()) map_ = std::make_shared<const ClusterMap>(std::move(fresh).value());
  return Status::ok();
}

Result<wire::Frame> Client::call_node(NodeId node, wire::MsgType type,
                                      std::span<const std::byte> payload, uint64_t bytes) {
  auto current = map();
  return pool_.call(current->node(node).client, type, payload, timeout_for(*current, bytes));
}

template <class Request>
Result<wire::PutReply> Client::coordinate(wire::MsgType type, Request request, uint64_t bytes) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto current = map();
    request.epoch = current->epoch();
    if (Status st = validate_path(request.path); !st.is_ok()) return st;
    const auto payload = request.encode();
    const Group& group = current->pool.group(current->pool.lookup(request.path));
    Status last = unavailable("no member of the file's group answered");
    bool stale = false;
    for (DiskId member : group.members) {
      const NodeId node = current->node_of(member);
      auto reply = pool_.exchange(current->node(node).client, type, payload, timeout_for(*current, bytes));
      if (!reply) {  // unreachable: the next member coordinates instead
        last = reply.status();
        if (!worth_another_member(last)) return last;
        continue;
      }
      if (reply->type != wire::MsgType::kError) return wire::PutReply::decode(reply->payload);
      // The node answered: its verdict stands, unless our map was old.
      Status answer = error_of(*reply);
      if (answer.code() != StatusCode::kStaleEpoch) return answer;
      if (Status st = refresh_map(node); !st.is_ok()) return st;
      stale = true;
      break;
    }
    if (!stale) return last;
  }
  return unavailable("the cluster map kept changing; try again");
}

Result<wire::PutReply> Client::put(std::string_view path, std::span<const std::byte> data,
                                   int64_t mtime_ns) {
  if (data.size() > wire::kFileBytesMax) {
    return refused(std::string(path) + ": " + std::to_string(data.size()) +
                   " bytes is larger than the reference cluster's 256 MiB file limit");
  }
  wire::PutRequest request{0, std::string(path), mtime_ns, {data.begin(), data.end()}};
  return coordinate(wire::MsgType::kPut, std::move(request), data.size());
}

Result<wire::PutReply> Client::remove(std::string_view path) {
  return coordinate(wire::MsgType::kDelete, wire::DeleteRequest{0, std::string(path)}, 0);
}

void Client::read_members(const ClusterMap& map, std::string_view path,
                          std::span<const DiskId> members, std::span<const uint32_t> which,
                          bool record_only, std::vector<Result<wire::ReadReply>>& replies,
                          const std::string* snapshot) {
  // Every request goes out before any reply is read: connections to distinct
  // nodes carry them in parallel.
  std::vector<std::pair<uint32_t, std::unique_ptr<Connection>>> sent;
  for (uint32_t m : which) {
    const Endpoint& to = map.node(map.node_of(members[m])).client;
    auto c = pool_.take(to);
    if (!c) {
      replies[m] = c.status();
      continue;
    }
    const wire::MsgType type = snapshot != nullptr ? wire::MsgType::kSnapshotRead : wire::MsgType::kRead;
    const std::vector<std::byte> payload =
        snapshot != nullptr
            ? wire::SnapshotReadRequest{map.epoch(), std::string(path), members[m].value, record_only, *snapshot}
                  .encode()
            : wire::ReadRequest{map.epoch(), std::string(path), members[m].value, record_only}.encode();
    if (Status st = (*c)->send(type, m + 1, payload, timeout_for(map, 0)); !st.is_ok()) {
      replies[m] = st;
      continue;
    }
    sent.emplace_back(m, std::move(c).value());
  }
  for (auto& [m, c] : sent) {
    auto frame = c->receive(timeout_for(map, record_only ? 0 : wire::kFileBytesMax / 16));
    if (!frame) {
      replies[m] = frame.status();
      continue;
    }
    replies[m] = frame->type == wire::MsgType::kError ? Result<wire::ReadReply>(error_of(*frame))
                                                      : wire::ReadReply::decode(frame->payload);
    if (!replies[m] && replies[m].status().code() == StatusCode::kStaleEpoch)
      stale_from_ = static_cast<int64_t>(map.node_of(members[m]).value);
    pool_.give_back(map.node(map.node_of(members[m])).client, std::move(c));
  }
}

Result<ReconcilePlan> Client::current_copy(std::string_view path, const Scheme& scheme,
                                           const std::vector<Result<wire::ReadReply>>& replies, bool* absent) {
  std::vector<MemberCopy> copies;
  for (const auto& r : replies) {
    copies.push_back(member_copy(r ? Result<FileRecord>(r->record) : Result<FileRecord>(r.status())));
  }
  const ReconcilePlan plan = plan_reconcile(scheme, copies);
  if (plan.sources.empty()) {
    bool any = false;
    for (const auto& c : copies) any = any || c.state != MemberCopy::State::kAbsent;
    if (!any) {
      if (absent != nullptr) *absent = true;
      return not_found(std::string(path) + ": no such file");
    }
    if (plan.outcome == ReconcilePlan::Outcome::kWaiting) {
      return unavailable(std::string(path) + ": too many members of its group are unreachable");
    }
    return Status(StatusCode::kDataLoss, std::string(path) + ": no readable copy on any member");
  }
  if (replies[plan.current]->record.tombstone) return not_found(std::string(path) + ": deleted");
  return plan;
}

// While data moves, a path that no member of its new group holds yet is
// read from its old group (the map it moves from).
template <class Read>
auto Client::with_fallback(std::string_view path, Read read) -> decltype(read(std::declval<const ClusterMap&>(), std::declval<const std::vector<DiskId>&>(), nullptr)) {
  if (Status st = validate_path(path); !st.is_ok()) return st;
  for (int attempt = 0;; ++attempt) {
    auto current = map();
    stale_from_ = -1;
    bool absent = false;
    auto result = read(*current, current->pool.group(current->pool.lookup(path)).members, &absent);
    if (!result && absent && current->previous) {
      const PoolMap& from = *current->previous;
      result = read(*current, from.group(from.lookup(path)).members, nullptr);
    }
    // A member runs a newer map: fetch it from that node and read again.
    const int64_t stale = stale_from_.load();
    if (result || stale < 0 || attempt == 2) return result;
    if (Status st = refresh_map(NodeId(static_cast<uint32_t>(stale))); !st.is_ok()) return result;
  }
}

Result<FileRecord> Client::stat(std::string_view path) {
  return with_fallback(path, [&](const ClusterMap& map, const std::vector<DiskId>& members, bool* absent) {
    return stat_from(map, path, members, absent);
  });
}

Result<StoredFile> Client::get(std::string_view path) {
  return with_fallback(path, [&](const ClusterMap& map, const std::vector<DiskId>& members, bool* absent) {
    return get_from(map, path, members, absent);
  });
}

namespace {

const Snapshot* snapshot_named(const ClusterMap& map, std::string_view name) {
  for (const Snapshot& s : map.config.snapshots)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace

// (Here, beside with_fallback, which it reads through; the rest of the
// snapshot calls are in client_snapshot.cc.)
Result<StoredFile> Client::snapshot_get(const std::string& name, std::string_view path) {
  if (Status st = validate_path(path); !st.is_ok()) return st;
  auto current = map();
  if (snapshot_named(*current, name) == nullptr) {
    if (auto fresh = retention_policies(); !fresh) return fresh.status();
    current = map();
  }
  const Snapshot* found = snapshot_named(*current, name);
  if (found == nullptr) return invalid_argument("no snapshot is named " + name + " (`cairn snapshot list` lists them)");
  if (!snapshot_covers(*found, path)) {
    return invalid_argument("snapshot " + name + " holds the files under " + found->prefix + ", not " +
                            std::string(path));
  }
  return with_fallback(path, [&](const ClusterMap& m, const std::vector<DiskId>& members, bool* absent) {
    return get_from(m, path, members, absent, &name);
  });
}

Result<FileRecord> Client::stat_from(const ClusterMap& map, std::string_view path, const std::vector<DiskId>& members,
                                     bool* absent) {
  const Scheme& scheme = map.pool.spec.scheme;
  std::vector<Result<wire::ReadReply>> replies(scheme.width(), Status(StatusCode::kUnavailable, "not asked"));
  std::vector<uint32_t> all(scheme.width());
  std::iota(all.begin(), all.end(), 0U);
  read_members(map, path, members, all, true, replies);
  auto plan = current_copy(path, scheme, replies, absent);
  if (!plan) return plan.status();
  return replies[plan->current]->record;
}

Result<StoredFile> Client::get_from(const ClusterMap& map, std::string_view path, const std::vector<DiskId>& members,
                                    bool* absent, const std::string* snapshot) {
  const ClusterMap* current = &map;
  const Scheme& scheme = current->pool.spec.scheme;
  const uint32_t width = scheme.width();
  // The data members send their parts, the others their records.
  const uint32_t want_full = scheme.is_replica() ? 1 : scheme.k;
  std::vector<Result<wire::ReadReply>> replies(width, Status(StatusCode::kUnavailable, "not asked"));
  std::vector<uint32_t> full, records;
  for (uint32_t m = 0; m < width; ++m) (m < want_full ? full : records).push_back(m);
  read_members(*current, path, members, full, false, replies, snapshot);
  read_members(*current, path, members, records, true, replies, snapshot);
  auto found = current_copy(path, scheme, replies, absent);
  if (!found) return found.status();
  const ReconcilePlan& plan = *found;
  const FileRecord record = replies[plan.current]->record;


  // Parts of the current copy in hand; fetch more sources until it decodes.
  std::vector<std::optional<std::vector<std::byte>>> parts(width);
  auto take_part = [&](uint32_t m) {
    if (!replies[m] || !plan.sources.contains(m)) return;
    wire::ReadReply& r = *replies[m];
    if (r.payload.size() == r.record.payload_bytes && crc32c(r.payload) == r.record.payload_crc) {
      parts[m] = std::move(r.payload);
    }
  };
  for (uint32_t m : full) take_part(m);
  Result<std::vector<std::byte>> data = decode_file(scheme, record, parts);
  for (uint32_t m = 0; m < width && !data; ++m) {
    if (parts[m] || !plan.sources.contains(m)) continue;
    read_members(*current, path, members, std::array<uint32_t, 1>{m}, false, replies, snapshot);
    take_part(m);
    data = decode_file(scheme, record, parts);
  }
  if (!data) return Status(data.status().code(), std::string(path) + ": " + data.status().message());
  return StoredFile{record, std::move(data).value()};
}

Result<std::vector<wire::ListEntry>> Client::list_everywhere(std::string_view prefix,
                                                             std::vector<uint32_t>* unreachable) {
  auto current = map();
  std::vector<wire::ListEntry> all;
  wire::ListRequest request{current->epoch(), std::string(prefix), false, 0};
  const auto payload = request.encode();
  // Every node is asked before any answer is read, so the nodes walk their
  // disks in parallel (a lookup through the mount lists on every create).
  std::vector<std::pair<const NodeConfig*, Result<std::unique_ptr<Connection>>>> asked;
  for (const NodeConfig& n : current->config.nodes) {
    if (n.retired) continue;
    auto c = pool_.take(n.client);
    if (c) {
      if (Status st = (*c)->send(wire::MsgType::kList, n.id + 1, payload, timeout_for(*current, 1 << 20));
          !st.is_ok()) {
        c = st;
      }
    }
    asked.emplace_back(&n, std::move(c));
  }
  for (auto& [node, c] : asked) {
    const NodeConfig& n = *node;
    Result<wire::Frame> reply = c ? (*c)->receive(timeout_for(*current, 1 << 20)) : Result<wire::Frame>(c.status());
    if (reply) pool_.give_back(n.client, std::move(*c));
    // Failed or refused: asked again alone, as before (a pooled connection a
    // restarted node closed is retried on a new one).
    if (!reply || reply->type == wire::MsgType::kError) {
      reply = call_node(NodeId(n.id), wire::MsgType::kList, payload, 1 << 20);
    }
    if (!reply) {
      if (unreachable != nullptr) unreachable->push_back(n.id);
      continue;
    }
    if (reply->type == wire::MsgType::kError) {
      Status answer = error_of(*reply);
      if (answer.code() != StatusCode::kStaleEpoch) return answer;
      if (Status st = refresh_map(NodeId(n.id)); !st.is_ok()) return st;
      if (map()->epoch() == current->epoch()) return answer;
      if (unreachable != nullptr) unreachable->clear();
      return list_everywhere(prefix, unreachable);  // with the node's newer map
    }
    auto list = wire::ListReply::decode(reply->payload);
    if (!list) return list.status();
    if (list->truncated) {
      return refused("node " + std::to_string(n.id) + " holds more than " +
                     std::to_string(wire::kListEntriesMax) + " files under " + std::string(prefix) +
                     "; list a narrower prefix");
    }
    for (auto& e : list->entries) all.push_back(std::move(e));
  }
  return all;
}

Result<std::vector<ListedFile>> Client::list(std::string_view prefix) {
  auto entries = list_everywhere(prefix, nullptr);
  if (!entries) return entries.status();
  // The current record of each path, by the engine's order of copies.
  std::map<std::string, FileRecord> newest;
  for (const auto& e : *entries) {
    auto [it, fresh] = newest.emplace(e.path, e.record);
    if (!fresh && newer_copy(member_copy(e.record), member_copy(it->second))) it->second = e.record;
  }
  std::vector<ListedFile> out;
  for (auto& [path, record] : newest) {
    if (!record.tombstone) out.push_back({path, record});
  }
  return out;
}

std::vector<Result<std::string>> Client::node_status() {
  auto current = map();
  std::vector<Result<std::string>> out;
  for (const NodeConfig& n : current->config.nodes) {
    if (n.retired) {
      out.emplace_back(Status(StatusCode::kRefused, "retired"));
      continue;
    }
    auto reply = pool_.call(n.management, wire::MsgType::kStatus, {}, timeout_for(*current, 0));
    if (!reply) {
      out.emplace_back(reply.status());
      continue;
    }
    auto status = wire::StatusReply::decode(reply->payload);
    out.emplace_back(status ? Result<std::string>(status->json) : Result<std::string>(status.status()));
  }
  return out;
}

// Reads every listed part of `path` and keeps in `row` only those whose bytes
// match their record (the node checks too, and repairs what fails).
void Client::verify_contents(const ClusterMap& map, const std::string& path,
                             std::vector<std::optional<FileRecord>>& row, CheckReport& report) {
  const std::vector<DiskId>& members = map.pool.group(map.pool.lookup(path)).members;
  std::vector<uint32_t> listed;
  for (uint32_t m = 0; m < row.size(); ++m)
    if (row[m] && !row[m]->tombstone) listed.push_back(m);
  std::vector<Result<wire::ReadReply>> replies(row.size(), Status(StatusCode::kUnavailable, "not asked"));
  read_members(map, path, members, listed, false, replies);
  for (uint32_t m : listed) {
    const bool intact = replies[m] && replies[m]->record == *row[m] &&
                        replies[m]->payload.size() == row[m]->payload_bytes &&
                        crc32c(replies[m]->payload) == row[m]->payload_crc;
    if (replies[m]) report.bytes_read += replies[m]->payload.size();
    if (intact) continue;
    // A copy rewritten since the listing reads with another record: the
    // next check settles it. Only bytes that fail their own record count.
    if (!replies[m] && replies[m].status().code() == StatusCode::kCorrupt) ++report.corrupt_members;
    row[m].reset();
  }
}

Result<ScrubReport> Client::scrub(bool unpaced, Millis timeout,
                                  const std::function<void(uint64_t files_verified)>& progress) {
  auto current = map();
  const auto started = std::chrono::steady_clock::now();
  ScrubReport report;
  std::vector<uint64_t> target(current->config.nodes.size(), 0);  // 0: not taken
  const auto payload = wire::ScrubRequest{unpaced}.encode();
  for (const NodeConfig& n : current->config.nodes) {
    if (n.retired) continue;
    auto reply = pool_.call(n.management, wire::MsgType::kScrub, payload, timeout_for(*current, 0));
    auto decoded = reply ? wire::ScrubReply::decode(reply->payload) : Result<wire::ScrubReply>(reply.status());
    if (decoded) {
      target[n.id] = decoded->pass;
    } else {
      report.nodes_unreachable.push_back(n.id);
    }
  }
  while (true) {
    std::vector<nlohmann::json> scrub(target.size());
    bool done = true;
    uint64_t files = 0;
    const auto statuses = node_status();
    for (size_t i = 0; i < target.size(); ++i) {
      if (target[i] == 0) continue;
      nlohmann::json r = statuses[i] ? nlohmann::json::parse(*statuses[i], nullptr, false) : nlohmann::json();
      if (!r.is_object() || !r.contains("scrub")) {
        done = false;
        continue;
      }
      scrub[i] = r["scrub"];
      done = done && scrub[i]["passes_completed"].get<uint64_t>() >= target[i] &&
             r["heals_pending"].get<uint64_t>() == 0;
      files += scrub[i]["running"].get<bool>() ? scrub[i]["running_files_verified"].get<uint64_t>()
                                               : scrub[i]["files_verified"].get<uint64_t>();
    }
    if (done) {
      for (const nlohmann::json& s : scrub) {
        if (s.is_null()) continue;
        report.files_verified += s["files_verified"].get<uint64_t>();
        report.bytes_verified += s["bytes_verified"].get<uint64_t>();
        report.payload_corrupt += s["payload_corrupt"].get<uint64_t>();
        report.record_corrupt += s["record_corrupt"].get<uint64_t>();
        report.members_differ += s["members_differ"].get<uint64_t>();
        report.groups_compared += s["groups_compared"].get<uint64_t>();
        report.groups_unreachable += s["groups_unreachable"].get<uint64_t>();
        report.node_scrub_json.push_back(s.dump());
      }
      return report;
    }
    if (std::chrono::steady_clock::now() - started > timeout) {
      return Status(StatusCode::kTimeout, "scrub not finished after " + std::to_string(timeout.count() / 1000) +
                                              " s (see cairn status); the passes go on in the background");
    }
    if (progress) progress(files);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

Result<CheckReport> Client::check(bool deep) {
  CheckReport report;
  report.deep = deep;
  auto entries = list_everywhere("/", &report.nodes_unreachable);
  if (!entries) return entries.status();
  auto current = map();
  const Scheme& scheme = current->pool.spec.scheme;
  // path -> record per member of the path's group
  std::map<std::string, std::vector<std::optional<FileRecord>>> seen;
  for (const auto& e : *entries) {
    const Group& group = current->pool.group(current->pool.lookup(e.path));
    auto& row = seen[e.path];
    row.resize(scheme.width());
    for (uint32_t m = 0; m < group.members.size(); ++m) {
      if (group.members[m].value == e.disk) row[m] = e.record;
    }
  }
  for (auto& [path, row] : seen) {
    ++report.files;
    if (deep) verify_contents(*current, path, row, report);
    if (members_agree(scheme, row)) {
      ++report.agreeing;
    } else {
      ++report.differing_count;
      if (report.differing.size() < 100) report.differing.push_back(path);
    }
  }
  return report;
}

// ---- retention ----

namespace {

RetainedFile retained_view(const FileRecord& r) {
  return RetainedFile{true, r.tombstone, r.committed, r.version, r.retain_until_ns, r.file_crc};
}

}  // namespace

Result<Retention> Client::retention_of(std::string_view path, int64_t now_ns) {
  auto record = stat(path);
  if (!record) return record.status();
  return cairn::retention_of(path, retained_view(*record), map()->config.retention, now_ns);
}

Status Client::check_changeable(std::string_view path, int64_t now_ns) {
  auto record = stat(path);
  if (!record) return record.status().code() == StatusCode::kNotFound ? Status::ok() : record.status();
  return retention_verdict(path, retained_view(*record), nullptr, map()->config.retention, now_ns);
}

Result<std::vector<RetentionPolicy>> Client::retention_policies() {
  Status last = unavailable("no node answered");
  for (const NodeConfig& n : map()->config.nodes) {
    if (n.retired) continue;
    if (last = refresh_map(NodeId(n.id)); last.is_ok()) return map()->config.retention;
  }
  return last;
}

Result<RetentionChange> Client::change_retention(std::vector<RetentionPolicy> policies,
                                                 const std::string* bypass_reason) {
  if (auto current = retention_policies(); !current) return current.status();
  if (Status st = check_policies(policies); !st.is_ok()) return st;
  std::sort(policies.begin(), policies.end(), [](const auto& a, const auto& b) { return a.prefix < b.prefix; });
  const auto current = map();
  RetentionChange change;
  if (Status st = policy_change_verdict(current->config.retention, policies, bypass_reason != nullptr,
                                        &change.weakened);
      !st.is_ok())
    return st;
  ClusterConfig next = current->config;
  next.epoch = current->epoch() + 1;
  next.retention = std::move(policies);
  auto installed = install_next(std::move(next), "retention change", bypass_reason, &change.nodes_unreachable);
  if (!installed) return installed.status();
  change.map = *installed;
  return change;
}

Result<std::shared_ptr<const ClusterMap>> Client::install_next(ClusterConfig next, std::string_view why,
                                                               const std::string* bypass_reason,
                                                               std::vector<uint32_t>* unreachable) {
  auto built = build_map(to_yaml(next), std::string(why) + " at epoch " + std::to_string(next.epoch));
  if (!built) return built.status();
  auto installed = std::make_shared<const ClusterMap>(std::move(built).value());
  std::vector<std::byte> payload;
  wire::MsgType type = wire::MsgType::kInstallMap;
  if (bypass_reason != nullptr) {
    type = wire::MsgType::kBypassGovernance;
    payload = wire::BypassGovernanceRequest{installed->epoch(), installed->yaml, *bypass_reason}.encode();
  } else {
    payload = wire::InstallMapRequest{installed->epoch(), installed->yaml}.encode();
  }
  bool any = false;
  for (const NodeConfig& n : installed->config.nodes) {
    if (n.retired) continue;
    auto reply = pool_.call(n.management, type, payload, Millis(10'000));
    if (reply) {
      any = true;
      continue;
    }
    if (reply.status().code() == StatusCode::kUnavailable || reply.status().code() == StatusCode::kTimeout) {
      unreachable->push_back(n.id);
      continue;
    }
    return Status(reply.status().code(), "node " + std::to_string(n.id) + " refused map epoch " +
                                             std::to_string(installed->epoch()) + ": " + reply.status().message());
  }
  if (!any) return unavailable("no node took map epoch " + std::to_string(installed->epoch()));
  {
    std::lock_guard lock(mutex_);
    if (installed->epoch() > map_->epoch()) map_ = installed;
  }
  return installed;
}

}  // namespace cairn
