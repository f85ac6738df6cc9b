// Wire messages: one golden encoding of every message struct, pinned field by
// field; round trips; and every way a payload can lie — truncation, trailing
// bytes, bool bytes other than 0/1, unknown codes, limits, and declared
// lengths or counts past the end, which must fail before anything is
// allocated for them.
#include "cluster-ref/formats/messages.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "cluster-ref/formats/codec_io.h"
#include "tests/cluster/alloc_probe.h"
#include "tests/cluster/hex.h"
#include "tests/cluster/sample_record.h"

namespace cairn::wire {
namespace {

using cairn::testing::AllocationProbe;
using cairn::testing::hex;
using cairn::testing::unhex;

using testing::sample_record;
// Field lists, so that decoded messages compare member by member.
auto fields(const ErrorReply& m) { return std::tie(m.code, m.message, m.epoch); }
auto fields(const MapRequest& m) { return std::tie(m.epoch); }
auto fields(const MapReply& m) { return std::tie(m.epoch, m.cluster_yaml); }
auto fields(const PutRequest& m) { return std::tie(m.epoch, m.path, m.mtime_ns, m.data); }
auto fields(const PutReply& m) { return std::tie(m.version, m.group, m.written, m.owed); }
auto fields(const StoreRequest& m) {
  return std::tie(m.epoch, m.path, m.disk, m.record, m.payload);
}
auto fields(const ReadRequest& m) { return std::tie(m.epoch, m.path, m.disk, m.record_only); }
auto fields(const ReadReply& m) { return std::tie(m.record, m.payload); }
auto fields(const DeleteRequest& m) { return std::tie(m.epoch, m.path); }
auto fields(const RemoveRequest& m) { return std::tie(m.epoch, m.path, m.disk); }
auto fields(const ListRequest& m) { return std::tie(m.epoch, m.prefix, m.only_group, m.group); }
auto fields(const ListReply& m) { return std::tie(m.entries, m.truncated); }
auto fields(const StatusReply& m) { return std::tie(m.json); }
auto fields(const ScrubRequest& m) { return std::tie(m.unpaced); }
auto fields(const ScrubReply& m) { return std::tie(m.pass); }
auto fields(const InstallMapRequest& m) { return std::tie(m.epoch, m.cluster_yaml); }
auto fields(const BypassGovernanceRequest& m) { return std::tie(m.epoch, m.cluster_yaml, m.reason); }
auto fields(const SnapshotReadRequest& m) {
  return std::tie(m.epoch, m.path, m.disk, m.record_only, m.snapshot);
}

std::vector<std::byte> blob(std::initializer_list<uint8_t> values) {
  std::vector<std::byte> out;
  for (uint8_t v : values) out.push_back(std::byte{v});
  return out;
}

struct Golden {
  std::string name;
  std::vector<std::byte> bytes;  // encode() of the instance
  std::string hex;               // pinned by hand, field by field
  // Decodes `payload`; on success checks it equals the instance.
  std::function<Status(std::span<const std::byte> payload, bool* same)> decode;
};

template <class M>
Golden golden(std::string name, const M& m, std::string pinned_hex) {
  return {std::move(name), m.encode(), std::move(pinned_hex),
          [m](std::span<const std::byte> payload, bool* same) -> Status {
            auto r = M::decode(payload);
            if (same != nullptr) *same = r.is_ok() && fields(*r) == fields(m);
            return r.status();
          }};
}

// Version 1 of every message. Changing any of these breaks deployed nodes:
// add a message type instead. Integers are little-endian; strings and blobs
// are a u32 length then the bytes.
std::vector<Golden> goldens() {
  const FileRecord rec = sample_record();
  const std::string rec_hex =  // the record's 64 bytes, as record_test.cc pins them
      "43524543" "0100" "00" "04" "01" "04" "02" "00" "07000000"
      "7b00ca67a7fc7a18" "0000040000000000" "0000ca67a7fc7a18" "0000000000000000"
      "efbeadde" "67452301" "00000100" "52abdddb";
  return {
      golden("ErrorReply", ErrorReply{StatusCode::kStaleEpoch, "stale", 42},
             "08"                     // code: kStaleEpoch (8)
             "05000000" "7374616c65"  // message: "stale"
             "2a00000000000000"),     // epoch 42
      golden("MapRequest", MapRequest{7}, "0700000000000000"),  // epoch 7
      golden("MapReply", MapReply{9, "a: 1\n"},
             "0900000000000000"            // epoch 9
             "05000000" "613a20310a"),     // cluster_yaml: "a: 1\n"
      golden("PutRequest", PutRequest{3, "/a/b", -2, blob({0xde, 0xad})},
             "0300000000000000"       // epoch 3
             "04000000" "2f612f62"    // path: "/a/b"
             "feffffffffffffff"       // mtime_ns -2 (two's complement)
             "02000000" "dead"),      // data
      golden("PutReply", PutReply{0x1122334455667788ULL, 7, 0b101, 0b010},
             "8877665544332211"  // version
             "07000000"          // group 7
             "05000000"          // written: members 0 and 2
             "02000000"),        // owed: member 1
      // The record and payload are not checked against each other here: that
      // is the receiving node's business, not the format's.
      golden("StoreRequest", StoreRequest{4, "/x", 3, rec, blob({1, 2, 3})},
             "0400000000000000"          // epoch 4
             "02000000" "2f78"           // path: "/x"
             "03000000" +                // disk 3
                 rec_hex +               // record: 64 bytes
                 "03000000" "010203"),   // payload
      golden("ReadRequest", ReadRequest{5, "/x", 2, true},
             "0500000000000000"  // epoch 5
             "02000000" "2f78"   // path: "/x"
             "02000000"          // disk 2
             "01"),              // record_only: true
      golden("ReadReply", ReadReply{rec, blob({0xff})},
             rec_hex +                // record: 64 bytes
                 "01000000" "ff"),    // payload
      golden("DeleteRequest", DeleteRequest{6, "/d"},
             "0600000000000000"   // epoch 6
             "02000000" "2f64"),  // path: "/d"
      golden("RemoveRequest", RemoveRequest{8, "/r", 3},
             "0800000000000000"   // epoch 8
             "02000000" "2f72"    // path: "/r"
             "03000000"),         // disk 3
      golden("ListRequest", ListRequest{7, "/", true, 9},
             "0700000000000000"  // epoch 7
             "01000000" "2f"     // prefix: "/"
             "01"                // only_group: true
             "09000000"),        // group 9
      golden("ListReply", ListReply{{{"/p", 1, rec}, {"/q", 2, rec}}, true},
             "02000000"                          // 2 entries
             "02000000" "2f70" "01000000" +      // "/p", disk 1,
                 rec_hex +                       //   record
                 "02000000" "2f71" "02000000" +  // "/q", disk 2,
                 rec_hex +                       //   record
                 "01"),                          // truncated: true
      golden("StatusReply", StatusReply{"{}"},
             "02000000" "7b7d"),  // json: "{}"
      golden("ScrubRequest", ScrubRequest{true},
             "01"),  // unpaced: true
      golden("ScrubReply", ScrubReply{5},
             "0500000000000000"),  // pass 5
      golden("InstallMapRequest", InstallMapRequest{4, "x: 1"},
             "0400000000000000"      // epoch 4
             "04000000" "783a2031"),  // cluster_yaml: "x: 1"
      golden("BypassGovernanceRequest", BypassGovernanceRequest{5, "x: 1", "dr"},
             "0500000000000000"       // epoch 5
             "04000000" "783a2031"    // cluster_yaml: "x: 1"
             "02000000" "6472"),      // reason: "dr"
      golden("SnapshotReadRequest", SnapshotReadRequest{9, "/x", 2, true, "s1"},
             "0900000000000000"  // epoch 9
             "02000000" "2f78"   // path: "/x"
             "02000000"          // disk 2
             "01"                // record_only: true
             "02000000" "7331"), // snapshot: "s1"
  };
}

TEST(Messages, GoldenBytes) {
  for (const Golden& g : goldens()) EXPECT_EQ(hex(g.bytes), g.hex) << g.name;
}

TEST(Messages, GoldenRoundTrips) {
  for (const Golden& g : goldens()) {
    bool same = false;
    Status s = g.decode(unhex(g.hex), &same);
    EXPECT_TRUE(s.is_ok()) << g.name << ": " << s.message();
    EXPECT_TRUE(same) << g.name;
  }
}

TEST(Messages, EveryTruncationIsCorrupt) {
  for (const Golden& g : goldens()) {
    for (size_t size = 0; size < g.bytes.size(); ++size) {
      Status s = g.decode(std::span(g.bytes).first(size), nullptr);
      EXPECT_EQ(s.code(), StatusCode::kCorrupt) << g.name << " cut to " << size;
    }
  }
}

TEST(Messages, TrailingBytesAreCorrupt) {
  for (const Golden& g : goldens()) {
    auto longer = g.bytes;
    longer.push_back(std::byte{0});
    Status s = g.decode(longer, nullptr);
    EXPECT_EQ(s.code(), StatusCode::kCorrupt) << g.name;
    EXPECT_NE(s.message().find("trailing"), std::string::npos) << s.message();
  }
}

TEST(Messages, DefaultsRoundTrip) {
  ErrorReply error;
  error.code = StatusCode::kNotFound;  // the one field with no valid default
  for (const Golden& g :
       {golden("ErrorReply", error, ""), golden("MapRequest", MapRequest{}, ""),
        golden("MapReply", MapReply{}, ""), golden("PutRequest", PutRequest{}, ""),
        golden("PutReply", PutReply{}, ""), golden("StoreRequest", StoreRequest{}, ""),
        golden("ReadRequest", ReadRequest{}, ""), golden("ReadReply", ReadReply{}, ""),
        golden("DeleteRequest", DeleteRequest{}, ""), golden("RemoveRequest", RemoveRequest{}, ""),
        golden("ListRequest", ListRequest{}, ""),
        golden("ListReply", ListReply{}, ""), golden("StatusReply", StatusReply{}, ""),
        golden("ScrubRequest", ScrubRequest{}, ""), golden("ScrubReply", ScrubReply{}, ""),
        golden("InstallMapRequest", InstallMapRequest{}, ""),
        golden("BypassGovernanceRequest", BypassGovernanceRequest{}, ""),
        golden("SnapshotReadRequest", SnapshotReadRequest{}, "")}) {
    bool same = false;
    Status s = g.decode(g.bytes, &same);
    EXPECT_TRUE(s.is_ok() && same) << g.name << ": " << s.message();
  }
}

// ---- field checks ----

TEST(Messages, BoolTwoIsCorrupt) {
  auto read = ReadRequest{5, "/x", 2, true}.encode();
  read.back() = std::byte{2};
  auto r = ReadRequest::decode(read);
  EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(r.status().message(), "ReadRequest.record_only: bool byte 2, expected 0 or 1");

  auto list = ListRequest{7, "/", true, 9}.encode();
  list[8 + 4 + 1] = std::byte{2};  // after epoch, prefix length and "/"
  EXPECT_EQ(ListRequest::decode(list).status().code(), StatusCode::kCorrupt);

  auto reply = ListReply{{}, true}.encode();
  reply.back() = std::byte{0xff};
  EXPECT_EQ(ListReply::decode(reply).status().code(), StatusCode::kCorrupt);
}

TEST(Messages, SnapshotReadIsType23AndItsNameIsBounded) {
  EXPECT_EQ(static_cast<int>(MsgType::kSnapshotRead), 23);
  EXPECT_TRUE(is_known_type(23));
  EXPECT_FALSE(is_known_type(24));
  EXPECT_STREQ(to_string(MsgType::kSnapshotRead), "snapshot-read");
  auto over = SnapshotReadRequest::decode(SnapshotReadRequest{1, "/x", 0, false, std::string(65, 's')}.encode());
  EXPECT_EQ(over.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(over.status().message(), "SnapshotReadRequest.snapshot: 65 bytes, limit 64");
}

TEST(Messages, StringLimits) {
  auto over = PutRequest::decode(PutRequest{1, std::string(5000, 'p'), 0, {}}.encode());
  EXPECT_EQ(over.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(over.status().message(), "PutRequest.path: 5000 bytes, limit 4096");
  EXPECT_TRUE(PutRequest::decode(PutRequest{1, std::string(kPathBytesMax, 'p'), 0, {}}.encode()));

  auto message = [](size_t n) { return ErrorReply{StatusCode::kIoError, std::string(n, 'm'), 0}; };
  EXPECT_TRUE(ErrorReply::decode(message(kMessageBytesMax).encode()));
  EXPECT_EQ(ErrorReply::decode(message(kMessageBytesMax + 1).encode()).status().code(),
            StatusCode::kInvalidArgument);

  const std::string big(kClusterFileBytesMax + 1, 'y');
  EXPECT_EQ(MapReply::decode(MapReply{1, big}.encode()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusReply::decode(StatusReply{big}.encode()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(StatusReply::decode(StatusReply{big.substr(1)}.encode()));
  EXPECT_EQ(ListRequest::decode(ListRequest{1, std::string(kPathBytesMax + 1, '/'), false, 0}
                                    .encode())
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

// A PutRequest whose data declares `data_bytes` and carries `present` bytes.
std::vector<std::byte> put_declaring(uint32_t data_bytes, size_t present) {
  Writer out;
  out.u64(1);
  out.string("/a");
  out.i64(0);
  out.u32(data_bytes);
  auto bytes = std::move(out).take();
  bytes.resize(bytes.size() + present, std::byte{0x33});
  return bytes;
}

// Without this the allocation checks below would pass vacuously.
TEST(AllocationProbe, SeesAnAllocation) {
  AllocationProbe probe;
  std::vector<std::byte> big(1 << 20);
  EXPECT_GE(probe.largest_bytes(), big.size());
}

TEST(Messages, DeclaredLengthsAreCheckedBeforeAllocating) {
  {
    const auto payload = put_declaring(kFileBytesMax + 1, 3);
    AllocationProbe probe;
    auto r = PutRequest::decode(payload);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), "PutRequest.data: 268435457 bytes, limit 268435456");
    EXPECT_LT(probe.largest_bytes(), 1024U);
  }
  {
    const auto payload = put_declaring(kFileBytesMax, 3);
    AllocationProbe probe;
    auto r = PutRequest::decode(payload);
    EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
    EXPECT_EQ(r.status().message(), "PutRequest.data: needs 268435456 bytes, 3 left");
    EXPECT_LT(probe.largest_bytes(), 1024U);
  }
  EXPECT_TRUE(PutRequest::decode(put_declaring(3, 3)));
}

// A ListReply that declares `count` entries and carries `present` zero bytes.
std::vector<std::byte> list_declaring(uint32_t count, size_t present) {
  Writer out;
  out.count(count);
  auto bytes = std::move(out).take();
  bytes.resize(bytes.size() + present);
  return bytes;
}

TEST(Messages, ListCountsAreCheckedBeforeAllocating) {
  {
    const auto payload = list_declaring(kListEntriesMax + 1, 0);
    AllocationProbe probe;
    auto r = ListReply::decode(payload);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), "ListReply.entries: 100001 entries, limit 100000");
    EXPECT_LT(probe.largest_bytes(), 1024U);
  }
  {
    const auto payload = list_declaring(kListEntriesMax, 100);
    AllocationProbe probe;
    auto r = ListReply::decode(payload);
    EXPECT_EQ(r.status().code(), StatusCode::kCorrupt) << r.status().message();
    EXPECT_LT(probe.largest_bytes(), 1024U);
  }
}

TEST(Messages, AFullListRoundTrips) {
  ListReply full;
  for (uint32_t i = 0; i < kListEntriesMax; ++i) {
    full.entries.push_back({"/f" + std::to_string(i), i % 24, sample_record()});
  }
  full.truncated = true;
  auto back = ListReply::decode(full.encode());
  ASSERT_TRUE(back.is_ok()) << back.status().message();
  EXPECT_TRUE(fields(*back) == fields(full));
}

TEST(Messages, ErrorsInAListNameTheEntry) {
  ListReply list{{{"/a", 0, sample_record()}, {"/b", 1, sample_record()}, {"/c", 2, {}}}, false};
  auto bytes = list.encode();
  // Entry 1's record starts after the count, entry 0 (4+2+4+64) and its own
  // path and disk (4+2+4); its byte 20 is inside the version field.
  bytes[4 + 74 + 10 + 20] ^= std::byte{1};
  auto r = ListReply::decode(bytes);
  EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(r.status().message(), "ListReply.entries[1].record: file record fails its CRC");
}

TEST(Messages, RecordErrorsKeepTheirCode) {
  StoreRequest store{1, "/x", 0, sample_record(), {}};
  auto bytes = store.encode();
  bytes[8 + 4 + 2 + 4] ^= std::byte{0x80};  // the record's magic
  EXPECT_EQ(StoreRequest::decode(bytes).status().code(), StatusCode::kCorrupt);

  store.record.member = 6;  // ec:4+2 has members 0..5: a well-formed, impossible record
  auto r = StoreRequest::decode(store.encode());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message().rfind("StoreRequest.record: ", 0), 0U) << r.status().message();
}

TEST(Messages, ErrorCodes) {
  for (uint8_t code = 1; code <= static_cast<uint8_t>(StatusCode::kRetained); ++code) {
    auto bytes = ErrorReply{static_cast<StatusCode>(code), "x", 1}.encode();
    auto r = ErrorReply::decode(bytes);
    ASSERT_TRUE(r.is_ok()) << int{code} << ": " << r.status().message();
    EXPECT_EQ(static_cast<uint8_t>(r->code), code);
  }
  // kOk would read as success at the receiver; unknown numbers come from a
  // newer peer or from noise.
  for (uint8_t code : std::initializer_list<uint8_t>{0, 12, 255}) {
    auto bytes = ErrorReply{StatusCode::kIoError, "x", 1}.encode();
    bytes[0] = std::byte{code};
    auto r = ErrorReply::decode(bytes);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << int{code};
    EXPECT_EQ(r.status().message().rfind("ErrorReply.code: ", 0), 0U) << r.status().message();
  }
}

// A store sent as head + part where it lies is the same bytes as encode().
TEST(Messages, StoreHeadThenPayloadIsTheWholeEncoding) {
  StoreRequest m{3, "/a/b", 4, FileRecord{}, {std::byte{1}, std::byte{2}, std::byte{3}}};
  const std::vector<std::byte> whole = m.encode();
  const std::vector<std::byte> payload = m.payload;
  m.payload.clear();
  std::vector<std::byte> joined = m.encode_head(payload.size());
  joined.insert(joined.end(), payload.begin(), payload.end());
  EXPECT_EQ(joined, whole);
}

}  // namespace
}  // namespace cairn::wire
