// DiskStore: round trips, corruption detection, capacity, identity at open,
// listings and path validation. Golden on-disk bytes are pinned in
// disk_store_golden_test.cc; torn writes and concurrency in
// disk_store_fault_test.cc.
#include "cluster-ref/store/disk_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cluster-ref/store/posix_file.h"
#include "engine/store_ops.h"
#include "tests/cluster/disk_store_testing.h"

namespace cairn::testing_disk {
namespace {

std::vector<std::string> paths_of(const DiskStore::Listing& listing) {
  std::vector<std::string> out;
  for (const DiskStore::Entry& e : listing.entries) out.push_back(e.path);
  return out;
}

std::string hex32(uint32_t v) {
  char buffer[9];
  std::snprintf(buffer, sizeof buffer, "%08x", v);
  return buffer;
}

// ---- the operations the engine says the store makes ----

// What `work` made, by kind (the counters are the whole process's; this test
// runs one store on one thread).
template <class Work>
StoreOps ops_of(Work work) {
  const StoreOps before = posix::op_counts();
  work();
  StoreOps made = posix::op_counts();
  for (size_t i = 0; i < kStoreOpKinds; ++i) made.count[i] -= before.count[i];
  return made;
}

std::string describe(const StoreOps& ops) {
  std::string out;
  for (size_t i = 0; i < kStoreOpKinds; ++i)
    if (ops.count[i] > 0) out += std::string(store_op_name(static_cast<StoreOp>(i))) + " " + std::to_string(ops.count[i]) + ", ";
  return out;
}

TEST_F(DiskStoreTest, MakesExactlyTheOperationsTheEngineCounts) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const auto file = pattern(70'000, 3);
  const FileRecord record = copy_record(file, 1, 1);
  // The study's directory exists already (the common case the engine counts).
  ASSERT_TRUE(store->put("/2026/CT/IM-0001.dcm", copy_record(file, 1, 1), file).is_ok());
  const std::string path = "/2026/CT/IM-0002.dcm";

  StoreOps absent = ops_of([&] { EXPECT_FALSE(store->stat(path)); });
  EXPECT_EQ(absent, member_absent_stat_ops()) << describe(absent);
  StoreOps put = ops_of([&] { ASSERT_TRUE(store->put(path, record, file).is_ok()); });
  EXPECT_EQ(put, member_put_ops()) << describe(put);
  StoreOps stat = ops_of([&] { EXPECT_TRUE(store->stat(path)); });
  EXPECT_EQ(stat, member_stat_ops()) << describe(stat);
  StoreOps read = ops_of([&] { EXPECT_TRUE(store->read(path)); });
  EXPECT_EQ(read, member_read_ops()) << describe(read);
  bool removed = false;
  StoreOps remove = ops_of([&] { ASSERT_TRUE(store->remove_if_same(path, record, &removed).is_ok()); });
  EXPECT_TRUE(removed);
  EXPECT_EQ(remove, member_remove_ops()) << describe(remove);
  bool stored = false;
  StoreOps moved_in = ops_of([&] { ASSERT_TRUE(store->put_unless_newer(path, record, file, &stored).is_ok()); });
  EXPECT_TRUE(stored);
  EXPECT_EQ(moved_in, member_absent_stat_ops() + member_put_ops()) << describe(moved_in);
}

// ---- round trips ----

TEST_F(DiskStoreTest, ReplicaCopyRoundTripsAndIsAPlainFile) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const std::string path = "/2026/11/25/CT/1.2.840.1/IM-0001.dcm";
  const auto file = pattern(1000, 1);
  const FileRecord record = copy_record(file, 1, 1);
  ASSERT_TRUE(store->put(path, record, file).is_ok());

