// Writer and Reader: the field-by-field payload encoding that every message in
// cluster-ref/messages.h uses (little-endian integers, bool as one byte 0/1,
// strings and blobs as a u32 length then the bytes, lists as a u32 count then
// the elements, FileRecord as its 64 encoded bytes).
//
// A Reader keeps the first error and ignores every later call, so a decode()
// reads all its fields in a row and asks finish() once. It checks every
// declared length and count against both its limit and the bytes that are
// really left before it allocates anything, so a hostile peer can never make
// a node allocate more than the payload it already holds. Errors name the
// message and field ("PutRequest.path: 5000 bytes, limit 4096").
//
// Plain values, no I/O; one object per encode or decode, on one thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cluster-ref/formats/record.h"
#include "engine/status.h"

namespace cairn::wire {

class Writer {
 public:
  void u8(uint8_t value);
  void u32(uint32_t value);
  void u64(uint64_t value);
  void i64(int64_t value);
  void boolean(bool value);
  // Length-prefixed. Limits are the receiver's to enforce: an over-limit field
  // is sent as is and comes back as an error naming it. CAIRN_ASSERTs that
  // the length fits in the u32 prefix.
  void string(std::string_view text);
  void blob(std::span<const std::byte> bytes);
  void record(const FileRecord& record);
  // The u32 element count that precedes a list.
  void count(size_t entries);
  std::vector<std::byte> take() && { return std::move(out_); }

 private:
  void append(const void* data, size_t size);
  std::vector<std::byte> out_;
};

class Reader {
 public:
  // `message` names the message in errors; it must outlive the Reader.
  Reader(std::span<const std::byte> payload, const char* message)
      : in_(payload), message_(message) {}

  void u8(const char* field, uint8_t& out);
  void u32(const char* field, uint32_t& out);
  void u64(const char* field, uint64_t& out);
  void i64(const char* field, int64_t& out);
  // kCorrupt for any byte other than 0 or 1: one value, one encoding.
  void boolean(const char* field, bool& out);
  // kInvalidArgument over `bytes_max`, kCorrupt past the end of the payload.
  void string(const char* field, uint32_t bytes_max, std::string& out);
  void blob(const char* field, uint32_t bytes_max, std::vector<std::byte>& out);
  // decode_record()'s error, prefixed with the field's name.
  void record(const char* field, FileRecord& out);
  // An error code (never kOk): kInvalidArgument for kOk or an unknown number.
  void error_code(const char* field, StatusCode& out);
  // A list's element count: kInvalidArgument over `entries_max`, kCorrupt when
  // `entries` elements of at least `entry_bytes_min` each cannot fit in what
  // is left, so the caller may reserve() the count safely. 0 after an error.
  uint32_t count(const char* field, uint32_t entries_max, size_t entry_bytes_min);
  // Errors in the fields that follow name element `index` of list `list`
  // ("ListReply.entries[3].path"); end_element() stops that.
  void begin_element(const char* list, size_t index);
  void end_element() { list_ = nullptr; }

  bool ok() const { return status_.is_ok(); }
  // The first error, or kCorrupt when bytes are left over.
  Status finish() const;

 private:
  // The next `size` bytes, or an empty span and a kCorrupt error when fewer
  // are left (or an earlier error stands).
  std::span<const std::byte> take(const char* field, size_t size);
  // Reads a u32 length and checks it against `bytes_max` and the bytes left.
  std::span<const std::byte> take_sized(const char* field, uint32_t bytes_max);
  template <class T>
  void integer(const char* field, T& out);
  void fail(StatusCode code, const char* field, const std::string& what);

  std::span<const std::byte> in_;
  size_t offset_ = 0;
  const char* message_;
  const char* list_ = nullptr;
  size_t element_ = 0;
  Status status_;
};

}  // namespace cairn::wire
