// Reconcile: which copy of a file is current across the members of its
// group, and what heal must do to make every member agree — the one rule for
// pending heals, repairs after a crash and the agreement check.
//
// The current copy is chosen among the versions members hold (DESIGN.md
// "split brain"): the highest version, then the later modification time, then
// the higher file checksum, so that every node picks the same one. A version
// counts only if it can be read: a tombstone or a replicated copy from one
// member, an erasure-coded file from k fragments. A newer version that cannot
// be read (a write that reached too few members and was never acknowledged)
// is passed over; while members are unreachable it might still complete, so
// then the plan waits instead.
//
// Pure function of the members' records; no I/O.
#pragma once
#include <cstdint>
#include <span>

#include "engine/codec.h"
#include "engine/geometry.h"
#include "engine/scheme.h"

namespace cairn {

// What one member holds for a path, as its record says (a corrupt payload is
// reported by the reader as kCorrupt).
struct MemberCopy {
  enum class State : uint8_t { kUnreachable, kAbsent, kPresent, kCorrupt };
  State state = State::kAbsent;
  uint64_t version = 0;
  int64_t mtime_ns = 0;
  uint32_t file_crc = 0;
  uint64_t file_bytes = 0;
  bool tombstone = false;
};

struct ReconcilePlan {
  enum class Outcome : uint8_t {
    kInSync,      // every member holds what it should; nothing to do
    kRepair,      // write `targets` from `sources`, remove `drop`
    kWaiting,     // nothing certain while members are unreachable (retry)
    kUnreadable,  // no version can be read from the reachable members
  };
  Outcome outcome = Outcome::kInSync;
  uint32_t current = 0;   // a member holding the current copy (valid unless kUnreadable)
  FragmentSet sources;    // members holding the current copy
  FragmentSet targets;    // reachable members the current copy must be written to
  FragmentSet drop;       // reachable members holding bytes the current copy has no place for
  FragmentSet unreachable;
};

ReconcilePlan plan_reconcile(const Scheme& scheme, std::span<const MemberCopy> members);

// The order of copies: version, then modification time, then checksum, then
// a tombstone over a live copy — a total order every node computes alike.
// plan_reconcile's choice, and what a listing shows as the current record.
bool newer_copy(const MemberCopy& a, const MemberCopy& b);

// Members the current copy of a file of `file_bytes` occupies (geometry's
// members_used; every member for a tombstone).
FragmentSet members_used(const Scheme& scheme, uint64_t file_bytes, bool tombstone);

}  // namespace cairn
