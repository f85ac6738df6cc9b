#include "cluster-ref/node/healer.h"

#include <map>

#include "cluster-ref/formats/file_codec.h"
#include "cluster-ref/net/log.h"
#include "engine/rebalance.h"

namespace cairn {

Healer::Healer(const MapHolder& maps, Members& members, OwedLog& owed)
    : maps_(maps), members_(members), owed_(owed) {
  groups_to_scan_ = local_groups();
  scan_left_ = static_cast<uint32_t>(groups_to_scan_.size());
}

std::set<uint32_t> Healer::local_groups() const {
  std::set<uint32_t> out;
  for (GroupId g : groups_served(maps_.get()->pool, members_)) out.insert(g.value);
  return out;
}

void Healer::rescan() {
  rescan_ = true;
  wake();
}

Healer::~Healer() { stop(); }

void Healer::start() { thread_ = std::thread([this] { loop(); }); }

void Healer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Healer::Counters Healer::counters() const {
  return {repaired_.load(), dropped_.load(), unreadable_.load(), scan_left_.load()};
}

void Healer::loop() {
  const std::chrono::milliseconds period(maps_.get()->config.heal_interval_ms);
  while (true) {
    if (rescan_.exchange(false)) {
      const std::set<uint32_t> more = local_groups();
      groups_to_scan_.insert(more.begin(), more.end());
    }
    for (auto it = groups_to_scan_.begin(); it != groups_to_scan_.end();) {
      it = compare_group(GroupId(*it)) ? groups_to_scan_.erase(it) : std::next(it);
    }
    scan_left_ = static_cast<uint32_t>(groups_to_scan_.size());
    replay_owed();
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, period, [this] { return stopping_ || woken_; }) && stopping_) return;
    woken_ = false;
  }
}

void Healer::queue(std::string_view path) {
  if (Status st = owed_.add(path); !st.is_ok()) log::warn() << st.message();
  wake();
}

void Healer::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void Healer::replay_owed() {
  for (const OwedLog::Entry& entry : owed_.entries()) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    const auto outcome = reconcile(entry.path);
    if (outcome == ReconcilePlan::Outcome::kInSync ||
        outcome == ReconcilePlan::Outcome::kUnreadable) {
      if (Status st = owed_.remove(entry); !st.is_ok()) log::warn() << st.message();
    }
  }
}

ReconcilePlan::Outcome Healer::reconcile(std::string_view path, FragmentSet prefer) {
  const auto map = maps_.get();
  if (map->moving(path)) {
    return ReconcilePlan::Outcome::kWaiting;
  }
  const GroupId gid = map->pool.lookup(path);
  const std::vector<DiskId>& members = map->pool.group(gid).members;
  const Scheme& scheme = map->pool.spec.scheme;
  std::vector<MemberCopy> copies(members.size());
  std::vector<FileRecord> records(members.size());
  for (uint32_t m = 0; m < members.size(); ++m) {
    auto record = members_.stat(members[m], path);
    if (record) records[m] = *record;
    copies[m] = member_copy(record);
  }
  const ReconcilePlan plan = plan_reconcile(scheme, copies);
  if (plan.outcome == ReconcilePlan::Outcome::kInSync ||
      plan.outcome == ReconcilePlan::Outcome::kWaiting) {
    return plan.outcome;
  }
  if (plan.outcome == ReconcilePlan::Outcome::kUnreadable) {
    unreadable_.fetch_add(1);
    log::error() << "heal " << path << ": no member set can be read; dropping "
                 << plan.drop.size() << " parts of a write that was never acknowledged";
  }
  if (Status st = repair(*map, path, members, plan, records, prefer); !st.is_ok()) {
    log::warn() << "heal " << path << ": " << st.message();
    return ReconcilePlan::Outcome::kWaiting;
  }
  if (plan.outcome == ReconcilePlan::Outcome::kUnreadable) return plan.outcome;
  return plan.unreachable.empty() ? ReconcilePlan::Outcome::kInSync
                                  : ReconcilePlan::Outcome::kWaiting;
}

