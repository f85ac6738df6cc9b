#include "cluster-ref/store/disk_walk.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "cluster-ref/store/disk_format.h"
#include "cluster-ref/store/posix_file.h"

namespace cairn {
namespace {

namespace fs = std::filesystem;

bool is_not_found(const Result<FileRecord>& record) {
  return !record && record.status().code() == StatusCode::kNotFound;
}

struct Areas {
  std::string data;        // root/data
  std::string tombstones;  // root/tombstones
};

struct Child {
  std::string key;  // name, plus '/' for a directory
  bool is_dir = false;
  bool in_data = false;
  bool in_tombstones = false;
};

// Appends the regular files and directories in `dir` (of area data/ when
// `data`, else tombstones/) whose names start with `stem` to `children`. A
// directory absent in one area is empty there.
Status list_children(const std::string& dir, std::string_view stem, bool data, std::vector<Child>& children) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) return Status::ok();
  for (fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().native();
    if (!name.starts_with(stem)) continue;
    std::error_code type_ec;
    const fs::file_type type = it->symlink_status(type_ec).type();
    if (type != fs::file_type::directory && type != fs::file_type::regular) continue;
    Child child;
    child.is_dir = type == fs::file_type::directory;
    child.key = child.is_dir ? name + "/" : std::move(name);
    child.in_data = data;
    child.in_tombstones = !data;
    children.push_back(std::move(child));
  }
  if (ec) return posix::io_error("list", dir, ec.value());
  return Status::ok();
}

// Appends the good records under `archive_dir` (which ends in '/') of both
// areas whose first component starts with `stem`, in path order, until
// `limit` entries are taken and one more is seen. Siblings are sorted with a
// '/' after directory names, which makes a depth-first walk visit paths in
// byte order ("/a-b" < "/a/b" because '-' < '/'); a path in both areas is
// one entry.
Status walk(const Areas& areas, const std::string& archive_dir, std::string_view stem, size_t limit,
            DiskStore::Listing& out) {
  std::vector<Child> children;
  if (Status s = list_children(areas.data + archive_dir, stem, true, children); !s.is_ok()) return s;
  if (Status s = list_children(areas.tombstones + archive_dir, stem, false, children); !s.is_ok()) return s;
  std::sort(children.begin(), children.end(), [](const Child& a, const Child& b) { return a.key < b.key; });
  for (size_t i = 0; i < children.size(); ++i) {
    Child child = children[i];
    for (; i + 1 < children.size() && children[i + 1].key == child.key; ++i) {
      child.in_data = child.in_data || children[i + 1].in_data;
      child.in_tombstones = child.in_tombstones || children[i + 1].in_tombstones;
    }
    std::string path = archive_dir + child.key;
    if (child.is_dir) {
      if (Status s = walk(areas, path, "", limit, out); !s.is_ok()) return s;
    } else {
      const Status absent = not_found(path);
      Result<FileRecord> record =
          disk_format::newer_record(child.in_data ? disk_format::read_data_record(areas.data + path, path) : absent,
                       child.in_tombstones ? disk_format::read_tombstone_file(areas.tombstones + path, path) : absent);
      if (is_not_found(record)) continue;  // removed meanwhile
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

Status walk_records(const std::string& root, const std::string& archive_dir, std::string_view stem, size_t limit,
                    DiskStore::Listing& out) {
  return walk(Areas{root + "/data", root + "/tombstones"}, archive_dir, stem, limit, out);
}

}  // namespace cairn
