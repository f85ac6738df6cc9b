// MapHolder: the cluster map a node runs, replaced whole when a newer epoch
// is installed (Node::install). Every operation takes one snapshot at its
// start and uses it throughout, so that one operation sees one map; a
// snapshot stays valid after a newer map replaces it. Thread-safe.
#pragma once
#include <memory>
#include <mutex>

#include "cluster-ref/map/cluster_file.h"

namespace cairn {

class MapHolder {
 public:
  explicit MapHolder(std::shared_ptr<const ClusterMap> map) : map_(std::move(map)) {}
  std::shared_ptr<const ClusterMap> get() const {
    std::lock_guard lock(mutex_);
    return map_;
  }
  void set(std::shared_ptr<const ClusterMap> map) {
    std::lock_guard lock(mutex_);
    map_ = std::move(map);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const ClusterMap> map_;
};

}  // namespace cairn
