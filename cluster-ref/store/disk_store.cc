#include "cluster-ref/store/disk_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <future>
#include <mutex>
#include <set>
#include <utility>

#include "cluster-ref/store/disk_format.h"
#include "cluster-ref/store/disk_walk.h"
#include "cluster-ref/store/posix_file.h"
#include "engine/checksum.h"

namespace cairn {
namespace {

namespace fs = std::filesystem;

constexpr size_t kArchivePathBytesMax = 4096;
constexpr size_t kPathInMessageBytesMax = 200;

std::string quoted(std::string_view path) {
  return "\"" + disk_format::printable(path, kPathInMessageBytesMax) + "\"";
}

std::string hex32(uint32_t value) {
  char buffer[9];
  std::snprintf(buffer, sizeof buffer, "%08x", value);
  return buffer;
}

// kInvalidArgument unless `payload` is what `record` describes and `record`
// would read back as itself (a record put cannot decode makes every later
// read of the path kCorrupt).
Status check_payload(const FileRecord& record, std::span<const std::byte> payload) {
  if (record.scheme.k > 255 || record.scheme.m > 255) {
    return invalid_argument("record scheme " + record.scheme.to_string() + " does not fit a file record");
  }
  if (Result<FileRecord> back = decode_record(encode_record(record)); !back) {
    return invalid_argument("record cannot be stored: " + back.status().message());
  }
  if (record.tombstone && !payload.empty()) {
    return invalid_argument("a tombstone has no payload, got " + std::to_string(payload.size()) + " bytes");
  }
  if (payload.size() != record.payload_bytes) {
    return invalid_argument("payload is " + std::to_string(payload.size()) + " bytes, its record says " +
                            std::to_string(record.payload_bytes));
  }
  if (const uint32_t crc = crc32c(payload); crc != record.payload_crc) {
    return invalid_argument("payload has CRC-32C " + hex32(crc) + ", its record says " +
                            hex32(record.payload_crc));
  }
  return Status::ok();
}

Status injected_fault(std::string_view step) {
  return Status(StatusCode::kIoError, "fault injected after " + std::string(step) + " (test hook)");
}

// The staged file put() still owns; unlinked on the way out unless renamed
// into place (then cleared) or kept to model a crash.
struct StagedFile {
  std::string file;
  bool keep = false;
  explicit StagedFile(std::string f) : file(std::move(f)) {}
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;
  ~StagedFile() {
    if (!keep && !file.empty()) (void)posix::unlink_file(file);
  }
};

}  // namespace

Status validate_path(std::string_view path) {
  if (path.empty() || path[0] != '/') return invalid_argument("archive path " + quoted(path) + " is not absolute");
  if (path.size() > kArchivePathBytesMax) {
    return invalid_argument("archive path of " + std::to_string(path.size()) + " bytes is longer than " +
                            std::to_string(kArchivePathBytesMax));
  }
  if (path.find('\0') != std::string_view::npos) {
    return invalid_argument("archive path " + quoted(path) + " contains a NUL byte");
  }
  if (path == "/") return invalid_argument("archive path \"/\" names no file");
  for (size_t start = 1;;) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view component = path.substr(start, end - start);
    if (component.empty() || component == "." || component == "..") {
      return invalid_argument("archive path " + quoted(path) + " has an empty, \".\" or \"..\" component");
    }
    if (component.size() > kPathComponentBytesMax) {
      return invalid_argument("archive path " + quoted(path) + " has a component longer than " +
                              std::to_string(kPathComponentBytesMax) + " bytes");
    }
    if (end == path.size()) return Status::ok();
    start = end + 1;
  }
}

DiskStore::DiskStore(fs::path root, uint32_t node, uint32_t disk, uint64_t capacity_bytes)
    : root_(std::move(root)), node_(node), disk_(disk), capacity_bytes_(capacity_bytes) {}

DiskStore::~DiskStore() = default;

