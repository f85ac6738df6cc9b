#include "cluster-ref/node/scrubber.h"

#include "cluster-ref/net/log.h"
#include "engine/scrub.h"

namespace cairn {
namespace {

int64_t unix_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}


}  // namespace

Scrubber::Scrubber(const MapHolder& maps, Clock& clock, Members& members, Healer& healer)
    : maps_(maps), clock_(clock), members_(members), healer_(healer) {}

Scrubber::~Scrubber() { stop(); }

void Scrubber::start() { thread_ = std::thread([this] { loop(); }); }

void Scrubber::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

uint64_t Scrubber::request_pass(bool unpaced) {
  uint64_t target = 0;
  {
    std::lock_guard lock(mutex_);
    requested_ = true;
    requested_unpaced_ = requested_unpaced_ || unpaced;
    target = passes_started_ + 1;
  }
  wake_.notify_all();
  return target;
}

Scrubber::Report Scrubber::report() const {
  std::lock_guard lock(mutex_);
  Report r = report_;
  r.running = running_;
  r.running_files_verified = running_ ? running_files_.load() : 0;
  return r;
}

bool Scrubber::pause_ns(int64_t ns) {
  while (ns > 0) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return false;
    }
    const int64_t slice = std::min<int64_t>(ns, 100'000'000);
    clock_.sleep_ns(slice);
    ns -= slice;
  }
  std::lock_guard lock(mutex_);
  return !stopping_;
}

void Scrubber::loop() {
  const auto interval_ns = static_cast<int64_t>(maps_.get()->config.scrub_interval_s) * 1'000'000'000;
  // The first automatic pass waits one interval after start: a node that
  // restarts often must not scrub at every start.
  int64_t last_end_ns = clock_.now_ns();
  while (true) {
    bool unpaced = false;
    {
      std::unique_lock lock(mutex_);
      auto due = [&] {
        return stopping_ || requested_ ||
               scrub_due(last_end_ns, true, clock_.now_ns(), interval_ns);
      };
      // Wakes at least every second to look at the clock.
      while (!due()) wake_.wait_for(lock, std::chrono::seconds(1));
      if (stopping_) return;
      unpaced = requested_unpaced_;
      requested_ = false;
      requested_unpaced_ = false;
      running_ = true;
      ++passes_started_;
    }
    run_pass(unpaced);
    last_end_ns = clock_.now_ns();
  }
}

void Scrubber::run_pass(bool unpaced) {
  const auto map = maps_.get();
  const uint64_t budget = unpaced ? kScrubUnpaced : map->config.scrub_bytes_per_s;
  const int64_t started_ns = clock_.now_ns();
  Report pass;
  pass.last_started_unix_ns = unix_now_ns();
  running_files_ = 0;

  // What each local disk holds, by group: one listing per disk per pass.
  std::map<uint32_t, std::map<DiskId, std::vector<DiskStore::Entry>>> by_group;
  std::vector<GroupScrubState> states;
  const auto& groups = map->pool.placement.groups;
  for (GroupId id : groups_served(map->pool, members_)) {
    const uint32_t g = id.value;
    auto it = last_scrubbed_ns_.find(g);
    states.push_back({GroupId(g), it != last_scrubbed_ns_.end(), it == last_scrubbed_ns_.end() ? 0 : it->second});
    by_group[g];
  }
  for (DiskId d : map->topology.node(members_.self()).disks) {
    if (!members_.serves(d)) continue;
    auto listing = members_.list(d, std::nullopt);
    if (!listing) {
      log::warn() << "scrub: cannot list disk " << d.value << ": " << listing.status().message();
      continue;
    }
    pass.record_corrupt += listing->corrupt;
    if (listing->truncated) {
      log::warn() << "scrub: disk " << d.value << " holds more than " << wire::kListEntriesMax
                  << " files; this pass checks the first ones";
    }
    for (auto& e : listing->entries) {
      auto it = by_group.find(map->pool.lookup(e.path).value);
      if (it != by_group.end()) it->second[d].push_back(std::move(e));
    }
  }

  uint64_t cost = 0;
  const uint32_t width = map->pool.spec.scheme.width();
  for (GroupId g : scrub_order(states)) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    for (auto& [disk, entries] : by_group[g.value]) verify_group(g, disk, entries, budget, started_ns, cost, pass);
    const std::vector<DiskId>& members = groups[g.value].members;
    uint32_t lowest_local = width;
    for (uint32_t m = 0; m < members.size() && lowest_local == width; ++m)
      if (members_.serves(members[m])) lowest_local = m;
    if (lowest_local < width && leads_group_comparison(members_.live_members(members), width, lowest_local)) {
      auto compared = healer_.compare_group(g);
      if (compared) {
        ++pass.groups_compared;
        pass.members_differ += compared->differing;
      } else {
        ++pass.groups_unreachable;
      }
    }
    last_scrubbed_ns_[g.value] = clock_.now_ns();
  }
  healer_.wake();
  pass.last_ended_unix_ns = unix_now_ns();
  const uint64_t found = pass.payload_corrupt + pass.record_corrupt + pass.members_differ;
  log::info() << "scrub pass: " << pass.files_verified << " files, " << pass.bytes_verified << " bytes verified, "
              << pass.groups_compared << " groups compared; " << found << " findings queued for repair";
  std::lock_guard lock(mutex_);
  pass.passes_completed = report_.passes_completed + 1;
  report_ = pass;
  running_ = false;
}

void Scrubber::verify_group(GroupId group, DiskId disk, const std::vector<DiskStore::Entry>& entries,
                            uint64_t budget, int64_t started_ns, uint64_t& cost, Report& pass) {
  for (const DiskStore::Entry& e : entries) {
    if (e.record.tombstone) continue;
    const int64_t elapsed = clock_.now_ns() - started_ns;
    if (const int64_t wait = scrub_wait_ns(budget, cost, elapsed); wait > 0 && !pause_ns(wait)) return;
    cost += scrub_cost_bytes(e.record.payload_bytes);
    auto stored = members_.read(disk, e.path);
    ++pass.files_verified;
    running_files_.fetch_add(1);
    if (stored) {
      pass.bytes_verified += stored->payload.size();
      continue;
    }
    if (stored.status().code() != StatusCode::kCorrupt) continue;  // gone since the listing, or I/O: next pass
    const ScrubAction action = scrub_action(ScrubFinding::kPayloadCorrupt);
    bool dropped = false;
    if (action.drop_local) {
      if (Status st = members_.drop_if_corrupt(disk, e.path, &dropped); !st.is_ok()) {
        log::warn() << "scrub: cannot drop " << e.path << ": " << st.message();
        continue;
      }
    }
    if (!dropped) continue;  // rewritten since it was read
    ++pass.payload_corrupt;
    log::warn() << "scrub: group " << group.value << ": " << stored.status().message()
                << "; dropped, repairing from the other members";
    if (action.repair) healer_.queue(e.path);
  }
}

}  // namespace cairn
