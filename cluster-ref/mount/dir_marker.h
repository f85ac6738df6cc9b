// The directory marker: how a folder with no files in it exists in the
// cluster, whose keyspace is file paths. `mkdir /a/b` through the mount
// stores a small object at "/a/b/.cairn-dir"; a folder exists while it holds
// a marker or any file beneath it. The marker name is reserved: the mount
// neither lists it nor lets a file take it.
//
// Format (version kDirMarkerVersion), exactly kDirMarkerBytes bytes:
//
//   off size field
//    0   4   magic, the bytes "CDIR"
//    4   2   marker format version, little-endian (1)
//    6   2   reserved, 0
//
// Pinned by a golden vector in tests/cluster/dir_marker_test.cc. Pure functions.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace cairn {

inline constexpr std::string_view kDirMarkerName = ".cairn-dir";
inline constexpr uint16_t kDirMarkerVersion = 1;
inline constexpr size_t kDirMarkerBytes = 8;

std::array<std::byte, kDirMarkerBytes> encode_dir_marker();
// kCorrupt for a wrong length or magic, kInvalidArgument for an unknown version.
Status decode_dir_marker(std::span<const std::byte> bytes);

// The marker's archive path for folder `dir` ("/" for the root: "/.cairn-dir").
std::string dir_marker_path(std::string_view dir);

}  // namespace cairn
