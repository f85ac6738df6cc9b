// The walk behind DiskStore::list(): the records of data/ (extended
// attributes) and tombstones/ (record files) merged in archive path order.
// Read-only and lock-free; safe from any thread (see disk_store.h for what a
// concurrent put may do to one listing).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "cluster-ref/store/disk_store.h"
#include "engine/status.h"

namespace cairn {

// Appends to `out` the good records of the store at `root` under archive
// directory `archive_dir` (which starts and ends with '/') whose first
// component below it starts with `stem`, in byte order of their paths, until
// `limit` entries are taken and one more is seen (then `out.truncated`). A
// path with both a data file and a tombstone is one entry, the newer
// (disk_format::newer_record); records that fail their checks are counted in
// `out.corrupt`. kIoError when a directory cannot be listed.
Status walk_records(const std::string& root, const std::string& archive_dir, std::string_view stem, size_t limit,
                    DiskStore::Listing& out);

}  // namespace cairn
