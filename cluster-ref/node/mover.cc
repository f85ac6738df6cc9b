#include "cluster-ref/node/mover.h"

#include <algorithm>
#include <atomic>

#include "cluster-ref/net/log.h"
#include "engine/pace.h"

namespace cairn {

bool Mover::run(const ClusterMap& map) {
  if (!map.previous) return true;
  std::vector<Item> items;
  uint64_t bytes = 0;
  for (DiskId d : map.topology.node(members_.self()).disks) {
    if (!members_.serves(d)) continue;
    auto listing = members_.list(d, std::nullopt);
    if (!listing) {
      log::warn() << "rebalance: cannot list disk " << d.value << ": " << listing.status().message();
      return false;
    }
    for (auto& e : listing->entries) {
      const PathMoves moves = path_moves(*map.previous, map.pool, e.path);
      for (const MemberMove& m : moves.members) {
        if (m.from != d) continue;
        items.push_back({d, e.path, e.record.payload_bytes, moves.to_group, m, map.topology.disk(d).retired});
        bytes += e.record.payload_bytes;
      }
    }
  }
  if (items.empty()) return true;
  // The engine's order: evacuations first, then larger, then by path.
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.evacuates != b.evacuates) return a.evacuates;
    return a.path < b.path;
  });
  begin(map.epoch(), items.size(), bytes);
  std::atomic<uint64_t> waiting{0};
  const bool finished = in_batches(map, items, [&](const Item& item) {
    if (Status st = move_one(item); !st.is_ok()) {
      if (waiting.fetch_add(1) < 5) log::warn() << "rebalance of " << item.path << " waits: " << st.message();
      return;
    }
    update([&](WorkProgress& p) {
      ++p.files_done;
      p.bytes_done += item.bytes;
    });
  });
  if (!finished) return false;
  update([&](WorkProgress& p) { p.files_waiting = waiting.load(); });
  if (waiting.load() == 0) log::info() << "rebalance to epoch " << map.epoch() << ": " << items.size() << " parts moved";
  return waiting.load() == 0;
}

Status Mover::move_one(const Item& item) {
  auto stored = members_.read(item.from, item.path);
  if (!stored) {
    // Gone since the listing (a delete's tombstone moved it, or a scrub
    // dropped it): nothing of it is left here to move.
    if (stored.status().code() == StatusCode::kNotFound) return Status::ok();
    return stored.status();
  }
  FileRecord record = stored->record;
  record.group = item.to_group.value;
  record.member = static_cast<uint8_t>(item.move.member);
  if (Status st = members_.store_unless_newer(item.move.to, item.path, record, stored->payload); !st.is_ok()) return st;
  // The new place holds this version or a newer one before ours goes.
  auto there = members_.stat(item.move.to, item.path);
  if (!there) return there.status();
  if (there->version < record.version) return Status(StatusCode::kIoError, "the new place did not keep the part");
  return members_.remove_if_same(item.from, item.path, stored->record);
}

}  // namespace cairn