  Result<DiskStore::Stored> got = store->read(path);
  ASSERT_TRUE(got) << got.status().message();
  EXPECT_EQ(got->record, record);
  EXPECT_EQ(got->payload, file);
  Result<FileRecord> stat = store->stat(path);
  ASSERT_TRUE(stat) << stat.status().message();
  EXPECT_EQ(*stat, record);
  EXPECT_EQ(read_plain(data(path)), file) << "an engineer reads the copy with plain tools";
  const auto encoded = encode_record(record);
  EXPECT_EQ(read_record_attr(data(path)), std::vector<std::byte>(encoded.begin(), encoded.end()))
      << "the record is the data file's extended attribute";
  EXPECT_EQ(entries_in(root() / "tombstones"), 0U);
  EXPECT_EQ(store->used_bytes(), 1000U + kRecordBytes);

  const auto bigger = pattern(3000, 2);
  ASSERT_TRUE(store->put(path, copy_record(bigger, 2), bigger).is_ok());
  EXPECT_EQ(store->read(path)->payload, bigger);
  EXPECT_EQ(store->used_bytes(), 3000U + kRecordBytes);
  EXPECT_EQ(entries_in(root() / "tmp"), 0U);
}

TEST_F(DiskStoreTest, ErasureFragmentRoundTrips) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const auto file = pattern(1000, 3);
  const auto fragment = pattern(256, 4);  // stands for parity member 5's bytes
  const FileRecord record = fragment_record(fragment, file.size(), crc32c(file), 5, 11);
  ASSERT_TRUE(store->put("/ct/a.dcm", record, fragment).is_ok());
  Result<DiskStore::Stored> got = store->read("/ct/a.dcm");
  ASSERT_TRUE(got) << got.status().message();
  EXPECT_EQ(got->record, record);
  EXPECT_EQ(got->record.form, StorageForm::kErasureCoded);
  EXPECT_EQ(got->payload, fragment);
  EXPECT_EQ(store->used_bytes(), 256U + kRecordBytes);
}

TEST_F(DiskStoreTest, TombstoneReplacesACopyAndRemoveForgetsIt) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const auto file = pattern(500, 5);
  ASSERT_TRUE(store->put("/x/y", copy_record(file, 1), file).is_ok());
  const FileRecord tomb = tombstone_record(2);
  ASSERT_TRUE(store->put("/x/y", tomb, {}).is_ok());

  Result<DiskStore::Stored> got = store->read("/x/y");
  ASSERT_TRUE(got) << got.status().message();
  EXPECT_EQ(got->record, tomb);
  EXPECT_TRUE(got->payload.empty());
  EXPECT_FALSE(fs::exists(data("/x/y"))) << "a tombstone has no data file";
  const auto encoded = encode_record(tomb);
  EXPECT_EQ(read_plain(tombstone("/x/y")), std::vector<std::byte>(encoded.begin(), encoded.end()));
  EXPECT_EQ(store->used_bytes(), kRecordBytes);

  const auto again = pattern(300, 5);
  ASSERT_TRUE(store->put("/x/y", copy_record(again, 3), again).is_ok()) << "a live put over a tombstone";
  EXPECT_FALSE(fs::exists(tombstone("/x/y"))) << "the live put unlinks the tombstone";
  EXPECT_EQ(store->read("/x/y")->payload, again);
  EXPECT_EQ(store->used_bytes(), 300U + kRecordBytes);
  ASSERT_TRUE(store->put("/x/y", tomb, {}).is_ok());

  ASSERT_TRUE(store->remove("/x/y").is_ok());
  EXPECT_EQ(store->stat("/x/y").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->read("/x/y").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->used_bytes(), 0U);
  EXPECT_FALSE(fs::exists(tombstone("/x/y")));
  EXPECT_TRUE(store->remove("/x/y").is_ok()) << "ok when absent";
  EXPECT_TRUE(store->remove("/never/stored").is_ok());
  EXPECT_TRUE(store->remove("/x").is_ok()) << "a directory of other files holds nothing itself";
}