Result<std::unique_ptr<DiskStore>> DiskStore::open(const fs::path& root, uint32_t node, uint32_t disk,
                                                   uint64_t capacity_bytes) {
  fs::path clean = root.lexically_normal();
  if (clean.native().size() > 1 && clean.native().ends_with('/')) clean = clean.parent_path();
  if (clean.empty()) return invalid_argument("a disk store needs a root directory");
  const std::string& dir = clean.native();
  Result<posix::DirOutcome> made = posix::make_dir(dir);
  if (!made) return made.status();
  if (*made == posix::DirOutcome::kNotADirectory) return refused(dir + " is not a directory");
  if (*made == posix::DirOutcome::kCreated) {
    const fs::path parent = clean.has_parent_path() ? clean.parent_path() : fs::path(".");
    if (Status s = posix::sync_dir(parent.native()); !s.is_ok()) return s;
  }
  Result<posix::DirLock> lock = posix::DirLock::acquire(dir);
  if (!lock) return lock.status();
  if (Status s = disk_format::prepare(dir, node, disk); !s.is_ok()) return s;
  // What a crashed predecessor left in the page cache (a directory created
  // but its parent not synced) becomes durable before anything builds on it.
  if (Status s = posix::sync_filesystem(dir); !s.is_ok()) return s;
  Result<uint64_t> used = disk_format::count_used_bytes(dir);
  if (!used) return used.status();
  auto preserved = disk_format::count_preserved(dir);
  if (!preserved) return preserved.status();
  std::unique_ptr<DiskStore> store(new DiskStore(clean, node, disk, capacity_bytes));
  store->lock_ = std::make_unique<posix::DirLock>(std::move(*lock));
  for (const auto& [key, usage] : *preserved) *used += usage.bytes;
  store->used_bytes_.store(*used);
  store->preserved_ = std::move(preserved).value();
  struct stat st{};
  if (::stat(dir.c_str(), &st) != 0) return posix::io_error("stat", dir, errno);
  store->root_dev_ = st.st_dev;
  store->root_ino_ = st.st_ino;
  return store;
}

Status DiskStore::check_present() const {
  struct stat st{};
  if (::stat(root_.c_str(), &st) != 0) return posix::io_error("stat", root_.native(), errno);
  if (st.st_dev != root_dev_ || st.st_ino != root_ino_)
    return Status(StatusCode::kIoError, root_.native() + " is another directory than the disk opened there");
  const std::string identity = root_.native() + "/" + disk_format::kIdentityFileName;
  if (::stat(identity.c_str(), &st) != 0) return posix::io_error("stat", identity, errno);
  return Status::ok();
}

std::shared_mutex& DiskStore::path_lock(std::string_view path) const {
  return path_locks_[std::hash<std::string_view>{}(path) % kPathLockStripes];
}

std::string DiskStore::data_file(std::string_view path) const {
  return root_.native() + "/data" + std::string(path);
}

std::string DiskStore::tombstone_file(std::string_view path) const {
  return root_.native() + "/tombstones" + std::string(path);
}

std::string DiskStore::preserved_key(const Snapshot& snapshot) {
  char cut[17];
  std::snprintf(cut, sizeof cut, "%016llx", static_cast<unsigned long long>(snapshot.cut));
  return snapshot.name + "@" + cut;
}

std::string DiskStore::preserved_file(const Snapshot& s, std::string_view path) const {
  return root_.native() + "/" + disk_format::kPreservedDirName + "/" + preserved_key(s) + std::string(path);
}

Status DiskStore::make_dirs_synced(const std::string& base, std::string_view path) const {
  std::unique_lock create(dirs_lock_);
  // `base` itself first (a snapshot's area is made by its first version).
  for (size_t slash = 0; slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
    const std::string dir = base + std::string(path.substr(0, slash));
    Result<posix::DirOutcome> made = posix::make_dir(dir);
    if (!made) return made.status();
    if (*made == posix::DirOutcome::kNotADirectory) {
      return refused("cannot preserve " + quoted(path) + " on disk " + std::to_string(disk_) + ": " + dir +
                     " is a file");
    }
    if (*made == posix::DirOutcome::kCreated) {
      if (Status s = posix::sync_dir(posix::parent_of(dir)); !s.is_ok()) return s;
    }
  }
  return Status::ok();
}

