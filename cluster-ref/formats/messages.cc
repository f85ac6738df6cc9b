#include "cluster-ref/formats/messages.h"

#include <algorithm>

#include "cluster-ref/formats/codec_io.h"

namespace cairn::wire {
namespace {

// The smallest encoding of a ListEntry: an empty path's length, the disk and
// the record. A count is checked against it before any entry is allocated.
constexpr size_t kListEntryBytesMin = 4 + 4 + kRecordBytes;

template <class Message>
Result<Message> finish(const Reader& in, Message message) {
  if (Status s = in.finish(); !s.is_ok()) return s;
  return message;
}

}  // namespace

const char* to_string(MsgType type) {
  switch (type) {
    case MsgType::kError: return "error";
    case MsgType::kOk: return "ok";
    case MsgType::kMapRequest: return "map-request";
    case MsgType::kMapReply: return "map-reply";
    case MsgType::kPut: return "put";
    case MsgType::kPutReply: return "put-reply";
    case MsgType::kStore: return "store";
    case MsgType::kRead: return "read";
    case MsgType::kReadReply: return "read-reply";
    case MsgType::kDelete: return "delete";
    case MsgType::kList: return "list";
    case MsgType::kListReply: return "list-reply";
    case MsgType::kStatus: return "status";
    case MsgType::kStatusReply: return "status-reply";
    case MsgType::kPing: return "ping";
    case MsgType::kPong: return "pong";
    case MsgType::kRemove: return "remove";
    case MsgType::kScrub: return "scrub";
    case MsgType::kScrubReply: return "scrub-reply";
    case MsgType::kInstallMap: return "install-map";
    case MsgType::kMigrate: return "migrate";
    case MsgType::kBypassGovernance: return "bypass-governance";
    case MsgType::kSnapshotRead: return "snapshot-read";
    case MsgType::kHello: return "hello";
    case MsgType::kChallenge: return "challenge";
  }
  return "unknown";
}

bool is_known_type(uint8_t type) {
  return (type >= 1 && type <= kMsgTypeMax) || type == static_cast<uint8_t>(MsgType::kHello) ||
         type == static_cast<uint8_t>(MsgType::kChallenge);
}

// ---- Handshake ----

std::vector<std::byte> Handshake::encode() const { return {nonce.begin(), nonce.end()}; }

Result<Handshake> Handshake::decode(std::span<const std::byte> payload) {
  if (payload.size() != kNonceBytes) {
    return corrupt("Handshake: " + std::to_string(payload.size()) + " bytes, a nonce is " +
                   std::to_string(kNonceBytes));
  }
  Handshake m;
  std::copy(payload.begin(), payload.end(), m.nonce.begin());
  return m;
}

// ---- ErrorReply ----

std::vector<std::byte> ErrorReply::encode() const {
  Writer out;
  out.u8(static_cast<uint8_t>(code));
  out.string(message);
  out.u64(epoch);
  return std::move(out).take();
}

Result<ErrorReply> ErrorReply::decode(std::span<const std::byte> payload) {
  Reader in(payload, "ErrorReply");
  ErrorReply m;
  in.error_code("code", m.code);
  in.string("message", kMessageBytesMax, m.message);
  in.u64("epoch", m.epoch);
  return finish(in, std::move(m));
}

// ---- MapRequest, MapReply ----

std::vector<std::byte> MapRequest::encode() const {
  Writer out;
  out.u64(epoch);
  return std::move(out).take();
}

Result<MapRequest> MapRequest::decode(std::span<const std::byte> payload) {
  Reader in(payload, "MapRequest");
  MapRequest m;
  in.u64("epoch", m.epoch);
  return finish(in, m);
}

std::vector<std::byte> MapReply::encode() const {
  Writer out;
  out.u64(epoch);
  out.string(cluster_yaml);
  return std::move(out).take();
}

Result<MapReply> MapReply::decode(std::span<const std::byte> payload) {
  Reader in(payload, "MapReply");
  MapReply m;
  in.u64("epoch", m.epoch);
  in.string("cluster_yaml", kClusterFileBytesMax, m.cluster_yaml);
  return finish(in, std::move(m));
}

// ---- PutRequest, PutReply ----

std::vector<std::byte> PutRequest::encode() const {
  Writer out;
  out.u64(epoch);
  out.string(path);
  out.i64(mtime_ns);
  out.blob(data);
  return std::move(out).take();
}

Result<PutRequest> PutRequest::decode(std::span<const std::byte> payload) {
  Reader in(payload, "PutRequest");
  PutRequest m;
  in.u64("epoch", m.epoch);
  in.string("path", kPathBytesMax, m.path);
  in.i64("mtime_ns", m.mtime_ns);
  in.blob("data", kFileBytesMax, m.data);
  return finish(in, std::move(m));
}

std::vector<std::byte> PutReply::encode() const {
  Writer out;
  out.u64(version);
  out.u32(group);
  out.u32(written);
  out.u32(owed);
  return std::move(out).take();
}

Result<PutReply> PutReply::decode(std::span<const std::byte> payload) {
  Reader in(payload, "PutReply");
  PutReply m;
  in.u64("version", m.version);
  in.u32("group", m.group);
  in.u32("written", m.written);
  in.u32("owed", m.owed);
  return finish(in, m);
}

// ---- StoreRequest ----

std::vector<std::byte> StoreRequest::encode() const {
  Writer out;
  out.u64(epoch);
  out.string(path);
  out.u32(disk);
  out.record(record);
  out.blob(payload);
  return std::move(out).take();
}

std::vector<std::byte> StoreRequest::encode_head(size_t payload_bytes) const {
  CAIRN_ASSERT(payload.empty() && payload_bytes <= UINT32_MAX);
  Writer out;
  out.u64(epoch);
  out.string(path);
  out.u32(disk);
  out.record(record);
  out.u32(static_cast<uint32_t>(payload_bytes));  // the blob's length; its bytes follow
  return std::move(out).take();
}

Result<StoreRequest> StoreRequest::decode(std::span<const std::byte> payload) {
  Reader in(payload, "StoreRequest");
  StoreRequest m;
  in.u64("epoch", m.epoch);
  in.string("path", kPathBytesMax, m.path);
  in.u32("disk", m.disk);
  in.record("record", m.record);
  in.blob("payload", kFileBytesMax, m.payload);
  return finish(in, std::move(m));
}

// ---- ReadRequest, ReadReply ----

std::vector<std::byte> ReadRequest::encode() const {
  Writer out;
  out.u64(epoch);
  out.string(path);
  out.u32(disk);
  out.boolean(record_only);
  return std::move(out).take();
}

Result<ReadRequest> ReadRequest::decode(std::span<const std::byte> payload) {
  Reader in(payload, "ReadRequest");
  ReadRequest m;
  in.u64("epoch", m.epoch);
  in.string("path", kPathBytesMax, m.path);
  in.u32("disk", m.disk);
  in.boolean("record_only", m.record_only);
  return finish(in, std::move(m));
}

std::vector<std::byte> SnapshotReadRequest::encode() const {
  Writer out;
  out.u64(epoch);
  out.string(path);
  out.u32(disk);
  out.boolean(record_only);
  out.string(snapshot);
  return std::move(out).take();
}

Result<SnapshotReadRequest> SnapshotReadRequest::decode(std::span<const std::byte> payload) {
  Reader in(payload, "SnapshotReadRequest");
  SnapshotReadRequest m;
  in.u64("epoch", m.epoch);
  in.string("path", kPathBytesMax, m.path);
  in.u32("disk", m.disk);
  in.boolean("record_only", m.record_only);
  in.string("snapshot", 64, m.snapshot);
  return finish(in, std::move(m));
}

std::vector<std::byte> ReadReply::encode() const {
  Writer out;
  out.record(record);
  out.blob(payload);
  return std::move(out).take();
}

Result<ReadReply> ReadReply::decode(std::span<const std::byte> payload) {
  Reader in(payload, "ReadReply");
  ReadReply m;
  in.record("record", m.record);
  in.blob("payload", kFileBytesMax, m.payload);
  return finish(in, std::move(m));
}

// ---- DeleteRequest ----

std::vector<std::byte> DeleteRequest::encode() const {
  Writer out;
  out.u64(epoch);
  out.string(path);
  return std::move(out).take();
}

Result<DeleteRequest> DeleteRequest::decode(std::span<const std::byte> payload) {
  Reader in(payload, "DeleteRequest");
  DeleteRequest m;
  in.u64("epoch", m.epoch);
  in.string("path", kPathBytesMax, m.path);
  return finish(in, std::move(m));
}

// ---- RemoveRequest ----

std::vector<std::byte> RemoveRequest::encode() const {
  Writer out;
  out.u64(epoch);
  out.string(path);
  out.u32(disk);
  return std::move(out).take();
}

Result<RemoveRequest> RemoveRequest::decode(std::span<const std::byte> payload) {
  Reader in(payload, "RemoveRequest");
  RemoveRequest m;
  in.u64("epoch", m.epoch);
  in.string("path", kPathBytesMax, m.path);
  in.u32("disk", m.disk);
  return finish(in, std::move(m));
}

// ---- ListRequest, ListReply ----

std::vector<std::byte> ListRequest::encode() const {
  Writer out;
  out.u64(epoch);
  out.string(prefix);
  out.boolean(only_group);
  out.u32(group);
  return std::move(out).take();
}

Result<ListRequest> ListRequest::decode(std::span<const std::byte> payload) {
  Reader in(payload, "ListRequest");
  ListRequest m;
  in.u64("epoch", m.epoch);
  in.string("prefix", kPathBytesMax, m.prefix);
  in.boolean("only_group", m.only_group);
  in.u32("group", m.group);
  return finish(in, std::move(m));
}

std::vector<std::byte> ListReply::encode() const {
  Writer out;
  out.count(entries.size());
  for (const ListEntry& e : entries) {
    out.string(e.path);
    out.u32(e.disk);
    out.record(e.record);
  }
  out.boolean(truncated);
  return std::move(out).take();
}

Result<ListReply> ListReply::decode(std::span<const std::byte> payload) {
  Reader in(payload, "ListReply");
  ListReply m;
  const uint32_t count = in.count("entries", kListEntriesMax, kListEntryBytesMin);
  m.entries.reserve(count);  // safe: count() checked it against the bytes left
  for (uint32_t i = 0; i < count && in.ok(); ++i) {
    ListEntry& e = m.entries.emplace_back();
    in.begin_element("entries", i);
    in.string("path", kPathBytesMax, e.path);
    in.u32("disk", e.disk);
    in.record("record", e.record);
  }
  in.end_element();
  in.boolean("truncated", m.truncated);
  return finish(in, std::move(m));
}

// ---- StatusReply ----

std::vector<std::byte> StatusReply::encode() const {
  Writer out;
  out.string(json);
  return std::move(out).take();
}

Result<StatusReply> StatusReply::decode(std::span<const std::byte> payload) {
  Reader in(payload, "StatusReply");
  StatusReply m;
  in.string("json", kClusterFileBytesMax, m.json);
  return finish(in, std::move(m));
}

// ---- ScrubRequest ----

std::vector<std::byte> ScrubRequest::encode() const {
  Writer out;
  out.boolean(unpaced);
  return std::move(out).take();
}

Result<ScrubRequest> ScrubRequest::decode(std::span<const std::byte> payload) {
  Reader in(payload, "ScrubRequest");
  ScrubRequest m;
  in.boolean("unpaced", m.unpaced);
  return finish(in, std::move(m));
}

// ---- ScrubReply ----

std::vector<std::byte> ScrubReply::encode() const {
  Writer out;
  out.u64(pass);
  return std::move(out).take();
}

Result<ScrubReply> ScrubReply::decode(std::span<const std::byte> payload) {
  Reader in(payload, "ScrubReply");
  ScrubReply m;
  in.u64("pass", m.pass);
  return finish(in, std::move(m));
}

// ---- InstallMapRequest ----

std::vector<std::byte> InstallMapRequest::encode() const {
  Writer out;
  out.u64(epoch);
  out.string(cluster_yaml);
  return std::move(out).take();
}

Result<InstallMapRequest> InstallMapRequest::decode(std::span<const std::byte> payload) {
  Reader in(payload, "InstallMapRequest");
  InstallMapRequest m;
  in.u64("epoch", m.epoch);
  in.string("cluster_yaml", kClusterFileBytesMax, m.cluster_yaml);
  return finish(in, std::move(m));
}

// ---- BypassGovernanceRequest ----

std::vector<std::byte> BypassGovernanceRequest::encode() const {
  Writer out;
  out.u64(epoch);
  out.string(cluster_yaml);
  out.string(reason);
  return std::move(out).take();
}

Result<BypassGovernanceRequest> BypassGovernanceRequest::decode(std::span<const std::byte> payload) {
  Reader in(payload, "BypassGovernanceRequest");
  BypassGovernanceRequest m;
  in.u64("epoch", m.epoch);
  in.string("cluster_yaml", kClusterFileBytesMax, m.cluster_yaml);
  in.string("reason", kMessageBytesMax, m.reason);
  return finish(in, std::move(m));
}

}  // namespace cairn::wire
