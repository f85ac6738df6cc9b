// Messages of the Cairn wire protocol (the same payloads in wire versions 1
// and 2): the requests clients send to nodes and nodes send to each other,
// and their replies. Each message has a plain struct, encode() to payload
// bytes and decode() from them; framing is cluster-ref/formats/wire.h.
//
// Payload encoding: fields in declaration order, little-endian integers,
// bool as one byte 0/1, strings and byte blobs as a u32 length then the
// bytes, lists as a u32 count then the elements. decode() rejects trailing
// bytes, lengths past the end, strings over their limit and counts over
// theirs (kCorrupt/kInvalidArgument), so a peer cannot make a node allocate
// more than the frame it already checked. A StatusCode travels as one byte;
// an unknown number is kInvalidArgument. encode() does not check limits: the
// receiver's decode() does, and its error names the field ("PutRequest.path:
// 5000 bytes, limit 4096"). Every request that depends on the
// cluster map carries the sender's epoch; a node with a newer map answers
// ErrorReply{kStaleEpoch} and the sender refreshes (MapRequest).
//
// Numbers of MsgType and StatusCode are part of the format: append, never
// renumber. Pinned by golden vectors in tests/cluster/messages_test.cc.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cluster-ref/formats/record.h"
#include "engine/status.h"

