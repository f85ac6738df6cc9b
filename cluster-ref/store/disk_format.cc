#include "cluster-ref/store/disk_format.h"

#include <algorithm>
#include <map>
#include <array>
#include <charconv>
#include <filesystem>
#include <optional>
#include <system_error>
#include <vector>

#include "cluster-ref/store/disk_store.h"
#include "cluster-ref/store/posix_file.h"

namespace cairn::disk_format {
namespace {

namespace fs = std::filesystem;

struct Identity {
  uint64_t format = 0;
  uint64_t node = 0;
  uint64_t disk = 0;
};

// Consumes "<key> <decimal>\n" from the front of `text`.
bool take_field(std::string_view& text, std::string_view key, uint64_t& value) {
  if (!text.starts_with(key) || text.size() <= key.size() || text[key.size()] != ' ') return false;
  text.remove_prefix(key.size() + 1);
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr == text.data() || ptr == end || *ptr != '\n') return false;
  text.remove_prefix(static_cast<size_t>(ptr - text.data()) + 1);
  return true;
}

std::optional<Identity> parse_identity(std::string_view text) {
  Identity id;
  if (!take_field(text, "cairn-disk", id.format) || !take_field(text, "node", id.node) ||
      !take_field(text, "disk", id.disk) || !text.empty()) {
    return std::nullopt;
  }
  return id;
}

// ok for this node's and disk's identity in a format this build reads;
// `*old_format` says it is format 1 (prepare() upgrades it).
Status check_identity(const std::string& root, std::string_view found, uint32_t node, uint32_t disk,
                      bool* old_format) {
  const std::string where = root + "/" + kIdentityFileName;
  const std::optional<Identity> id = parse_identity(found);
  const bool readable = id && (id->format == kDiskFormatVersion || id->format == kDiskFormatVersionOldest);
  if (readable && id->node == node && id->disk == disk) {
    if (found != identity_text_of_format(static_cast<uint32_t>(id->format), node, disk)) {
      return refused(where + " is not a Cairn disk identity (it reads \"" + printable(found, 40) + "\")");
    }
    *old_format = id->format != kDiskFormatVersion;
    return Status::ok();
  }
  if (!id) return refused(where + " is not a Cairn disk identity (it reads \"" + printable(found, 40) + "\")");
  if (!readable) {
    return refused(where + " is disk format " + std::to_string(id->format) + "; this build reads formats " +
                   std::to_string(kDiskFormatVersionOldest) + " to " + std::to_string(kDiskFormatVersion));
  }
  return refused(where + " belongs to node " + std::to_string(id->node) + " disk " + std::to_string(id->disk) +
                 ", not node " + std::to_string(node) + " disk " + std::to_string(disk));
}

// Rewrites the identity at the current format, durably (format 1 had no
// preserved/ area; an older build must refuse a disk that has one).
Status write_identity(const std::string& root, uint32_t node, uint32_t disk) {
  const std::string text = identity_text(node, disk);
  const std::string staged = root + "/tmp/" + kIdentityFileName;
  const std::string target = root + "/" + kIdentityFileName;
  (void)posix::unlink_file(staged);
  if (Status s = posix::write_new_file_synced(staged, std::as_bytes(std::span(text))); !s.is_ok()) return s;
  if (Status s = posix::rename_file(staged, target); !s.is_ok()) return s;
  return posix::sync_dir(root);
}

Status empty_dir(const std::string& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code remove_ec;
    fs::remove_all(it->path(), remove_ec);
    if (remove_ec) return posix::io_error("remove", it->path().native(), remove_ec.value());
  }
  if (ec) return posix::io_error("list", dir, ec.value());
  return Status::ok();
}

// Creates root/<name> if absent; `created` becomes true when it did.
Status ensure_dir(const std::string& root, const char* name, bool& created) {
  const std::string dir = root + "/" + name;
  Result<posix::DirOutcome> made = posix::make_dir(dir);
  if (!made) return made.status();
  if (*made == posix::DirOutcome::kNotADirectory) return refused(dir + " exists and is not a directory");
  created = created || *made == posix::DirOutcome::kCreated;
  return Status::ok();
}

