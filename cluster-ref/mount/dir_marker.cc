#include "cluster-ref/mount/dir_marker.h"

#include <cstring>

namespace cairn {

std::array<std::byte, kDirMarkerBytes> encode_dir_marker() {
  std::array<std::byte, kDirMarkerBytes> out{};
  std::memcpy(out.data(), "CDIR", 4);
  out[4] = static_cast<std::byte>(kDirMarkerVersion & 0xff);
  out[5] = static_cast<std::byte>(kDirMarkerVersion >> 8);
  return out;
}

Status decode_dir_marker(std::span<const std::byte> bytes) {
  if (bytes.size() != kDirMarkerBytes || std::memcmp(bytes.data(), "CDIR", 4) != 0) {
    return corrupt("directory marker: not " + std::to_string(kDirMarkerBytes) + " bytes starting \"CDIR\"");
  }
  const auto version = static_cast<uint16_t>(std::to_integer<uint16_t>(bytes[4]) |
                                             (std::to_integer<uint16_t>(bytes[5]) << 8));
  if (version != kDirMarkerVersion) {
    return invalid_argument("directory marker: unknown format version " + std::to_string(version));
  }
  return Status::ok();
}

std::string dir_marker_path(std::string_view dir) {
  std::string out(dir);
  if (out.empty() || out.back() != '/') out += '/';
  out += kDirMarkerName;
  return out;
}

}  // namespace cairn
