// The directory marker's bytes (a format: pinned here) and the mount's
// StatusCode -> errno table (README "Mounting the archive").
#include <gtest/gtest.h>

#include <cerrno>

#include "cluster-ref/mount/dir_marker.h"
#include "cluster-ref/mount/errno_map.h"

namespace cairn {
namespace {

TEST(DirMarker, GoldenBytes) {
  const auto bytes = encode_dir_marker();
  const std::array<uint8_t, kDirMarkerBytes> golden = {'C', 'D', 'I', 'R', 0x01, 0x00, 0x00, 0x00};
  for (size_t i = 0; i < kDirMarkerBytes; ++i) EXPECT_EQ(std::to_integer<uint8_t>(bytes[i]), golden[i]) << i;
  EXPECT_TRUE(decode_dir_marker(bytes).is_ok());
  EXPECT_EQ(dir_marker_path("/2026/11"), "/2026/11/.cairn-dir");
  EXPECT_EQ(dir_marker_path("/"), "/.cairn-dir");
}

TEST(DirMarker, RejectsOtherBytes) {
  auto bytes = encode_dir_marker();
  bytes[4] = std::byte{2};
  EXPECT_EQ(decode_dir_marker(bytes).code(), StatusCode::kInvalidArgument);
  bytes[0] = std::byte{'X'};
  EXPECT_EQ(decode_dir_marker(bytes).code(), StatusCode::kCorrupt);
  EXPECT_EQ(decode_dir_marker(std::span(bytes).first(4)).code(), StatusCode::kCorrupt);
}

TEST(ErrnoMap, EveryStatusCode) {
  EXPECT_EQ(errno_of(Status::ok()), 0);
  EXPECT_EQ(errno_of(not_found("x")), ENOENT);
  EXPECT_EQ(errno_of(invalid_argument("x")), EINVAL);
  EXPECT_EQ(errno_of(refused("/a: retained until 2041-01-01")), EPERM);
  EXPECT_EQ(errno_of(Status(StatusCode::kRetained, "/a: retained until 2041-01-01")), EPERM);
  EXPECT_EQ(errno_of(refused("disk 3 full: 10 bytes used + 5 replaced > capacity 12")), ENOSPC);
  EXPECT_EQ(errno_of(unsatisfiable("x")), ENOSPC);
  for (StatusCode code : {StatusCode::kUnavailable, StatusCode::kTimeout, StatusCode::kStaleEpoch,
                          StatusCode::kIoError, StatusCode::kDataLoss, StatusCode::kCorrupt}) {
    EXPECT_EQ(errno_of(Status(code, "x")), EIO) << to_string(code);
  }
}

}  // namespace
}  // namespace cairn
