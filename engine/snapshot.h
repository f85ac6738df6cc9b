// Snapshots: a point-in-time view of the files under a path prefix, across
// every node. A snapshot is a name, a prefix and a cut, a version in the
// cluster's version order (a write's version is its coordinator's compliance
// time in ns; cluster-ref/node/coordinator.h): the snapshot sees, for each
// path under its prefix, the newest version at or before the cut. Pure
// functions; the disk store asks them (cluster-ref/store/disk_store.h).
//
// Rules (the contract the tests pin):
// - A snapshot covers every archive path its prefix is a string prefix of
//   ("/ct/" covers "/ct/2026/a.dcm"), as retention policies do.
// - When a member is about to replace what it holds for a path (an
//   overwrite, a delete's tombstone, a heal's newer copy), the version it
//   holds must be preserved for a snapshot exactly when that version is the
//   snapshot's view and stops being current: it is live (a tombstone needs
//   no keeping: the snapshot sees the path deleted), its version is at or
//   before the cut, and the incoming version is after the cut. An incoming
//   version at or before the cut becomes the snapshot's view itself.
// - A member keeps at most one preserved version of a path per snapshot;
//   a newer one at or before the cut replaces an older one (a member that
//   was behind and is healed in steps).
// - What a snapshot sees on one member: the preserved version when there is
//   one, else the current version (live or tombstone) when it is at or
//   before the cut, else nothing (the path is newer than the snapshot).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace cairn {

inline constexpr size_t kSnapshotsMax = 256;
inline constexpr size_t kSnapshotNameBytesMax = 64;

struct Snapshot {
  std::string name;         // [A-Za-z0-9._-], 1..64 bytes, not starting with '.'
  std::string prefix;       // an archive path prefix, starting with '/'
  int64_t created_ns = 0;   // when `cairn snapshot create` made it, ns since the UNIX epoch
  uint64_t cut = 0;         // versions at or before it are in the snapshot
  bool operator==(const Snapshot&) const = default;
};

// kInvalidArgument naming what is wrong: the name's characters or length, a
// prefix that does not start with '/' or is longer than 4096 bytes, a zero
// cut; for a set, also two snapshots of one name or more than kSnapshotsMax.
Status check_snapshot_name(std::string_view name);
Status check_snapshot(const Snapshot& snapshot);
Status check_snapshots(std::span<const Snapshot> snapshots);

bool snapshot_covers(const Snapshot& snapshot, std::string_view path);

// What a member holds for a path, as the rules read it.
struct HeldVersion {
  bool present = false;  // false: nothing (or a record that fails its checks)
  bool tombstone = false;
  uint64_t version = 0;
};

// THE decision: must `current` be preserved for `snapshot` when a version
// `incoming_version` replaces it on this member? `preserved_version` is the
// version this member already keeps for the snapshot (0: none).
bool preserve_for_snapshot(std::string_view path, const HeldVersion& current, uint64_t incoming_version,
                           const Snapshot& snapshot, uint64_t preserved_version);

// What the snapshot sees on one member (rules above).
enum class SnapshotSource : uint8_t { kPreserved, kCurrent, kNothing };
SnapshotSource snapshot_source(const HeldVersion& current, uint64_t preserved_version, const Snapshot& snapshot);

}  // namespace cairn