// Sets and reads back a user extended attribute on a probe file in
// `root`/tmp/: the records of live files live in one, and a file system
// without them (some tmpfs, vfat, NFS without xattr support) would fail
// every put.
Status probe_user_attrs(const std::string& root) {
  const std::string probe = root + "/tmp/attr-probe";
  constexpr std::array<std::byte, 4> kValue = {std::byte{'c'}, std::byte{'a'}, std::byte{'i'}, std::byte{'r'}};
  auto refusal = [&](const std::string& why) {
    return refused(root + ": its file system does not keep user extended attributes (" + why +
                   "); Cairn disk records need them (ext4, xfs and btrfs have them)");
  };
  Status s = posix::write_new_file_synced(probe, {}, kRecordAttrName, kValue);
  if (s.is_ok()) {
    Result<std::optional<std::vector<std::byte>>> back = posix::read_attr(probe, kRecordAttrName, kValue.size() + 1);
    if (!back) {
      s = back.status();
    } else if (!back->has_value() || !std::ranges::equal(**back, kValue)) {
      s = refusal("a value set on " + probe + " did not read back");
    }
  }
  (void)posix::unlink_file(probe);
  const bool attr_refused = s.message().starts_with("setxattr") || s.message().starts_with("getxattr");
  if (!s.is_ok() && s.code() == StatusCode::kIoError && attr_refused) return refusal(s.message());
  return s;
}

// Formats a root that has no identity. Only an empty root, or one holding
// just the tmp/ of an interrupted format, is formatted: anything else may be
// somebody's data.
Status format(const std::string& root, uint32_t node, uint32_t disk) {
  std::error_code ec;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->path().filename() == "tmp" && it->is_directory(type_ec)) continue;
    return refused(root + " holds \"" + it->path().filename().native() + "\" but no " + kIdentityFileName +
                   " identity; refusing to format a directory that is not empty");
  }
  if (ec) return posix::io_error("list", root, ec.value());
  bool created = false;
  if (Status s = ensure_dir(root, "tmp", created); !s.is_ok()) return s;
  if (Status s = empty_dir(root + "/tmp"); !s.is_ok()) return s;
  if (Status s = probe_user_attrs(root); !s.is_ok()) return s;
  return write_identity(root, node, disk);
}

}  // namespace

std::string identity_text_of_format(uint32_t format, uint32_t node, uint32_t disk) {
  return "cairn-disk " + std::to_string(format) + "\nnode " + std::to_string(node) + "\ndisk " +
         std::to_string(disk) + "\n";
}

std::string identity_text(uint32_t node, uint32_t disk) {
  return identity_text_of_format(kDiskFormatVersion, node, disk);
}

Status prepare(const std::string& root, uint32_t node, uint32_t disk) {
  Result<std::vector<std::byte>> found =
      posix::read_file(root + "/" + kIdentityFileName, kIdentityBytesMax + 1);
  if (!found && found.status().code() != StatusCode::kNotFound) return found.status();
  bool old_format = false;
  Status s = found ? check_identity(root, std::string_view(reinterpret_cast<const char*>(found->data()),
                                                           found->size()),
                                    node, disk, &old_format)
                   : format(root, node, disk);
  if (!s.is_ok()) return s;
  bool created = false;
  for (const char* name : {"data", "tombstones", "tmp", kPreservedDirName}) {
    if (s = ensure_dir(root, name, created); !s.is_ok()) return s;
  }
  if (created) {
    if (s = posix::sync_dir(root); !s.is_ok()) return s;
  }
  if (s = empty_dir(root + "/tmp"); !s.is_ok()) return s;
  // Format 1 is format 2 without preserved/: its identity moves to format 2
  // once preserved/ exists (an older build then refuses the disk instead of
  // ignoring what it preserves).
  if (old_format) {
    if (s = write_identity(root, node, disk); !s.is_ok()) return s;
  }
  // format() probed before it wrote the identity; an existing disk is probed
  // on every open, since one copied to another file system must not open
  // there only to fail every read.
  return found ? probe_user_attrs(root) : Status::ok();
}

