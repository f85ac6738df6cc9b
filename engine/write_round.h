// Write-All-Read-One, the write side: which members of a group a write goes
// to, whether it may be acknowledged, and which members are owed a heal.
//
// The coordinator (the group's first live member, coordinator()) stores its
// own part and drives every other live member that the file's geometry uses;
// it acknowledges the client only when every one of them has answered and
// enough of them are durable (WriteRound::outcome). A member that is down, or
// fails during the write, is owed a heal: the coordinator records it before
// it replies, and heal replays it when the member is back (reconcile.h).
//
// `min_live` is the pool's rule for how degraded a group may be and still
// take writes: at least `min_live` of its `width` members live. For the file
// itself the same slack applies to the members its geometry uses: a write
// needs used − (width − min_live) durable members, never fewer than one.
//
// Pure values; no I/O, clock or threads. One WriteRound per write.
#pragma once
#include <cstdint>
#include <optional>

#include "engine/codec.h"
#include "engine/scheme.h"
#include "engine/status.h"

namespace cairn {

// The default write quorum: replicas keep taking writes down to two live
// copies; an erasure code down to k+1 live members, so that every
// acknowledged file survives one more loss before it is healed.
uint32_t default_min_live(const Scheme& scheme);

// kInvalidArgument unless 1 <= min_live <= width (and >= k for codes).
Status check_min_live(const Scheme& scheme, uint32_t min_live);

// Whether a group with `live_members` of its members up takes writes (the
// rule WriteRound::start applies; `cairn status` counts groups by it).
bool takes_writes(uint32_t live_members, uint32_t min_live);

// The member that coordinates writes: the lowest live member index.
std::optional<uint32_t> coordinator(FragmentSet live, uint32_t width);

class WriteRound {
 public:
  // `live`: members believed up; `used`: members the file's geometry stores
  // something on (engine/geometry.h members_used). kUnavailable, naming the
  // counts, when fewer than min_live members are live.
  static Result<WriteRound> start(const Scheme& scheme, FragmentSet live, FragmentSet used,
                                  uint32_t min_live);

  // Members to send the write to (live and used), including the coordinator.
  FragmentSet targets() const { return targets_; }
  void acked(uint32_t member);
  void failed(uint32_t member);
  // Every target has answered.
  bool finished() const { return (written_ | failed_) == targets_; }
  // Valid once finished(): ok when enough members are durable, kUnavailable
  // naming the numbers otherwise.
  Status outcome() const;
  FragmentSet written() const { return written_; }
  // Used members that do not hold this write: down at the start or failed.
  FragmentSet owed() const { return used_ & ~written_; }
  uint32_t required() const { return required_; }

 private:
  FragmentSet used_;
  FragmentSet targets_;
  FragmentSet written_;
  FragmentSet failed_;
  uint32_t required_ = 1;
};

}  // namespace cairn
