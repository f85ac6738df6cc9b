#include "engine/store_ops.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace cairn {
namespace {

StoreOps ops(std::initializer_list<std::pair<StoreOp, uint32_t>> counts) {
  StoreOps out;
  for (const auto& [op, n] : counts) out[op] += n;
  return out;
}

}  // namespace

std::string_view store_op_name(StoreOp op) {
  switch (op) {
    case StoreOp::kLookup: return "lookup";
    case StoreOp::kOpen: return "open";
    case StoreOp::kCreate: return "create";
    case StoreOp::kWrite: return "write";
    case StoreOp::kSetAttr: return "setxattr";
    case StoreOp::kGetAttr: return "getxattr";
    case StoreOp::kRead: return "read";
    case StoreOp::kFsync: return "fsync";
    case StoreOp::kRename: return "rename";
    case StoreOp::kUnlink: return "unlink";
    case StoreOp::kMkdir: return "mkdir";
    case StoreOp::kSyncDir: return "fsync directory";
  }
  return "?";
}

StoreOps& StoreOps::operator+=(const StoreOps& other) {
  for (size_t i = 0; i < kStoreOpKinds; ++i) count[i] += other.count[i];
  return *this;
}

uint32_t StoreOps::device_reads() const {
  return std::min<uint32_t>((*this)[StoreOp::kGetAttr], 1) + (*this)[StoreOp::kRead];
}

uint32_t StoreOps::device_writes() const { return (*this)[StoreOp::kFsync] + (*this)[StoreOp::kSyncDir]; }

uint32_t StoreOps::device_ops() const { return device_reads() + device_writes(); }

// put: is there a data file, a tombstone; does the directory exist; then
// stage (create, write, record attribute, fsync), rename into place and sync
// the directory.
StoreOps member_put_ops() {
  return ops({{StoreOp::kLookup, 3}, {StoreOp::kCreate, 1}, {StoreOp::kWrite, 1}, {StoreOp::kSetAttr, 1},
              {StoreOp::kFsync, 1}, {StoreOp::kRename, 1}, {StoreOp::kSyncDir, 1}});
}

// stat: the data file's record attribute; no tombstone file.
StoreOps member_stat_ops() { return ops({{StoreOp::kOpen, 1}, {StoreOp::kGetAttr, 1}, {StoreOp::kLookup, 1}}); }

StoreOps member_absent_stat_ops() { return ops({{StoreOp::kLookup, 2}}); }

// read: the record as stat finds it, then the payload.
StoreOps member_read_ops() { return member_stat_ops() + ops({{StoreOp::kOpen, 1}, {StoreOp::kRead, 1}}); }

// remove_if_same: the record as stat finds it; under the path's lock, what
// is there (data file, tombstone), the data file's record again, unlink it
// and sync its directory.
StoreOps member_remove_ops() {
  return member_stat_ops() + ops({{StoreOp::kLookup, 2}, {StoreOp::kOpen, 1}, {StoreOp::kGetAttr, 1},
                                  {StoreOp::kUnlink, 1}, {StoreOp::kSyncDir, 1}});
}

StoreOps heal_source_ops() { return member_stat_ops() + member_read_ops(); }
StoreOps heal_target_ops() { return member_absent_stat_ops() + member_put_ops(); }
StoreOps move_source_ops() { return member_read_ops() + member_remove_ops(); }
StoreOps move_target_ops() { return member_absent_stat_ops() + member_put_ops() + member_stat_ops(); }
StoreOps ingest_member_ops() { return member_put_ops(); }

}  // namespace cairn
