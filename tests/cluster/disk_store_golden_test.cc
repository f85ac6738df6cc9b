// The on-disk format of a DiskStore, pinned byte for byte (STYLE.md 10).
// Format 2 (golden/disk_v2/): the CAIRN-DISK identity, the directory tree
// (with the extended attributes of each file) after a fixed sequence of puts
// and a snapshot's preservations, the record attribute of one data file, one
// tombstone file and one preserved file. Format 1 (golden/disk_v1/, kept as it
// was written): a disk built from its golden files opens, reads, and is
// upgraded to format 2. A disk written today must open and read in thirty
// years; if one of these changes, bump kDiskFormatVersion and keep a reader
// for the older formats. When a change is intended, regenerate the files (the
// command is printed on failure) and say in the commit why they moved.
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

const char* const kGoldenDir = "/tests/cluster/golden/disk_v2/";
const char* const kGoldenDirV1 = "/tests/cluster/golden/disk_v1/";
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
  EXPECT_EQ(as_text(identity), "cairn-disk 2\nnode 3\ndisk 2\n");
  if (check_golden("CAIRN-DISK", identity)) GTEST_SKIP() << "rewrote the golden identity";
}

TEST_F(DiskStoreGolden, TreeAndRecordsAfterFixedPutsAndASnapshot) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const std::string study = "/2026/11/25/CT/1.2.840.1/";
  const auto v1 = pattern(1000, 1), v2 = pattern(1500, 2), file = pattern(1200, 3), fragment = pattern(320, 4);
  const auto v3 = pattern(900, 5);
  const auto notes = bytes_of("hello\n");
  ASSERT_TRUE(store->put(study + "IM-0001.dcm", copy_record(v1, 1), v1).is_ok());
  ASSERT_TRUE(store->put(study + "IM-0002.dcm", fragment_record(fragment, 1200, crc32c(file), 2, 2), fragment)
                  .is_ok());
  ASSERT_TRUE(store->put(study + "IM-0001.dcm", copy_record(v2, 3), v2).is_ok());
  ASSERT_TRUE(store->put("/2026/11/26/MR/1.2.840.2/IM-0001.dcm", tombstone_record(4), {}).is_ok());
  ASSERT_TRUE(store->put("/2026/11/notes.txt", copy_record(notes, 5), notes).is_ok());
  ASSERT_TRUE(store->put(study + "IM-0003.dcm", copy_record(v1, 6), v1).is_ok());
  ASSERT_TRUE(store->remove(study + "IM-0003.dcm").is_ok());
  // A snapshot of the study at version 6: an overwrite and a delete after it.
  const Snapshot nightly{"nightly", "/2026/11/25/", kMtimeNs, 6};
  ASSERT_TRUE(store->set_snapshots({nightly}).is_ok());
  ASSERT_TRUE(store->put(study + "IM-0001.dcm", copy_record(v3, 7), v3).is_ok());
  ASSERT_TRUE(store->put(study + "IM-0002.dcm", tombstone_record(8), {}).is_ok());
  ASSERT_TRUE(store->put("/2026/11/notes.txt", copy_record(notes, 9), notes).is_ok());  // not under the prefix
  EXPECT_EQ(store->used_bytes(), 900U + 6 + 4 * kRecordBytes + (1500 + kRecordBytes) + (320 + kRecordBytes));
  EXPECT_EQ(store->preserved_usage(nightly).files, 2U);

  const std::string preserved = "preserved/nightly@0000000000000006/2026/11/25/CT/1.2.840.1/IM-0001.dcm";
  const bool rewrote_tree = check_golden("tree.txt", bytes_of(tree(root())));
  const bool rewrote_record = check_golden("record.bin", read_record_attr(data(study + "IM-0001.dcm")));
  const bool rewrote_tombstone =
      check_golden("tombstone.bin", read_plain(tombstone("/2026/11/26/MR/1.2.840.2/IM-0001.dcm")));
  const bool rewrote_preserved = check_golden("preserved.bin", read_record_attr(root() / preserved));
  EXPECT_EQ(read_plain(root() / preserved), v2);
  if (rewrote_tree || rewrote_record || rewrote_tombstone || rewrote_preserved)
    GTEST_SKIP() << "rewrote the golden tree and records";
}

// A format 1 disk, as its golden files describe it, opens and reads with
// this build, and its identity becomes format 2.
TEST_F(DiskStoreGolden, AFormat1DiskOpensReadsAndIsUpgraded) {
  const fs::path v1 = std::string(CAIRN_SOURCE_DIR) + kGoldenDirV1;
  const std::string study = "/2026/11/25/CT/1.2.840.1/";
  const std::string mr = "/2026/11/26/MR/1.2.840.2/IM-0001.dcm";
  fs::create_directories(data(study + "IM-0001.dcm").parent_path());
  fs::create_directories(tombstone(mr).parent_path());
  fs::create_directories(root() / "tmp");
  write_plain(root() / "CAIRN-DISK", read_plain(v1 / "CAIRN-DISK"));
  ASSERT_EQ(as_text(read_plain(root() / "CAIRN-DISK")), "cairn-disk 1\nnode 3\ndisk 2\n");
  write_plain(data(study + "IM-0001.dcm"), pattern(1500, 2));
  write_record_attr(data(study + "IM-0001.dcm"), read_plain(v1 / "record.bin"));
  write_plain(tombstone(mr), read_plain(v1 / "tombstone.bin"));

  auto store = open_store();
  ASSERT_NE(store, nullptr);
  auto read = store->read(study + "IM-0001.dcm");
  ASSERT_TRUE(read.is_ok()) << read.status().message();
  EXPECT_EQ(read->payload, pattern(1500, 2));
  EXPECT_EQ(read->record, copy_record(pattern(1500, 2), 3));
  auto tomb = store->stat(mr);
  ASSERT_TRUE(tomb.is_ok()) << tomb.status().message();
  EXPECT_TRUE(tomb->tombstone);
  EXPECT_EQ(store->used_bytes(), 1500U + 2 * kRecordBytes);
  EXPECT_EQ(as_text(read_plain(root() / "CAIRN-DISK")), "cairn-disk 2\nnode 3\ndisk 2\n");
  EXPECT_TRUE(fs::is_directory(root() / "preserved"));
}

}  // namespace
}  // namespace cairn::testing_disk