namespace cairn::wire {

// The largest file the reference cluster stores: the coordinator holds a
// file in memory while it encodes and sends it.
inline constexpr uint32_t kFileBytesMax = uint32_t{256} << 20;  // 256 MiB
inline constexpr uint32_t kPathBytesMax = 4096;
inline constexpr uint32_t kMessageBytesMax = 64 * 1024;    // error and status texts
inline constexpr uint32_t kClusterFileBytesMax = 1 << 20;  // MapReply text
inline constexpr uint32_t kListEntriesMax = 100'000;       // per ListReply

enum class MsgType : uint8_t {
  kError = 1,         // reply: ErrorReply
  kOk = 2,            // reply with no content: empty payload
  kMapRequest = 3,    // MapRequest -> MapReply
  kMapReply = 4,
  kPut = 5,           // client -> coordinator: PutRequest -> PutReply
  kPutReply = 6,
  kStore = 7,         // coordinator/healer -> member (storage network): StoreRequest -> kOk
  kRead = 8,          // anyone -> member: ReadRequest -> ReadReply
  kReadReply = 9,
  kDelete = 10,       // client -> coordinator: DeleteRequest -> PutReply (the tombstone's)
  kList = 11,         // anyone -> node: ListRequest -> ListReply
  kListReply = 12,
  kStatus = 13,       // management: empty -> StatusReply
  kStatusReply = 14,
  kPing = 15,         // management: empty -> kPong (empty)
  kPong = 16,
  kRemove = 17,       // healer -> member (storage network): RemoveRequest -> kOk
  kScrub = 18,        // management: ScrubRequest -> ScrubReply
  kScrubReply = 19,
  kInstallMap = 20,   // management: InstallMapRequest -> kOk (the node now runs it)
  kMigrate = 21,      // mover -> new member (storage network): StoreRequest -> kOk;
                      // stored unless the disk holds that version or a newer one
  kBypassGovernance = 22,  // management: BypassGovernanceRequest -> kOk; InstallMap that may weaken
                           // governance retention (never compliance), logged by the node
  kSnapshotRead = 23,  // anyone -> member (client or storage network): SnapshotReadRequest -> ReadReply;
                       // what a snapshot sees of a path on one disk (engine/snapshot.h)
  // Wire version 2's handshake (wire.h): no reply; every network.
  kHello = 40,        // connector -> acceptor, its first frame: Handshake (the connector's nonce)
  kChallenge = 41,    // acceptor -> connector, on accepting: Handshake (the acceptor's nonce)
};
inline constexpr uint8_t kMsgTypeMax = 23;
const char* to_string(MsgType type);
// kMsgTypeMax bounds 1..23; the handshake's types are 40 and 41.
bool is_known_type(uint8_t type);

struct ErrorReply {
  StatusCode code = StatusCode::kOk;  // never kOk: decode() rejects it, as a
                                      // reply that reads as success would hide the error
  std::string message;  // at most kMessageBytesMax
  uint64_t epoch = 0;   // the replying node's epoch (for kStaleEpoch)
  std::vector<std::byte> encode() const;
  static Result<ErrorReply> decode(std::span<const std::byte> payload);
};

// The payload of kHello and kChallenge: a fresh random nonce (wire.h).
inline constexpr size_t kNonceBytes = 32;
struct Handshake {
  std::array<std::byte, kNonceBytes> nonce{};
  std::vector<std::byte> encode() const;
  static Result<Handshake> decode(std::span<const std::byte> payload);
};

struct MapRequest {
  uint64_t epoch = 0;  // the epoch the sender has (0: none)
  std::vector<std::byte> encode() const;
  static Result<MapRequest> decode(std::span<const std::byte> payload);
};

// The cluster map is the cluster file's text: every client and node derives
// the same topology and layout from it with the engine (cluster_file.h).
struct MapReply {
  uint64_t epoch = 0;
  std::string cluster_yaml;  // at most kClusterFileBytesMax
  std::vector<std::byte> encode() const;
  static Result<MapReply> decode(std::span<const std::byte> payload);
};

struct PutRequest {
  uint64_t epoch = 0;
  std::string path;          // absolute, at most kPathBytesMax
  int64_t mtime_ns = 0;      // the client's modification time of the file
  std::vector<std::byte> data;  // the whole file, at most kFileBytesMax
  std::vector<std::byte> encode() const;
  static Result<PutRequest> decode(std::span<const std::byte> payload);
};

struct PutReply {
  uint64_t version = 0;     // the version the file now has
  uint32_t group = 0;
  uint32_t written = 0;     // member bitmask: durable now
  uint32_t owed = 0;        // member bitmask: down, owed a heal
  std::vector<std::byte> encode() const;
  static Result<PutReply> decode(std::span<const std::byte> payload);
};

// One member's part of a file (a copy, a fragment, or a tombstone with an
// empty payload), written durably by the receiving node on `disk`.
struct StoreRequest {
  uint64_t epoch = 0;
  std::string path;
  uint32_t disk = 0;         // DiskId value on the receiving node
  FileRecord record;
  std::vector<std::byte> payload;
  std::vector<std::byte> encode() const;
  // Every field but the payload's bytes, with `payload_bytes` as its length:
  // encode_head(p.size()) followed by p is encode() with payload p, so a
  // large part can be sent from where it lies instead of copied in.
  std::vector<std::byte> encode_head(size_t payload_bytes) const;
  static Result<StoreRequest> decode(std::span<const std::byte> payload);
};

struct ReadRequest {
  uint64_t epoch = 0;
  std::string path;
  uint32_t disk = 0;          // DiskId value on the receiving node
  bool record_only = false;   // stat: the record without the payload
  std::vector<std::byte> encode() const;
  static Result<ReadRequest> decode(std::span<const std::byte> payload);
};

// The payload has been checked against the record's CRC by the sender.
struct ReadReply {
  FileRecord record;
  std::vector<std::byte> payload;  // empty when record_only
  std::vector<std::byte> encode() const;
  static Result<ReadReply> decode(std::span<const std::byte> payload);
};

// A ReadRequest of the version snapshot `snapshot` (a name in the map)
// sees: its preserved copy on the disk, or the current one when it is at or
// before the snapshot's cut. kNotFound when the disk holds nothing the
// snapshot sees; kInvalidArgument for a snapshot the node's map lacks.
struct SnapshotReadRequest {
  uint64_t epoch = 0;
  std::string path;
  uint32_t disk = 0;
  bool record_only = false;
  std::string snapshot;  // at most 64 bytes (engine/snapshot.h)
  std::vector<std::byte> encode() const;
  static Result<SnapshotReadRequest> decode(std::span<const std::byte> payload);
};

struct DeleteRequest {
  uint64_t epoch = 0;
  std::string path;
  std::vector<std::byte> encode() const;
  static Result<DeleteRequest> decode(std::span<const std::byte> payload);
};

// Records held on the node's disks under `prefix` (a path prefix; "/" for
// all), optionally only of one group, tombstones included.
struct ListRequest {
  uint64_t epoch = 0;
  std::string prefix;
  bool only_group = false;
  uint32_t group = 0;
  std::vector<std::byte> encode() const;
  static Result<ListRequest> decode(std::span<const std::byte> payload);
};

struct ListEntry {
  std::string path;
  uint32_t disk = 0;
  FileRecord record;
  bool operator==(const ListEntry&) const = default;
};

struct ListReply {
  std::vector<ListEntry> entries;  // in (path, disk) order, at most kListEntriesMax
  bool truncated = false;          // more matched than the limit
  std::vector<std::byte> encode() const;
  static Result<ListReply> decode(std::span<const std::byte> payload);
};

// Forget what the disk holds for `path` (heal dropping parts of a version no
// member can complete; see engine/reconcile.h).
struct RemoveRequest {
  uint64_t epoch = 0;
  std::string path;
  uint32_t disk = 0;
  std::vector<std::byte> encode() const;
  static Result<RemoveRequest> decode(std::span<const std::byte> payload);
};

// A node's own report, as JSON text (fields documented in node.h).
struct StatusReply {
  std::string json;  // at most kClusterFileBytesMax
  std::vector<std::byte> encode() const;
  static Result<StatusReply> decode(std::span<const std::byte> payload);
};

// Start a scrub pass now (engine/scrub.h), or join the one running.
struct ScrubRequest {
  bool unpaced = false;  // read at full speed instead of the scrub budget
  std::vector<std::byte> encode() const;
  static Result<ScrubRequest> decode(std::span<const std::byte> payload);
};

// The pass that will answer the request: done when the node's status shows
// scrub.passes_completed >= pass.
struct ScrubReply {
  uint64_t pass = 0;
  std::vector<std::byte> encode() const;
  static Result<ScrubReply> decode(std::span<const std::byte> payload);
};

// A new cluster map (the cluster file's text at a newer epoch) for the node
// to persist and run from now on; refused unless its epoch is newer than the
// node's and it names the same cluster and the node itself unchanged.
struct InstallMapRequest {
  uint64_t epoch = 0;
  std::string cluster_yaml;  // at most kClusterFileBytesMax
  std::vector<std::byte> encode() const;
  static Result<InstallMapRequest> decode(std::span<const std::byte> payload);
};

// An administrator's explicit bypass of governance retention: install the
// map as InstallMapRequest does, even though it shortens or lifts governance
// retention policies (engine/retention.h policy_change_verdict). Compliance
// policies are never weakened, bypass or not. The node logs the weakened
// policies with `reason` and appends them to STATE/retention-audit.log.
struct BypassGovernanceRequest {
  uint64_t epoch = 0;
  std::string cluster_yaml;  // at most kClusterFileBytesMax
  std::string reason;        // at most kMessageBytesMax; who and why
  std::vector<std::byte> encode() const;
  static Result<BypassGovernanceRequest> decode(std::span<const std::byte> payload);
};

}  // namespace cairn::wire
