// The on-disk format of a DiskStore (format version 1), pinned byte for byte
// (STYLE.md 10): the CAIRN-DISK identity, the directory tree (with the
// extended attributes of each file) after a fixed sequence of puts, the record
// attribute of one data file and one tombstone file. A disk written today must open and
// read in thirty years; if one of these changes, bump kDiskFormatVersion and
// keep a reader for version 1. When a change is intended, regenerate the files
// (the command is printed on failure) and say in the commit why they moved.
#include <gtest/gtest.h>
#include <sys/xattr.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/cluster/disk_store_testing.h"
#include "tests/cluster/hex.h"

namespace cairn::testing_disk {
namespace {

const char* const kGoldenDir = "/tests/cluster/golden/disk_v1/";
const char* const kRegenerate =
    "CAIRN_UPDATE_GOLDEN=1 build/tests/cluster/cluster_unit_tests --gtest_filter='DiskStoreGolden*'";

std::string as_text(const std::vector<std::byte>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

using testing::hex;

// Compares `now` with golden file `name`, or rewrites it under
// CAIRN_UPDATE_GOLDEN. True when it rewrote.
bool check_golden(const std::string& name, const std::vector<std::byte>& now) {
  const fs::path path = std::string(CAIRN_SOURCE_DIR) + kGoldenDir + name;
  if (std::getenv("CAIRN_UPDATE_GOLDEN") != nullptr) {
    fs::create_directories(path.parent_path());
    write_plain(path, now);
    return true;
  }
  EXPECT_TRUE(fs::exists(path)) << "no golden file " << path << "; create it with: " << kRegenerate;
  const std::vector<std::byte> golden = read_plain(path);
  EXPECT_TRUE(golden == now) << name << " no longer matches " << path << "\n golden " << hex(golden) << "\n now    "
                         << hex(now) << "\nIf the change is intended, regenerate with\n  " << kRegenerate;
  return false;
}

// The extended attributes of `file` as " <name>=<bytes>" each, sorted.
std::string attrs_of(const fs::path& file) {
  std::vector<char> names(4096);
  const ssize_t n = ::listxattr(file.c_str(), names.data(), names.size());
  if (n < 0) return " (listxattr failed)";
  std::vector<std::string> out;
  for (size_t at = 0; at < static_cast<size_t>(n);) {
    const std::string name(names.data() + at);
    out.push_back(" " + name + "=" + std::to_string(::getxattr(file.c_str(), name.c_str(), nullptr, 0)));
    at += name.size() + 1;
  }
  std::sort(out.begin(), out.end());
  std::string joined;
  for (const std::string& a : out) joined += a;
  return joined;
}

// Every file and directory under `root`, relative, sorted: "dir/" for a
// directory, "file <bytes>[ <xattr>=<bytes>...]" for a file.
std::string tree(const fs::path& root) {
  std::vector<std::string> lines;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(root)) {
    const std::string relative = e.path().lexically_relative(root).native();
    lines.push_back(e.is_directory() ? relative + "/"
                                     : relative + " " + std::to_string(e.file_size()) + attrs_of(e.path()));
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

using DiskStoreGolden = DiskStoreTest;

TEST_F(DiskStoreGolden, IdentityOfNode3Disk2) {
  ASSERT_NE(open_store(), nullptr);
  const std::vector<std::byte> identity = read_plain(root() / "CAIRN-DISK");
  EXPECT_EQ(as_text(identity), "cairn-disk 1\nnode 3\ndisk 2\n");
  if (check_golden("CAIRN-DISK", identity)) GTEST_SKIP() << "rewrote the golden identity";
}

TEST_F(DiskStoreGolden, TreeAndRecordAfterFixedPuts) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const std::string study = "/2026/11/25/CT/1.2.840.1/";
  const auto v1 = pattern(1000, 1), v2 = pattern(1500, 2), file = pattern(1200, 3), fragment = pattern(320, 4);
  const auto notes = bytes_of("hello\n");
  ASSERT_TRUE(store->put(study + "IM-0001.dcm", copy_record(v1, 1), v1).is_ok());
  ASSERT_TRUE(store->put(study + "IM-0002.dcm", fragment_record(fragment, 1200, crc32c(file), 2, 2), fragment)
                  .is_ok());
  ASSERT_TRUE(store->put(study + "IM-0001.dcm", copy_record(v2, 3), v2).is_ok());
  ASSERT_TRUE(store->put("/2026/11/26/MR/1.2.840.2/IM-0001.dcm", tombstone_record(4), {}).is_ok());
  ASSERT_TRUE(store->put("/2026/11/notes.txt", copy_record(notes, 5), notes).is_ok());
  ASSERT_TRUE(store->put(study + "IM-0003.dcm", copy_record(v1, 6), v1).is_ok());
  ASSERT_TRUE(store->remove(study + "IM-0003.dcm").is_ok());
  EXPECT_EQ(store->used_bytes(), 1500U + 320 + 6 + 4 * kRecordBytes);

  const bool rewrote_tree = check_golden("tree.txt", bytes_of(tree(root())));
  const bool rewrote_record = check_golden("record.bin", read_record_attr(data(study + "IM-0001.dcm")));
  const bool rewrote_tombstone =
      check_golden("tombstone.bin", read_plain(tombstone("/2026/11/26/MR/1.2.840.2/IM-0001.dcm")));
  if (rewrote_tree || rewrote_record || rewrote_tombstone) GTEST_SKIP() << "rewrote the golden tree and records";
}

}  // namespace
}  // namespace cairn::testing_disk