Status DiskStore::preserve_locked(std::string_view path, uint64_t incoming_version) {
  std::vector<Snapshot> covering;
  {
    std::lock_guard lock(snapshots_mutex_);
    for (const Snapshot& s : snapshots_)
      if (snapshot_covers(s, path)) covering.push_back(s);
  }
  if (covering.empty()) return Status::ok();
  Result<FileRecord> current = current_record(path);
  if (!current || current->tombstone) return Status::ok();
  const HeldVersion held{true, false, current->version};
  const uint64_t bytes = current->payload_bytes + kRecordBytes;
  for (const Snapshot& s : covering) {
    const std::string file = preserved_file(s, path);
    Result<FileRecord> kept = disk_format::read_data_record(file, path);
    if (!kept && kept.status().code() != StatusCode::kNotFound && kept.status().code() != StatusCode::kCorrupt)
      return kept.status();
    if (!preserve_for_snapshot(path, held, incoming_version, s, kept ? kept->version : 0)) continue;
    const uint64_t kept_bytes = disk_format::charged_bytes(kept);
    if (Status st = adjust_used(bytes, kept_bytes, true); !st.is_ok()) {
      return refused("cannot keep " + quoted(path) + " for snapshot " + s.name + ": " + st.message());
    }
    const std::string base = root_.native() + "/" + disk_format::kPreservedDirName + "/" + preserved_key(s);
    Status st = make_dirs_synced(base, path);
    // A second name first, then renamed over an older kept version: the
    // area holds one version or the other, never neither.
    const std::string staged = next_tmp_file("preserved");
    if (st.is_ok()) st = posix::link_file(data_file(path), staged);
    if (st.is_ok()) st = posix::rename_file(staged, file);
    if (st.is_ok()) st = dir_syncer_.sync(posix::parent_of(file));
    if (!st.is_ok()) {
      (void)posix::unlink_file(staged);
      (void)adjust_used(kept_bytes, bytes, false);
      return Status(st.code(), "cannot keep " + quoted(path) + " for snapshot " + s.name + ": " + st.message());
    }
    std::lock_guard lock(snapshots_mutex_);
    disk_format::PreservedUsage& usage = preserved_[preserved_key(s)];
    usage.files += kept ? 0 : 1;
    usage.bytes = usage.bytes + bytes - std::min(usage.bytes + bytes, kept_bytes);
  }
  return Status::ok();
}

Status DiskStore::set_snapshots(std::vector<Snapshot> snapshots) {
  // Every path's lock: no put is between reading the list and linking.
  std::vector<std::unique_lock<std::shared_mutex>> all;
  for (std::shared_mutex& m : path_locks_) all.emplace_back(m);
  std::set<std::string> keep;
  for (const Snapshot& s : snapshots) keep.insert(preserved_key(s));
  std::map<std::string, disk_format::PreservedUsage> dropped;
  {
    std::lock_guard lock(snapshots_mutex_);
    snapshots_ = std::move(snapshots);
    for (auto it = preserved_.begin(); it != preserved_.end();) {
      if (keep.contains(it->first)) {
        ++it;
        continue;
      }
      dropped.insert(*it);
      it = preserved_.erase(it);
    }
  }
  const std::string area = root_.native() + "/" + disk_format::kPreservedDirName;
  for (const auto& [key, usage] : dropped) {
    std::error_code ec;
    std::filesystem::remove_all(area + "/" + key, ec);
    (void)adjust_used(0, usage.bytes, false);
    if (ec) return posix::io_error("remove", area + "/" + key, ec.value());
  }
  return dropped.empty() ? Status::ok() : posix::sync_dir(area);
}

