#include "engine/snapshot.h"

#include <set>

namespace cairn {
namespace {

constexpr size_t kPrefixBytesMax = 4096;

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

}  // namespace

Status check_snapshot_name(std::string_view name) {
  if (name.empty() || name.size() > kSnapshotNameBytesMax) {
    return invalid_argument("snapshot name \"" + std::string(name.substr(0, kSnapshotNameBytesMax)) +
                            "\": must be 1 to 64 characters");
  }
  if (name[0] == '.') return invalid_argument("snapshot name \"" + std::string(name) + "\": must not start with '.'");
  for (char c : name) {
    if (!name_char(c)) {
      return invalid_argument("snapshot name \"" + std::string(name) +
                              "\": only letters, digits, '.', '_' and '-' are allowed");
    }
  }
  return Status::ok();
}

Status check_snapshot(const Snapshot& s) {
  if (Status st = check_snapshot_name(s.name); !st.is_ok()) return st;
  if (s.prefix.empty() || s.prefix[0] != '/' || s.prefix.size() > kPrefixBytesMax ||
      s.prefix.find('\0') != std::string::npos) {
    return invalid_argument("snapshot " + s.name + ": prefix \"" + s.prefix.substr(0, 200) +
                            "\" is not an archive path prefix (it starts with '/')");
  }
  if (s.cut == 0) return invalid_argument("snapshot " + s.name + ": its cut is 0");
  return Status::ok();
}

Status check_snapshots(std::span<const Snapshot> snapshots) {
  if (snapshots.size() > kSnapshotsMax) {
    return invalid_argument(std::to_string(snapshots.size()) + " snapshots; at most " +
                            std::to_string(kSnapshotsMax));
  }
  std::set<std::string_view> names;
  for (const Snapshot& s : snapshots) {
    if (Status st = check_snapshot(s); !st.is_ok()) return st;
    if (!names.insert(s.name).second) return invalid_argument("two snapshots are named " + s.name);
  }
  return Status::ok();
}

bool snapshot_covers(const Snapshot& snapshot, std::string_view path) { return path.starts_with(snapshot.prefix); }

bool preserve_for_snapshot(std::string_view path, const HeldVersion& current, uint64_t incoming_version,
                           const Snapshot& snapshot, uint64_t preserved_version) {
  if (!snapshot_covers(snapshot, path)) return false;
  if (!current.present || current.tombstone) return false;
  if (current.version > snapshot.cut || incoming_version <= snapshot.cut) return false;
  return current.version > preserved_version;
}

SnapshotSource snapshot_source(const HeldVersion& current, uint64_t preserved_version, const Snapshot& snapshot) {
  if (preserved_version != 0 && preserved_version <= snapshot.cut) {
    // A current version at or before the cut that is newer (a member healed
    // in steps past an older preserved one) is the view instead.
    if (current.present && current.version <= snapshot.cut && current.version > preserved_version)
      return SnapshotSource::kCurrent;
    return SnapshotSource::kPreserved;
  }
  if (current.present && current.version <= snapshot.cut) return SnapshotSource::kCurrent;
  return SnapshotSource::kNothing;
}

}  // namespace cairn
