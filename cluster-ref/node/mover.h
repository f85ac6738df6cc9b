// Mover: carries out, for the files on this node's disks, the rebalance
// between the map the data moves from (`migration` in the cluster file) and
// the map the node runs — after growth, or a drain before a node retires.
// For every file whose member moves off a disk here (engine/rebalance.h
// path_moves, the rule plan_rebalance applies per slot) it sends the part to
// its new disk, which stores it unless it already holds that version or a
// newer one (a write that reached the new place first wins), checks that the
// new place holds it, and only then drops its own copy (if unchanged).
// Evacuations of retired disks go first; the node's rebalance budget paces
// it. Readers that miss at the new place look at the old one meanwhile
// (client.h), and writers number versions above what the old place holds
// (coordinator.h), so the move is online.
#pragma once
#include "cluster-ref/node/members.h"
#include "cluster-ref/node/worker.h"
#include "engine/rebalance.h"

namespace cairn {

class Mover : public Worker {
 public:
  Mover(const MapHolder& maps, Clock& clock, Members& members)
      : Worker(maps, clock, &ClusterConfig::rebalance_bytes_per_s), members_(members) {}
  ~Mover() override { stop(); }

 private:
  struct Item {
    DiskId from;
    std::string path;
    uint64_t bytes;
    GroupId to_group;
    MemberMove move;
    bool evacuates;
    friend uint64_t bytes_of(const Item& item) { return item.bytes; }
  };
  bool run(const ClusterMap& map) override;
  Status move_one(const Item& item);

  Members& members_;
};

}  // namespace cairn
