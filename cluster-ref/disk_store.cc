#include "cluster-ref/disk_store.h"

#include <algorithm>
#include <cstdio>
#include <future>
#include <mutex>
#include <system_error>
#include <utility>

#include "cluster-ref/disk_format.h"
#include "cluster-ref/posix_file.h"
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

// The staged files put() still owns; unlinked on the way out unless renamed
// into place (then cleared) or kept to model a crash.
struct StagedFiles {
  std::string data;
  std::string meta;
  bool keep = false;
  StagedFiles() = default;
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;
  ~StagedFiles() {
    if (keep) return;
    if (!data.empty()) (void)posix::unlink_file(data);
    if (!meta.empty()) (void)posix::unlink_file(meta);
  }
};

// Appends the good records under `meta_root` + `archive_dir` (which ends in
// '/') whose first component starts with `stem`, in path order, until
// `limit` entries are taken and one more is seen. Siblings are sorted with a
// '/' after directory names, which makes a depth-first walk visit paths in
// byte order ("/a-b" < "/a/b" because '-' < '/').
Status walk(const std::string& meta_root, const std::string& archive_dir, std::string_view stem, size_t limit,
            DiskStore::Listing& out) {
  struct Child {
    std::string key;  // name, plus '/' for a directory
    bool is_dir;
  };
  std::vector<Child> children;
  const std::string dir = meta_root + archive_dir;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().native();
    if (!name.starts_with(stem)) continue;
    std::error_code type_ec;
    const fs::file_type type = it->symlink_status(type_ec).type();
    if (type == fs::file_type::directory) children.push_back({name + "/", true});
    if (type == fs::file_type::regular) children.push_back({std::move(name), false});
  }
  if (ec) return posix::io_error("list", dir, ec.value());
  std::sort(children.begin(), children.end(), [](const Child& a, const Child& b) { return a.key < b.key; });
  for (const Child& child : children) {
    std::string path = archive_dir + child.key;
    if (child.is_dir) {
      if (Status s = walk(meta_root, path, "", limit, out); !s.is_ok()) return s;
    } else {
      Result<FileRecord> record = disk_format::read_record_file(meta_root + path, path);
      if (!record && record.status().code() == StatusCode::kNotFound) continue;  // removed meanwhile
      if (!record) {
        ++out.corrupt;
        continue;
      }
      if (out.entries.size() == limit) {
        out.truncated = true;
        return Status::ok();
      }
      out.entries.push_back({std::move(path), *record});
    }
    if (out.truncated) return Status::ok();
  }
  return Status::ok();
}

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
  std::unique_ptr<DiskStore> store(new DiskStore(clean, node, disk, capacity_bytes));
  store->lock_ = std::make_unique<posix::DirLock>(std::move(*lock));
  store->used_bytes_.store(*used);
  return store;
}

std::shared_mutex& DiskStore::path_lock(std::string_view path) const {
  return path_locks_[std::hash<std::string_view>{}(path) % kPathLockStripes];
}

std::string DiskStore::data_file(std::string_view path) const {
  return root_.native() + "/data" + std::string(path);
}