disk_format::PreservedUsage DiskStore::preserved_usage(const Snapshot& snapshot) const {
  std::lock_guard lock(snapshots_mutex_);
  auto it = preserved_.find(preserved_key(snapshot));
  return it == preserved_.end() ? disk_format::PreservedUsage{} : it->second;
}

Result<DiskStore::Stored> DiskStore::read_snapshot(const Snapshot& snapshot, std::string_view path,
                                                   bool record_only) const {
  if (Status s = validate_path(path); !s.is_ok()) return s;
  if (!snapshot_covers(snapshot, path)) {
    return invalid_argument("snapshot " + snapshot.name + " holds " + snapshot.prefix + ", not " + quoted(path));
  }
  std::shared_lock lock(path_lock(path));
  Result<FileRecord> current = current_record(path);
  const std::string file = preserved_file(snapshot, path);
  Result<FileRecord> kept = disk_format::read_data_record(file, path);
  if (!kept && kept.status().code() != StatusCode::kNotFound) return kept.status();
  if (!current && current.status().code() != StatusCode::kNotFound && !kept) return current.status();
  const HeldVersion held = current ? HeldVersion{true, current->tombstone, current->version} : HeldVersion{};
  switch (snapshot_source(held, kept ? kept->version : 0, snapshot)) {
    case SnapshotSource::kNothing:
      return not_found(quoted(path) + " is not in snapshot " + snapshot.name + " on disk " + std::to_string(disk_));
    case SnapshotSource::kCurrent:
      if (record_only || current->tombstone) return Stored{*current, {}};
      return read_locked(path);
    case SnapshotSource::kPreserved: break;
  }
  if (record_only) return Stored{*kept, {}};
  Result<std::vector<std::byte>> payload = posix::read_file(file, size_t{kept->payload_bytes} + 1);
  if (!payload) return payload.status();
  if (payload->size() != kept->payload_bytes || crc32c(*payload) != kept->payload_crc) {
    return corrupt("preserved copy of " + quoted(path) + " for snapshot " + snapshot.name + " on disk " +
                   std::to_string(disk_) + " does not match its record");
  }
  return Stored{*kept, std::move(*payload)};
}

Result<FileRecord> DiskStore::current_record(std::string_view path) const {
  return disk_format::newer_record(disk_format::read_data_record(data_file(path), path),
                                   disk_format::read_tombstone_file(tombstone_file(path), path));
}

std::string DiskStore::next_tmp_file(std::string_view suffix) {
  return root_.native() + "/tmp/" + std::to_string(tmp_counter_.fetch_add(1)) + "." + std::string(suffix);
}

Status DiskStore::adjust_used(uint64_t add_bytes, uint64_t sub_bytes, bool within_capacity) {
  uint64_t used = used_bytes_.load();
  for (;;) {
    // Saturates at 0: a record that rotted since open is charged less when
    // replaced than it was counted, never more.
    const uint64_t next = used + add_bytes > sub_bytes ? used + add_bytes - sub_bytes : 0;
    if (within_capacity && add_bytes > sub_bytes && next > capacity_bytes_) {
      return refused("disk " + std::to_string(disk_) + " full: " + std::to_string(used) + " bytes used + " +
                     std::to_string(add_bytes) + " new - " + std::to_string(sub_bytes) +
                     " replaced > capacity " + std::to_string(capacity_bytes_));
    }
    if (used_bytes_.compare_exchange_weak(used, next)) return Status::ok();
  }
}