TEST_F(DiskStoreTest, PutRefusesARecordThatDoesNotDescribeItsPayload) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const auto file = pattern(100, 6);
  FileRecord shorter = copy_record(file, 1);
  shorter.payload_bytes = 99;
  FileRecord wrong_crc = copy_record(file, 1);
  wrong_crc.payload_crc ^= 1;
  FileRecord bad_member = copy_record(file, 1);
  bad_member.member = 3;  // replica:3 has members 0..2
  EXPECT_EQ(store->put("/f", shorter, file).code(), StatusCode::kInvalidArgument);
  const Status crc = store->put("/f", wrong_crc, file);
  EXPECT_EQ(crc.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(crc.message().find(hex32(wrong_crc.payload_crc)), std::string::npos) << crc.message();
  EXPECT_EQ(store->put("/f", tombstone_record(1), file).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->put("/f", bad_member, file).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->stat("/f").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->used_bytes(), 0U);
  EXPECT_EQ(entries_in(root() / "tmp"), 0U);
}

// ---- corruption ----

TEST_F(DiskStoreTest, FlippedDataByteIsCorrupt) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  auto file = pattern(1000, 7);
  const FileRecord record = copy_record(file, 1);
  ASSERT_TRUE(store->put("/a/b", record, file).is_ok());
  file[500] ^= std::byte{0x10};
  write_plain(data("/a/b"), file);

  Result<DiskStore::Stored> got = store->read("/a/b");
  ASSERT_EQ(got.status().code(), StatusCode::kCorrupt);
  const std::string& message = got.status().message();
  EXPECT_NE(message.find("\"/a/b\""), std::string::npos) << message;
  EXPECT_NE(message.find(hex32(crc32c(file))), std::string::npos) << message;
  EXPECT_NE(message.find(hex32(record.payload_crc)), std::string::npos) << message;
  EXPECT_TRUE(store->stat("/a/b")) << "the record itself is intact";
}

TEST_F(DiskStoreTest, DropIfCorruptDropsOnlyWhatStillFails) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  auto file = pattern(1000, 7);
  ASSERT_TRUE(store->put("/a/b", copy_record(file, 1), file).is_ok());
  bool dropped = true;
  ASSERT_TRUE(store->drop_if_corrupt("/a/b", &dropped).is_ok());
  EXPECT_FALSE(dropped) << "an intact copy stays";
  EXPECT_TRUE(store->read("/a/b"));

  auto rotten = file;
  rotten[500] ^= std::byte{0x10};
  write_plain(data("/a/b"), rotten);
  ASSERT_TRUE(store->drop_if_corrupt("/a/b", &dropped).is_ok());
  EXPECT_TRUE(dropped);
  EXPECT_EQ(store->stat("/a/b").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->used_bytes(), 0U);

  // A finding that a newer write has overtaken drops nothing.
  ASSERT_TRUE(store->put("/a/b", copy_record(file, 2), file).is_ok());
  ASSERT_TRUE(store->drop_if_corrupt("/a/b", &dropped).is_ok());
  EXPECT_FALSE(dropped);
  EXPECT_EQ(store->read("/a/b")->record.version, 2U);
}

TEST_F(DiskStoreTest, TruncatedOrMissingRecordIsCorrupt) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const auto file = pattern(10, 8);
  for (const char* path : {"/a/b", "/a/c", "/a/d"}) {
    ASSERT_TRUE(store->put(path, copy_record(file, 1), file).is_ok());
  }
  ASSERT_TRUE(store->put("/a/t", tombstone_record(1), {}).is_ok());
  const std::vector<std::byte> attr = read_record_attr(data("/a/b"));
  ASSERT_EQ(attr.size(), kRecordBytes);
  write_record_attr(data("/a/b"), std::span(attr).first(30));
  write_record_attr(data("/a/d"), {});  // as a plain `cp` of the data file leaves it
  fs::resize_file(tombstone("/a/t"), 30);

  for (const char* path : {"/a/b", "/a/d", "/a/t"}) {
    EXPECT_EQ(store->stat(path).status().code(), StatusCode::kCorrupt) << path;
    EXPECT_EQ(store->read(path).status().code(), StatusCode::kCorrupt) << path;
    EXPECT_NE(store->stat(path).status().message().find(path), std::string::npos) << path;
  }
  EXPECT_NE(store->stat("/a/d").status().message().find("user.cairn.record"), std::string::npos)
      << store->stat("/a/d").status().message();
  Result<DiskStore::Listing> listing = store->list("/", 10);
  ASSERT_TRUE(listing) << listing.status().message();
  EXPECT_EQ(paths_of(*listing), std::vector<std::string>{"/a/c"});
  EXPECT_EQ(listing->corrupt, 3U);

  ASSERT_TRUE(store->put("/a/d", copy_record(file, 2), file).is_ok()) << "heal rewrites it";
  EXPECT_EQ(store->read("/a/d")->record.version, 2U);
}

