// The record whose 64 bytes tests/cluster/record_test.cc pins field by
// field; message and frame tests embed it as is.
#pragma once
#include "cluster-ref/formats/record.h"

namespace cairn::testing {

inline FileRecord sample_record() {
  FileRecord r;
  r.member = 4;
  r.scheme = Scheme::erasure(4, 2);
  r.form = StorageForm::kErasureCoded;
  r.group = 7;
  r.version = 1'764'000'000'000'000'123ULL;
  r.file_bytes = 262'144;
  r.mtime_ns = 1'764'000'000'000'000'000LL;
  r.retain_until_ns = 0;
  r.file_crc = 0xdeadbeef;
  r.payload_crc = 0x01234567;
  r.payload_bytes = 65'536;
  return r;
}

}  // namespace cairn::testing
