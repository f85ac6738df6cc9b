// Helpers shared by the DiskStore tests: a fresh temporary directory per test,
// deterministic payloads, records that match them, and plain-file access to
// a store's directory for the tests that inspect or damage it.
#pragma once
#include <gtest/gtest.h>
#include <sys/xattr.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cluster-ref/store/disk_format.h"
#include "cluster-ref/store/disk_store.h"
#include "engine/checksum.h"
#include "engine/random.h"

namespace cairn::testing_disk {

namespace fs = std::filesystem;

// mkdtemp under $TMPDIR (or /tmp); removed with everything in it afterwards.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/cairn-disk-XXXXXX";
    CAIRN_ASSERT(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The seed for the randomised tests; printed so a failure can be replayed.
inline uint64_t test_seed() {
  static const uint64_t seed = [] {
    const char* env = std::getenv("CAIRN_TEST_SEED");
    const uint64_t s = env != nullptr ? std::strtoull(env, nullptr, 0) : 0xD15C5EEDULL;
    std::cout << "disk_store_test seed=" << s << " (replay with CAIRN_TEST_SEED=" << s << ")\n";
    return s;
  }();
  return seed;
}

inline std::vector<std::byte> random_bytes(SplitMix64& rng, size_t n) {
  std::vector<std::byte> out(n);
  for (std::byte& b : out) b = static_cast<std::byte>(rng.next() & 0xff);
  return out;
}

// `n` bytes that differ for each `salt`, without a generator.
inline std::vector<std::byte> pattern(size_t n, uint32_t salt) {
  std::vector<std::byte> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<std::byte>((i * 31 + salt * 7 + i / 251) & 0xff);
  return out;
}

inline std::vector<std::byte> bytes_of(std::string_view text) {
  const auto* p = reinterpret_cast<const std::byte*>(text.data());
  return {p, p + text.size()};
}

constexpr int64_t kMtimeNs = 1'764'000'000'000'000'000LL;  // 2025-11-24

// Member `member` of a replica:3 group holding a whole copy of `file`.
inline FileRecord copy_record(std::span<const std::byte> file, uint64_t version, uint8_t member = 0) {
  FileRecord r;
  r.member = member;
  r.scheme = Scheme::replica(3);
  r.form = StorageForm::kReplicated;
  r.group = 7;
  r.version = version;
  r.file_bytes = file.size();
  r.mtime_ns = kMtimeNs + static_cast<int64_t>(version);
  r.file_crc = crc32c(file);
  r.payload_crc = r.file_crc;
  r.payload_bytes = static_cast<uint32_t>(file.size());
  return r;
}

// Member `member` of an ec:4+2 group holding `fragment` of a file of
// `file_bytes` bytes with CRC `file_crc`.
inline FileRecord fragment_record(std::span<const std::byte> fragment, uint64_t file_bytes, uint32_t file_crc,
                                  uint8_t member, uint64_t version) {
  FileRecord r;
  r.member = member;
  r.scheme = Scheme::erasure(4, 2);
  r.form = StorageForm::kErasureCoded;
  r.group = 9;
  r.version = version;
  r.file_bytes = file_bytes;
  r.mtime_ns = kMtimeNs + static_cast<int64_t>(version);
  r.file_crc = file_crc;
  r.payload_crc = crc32c(fragment);
  r.payload_bytes = static_cast<uint32_t>(fragment.size());
  return r;
}

inline FileRecord tombstone_record(uint64_t version) {
  FileRecord r;
  r.tombstone = true;
  r.scheme = Scheme::replica(3);
  r.group = 7;
  r.version = version;
  r.mtime_ns = kMtimeNs + static_cast<int64_t>(version);
  return r;
}

inline std::vector<std::byte> read_plain(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<char> chars{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto* p = reinterpret_cast<const std::byte*>(chars.data());
  return {p, p + chars.size()};
}

inline void write_plain(const fs::path& file, std::span<const std::byte> bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// The record attribute of a data file; empty when it has none.
inline std::vector<std::byte> read_record_attr(const fs::path& file) {
  std::vector<std::byte> value(1024);
  const ssize_t n = ::getxattr(file.c_str(), disk_format::kRecordAttrName, value.data(), value.size());
  value.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return value;
}

// Replaces (or, given nothing, removes) the record attribute of a data file.
inline void write_record_attr(const fs::path& file, std::span<const std::byte> value) {
  const int rc = value.empty() ? ::removexattr(file.c_str(), disk_format::kRecordAttrName)
                               : ::setxattr(file.c_str(), disk_format::kRecordAttrName, value.data(), value.size(), 0);
  CAIRN_ASSERT(rc == 0);
}

inline size_t entries_in(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

// A store in a fresh directory, as node 3 disk 2 unless a test says otherwise.
class DiskStoreTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kCapacityBytes = uint64_t{1} << 30;

  fs::path root() const { return tmp_.path() / "disk"; }
  fs::path data(std::string_view path) const { return root() / "data" / path.substr(1); }
  fs::path tombstone(std::string_view path) const { return root() / "tombstones" / path.substr(1); }

  // nullptr (and a test failure) when the store does not open.
  std::unique_ptr<DiskStore> open_store(uint64_t capacity_bytes = kCapacityBytes, uint32_t node = 3,
                                        uint32_t disk = 2) {
    Result<std::unique_ptr<DiskStore>> store = DiskStore::open(root(), node, disk, capacity_bytes);
    if (!store) {
      ADD_FAILURE() << "open " << root() << ": " << store.status().message();
      return nullptr;
    }
    return std::move(*store);
  }

  TempDir tmp_;
};

}  // namespace cairn::testing_disk