Status DiskStore::make_parents(std::string_view path, bool tombstone) const {
  const std::string base = root_.native() + (tombstone ? "/tombstones" : "/data");
  const std::string other_base = root_.native() + (tombstone ? "/data" : "/tombstones");
  {
    // A directory another put is creating is not durable until that put
    // has synced its parent; the exclusive side below waits for it.
    std::shared_lock check(dirs_lock_);
    Result<posix::Kind> parent = posix::kind_of(posix::parent_of(base + std::string(path)));
    if (!parent) return parent.status();
    if (*parent == posix::Kind::kDirectory) return Status::ok();
  }
  std::unique_lock create(dirs_lock_);
  for (size_t slash = path.find('/', 1); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
    const std::string_view prefix = path.substr(0, slash);
    auto collision = [&](bool in_tombstones) {
      return refused("cannot store " + quoted(path) + " on disk " + std::to_string(disk_) + ": " + quoted(prefix) +
                     " is a file" + (in_tombstones ? " (a tombstone)" : ""));
    };
    // The other area shares the archive's namespace: a file there is a file.
    Result<posix::Kind> other = posix::kind_of(other_base + std::string(prefix));
    if (!other) return other.status();
    if (*other == posix::Kind::kFile || *other == posix::Kind::kOther) return collision(!tombstone);
    const std::string dir = base + std::string(prefix);
    Result<posix::DirOutcome> made = posix::make_dir(dir);
    if (!made) return made.status();
    if (*made == posix::DirOutcome::kNotADirectory) return collision(tombstone);
    if (*made == posix::DirOutcome::kCreated) {
      if (Status s = posix::sync_dir(posix::parent_of(dir)); !s.is_ok()) return s;
    }
  }
  return Status::ok();
}

Status DiskStore::put(std::string_view path, const FileRecord& record, std::span<const std::byte> payload) {
  if (Status s = validate_path(path); !s.is_ok()) return s;
  if (Status s = check_payload(record, payload); !s.is_ok()) {
    return invalid_argument("put " + quoted(path) + ": " + s.message());
  }
  std::unique_lock lock(path_lock(path));
  if (Status s = guard_locked(path, &record); !s.is_ok()) return s;
  return put_locked(path, record, payload);
}

Status DiskStore::guard_locked(std::string_view path, const FileRecord* incoming) const {
  if (!write_guard_) return Status::ok();
  return write_guard_(path, [&]() -> std::optional<FileRecord> {
    Result<FileRecord> now = current_record(path);
    return now ? std::optional<FileRecord>(*now) : std::nullopt;
  }, incoming);
}

Status DiskStore::put_unless_newer(std::string_view path, const FileRecord& record,
                                   std::span<const std::byte> payload, bool* stored) {
  *stored = false;
  if (Status s = validate_path(path); !s.is_ok()) return s;
  if (Status s = check_payload(record, payload); !s.is_ok()) {
    return invalid_argument("put " + quoted(path) + ": " + s.message());
  }
  std::unique_lock lock(path_lock(path));
  // A record that fails its checks holds nothing worth keeping.
  if (Result<FileRecord> now = current_record(path); now && now->version >= record.version) return Status::ok();
  if (Status s = guard_locked(path, &record); !s.is_ok()) return s;
  *stored = true;
  return put_locked(path, record, payload);
}

Status DiskStore::remove_if_same(std::string_view path, const FileRecord& expected, bool* removed) {
  *removed = false;
  if (Status s = validate_path(path); !s.is_ok()) return s;
  std::unique_lock lock(path_lock(path));
  Result<FileRecord> now = current_record(path);
  if (!now || !(*now == expected)) return Status::ok();
  if (Status s = remove_locked(path); !s.is_ok()) return s;
  *removed = true;
  return Status::ok();
}