std::string DiskStore::meta_file(std::string_view path) const {
  return root_.native() + "/meta" + std::string(path);
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

Status DiskStore::make_parents(std::string_view path, bool with_data) const {
  for (const char* area : {"/meta", "/data"}) {
    if (!with_data && std::string_view(area) == "/data") continue;
    const std::string base = root_.native() + area;
    {
      // A directory another put is creating is not durable until that put
      // has synced its parent; the exclusive side below waits for it.
      std::shared_lock check(dirs_lock_);
      Result<posix::Kind> parent = posix::kind_of(posix::parent_of(base + std::string(path)));
      if (!parent) return parent.status();
      if (*parent == posix::Kind::kDirectory) continue;
    }
    std::unique_lock create(dirs_lock_);
    for (size_t slash = path.find('/', 1); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
      const std::string dir = base + std::string(path.substr(0, slash));
      Result<posix::DirOutcome> made = posix::make_dir(dir);
      if (!made) return made.status();
      if (*made == posix::DirOutcome::kNotADirectory) {
        return refused("cannot store " + quoted(path) + " on disk " + std::to_string(disk_) + ": " +
                       quoted(path.substr(0, slash)) + " is a file" +
                       (std::string_view(area) == "/data" ? " (a data file without a record)" : ""));
      }
      if (*made == posix::DirOutcome::kCreated) {
        if (Status s = posix::sync_dir(posix::parent_of(dir)); !s.is_ok()) return s;
      }
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
  const std::string meta = meta_file(path);
  Result<posix::Kind> kind = posix::kind_of(meta);
  if (!kind) return kind.status();
  if (*kind == posix::Kind::kDirectory) {
    return refused("cannot store " + quoted(path) + " on disk " + std::to_string(disk_) +
                   ": it is a directory holding other files");
  }
  const uint64_t old_bytes = disk_format::charged_bytes(disk_format::read_record_file(meta, path));
  const uint64_t new_bytes = payload.size() + kRecordBytes;
  if (Status s = adjust_used(new_bytes, old_bytes, true); !s.is_ok()) return s;
  bool record_replaced = false;
  Status s = make_parents(path, !record.tombstone);
  if (s.is_ok()) s = install(path, record, payload, record_replaced);
  // Used bytes follow the record: until it is replaced, the old one counts.
  if (!record_replaced) (void)adjust_used(old_bytes, new_bytes, false);
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
                          bool& record_replaced) {
  StagedFiles staged;
  if (!record.tombstone) staged.data = next_tmp_file("data");
  staged.meta = next_tmp_file("meta");
  const std::array<std::byte, kRecordBytes> bytes = encode_record(record);
  Status s = both(
      [&] {
        return record.tombstone ? Status::ok() : posix::write_new_file_synced(staged.data, payload);
      },
      [&] { return posix::write_new_file_synced(staged.meta, bytes); });
  if (!s.is_ok()) return s;
  if (fault_at("tmp-synced")) {
    staged.keep = true;  // as a crash would
    return injected_fault("tmp-synced");
  }

  const std::string data = data_file(path);
  bool data_changed = true;
  s = record.tombstone ? posix::unlink_file(data, &data_changed) : posix::rename_file(staged.data, data);
  if (!s.is_ok()) return s;
  staged.data.clear();
  if (fault_at("data-renamed")) {
    staged.keep = true;  // as a crash would
    return injected_fault("data-renamed");
  }

  // Both renames, then both directories synced at once. A crash before the
  // syncs finish may keep the new record with the old data (or the reverse):
  // read() reports that pair as kCorrupt and heal rewrites it; the put was
  // not acknowledged.
  const std::string meta = meta_file(path);
  if (s = posix::rename_file(staged.meta, meta); !s.is_ok()) return s;
  staged.meta.clear();
  record_replaced = true;
  s = both([&] { return data_changed ? dir_syncer_.sync(posix::parent_of(data)) : Status::ok(); },
           [&] { return dir_syncer_.sync(posix::parent_of(meta)); });
  if (!s.is_ok()) return s;
  if (fault_at("record-renamed")) return injected_fault("record-renamed");
  return Status::ok();
}

Result<FileRecord> DiskStore::stat(std::string_view path) const {
  if (Status s = validate_path(path); !s.is_ok()) return s;
  return disk_format::read_record_file(meta_file(path), path);
}

Result<DiskStore::Stored> DiskStore::read(std::string_view path) const {
  if (Status s = validate_path(path); !s.is_ok()) return s;
  std::shared_lock lock(path_lock(path));
  Result<FileRecord> record = disk_format::read_record_file(meta_file(path), path);
  if (!record) return record.status();
  const std::string data = data_file(path);
  const std::string where = quoted(path) + " on disk " + std::to_string(disk_);
  if (record->tombstone) {
    Result<posix::Kind> kind = posix::kind_of(data);
    if (!kind) return kind.status();
    if (*kind != posix::Kind::kAbsent) return corrupt("tombstone of " + where + " has a data file beside it");
    return Stored{*record, {}};
  }
  Result<std::vector<std::byte>> payload = posix::read_file(data, size_t{record->payload_bytes} + 1);
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
  const std::string meta = meta_file(path);
  Result<posix::Kind> kind = posix::kind_of(meta);
  if (!kind) return kind.status();
  if (*kind == posix::Kind::kDirectory) return Status::ok();  // a directory of other files: nothing stored here
  const uint64_t old_bytes = disk_format::charged_bytes(disk_format::read_record_file(meta, path));
  // Data first, as in put(): a crash in between leaves a record without
  // data, which read() reports, never data that no record accounts for.
  const std::string data = data_file(path);
  bool removed = false;
  if (Status s = posix::unlink_file(data, &removed); !s.is_ok()) return s;
  if (removed) {
    if (Status s = posix::sync_dir(posix::parent_of(data)); !s.is_ok()) return s;
  }
  if (Status s = posix::unlink_file(meta, &removed); !s.is_ok()) return s;
  if (!removed) return Status::ok();
  (void)adjust_used(0, old_bytes, false);
  return posix::sync_dir(posix::parent_of(meta));
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
  const std::string meta_root = root_.native() + "/meta";
  Result<posix::Kind> kind = posix::kind_of(meta_root + std::string(dir));
  if (!kind) return kind.status();
  if (*kind != posix::Kind::kDirectory) return out;
  if (Status s = walk(meta_root, std::string(dir), prefix.substr(dir.size()), limit, out); !s.is_ok()) return s;
  return out;
}

}  // namespace cairn
