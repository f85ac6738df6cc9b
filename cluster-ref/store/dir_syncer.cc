#include "cluster-ref/store/dir_syncer.h"

#include "cluster-ref/store/posix_file.h"

namespace cairn {

Status DirSyncer::sync(const std::string& dir) {
  std::unique_lock lock(mutex_);
  State& st = dirs_[dir];
  const uint64_t ticket = ++st.requested;  // our rename happened before this
  ++st.waiting;
  while (st.completed < ticket) {
    if (st.running) {
      st.done.wait(lock);
      continue;
    }
    st.running = true;
    const uint64_t covers = st.requested;  // every ticket so far renamed before now
    ++fsyncs_;
    lock.unlock();
    Status s = posix::sync_dir(dir);
    lock.lock();
    st.completed = covers;
    st.last = std::move(s);
    st.running = false;
    st.done.notify_all();
  }
  Status outcome = st.last;
  if (--st.waiting == 0 && !st.running) dirs_.erase(dir);
  return outcome;
}

uint64_t DirSyncer::fsyncs() const {
  std::lock_guard lock(mutex_);
  return fsyncs_;
}

}  // namespace cairn