TEST_F(DiskStoreTest, RecordOverStaleOrMissingDataIsCorrupt) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const auto v1 = pattern(1000, 9), v2 = pattern(1000, 10);
  ASSERT_TRUE(store->put("/p", copy_record(v1, 1), v1).is_ok());
  ASSERT_TRUE(store->put("/p", copy_record(v2, 2), v2).is_ok());
  write_plain(data("/p"), v1);  // v2's record over v1's bytes
  Result<DiskStore::Stored> stale = store->read("/p");
  ASSERT_EQ(stale.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(stale.status().message().find(hex32(crc32c(v1))), std::string::npos);
  EXPECT_NE(stale.status().message().find(hex32(crc32c(v2))), std::string::npos);

  write_plain(data("/p"), pattern(1001, 10));
  EXPECT_EQ(store->read("/p").status().code(), StatusCode::kCorrupt) << "longer than its record";
  fs::remove(data("/p"));
  EXPECT_EQ(store->read("/p").status().code(), StatusCode::kNotFound) << "the record went with its data file";

  ASSERT_TRUE(store->put("/t", tombstone_record(1), {}).is_ok());
  fs::create_directories(data("/t").parent_path());
  write_plain(data("/t"), v1);
  EXPECT_EQ(store->read("/t").status().code(), StatusCode::kCorrupt)
      << "a tombstone with a data file without a record beside it";
}

// ---- capacity ----

TEST_F(DiskStoreTest, RefusesPastCapacityButAllowsShrinking) {
  auto store = open_store(2000);
  ASSERT_NE(store, nullptr);
  const auto kb = pattern(1000, 11);
  ASSERT_TRUE(store->put("/one", copy_record(kb, 1), kb).is_ok());
  const Status full = store->put("/two", copy_record(kb, 1), kb);
  EXPECT_EQ(full.code(), StatusCode::kRefused);
  EXPECT_NE(full.message().find("disk 2 full"), std::string::npos) << full.message();
  EXPECT_EQ(store->stat("/two").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->used_bytes(), 1064U);

  const auto bigger = pattern(1936, 12);  // exactly fills the disk in place of /one
  EXPECT_TRUE(store->put("/one", copy_record(bigger, 2), bigger).is_ok());
  EXPECT_EQ(store->used_bytes(), 2000U);
  EXPECT_EQ(store->put("/three", tombstone_record(1), {}).code(), StatusCode::kRefused);
  EXPECT_TRUE(store->put("/one", tombstone_record(3), {}).is_ok()) << "a tombstone in place frees space";
  EXPECT_EQ(store->used_bytes(), kRecordBytes);
  EXPECT_EQ(entries_in(root() / "tmp"), 0U);
}

TEST_F(DiskStoreTest, OsErrorsAreIoErrorsNamingOperationAndPath) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  fs::remove(root() / "tmp");
  const auto bytes = pattern(100, 18);
  const Status s = store->put("/f", copy_record(bytes, 1), bytes);
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find("open " + (root() / "tmp").native() + "/"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("No such file or directory"), std::string::npos) << s.message();
  EXPECT_EQ(store->used_bytes(), 0U) << "a failed put gives its reservation back";
  EXPECT_EQ(store->stat("/f").status().code(), StatusCode::kNotFound);
}

