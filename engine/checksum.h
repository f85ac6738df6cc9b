// Checksums: CRC-32C (Castagnoli) on ISA-L, for fragments, member records and
// whole files. Every value here is the standard CRC-32C (reflected polynomial
// 0x82F63B78, initial value and final XOR 0xFFFFFFFF, as in iSCSI, ext4 and
// SSE4.2's crc32 instruction): CRC-32C("123456789") == 0xE3069283. The value is
// part of the on-disk format, so it is pinned by golden vectors in
// tests/engine/checksum_test.cc and must never change.
//
// Pure functions over caller-owned bytes: no allocation, no state shared
// between calls, safe to call from any number of threads at once. A Crc32c
// object is a plain value; one object is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace cairn {

// CRC-32C of `bytes`.
uint32_t crc32c(std::span<const std::byte> bytes);

// Extends a finished CRC-32C with more bytes:
// crc32c_extend(crc32c(a), b) == crc32c(a followed by b). crc32c_extend(0, b)
// == crc32c(b), so 0 is the checksum of nothing.
uint32_t crc32c_extend(uint32_t crc, std::span<const std::byte> bytes);

// Incremental CRC-32C for data that arrives in pieces (a file streamed from
// disk or the network). value() after any sequence of update() calls equals
// crc32c() of the concatenated pieces.
class Crc32c {
 public:
  void update(std::span<const std::byte> bytes) { crc_ = crc32c_extend(crc_, bytes); }
  uint32_t value() const { return crc_; }
  void reset() { crc_ = 0; }

 private:
  uint32_t crc_ = 0;  // the finished CRC-32C of the bytes seen so far
};

// The whole-file checksum kept in a file's metadata and checked end to end
// after a read or a decode: the CRC-32C of the file's bytes in order, without
// padding, length prefix or fragment boundaries, so it is the same however
// the file is stored (replicated or erasure-coded) and can be computed with
// Crc32c as the file streams by. 32 bits detect every burst error up to 32
// bits and random corruption with probability 1 - 2^-32; the per-fragment
// CRCs in the member records catch corruption before decoding.
inline uint32_t file_checksum(std::span<const std::byte> file_bytes) {
  return crc32c(file_bytes);
}

namespace detail {

// ISA-L's AVX2/AVX-512 kernels can return with the upper halves of the
// YMM/ZMM registers dirty; the SSE code that the compiler emits for the rest
// of Cairn then pays a state-transition penalty on every instruction (several
// times slower on some Intel cores). Call this after every ISA-L call: it
// issues `vzeroupper` when the CPU has AVX (checked once) and nothing
// otherwise. Shared by checksum.cc and codec.cc.
void clear_upper_simd_state();

}  // namespace detail
}  // namespace cairn
