// Rebuilder: fills the members the cluster map's heal plans rebuild on this
// node's disks (`heals` in the cluster file: the engine's plan_heals, made
// when a disk was replaced). For each plan with a target here it lists the
// group's other members, and for every path they hold asks the healer to
// reconcile it, reading the plan's sources first — so the decode happens
// here, at the target, as the plan says — under the node's heal budget.
// Writes that arrive meanwhile land on the new member directly.
#pragma once
#include <map>
#include <string>

#include "cluster-ref/node/healer.h"
#include "cluster-ref/node/members.h"
#include "cluster-ref/node/worker.h"

namespace cairn {

class Rebuilder : public Worker {
 public:
  Rebuilder(const MapHolder& maps, Clock& clock, Members& members, Healer& healer)
      : Worker(maps, clock, &ClusterConfig::heal_bytes_per_s), members_(members), healer_(healer) {}
  ~Rebuilder() override { stop(); }

 private:
  bool run(const ClusterMap& map) override;
  // path -> the largest part its members hold (what the target will hold);
  // kUnavailable when a member cannot be listed.
  Status list_group(const ClusterMap& map, const HealPlan& plan, std::map<std::string, uint64_t>& paths);

  Members& members_;
  Healer& healer_;
};

}  // namespace cairn
