#include "cluster-ref/mover.h"

#include <algorithm>
#include <atomic>

#include "cluster-ref/log.h"
#include "engine/pace.h"

namespace cairn {

bool Mover::run(const ClusterMap& map) {
  if (!map.previous) return true;
  std::vector<Item> items;
  uint64_t bytes = 0;
  for (DiskId d : map.topology.node(peers_.self()).disks) {
    DiskStore* store = peers_.local(d);
    if (store == nullptr) continue;
    auto listing = store->list("/", wire::kListEntriesMax);
    if (!listing) {
      log::warn() << "rebalance: cannot list disk " << d.value << ": " << listing.status().message();
      return false;
    }
    for (auto& e : listing->entries) {
      const PathMoves moves = path_moves(*map.previous, map.pool, e.path);
      for (const MemberMove& m : moves.members) {
        if (m.from != d) continue;
        items.push_back({store, e.path, e.record.payload_bytes, moves.to_group, m, map.topology.disk(d).retired});
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
    if (Status st = move_one(map, item); !st.is_ok()) {
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

Status Mover::move_one(const ClusterMap& map, const Item& item) {
  auto stored = item.store->read(item.path);
  if (!stored) {
    // Gone since the listing (moved by a delete's tombstone, or dropped by a
    // scrub): nothing of it is left here to move.
    if (stored.status().code() == StatusCode::kNotFound) return Status::ok();
    return stored.status();
  }
  FileRecord record = stored->record;
  record.group = item.to_group.value;
  record.member = static_cast<uint8_t>(item.move.member);
  bool fresh = false;
  if (DiskStore* to = peers_.local(item.move.to)) {
    if (Status st = to->put_unless_newer(item.path, record, stored->payload, &fresh); !st.is_ok()) return st;
  } else {
    const wire::StoreRequest request{map.epoch(), item.path, item.move.to.value, record, stored->payload};
    auto reply = peers_.pool().call(peers_.storage_endpoint(item.move.to), wire::MsgType::kMigrate,
                                    request.encode(), peers_.timeout_for(stored->payload.size()));
    if (!reply) {
      peers_.note_failure(item.move.to, reply.status());
      return reply.status();
    }
  }
  // The new place holds this version or a newer one before ours goes.
  auto there = peers_.stat(item.move.to, item.path);
  if (!there) return there.status();
  if (there->version < record.version) return Status(StatusCode::kIoError, "the new place did not keep the part");
  bool removed = false;
  return item.store->remove_if_same(item.path, stored->record, &removed);
}

}  // namespace cairn