Status Healer::repair(const ClusterMap& map, std::string_view path, const std::vector<DiskId>& members,
                      const ReconcilePlan& plan, const std::vector<FileRecord>& records, FragmentSet prefer) {
  const Scheme& scheme = map.pool.spec.scheme;
  for (uint32_t m = 0; m < members.size(); ++m) {
    if (!plan.drop.contains(m)) continue;
    if (Status st = members_.remove(members[m], path); !st.is_ok()) return st;
    dropped_.fetch_add(1);
  }
  if (plan.targets.empty() || plan.outcome != ReconcilePlan::Outcome::kRepair) return Status::ok();

  const FileRecord& current = records[plan.current];
  const FileIdentity id{current.group, current.version, current.mtime_ns, current.retain_until_ns,
                        current.committed};
  std::vector<MemberPart> parts;
  // Outlives `parts`: a replicated file's parts are views of it.
  Result<std::vector<std::byte>> file = Status(StatusCode::kDataLoss, "no source read");
  if (current.tombstone) {
    parts = encode_tombstone(scheme, id);
  } else {
    // Read sources until the file can be rebuilt (one copy or k fragments).
    std::vector<std::optional<std::vector<std::byte>>> read(members.size());
    // The preferred sources first (a heal plan's), then the others.
    std::vector<uint32_t> order;
    for (uint32_t m = 0; m < members.size(); ++m)
      if (prefer.contains(m)) order.push_back(m);
    for (uint32_t m = 0; m < members.size(); ++m)
      if (!prefer.contains(m)) order.push_back(m);
    for (uint32_t m : order) {
      if (!plan.sources.contains(m)) continue;
      auto stored = members_.read(members[m], path);
      if (!stored || stored->record != records[m]) continue;  // changed or corrupt: next one
      read[m] = std::move(stored->payload);
      file = decode_file(scheme, current, read);
      if (file) break;
    }
    if (!file) return file.status();
    auto encoded = encode_file(scheme, id, *file);
    if (!encoded) return encoded.status();
    parts = std::move(encoded).value();
  }
  for (uint32_t m = 0; m < members.size(); ++m) {
    if (!plan.targets.contains(m)) continue;
    CAIRN_ASSERT(m < parts.size());
    if (Status st = members_.store(members[m], path, parts[m].record, parts[m].payload); !st.is_ok()) {
      return st;
    }
    repaired_.fetch_add(1);
  }
  return Status::ok();
}

Result<Healer::Comparison> Healer::compare_group(GroupId group) {
  const auto map = maps_.get();
  const std::vector<DiskId>& members = map->pool.group(group).members;
  // Membership follows the layout, not the group id a record was written
  // with; paths still moving in a rebalance belong to the mover.
  auto belongs = [&](const std::string& path) {
    return map->pool.lookup(path) == group &&
           !map->moving(path);
  };
  // path -> records by member; a path missing on some member shows as fewer.
  std::map<std::string, std::vector<std::optional<FileRecord>>> seen;
  for (uint32_t m = 0; m < members.size(); ++m) {
    std::vector<std::pair<std::string, FileRecord>> listed;
    auto listing = members_.list(members[m], group);
    if (!listing) return listing.status();
    for (auto& e : listing->entries) {
      if (belongs(e.path)) listed.emplace_back(std::move(e.path), e.record);
    }
    for (auto& [path, record] : listed) {
      auto& row = seen[path];
      row.resize(members.size());
      row[m] = record;
    }
  }
  uint32_t differing = 0;
  for (const auto& [path, row] : seen) {
    if (!members_agree(map->pool.spec.scheme, row)) {
      ++differing;
      if (Status st = owed_.add(path); !st.is_ok()) log::warn() << st.message();
    }
  }
  if (differing > 0) {
    log::info() << "comparison of group " << group.value << ": " << differing << " of " << seen.size()
                << " paths differ between members; healing them";
  }
  return Comparison{seen.size(), differing};
}

}  // namespace cairn
