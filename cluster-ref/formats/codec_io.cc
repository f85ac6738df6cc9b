#include "cluster-ref/formats/codec_io.h"

#include <array>
#include <limits>

#include "cluster-ref/formats/bytes.h"

namespace cairn::wire {
namespace {

// Every number an ErrorReply may carry. No default case: -Wswitch flags this
// switch when a code is appended to StatusCode, so the wire learns it too.
bool is_error_code(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return false;
    case StatusCode::kInvalidArgument:
    case StatusCode::kUnsatisfiable:
    case StatusCode::kRefused:
    case StatusCode::kDataLoss:
    case StatusCode::kCorrupt:
    case StatusCode::kNotFound:
    case StatusCode::kUnavailable:
    case StatusCode::kStaleEpoch:
    case StatusCode::kIoError:
    case StatusCode::kTimeout:
    case StatusCode::kRetained: return true;
  }
  return false;
}

uint32_t length_prefix(size_t size) {
  CAIRN_ASSERT(size <= std::numeric_limits<uint32_t>::max());
  return static_cast<uint32_t>(size);
}

}  // namespace

// ---- Writer ----

void Writer::append(const void* data, size_t size) {
  const auto* first = static_cast<const std::byte*>(data);
  out_.insert(out_.end(), first, first + size);
}

void Writer::u8(uint8_t value) { out_.push_back(std::byte{value}); }

void Writer::u32(uint32_t value) {
  std::array<std::byte, 4> le{};
  bytes::store_le<uint32_t>(le, 0, value);
  append(le.data(), le.size());
}

void Writer::u64(uint64_t value) {
  std::array<std::byte, 8> le{};
  bytes::store_le<uint64_t>(le, 0, value);
  append(le.data(), le.size());
}

void Writer::i64(int64_t value) { u64(static_cast<uint64_t>(value)); }

void Writer::boolean(bool value) { u8(value ? 1 : 0); }

void Writer::string(std::string_view text) {
  u32(length_prefix(text.size()));
  append(text.data(), text.size());
}

void Writer::blob(std::span<const std::byte> bytes) {
  u32(length_prefix(bytes.size()));
  append(bytes.data(), bytes.size());
}

void Writer::record(const FileRecord& record) {
  const auto encoded = encode_record(record);
  append(encoded.data(), encoded.size());
}

void Writer::count(size_t entries) { u32(length_prefix(entries)); }

// ---- Reader ----

void Reader::fail(StatusCode code, const char* field, const std::string& what) {
  if (!status_.is_ok()) return;  // the first error is the one worth reporting
  std::string text = std::string(message_) + ".";
  if (list_ != nullptr) text += std::string(list_) + "[" + std::to_string(element_) + "].";
  status_ = Status(code, text + field + ": " + what);
}

std::span<const std::byte> Reader::take(const char* field, size_t size) {
  if (!ok()) return {};
  const size_t left = in_.size() - offset_;
  if (size > left) {
    fail(StatusCode::kCorrupt, field,
         "needs " + std::to_string(size) + " bytes, " + std::to_string(left) + " left");
    return {};
  }
  auto out = in_.subspan(offset_, size);
  offset_ += size;
  return out;
}

template <class T>
void Reader::integer(const char* field, T& out) {
  auto le = take(field, sizeof(T));
  if (ok()) out = bytes::load_le<T>(le, 0);
}

void Reader::u8(const char* field, uint8_t& out) { integer(field, out); }
void Reader::u32(const char* field, uint32_t& out) { integer(field, out); }
void Reader::u64(const char* field, uint64_t& out) { integer(field, out); }
void Reader::i64(const char* field, int64_t& out) { integer(field, out); }

void Reader::boolean(const char* field, bool& out) {
  uint8_t value = 0;
  u8(field, value);
  if (!ok()) return;
  if (value > 1) {
    fail(StatusCode::kCorrupt, field, "bool byte " + std::to_string(value) + ", expected 0 or 1");
    return;
  }
  out = value == 1;
}

std::span<const std::byte> Reader::take_sized(const char* field, uint32_t bytes_max) {
  uint32_t size = 0;
  u32(field, size);
  if (!ok()) return {};
  if (size > bytes_max) {
    fail(StatusCode::kInvalidArgument, field,
         std::to_string(size) + " bytes, limit " + std::to_string(bytes_max));
    return {};
  }
  return take(field, size);  // checks the bytes left; nothing is allocated yet
}

void Reader::string(const char* field, uint32_t bytes_max, std::string& out) {
  auto bytes = take_sized(field, bytes_max);
  if (ok()) out.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void Reader::blob(const char* field, uint32_t bytes_max, std::vector<std::byte>& out) {
  auto bytes = take_sized(field, bytes_max);
  if (ok()) out.assign(bytes.begin(), bytes.end());
}

void Reader::record(const char* field, FileRecord& out) {
  auto bytes = take(field, kRecordBytes);
  if (!ok()) return;
  auto decoded = decode_record(bytes);
  if (!decoded) {
    fail(decoded.status().code(), field, decoded.status().message());
    return;
  }
  out = *decoded;
}

void Reader::error_code(const char* field, StatusCode& out) {
  uint8_t number = 0;
  u8(field, number);
  if (!ok()) return;
  const auto code = static_cast<StatusCode>(number);
  if (!is_error_code(code)) {
    fail(StatusCode::kInvalidArgument, field,
         code == StatusCode::kOk ? std::string("0 (ok) is not an error code")
                                 : "unknown status code " + std::to_string(number));
    return;
  }
  out = code;
}

uint32_t Reader::count(const char* field, uint32_t entries_max, size_t entry_bytes_min) {
  uint32_t entries = 0;
  u32(field, entries);
  if (!ok()) return 0;
  if (entries > entries_max) {
    fail(StatusCode::kInvalidArgument, field,
         std::to_string(entries) + " entries, limit " + std::to_string(entries_max));
    return 0;
  }
  const uint64_t bytes_min = uint64_t{entries} * entry_bytes_min;
  const size_t left = in_.size() - offset_;
  if (bytes_min > left) {
    fail(StatusCode::kCorrupt, field,
         std::to_string(entries) + " entries need at least " + std::to_string(bytes_min) +
             " bytes, " + std::to_string(left) + " left");
    return 0;
  }
  return entries;
}

void Reader::begin_element(const char* list, size_t index) {
  list_ = list;
  element_ = index;
}

Status Reader::finish() const {
  if (!ok()) return status_;
  if (offset_ != in_.size()) {
    return corrupt(std::string(message_) + ": " + std::to_string(in_.size() - offset_) +
                   " trailing bytes after the last field");
  }
  return Status::ok();
}

}  // namespace cairn::wire