Status DiskStore::put_locked(std::string_view path, const FileRecord& record, std::span<const std::byte> payload) {
  // What the path holds now, live and tombstone, each charged until removed.
  uint64_t old_bytes[2] = {0, 0};  // [0] data file, [1] tombstone
  bool present[2] = {false, false};
  for (const bool tombstone : {false, true}) {
    const std::string file = tombstone ? tombstone_file(path) : data_file(path);
    Result<posix::Kind> kind = posix::kind_of(file);
    if (!kind) return kind.status();
    if (*kind == posix::Kind::kDirectory) {
      return refused("cannot store " + quoted(path) + " on disk " + std::to_string(disk_) +
                     ": it is a directory holding other files");
    }
    if (*kind == posix::Kind::kAbsent) continue;
    present[tombstone] = true;
    old_bytes[tombstone] = disk_format::charged_bytes(tombstone ? disk_format::read_tombstone_file(file, path)
                                                                : disk_format::read_data_record(file, path));
  }
  if (Status s = preserve_locked(path, record.version); !s.is_ok()) return s;
  const uint64_t old_same = old_bytes[record.tombstone], old_other = old_bytes[!record.tombstone];
  const uint64_t new_bytes = payload.size() + kRecordBytes;
  if (Status s = adjust_used(new_bytes, old_same + old_other, true); !s.is_ok()) return s;
  Progress progress = Progress::kNothing;
  Status s = make_parents(path, record.tombstone);
  if (s.is_ok()) s = install(path, record, payload, present[!record.tombstone], progress);
  // Used bytes follow the files: what is still on disk still counts.
  if (progress == Progress::kNothing) (void)adjust_used(old_same + old_other, new_bytes, false);
  if (progress == Progress::kRenamed) (void)adjust_used(old_other, 0, false);
  return s;
}

namespace {

// Runs `first` on a thread of its own and `second` here, and returns the
// first failure: two fsyncs in flight cost one fsync's latency, which is what
// a put waits on.
template <class F, class G>
Status both(F first, G second) {
  auto pending = std::async(std::launch::async, std::move(first));
  Status s = second();
  Status f = pending.get();
  return f.is_ok() ? s : f;
}

}  // namespace

Status DiskStore::install(std::string_view path, const FileRecord& record, std::span<const std::byte> payload,
                          bool other_present, Progress& progress) {
  const std::string target = record.tombstone ? tombstone_file(path) : data_file(path);
  const std::string other = record.tombstone ? data_file(path) : tombstone_file(path);
  StagedFile staged(next_tmp_file(record.tombstone ? "tombstone" : "data"));
  const std::array<std::byte, kRecordBytes> bytes = encode_record(record);
  // One fsync: a data file's record is its extended attribute, made durable
  // with its bytes.
  Status s = record.tombstone
                 ? posix::write_new_file_synced(staged.file, bytes)
                 : posix::write_new_file_synced(staged.file, payload, disk_format::kRecordAttrName, bytes);
  if (!s.is_ok()) return s;
  if (fault_at("tmp-synced")) {
    staged.keep = true;  // as a crash would
    return injected_fault("tmp-synced");
  }

  if (s = posix::rename_file(staged.file, target); !s.is_ok()) return s;
  staged.file.clear();
  progress = Progress::kRenamed;
  if (fault_at("renamed")) return injected_fault("renamed");  // both kinds may now be on disk

  bool other_removed = false;
  if (other_present) {
    if (s = posix::unlink_file(other, &other_removed); !s.is_ok()) return s;
  }
  progress = Progress::kDone;
  const std::string target_dir = posix::parent_of(target);
  s = other_removed ? both([&] { return dir_syncer_.sync(posix::parent_of(other)); },
                           [&] { return dir_syncer_.sync(target_dir); })
                    : dir_syncer_.sync(target_dir);
  if (!s.is_ok()) return s;
  if (fault_at("synced")) return injected_fault("synced");
  return Status::ok();
}

Result<FileRecord> DiskStore::stat(std::string_view path) const {
  if (Status s = validate_path(path); !s.is_ok()) return s;
  std::shared_lock lock(path_lock(path));
  return current_record(path);
}

Result<DiskStore::Stored> DiskStore::read(std::string_view path) const {
  if (Status s = validate_path(path); !s.is_ok()) return s;
  std::shared_lock lock(path_lock(path));
  return read_locked(path);
}