// ---- open and identity ----

TEST_F(DiskStoreTest, ReopenCountsUsedBytesAgain) {
  {
    auto store = open_store();
    ASSERT_NE(store, nullptr);
    const auto a = pattern(700, 13), b = pattern(300, 14);
    ASSERT_TRUE(store->put("/d/a", copy_record(a, 1), a).is_ok());
    ASSERT_TRUE(store->put("/d/e/b", copy_record(b, 1), b).is_ok());
    ASSERT_TRUE(store->put("/t", tombstone_record(1), {}).is_ok());
    EXPECT_EQ(store->used_bytes(), 1000U + 3 * kRecordBytes);
  }
  const std::vector<std::byte> attr = read_record_attr(data("/d/a"));
  write_record_attr(data("/d/a"), std::span(attr).first(10));  // a rotten record counts its own 64 bytes
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->used_bytes(), 300U + 3 * kRecordBytes);
  EXPECT_EQ(store->read("/d/e/b")->payload, pattern(300, 14));
}

TEST_F(DiskStoreTest, OpenEmptiesTmp) {
  ASSERT_NE(open_store(), nullptr);
  write_plain(root() / "tmp" / "17.data", pattern(10, 15));
  fs::create_directory(root() / "tmp" / "stray");
  write_plain(root() / "tmp" / "stray" / "x", pattern(10, 15));
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(entries_in(root() / "tmp"), 0U);
}

TEST_F(DiskStoreTest, RefusesAnotherIdentityOrFormat) {
  ASSERT_NE(open_store(), nullptr);
  auto refusal = [&](uint32_t node, uint32_t disk) {
    Result<std::unique_ptr<DiskStore>> s = DiskStore::open(root(), node, disk, kCapacityBytes);
    EXPECT_EQ(s.status().code(), StatusCode::kRefused);
    return s.status().message();
  };
  EXPECT_NE(refusal(4, 2).find("belongs to node 3 disk 2, not node 4 disk 2"), std::string::npos)
      << refusal(4, 2);
  EXPECT_NE(refusal(3, 1).find("not node 3 disk 1"), std::string::npos);
  write_plain(root() / "CAIRN-DISK", bytes_of("cairn-disk 3\nnode 3\ndisk 2\n"));
  EXPECT_NE(refusal(3, 2).find("disk format 3"), std::string::npos) << refusal(3, 2);
  write_plain(root() / "CAIRN-DISK", bytes_of("cairn-disk 1\nnode 3\n\x01"));
  EXPECT_NE(refusal(3, 2).find("not a Cairn disk identity"), std::string::npos) << refusal(3, 2);
}

TEST_F(DiskStoreTest, RefusesToFormatAForeignDirectory) {
  fs::create_directories(root());
  write_plain(root() / "photo.jpg", pattern(10, 16));
  Result<std::unique_ptr<DiskStore>> s = DiskStore::open(root(), 3, 2, kCapacityBytes);
  EXPECT_EQ(s.status().code(), StatusCode::kRefused);
  EXPECT_NE(s.status().message().find("photo.jpg"), std::string::npos) << s.status().message();
  EXPECT_FALSE(fs::exists(root() / "CAIRN-DISK"));
  EXPECT_EQ(read_plain(root() / "photo.jpg"), pattern(10, 16));

  write_plain(tmp_.path() / "plain", pattern(1, 1));
  EXPECT_EQ(DiskStore::open(tmp_.path() / "plain", 3, 2, kCapacityBytes).status().code(), StatusCode::kRefused);
}

TEST_F(DiskStoreTest, OneOwnerAtATime) {
  auto first = open_store();
  ASSERT_NE(first, nullptr);
  Result<std::unique_ptr<DiskStore>> second = DiskStore::open(root(), 3, 2, kCapacityBytes);
  EXPECT_EQ(second.status().code(), StatusCode::kRefused) << "it would empty the first one's tmp/";
  first.reset();
  EXPECT_NE(open_store(), nullptr);
}

