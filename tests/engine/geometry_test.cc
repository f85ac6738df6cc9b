// Fragment geometry: golden numbers for typical (scheme, size) pairs, the
// small-file policy's crossover, and invariants over many sizes.
#include "engine/geometry.h"

#include <gtest/gtest.h>

#include "engine/random.h"

namespace cairn {
namespace {

Scheme scheme_of(std::string_view text) {
  Result<Scheme> s = Scheme::parse(text);
  CAIRN_ASSERT(s.is_ok());
  return *s;
}

FileGeometry geometry_of(std::string_view scheme, uint64_t file_bytes) {
  Result<FileGeometry> g = file_geometry(scheme_of(scheme), file_bytes);
  CAIRN_ASSERT(g.is_ok());
  return *g;
}

constexpr uint64_t round_up(uint64_t v, uint64_t unit) {
  return (v + unit - 1) / unit * unit;
}

TEST(Geometry, PinnedConstants) {
  EXPECT_EQ(kGeometryVersion, 1U);
  EXPECT_EQ(kFragmentAlignmentBytes, 64U);
  EXPECT_EQ(kMemberRecordBytes, 64U);
  EXPECT_EQ(kDiskBlockBytes, 4096U);
}

struct Golden {
  const char* scheme;
  uint64_t file_bytes;
  StorageForm form;
  uint64_t fragment_bytes;
  uint32_t members_used;
  uint64_t stored_bytes_total;
  uint64_t allocated_bytes_total;
};

constexpr StorageForm kEc = StorageForm::kErasureCoded;
constexpr StorageForm kCopies = StorageForm::kReplicated;

TEST(Geometry, GoldenTotals) {
  const Golden golden[] = {
      {"ec:8+3", 4096, kCopies, 4096, 4, 16640, 32768},
      {"ec:8+3", 8128, kCopies, 8128, 4, 32768, 32768},  // last size stored as copies
      {"ec:8+3", 8129, kEc, 1024, 11, 11968, 45056},
      {"ec:8+3", 100000, kEc, 12544, 11, 138688, 180224},
      {"ec:8+3", 102400, kEc, 12800, 11, 141504, 180224},
      {"ec:8+3", 300000, kEc, 37504, 11, 413248, 450560},
      {"ec:8+3", 307200, kEc, 38400, 11, 423104, 450560},
      {"ec:8+3", 512000, kEc, 64000, 11, 704704, 720896},
      {"ec:8+3", 524288, kEc, 65536, 11, 721600, 765952},  // the record costs a 17th block
      {"ec:4+2", 0, kCopies, 0, 3, 192, 12288},
      {"ec:4+2", 5000, kCopies, 5056, 3, 15360, 24576},  // a tie goes to copies
      {"ec:4+2", 1048576, kEc, 262144, 6, 1573248, 1597440},
      {"ec:10+4", 1000000, kEc, 100032, 14, 1401344, 1433600},
      {"replica:3", 100000, kCopies, 100032, 3, 300288, 307200},
      {"replica:1", 1, kCopies, 64, 1, 128, 4096},
  };
  for (const Golden& want : golden) {
    SCOPED_TRACE(std::string(want.scheme) + " " + std::to_string(want.file_bytes));
    FileGeometry g = geometry_of(want.scheme, want.file_bytes);
    EXPECT_EQ(g.form, want.form);
    EXPECT_EQ(g.fragment_bytes, want.fragment_bytes);
    EXPECT_EQ(g.members_used, want.members_used);
    EXPECT_EQ(g.stored_bytes_total, want.stored_bytes_total);
    EXPECT_EQ(g.allocated_bytes_total, want.allocated_bytes_total);
  }
}

TEST(Geometry, GoldenMembersEc8Plus3At100000) {
  FileGeometry g = geometry_of("ec:8+3", 100000);
  const MemberGeometry full{MemberRole::kData, 12544, 0, 64, 12608, 16384};
  for (uint32_t i = 0; i < 7; ++i) EXPECT_EQ(g.members[i], full) << "member " << i;
  EXPECT_EQ(g.members[7], (MemberGeometry{MemberRole::kData, 12192, 352, 64, 12608, 16384}));
  for (uint32_t i = 8; i < 11; ++i)
    EXPECT_EQ(g.members[i], (MemberGeometry{MemberRole::kParity, 12544, 0, 64, 12608, 16384}));
  EXPECT_EQ(g.members[11], MemberGeometry{});
}

TEST(Geometry, GoldenMembersSmallFileAsCopies) {
  FileGeometry g = geometry_of("ec:8+3", 4096);
  for (uint32_t i = 0; i < 4; ++i)
    EXPECT_EQ(g.members[i], (MemberGeometry{MemberRole::kCopy, 4096, 0, 64, 4160, 8192}));
  for (uint32_t i = 4; i < 11; ++i) EXPECT_EQ(g.members[i], MemberGeometry{}) << "member " << i;
}

TEST(Geometry, GoldenMembersEc10Plus4LastDataMember) {
  FileGeometry g = geometry_of("ec:10+4", 1000000);
  EXPECT_EQ(g.members[9], (MemberGeometry{MemberRole::kData, 99712, 320, 64, 100096, 102400}));
}

TEST(Geometry, Ec8Plus3CrossoverIsAt8128Bytes) {
  for (uint64_t f = 0; f <= 200000; ++f) {
    StorageForm want = f <= 8128 ? kCopies : kEc;
    ASSERT_EQ(geometry_of("ec:8+3", f).form, want) << f << " bytes";
  }
}

// Checks one geometry against the header's contract, computed independently.
void check_invariants(const Scheme& s, uint64_t f) {
  SCOPED_TRACE(s.to_string() + " " + std::to_string(f));
  FileGeometry g = *file_geometry(s, f);
  const uint64_t copy_slot = round_up(f, 64);
  const uint64_t ec_slot = round_up((f + s.k - 1) / s.k, 64);
  const uint64_t copies_alloc = (s.m + 1) * round_up(copy_slot + 64, 4096);
  const uint64_t ec_alloc = s.width() * round_up(ec_slot + 64, 4096);
  const bool copies = s.is_replica() || copies_alloc <= ec_alloc;
  ASSERT_EQ(g.form, copies ? kCopies : kEc);
  ASSERT_EQ(g.fragment_bytes, copies ? copy_slot : ec_slot);
  ASSERT_EQ(g.members_used, copies ? s.m + 1 : s.width());
  uint64_t data_payload = 0, stored = 0, allocated = 0;
  for (uint32_t i = 0; i < Scheme::kMaxWidth; ++i) {
    const MemberGeometry& mg = g.members[i];
    if (i >= g.members_used) {
      ASSERT_EQ(mg, MemberGeometry{});
      continue;
    }
    ASSERT_EQ(mg.payload_bytes + mg.padding_bytes, g.fragment_bytes);
    ASSERT_EQ(mg.stored_bytes, g.fragment_bytes + 64);
    ASSERT_EQ(mg.allocated_bytes, round_up(mg.stored_bytes, 4096));
    if (mg.role == MemberRole::kCopy) {
      ASSERT_EQ(mg.payload_bytes, f);
    }
    if (mg.role == MemberRole::kData) data_payload += mg.payload_bytes;
    stored += mg.stored_bytes;
    allocated += mg.allocated_bytes;
  }
  if (!copies) {
    ASSERT_EQ(data_payload, f);
  }
  ASSERT_EQ(g.stored_bytes_total, stored);
  ASSERT_EQ(g.allocated_bytes_total, allocated);
  MemberBytes mb = *member_bytes(s, f);
  for (uint32_t i = 0; i < Scheme::kMaxWidth; ++i) {
    ASSERT_EQ(mb.stored_bytes[i], g.members[i].stored_bytes);
    ASSERT_EQ(mb.allocated_bytes[i], g.members[i].allocated_bytes);
  }
}

TEST(Geometry, InvariantsOverManySizes) {
  SplitMix64 rng(0x6E0);
  for (auto name : {"ec:4+2", "ec:8+3", "ec:10+4", "ec:1+2", "ec:16+16", "replica:3"}) {
    const Scheme s = scheme_of(name);
    for (uint64_t f = 0; f < 20000; f += 7) check_invariants(s, f);
    for (int i = 0; i < 2000; ++i) check_invariants(s, rng.below(uint64_t{1} << 32));
    check_invariants(s, kFileBytesMax);
  }
}

TEST(Geometry, RejectsInvalidInput) {
  EXPECT_EQ(file_geometry(Scheme::erasure(0, 2), 10).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(file_geometry(Scheme::erasure(30, 3), 10).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(file_geometry(Scheme::erasure(8, 3), kFileBytesMax + 1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(member_bytes(Scheme::erasure(0, 2), 10).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cairn