Result<DiskStore::Stored> DiskStore::read_locked(std::string_view path) const {
  Result<FileRecord> record = current_record(path);
  if (!record) return record.status();
  if (record->tombstone) return Stored{*record, {}};
  const std::string where = quoted(path) + " on disk " + std::to_string(disk_);
  Result<std::vector<std::byte>> payload = posix::read_file(data_file(path), size_t{record->payload_bytes} + 1);
  if (!payload && payload.status().code() == StatusCode::kNotFound) {
    return corrupt("record of " + where + " has no data file");
  }
  if (!payload) return payload.status();
  if (payload->size() != record->payload_bytes) {
    return corrupt("data of " + where + " is " + (payload->size() > record->payload_bytes ? "longer than " : "") +
                   std::to_string(payload->size()) + " bytes, its record says " +
                   std::to_string(record->payload_bytes));
  }
  if (const uint32_t crc = crc32c(*payload); crc != record->payload_crc) {
    return corrupt("data of " + where + " has CRC-32C " + hex32(crc) + ", its record says " +
                   hex32(record->payload_crc));
  }
  return Stored{*record, std::move(*payload)};
}

Status DiskStore::remove(std::string_view path) {
  if (Status s = validate_path(path); !s.is_ok()) return s;
  std::unique_lock lock(path_lock(path));
  if (Status s = guard_locked(path, nullptr); !s.is_ok()) return s;
  return remove_locked(path);
}

Status DiskStore::drop_if_corrupt(std::string_view path, bool* dropped) {
  *dropped = false;
  if (Status s = validate_path(path); !s.is_ok()) return s;
  std::unique_lock lock(path_lock(path));
  Result<Stored> now = read_locked(path);
  if (now || now.status().code() != StatusCode::kCorrupt) return Status::ok();
  if (Status s = remove_locked(path); !s.is_ok()) return s;
  *dropped = true;
  return Status::ok();
}

Status DiskStore::remove_locked(std::string_view path) {
  uint64_t old_bytes = 0;
  std::vector<std::string> dirs_to_sync;
  Status s = Status::ok();
  for (const bool tombstone : {false, true}) {
    const std::string file = tombstone ? tombstone_file(path) : data_file(path);
    Result<posix::Kind> kind = posix::kind_of(file);
    if (!kind) {
      s = kind.status();
      break;
    }
    // A directory holds other files, not this path.
    if (*kind == posix::Kind::kAbsent || *kind == posix::Kind::kDirectory) continue;
    const uint64_t bytes = disk_format::charged_bytes(tombstone ? disk_format::read_tombstone_file(file, path)
                                                                : disk_format::read_data_record(file, path));
    bool removed = false;
    if (s = posix::unlink_file(file, &removed); !s.is_ok()) break;
    if (!removed) continue;
    old_bytes += bytes;
    dirs_to_sync.push_back(posix::parent_of(file));
  }
  (void)adjust_used(0, old_bytes, false);  // what was unlinked, even when the other failed
  if (!s.is_ok()) return s;
  if (dirs_to_sync.empty()) return Status::ok();
  if (dirs_to_sync.size() == 1) return dir_syncer_.sync(dirs_to_sync[0]);
  return both([&] { return dir_syncer_.sync(dirs_to_sync[0]); }, [&] { return dir_syncer_.sync(dirs_to_sync[1]); });
}

Result<DiskStore::Listing> DiskStore::list(std::string_view prefix, size_t limit) const {
  if (prefix.empty() || prefix[0] != '/' || prefix.size() > kArchivePathBytesMax ||
      prefix.find('\0') != std::string_view::npos) {
    return invalid_argument("list prefix " + quoted(prefix) + " is not an archive path prefix");
  }
  const std::string_view dir = prefix.substr(0, prefix.rfind('/') + 1);  // "/" or "/2026/"
  if (dir.size() > 1) {
    if (Status s = validate_path(dir.substr(0, dir.size() - 1)); !s.is_ok()) {
      return invalid_argument("list prefix " + quoted(prefix) + ": " + s.message());
    }
  }
  Listing out;
  if (Status s = walk_records(root_.native(), std::string(dir), prefix.substr(dir.size()), limit, out); !s.is_ok()) {
    return s;
  }
  return out;
}

}  // namespace cairn