// ---- listing ----

TEST_F(DiskStoreTest, ListsByStringPrefixInPathOrder) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const std::vector<std::string> paths = {"/2026/1/a", "/2026/10/b", "/2026/1x",  "/2026/2/c",
                                          "/2026-old/d", "/2027/e",   "/a/b",      "/a-c"};
  for (const std::string& p : paths) {
    const auto bytes = bytes_of(p);
    ASSERT_TRUE(store->put(p, copy_record(bytes, 1), bytes).is_ok()) << p;
  }
  ASSERT_TRUE(store->put("/2026/3", tombstone_record(2), {}).is_ok());
  auto list = [&](std::string_view prefix, size_t limit = 100) {
    Result<DiskStore::Listing> l = store->list(prefix, limit);
    EXPECT_TRUE(l) << prefix << ": " << l.status().message();
    return l ? *l : DiskStore::Listing{};
  };
  std::vector<std::string> all = paths;
  all.push_back("/2026/3");
  std::sort(all.begin(), all.end());
  EXPECT_EQ(paths_of(list("/")), all);
  EXPECT_EQ(all.front(), "/2026-old/d") << "byte order: '-' sorts before '/'";
  EXPECT_EQ(paths_of(list("/2026/")),
            (std::vector<std::string>{"/2026/1/a", "/2026/10/b", "/2026/1x", "/2026/2/c", "/2026/3"}));
  EXPECT_EQ(paths_of(list("/2026/1")), (std::vector<std::string>{"/2026/1/a", "/2026/10/b", "/2026/1x"}));
  EXPECT_EQ(paths_of(list("/2026")).size(), 6U);
  EXPECT_EQ(paths_of(list("/2026/1/a")), std::vector<std::string>{"/2026/1/a"});
  EXPECT_TRUE(list("/2026/1/a/").entries.empty());
  EXPECT_TRUE(list("/nothing/").entries.empty());
  const DiskStore::Listing tomb = list("/2026/3");
  ASSERT_EQ(tomb.entries.size(), 1U);
  EXPECT_TRUE(tomb.entries[0].record.tombstone);

  const DiskStore::Listing first3 = list("/", 3);
  EXPECT_EQ(paths_of(first3), std::vector<std::string>(all.begin(), all.begin() + 3));
  EXPECT_TRUE(first3.truncated);
  EXPECT_FALSE(list("/", all.size()).truncated);
  EXPECT_TRUE(list("/", 0).truncated);
  EXPECT_FALSE(list("/nothing", 0).truncated);

  for (const char* bad : {"", "2026/", "/../", "/a//b", "/./x"}) {
    EXPECT_EQ(store->list(bad, 10).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

// ---- paths ----

TEST(ValidatePath, AcceptsArchivePathsOnly) {
  for (std::string_view bad : {"", "a/b", "/", "/a/../b", "/..", "/a/./b", "/a//b", "/a/", "//"}) {
    EXPECT_EQ(validate_path(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(validate_path(std::string_view("/a\0b", 4)).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(validate_path("/" + std::string(256, 'c')).code(), StatusCode::kInvalidArgument);
  std::string longest;
  for (int i = 0; i < 16; ++i) longest += "/" + std::string(255, 'c');
  EXPECT_EQ(longest.size(), 4096U);
  EXPECT_TRUE(validate_path(longest).is_ok());
  EXPECT_EQ(validate_path(longest + "/c").code(), StatusCode::kInvalidArgument);
  for (std::string_view good : {"/a", "/a/b.c", "/..a", "/a..", "/.hidden", "/2026/11/25/CT/IM 0001.dcm"}) {
    EXPECT_TRUE(validate_path(good).is_ok()) << good;
  }
}

TEST_F(DiskStoreTest, EveryOperationValidatesItsPath) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  for (std::string_view bad : {"relative", "/", "/a/../../escape", "/a//b"}) {
    EXPECT_EQ(store->put(bad, tombstone_record(1), {}).code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(store->stat(bad).status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(store->read(bad).status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(store->remove(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(fs::exists(tmp_.path() / "escape"));
}

TEST_F(DiskStoreTest, RefusesPathsThatCollideWithStoredFiles) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const auto bytes = pattern(10, 17);
  ASSERT_TRUE(store->put("/a", copy_record(bytes, 1), bytes).is_ok());
  const Status under_file = store->put("/a/b", copy_record(bytes, 1), bytes);
  EXPECT_EQ(under_file.code(), StatusCode::kRefused);
  EXPECT_NE(under_file.message().find("\"/a\" is a file"), std::string::npos) << under_file.message();

  ASSERT_TRUE(store->put("/x/y", copy_record(bytes, 1), bytes).is_ok());
  const Status over_dir = store->put("/x", copy_record(bytes, 1), bytes);
  EXPECT_EQ(over_dir.code(), StatusCode::kRefused);
  EXPECT_NE(over_dir.message().find("is a directory"), std::string::npos) << over_dir.message();
  EXPECT_EQ(store->stat("/x").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->used_bytes(), 2 * (10 + kRecordBytes));
  EXPECT_EQ(entries_in(root() / "tmp"), 0U);
}

}  // namespace
}  // namespace cairn::testing_disk

namespace cairn::testing_disk {
namespace {

// Snapshots on one disk (engine/snapshot.h rules, carried out by the store).
const Snapshot kSnap{"s1", "/ct/", 1, 5};  // versions up to 5 are in it

TEST_F(DiskStoreTest, KeepsTheVersionASnapshotSeesWhenItIsOverwrittenOrDeleted) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->set_snapshots({kSnap}).is_ok());
  const auto a1 = pattern(700, 1), a2 = pattern(800, 2), a3 = pattern(900, 3), b = pattern(100, 4);
  ASSERT_TRUE(store->put("/ct/a", copy_record(a1, 2), a1).is_ok());
  ASSERT_TRUE(store->put("/ct/a", copy_record(a2, 4), a2).is_ok());  // before the cut: nothing kept
  EXPECT_EQ(store->preserved_usage(kSnap).files, 0U);
  ASSERT_TRUE(store->put("/ct/a", copy_record(a3, 7), a3).is_ok());  // after it: version 4 kept
  ASSERT_TRUE(store->put("/ct/b", copy_record(b, 3), b).is_ok());
  ASSERT_TRUE(store->put("/ct/b", tombstone_record(8), {}).is_ok());  // a delete keeps version 3
  ASSERT_TRUE(store->put("/ct/a", copy_record(a1, 9), a1).is_ok());  // a second overwrite keeps nothing more
  ASSERT_TRUE(store->put("/mr/c", copy_record(b, 1), b).is_ok());
  ASSERT_TRUE(store->put("/mr/c", copy_record(a1, 9), a1).is_ok());  // outside the prefix
  EXPECT_EQ(store->preserved_usage(kSnap).files, 2U);
  EXPECT_EQ(store->preserved_usage(kSnap).bytes, 800U + 100 + 2 * kRecordBytes);
  EXPECT_EQ(store->used_bytes(), 700U + kRecordBytes + kRecordBytes + 700 + kRecordBytes + 800 + 100 + 2 * kRecordBytes);

  auto a = store->read_snapshot(kSnap, "/ct/a", false);
  ASSERT_TRUE(a.is_ok()) << a.status().message();
  EXPECT_EQ(a->payload, a2);
  EXPECT_EQ(a->record.version, 4U);
  auto b_seen = store->read_snapshot(kSnap, "/ct/b", true);
  ASSERT_TRUE(b_seen.is_ok()) << b_seen.status().message();
  EXPECT_EQ(b_seen->record.version, 3U);
  EXPECT_TRUE(b_seen->payload.empty());
  // The live view is untouched.
  EXPECT_EQ(store->read("/ct/a")->payload, a1);
  EXPECT_TRUE(store->stat("/ct/b")->tombstone);
  // Newer than the snapshot, or outside it.
  ASSERT_TRUE(store->put("/ct/new", copy_record(b, 6), b).is_ok());
  EXPECT_EQ(store->read_snapshot(kSnap, "/ct/new", false).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->read_snapshot(kSnap, "/ct/none", false).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->read_snapshot(kSnap, "/mr/c", false).status().code(), StatusCode::kInvalidArgument);
  // Unchanged since the cut: the current version.
  ASSERT_TRUE(store->put("/ct/same", copy_record(b, 5), b).is_ok());
  EXPECT_EQ(store->read_snapshot(kSnap, "/ct/same", false)->payload, b);
}

TEST_F(DiskStoreTest, PreservedVersionsSurviveReopenAndAreFreedWithTheirSnapshot) {
  const auto a1 = pattern(700, 1), a2 = pattern(800, 2);
  const Snapshot other{"s2", "/", 1, 5};
  uint64_t used_before = 0;
  {
    auto store = open_store();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->put("/ct/a", copy_record(a1, 2), a1).is_ok());
    used_before = store->used_bytes();
    ASSERT_TRUE(store->set_snapshots({kSnap, other}).is_ok());
    ASSERT_TRUE(store->put("/ct/a", copy_record(a2, 7), a2).is_ok());  // kept for both
    EXPECT_EQ(store->preserved_usage(kSnap).files, 1U);
    EXPECT_EQ(store->preserved_usage(other).files, 1U);
  }
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->preserved_usage(kSnap).files, 1U);
  EXPECT_EQ(store->preserved_usage(kSnap).bytes, 700U + kRecordBytes);
  EXPECT_EQ(store->used_bytes(), 800 + kRecordBytes + 2 * (700 + kRecordBytes));
  ASSERT_TRUE(store->set_snapshots({kSnap, other}).is_ok());
  EXPECT_EQ(store->read_snapshot(other, "/ct/a", false)->payload, a1);
  // Deleting one snapshot frees its copy only.
  ASSERT_TRUE(store->set_snapshots({other}).is_ok());
  EXPECT_EQ(store->preserved_usage(kSnap).files, 0U);
  EXPECT_FALSE(fs::exists(root() / "preserved" / DiskStore::preserved_key(kSnap)));
  EXPECT_EQ(store->read_snapshot(other, "/ct/a", false)->payload, a1);
  ASSERT_TRUE(store->set_snapshots({}).is_ok());
  EXPECT_EQ(entries_in(root() / "preserved"), 0U);
  EXPECT_EQ(store->used_bytes(), used_before - (700 + kRecordBytes) + (800 + kRecordBytes));
  // A snapshot of the same name but another cut never sees the old one's copies.
  EXPECT_NE(DiskStore::preserved_key(Snapshot{"s1", "/ct/", 1, 6}), DiskStore::preserved_key(kSnap));
}

TEST_F(DiskStoreTest, AFullDiskRefusesTheOverwriteRatherThanDropTheSnapshotsVersion) {
  const auto a1 = pattern(700, 1), a2 = pattern(800, 2);
  auto store = open_store(700 + kRecordBytes + 700);  // room for the overwrite, not for both
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->put("/ct/a", copy_record(a1, 2), a1).is_ok());
  ASSERT_TRUE(store->set_snapshots({kSnap}).is_ok());
  Status st = store->put("/ct/a", copy_record(a2, 7), a2);
  EXPECT_EQ(st.code(), StatusCode::kRefused) << st.message();
  EXPECT_EQ(store->read("/ct/a")->payload, a1);
  EXPECT_EQ(store->preserved_usage(kSnap).files, 0U);
  EXPECT_EQ(store->used_bytes(), 700U + kRecordBytes);
}

}  // namespace
}  // namespace cairn::testing_disk