Result<FileRecord> read_tombstone_file(const std::string& file, std::string_view path) {
  Result<std::vector<std::byte>> bytes = posix::read_file(file, kRecordBytes + 1);
  if (!bytes && bytes.status().code() == StatusCode::kNotFound) {
    return not_found("no tombstone of " + std::string(path));
  }
  if (!bytes) return bytes.status();
  Result<FileRecord> record = decode_record(*bytes);
  if (!record) return corrupt("tombstone of " + std::string(path) + ": " + record.status().message());
  if (!record->tombstone) return corrupt("tombstone file of " + std::string(path) + " holds a live record");
  return record;
}

Result<FileRecord> read_data_record(const std::string& file, std::string_view path) {
  Result<std::optional<std::vector<std::byte>>> bytes = posix::read_attr(file, kRecordAttrName, kRecordBytes + 1);
  if (!bytes && bytes.status().code() == StatusCode::kNotFound) {
    return not_found("no data file of " + std::string(path));
  }
  if (!bytes) return bytes.status();
  if (!bytes->has_value()) {
    return corrupt("data file of " + std::string(path) + " has no record (extended attribute " + kRecordAttrName +
                   ")");
  }
  Result<FileRecord> record = decode_record(**bytes);
  if (!record) return corrupt("record of " + std::string(path) + ": " + record.status().message());
  if (record->tombstone) return corrupt("data file of " + std::string(path) + " carries a tombstone record");
  return record;
}

std::string printable(std::string_view text, size_t bytes_max) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < text.size() && i < bytes_max; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return text.size() > bytes_max ? out + "..." : out;
}

Result<FileRecord> newer_record(Result<FileRecord> live, Result<FileRecord> tombstone) {
  auto absent = [](const Result<FileRecord>& r) { return !r && r.status().code() == StatusCode::kNotFound; };
  if (absent(live)) return tombstone;
  if (absent(tombstone) || !live) return live;
  if (!tombstone) return tombstone;
  return live->version > tombstone->version ? live : tombstone;
}

uint64_t charged_bytes(const Result<FileRecord>& record) {
  if (record) return record->payload_bytes + kRecordBytes;
  return record.status().code() == StatusCode::kNotFound ? 0 : kRecordBytes;
}

Result<std::map<std::string, PreservedUsage>> count_preserved(const std::string& root) {
  std::map<std::string, PreservedUsage> out;
  const std::string area = root + "/" + kPreservedDirName;
  std::error_code ec;
  for (fs::directory_iterator top(area, ec), end; !ec && top != end; top.increment(ec)) {
    std::error_code type_ec;
    if (!top->is_directory(type_ec) || top->is_symlink(type_ec)) continue;
    PreservedUsage& usage = out[top->path().filename().native()];
    const std::string base = top->path().native();
    std::error_code walk_ec;
    for (fs::recursive_directory_iterator it(base, walk_ec), e; !walk_ec && it != e; it.increment(walk_ec)) {
      if (!it->is_regular_file(type_ec) || it->is_symlink(type_ec)) continue;
      const std::string& file = it->path().native();
      usage.files += 1;
      usage.bytes += charged_bytes(read_data_record(file, std::string_view(file).substr(base.size())));
    }
    if (walk_ec) return posix::io_error("walk", base, walk_ec.value());
  }
  if (ec) return posix::io_error("walk", area, ec.value());
  return out;
}

Result<uint64_t> count_used_bytes(const std::string& root) {
  uint64_t used = 0;
  for (const bool data : {true, false}) {
    const std::string area = root + (data ? "/data" : "/tombstones");
    std::error_code ec;
    for (fs::recursive_directory_iterator it(area, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      if (!it->is_regular_file(type_ec) || it->is_symlink(type_ec)) continue;
      const std::string& file = it->path().native();
      const std::string_view path = std::string_view(file).substr(area.size());
      used += charged_bytes(data ? read_data_record(file, path) : read_tombstone_file(file, path));
    }
    if (ec) return posix::io_error("walk", area, ec.value());
  }
  return used;
}

}  // namespace cairn::disk_format
