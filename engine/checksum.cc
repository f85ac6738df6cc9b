#include "engine/checksum.h"

#include <isa-l/crc.h>

#include <algorithm>

namespace cairn {
namespace {

// ISA-L takes an int length; larger spans are fed in pieces of this size.
constexpr size_t kIsalPieceBytes = size_t{1} << 30;

#if defined(__x86_64__) || defined(__i386__)
bool cpu_has_avx() {
  static const bool has_avx = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx") != 0;
  }();
  return has_avx;
}
#endif

}  // namespace

namespace detail {

void clear_upper_simd_state() {
#if defined(__x86_64__) || defined(__i386__)
  if (cpu_has_avx()) asm volatile("vzeroupper" ::: "memory");
#endif
}

}  // namespace detail

// ISA-L's crc32_iscsi(buf, len, init) runs the bare reflected CRC register: it
// neither inverts the seed nor the result. The standard CRC-32C is therefore
// ~crc32_iscsi(buf, len, ~crc), with crc == 0 for an empty prefix.
uint32_t crc32c_extend(uint32_t crc, std::span<const std::byte> bytes) {
  uint32_t reg = ~crc;
  while (!bytes.empty()) {
    size_t piece_bytes = std::min(bytes.size(), kIsalPieceBytes);
    // ISA-L's signature lacks const; it only reads the buffer.
    auto* data = const_cast<unsigned char*>(reinterpret_cast<const unsigned char*>(bytes.data()));
    reg = crc32_iscsi(data, static_cast<int>(piece_bytes), reg);
    bytes = bytes.subspan(piece_bytes);
  }
  detail::clear_upper_simd_state();
  return ~reg;
}

uint32_t crc32c(std::span<const std::byte> bytes) {
  return crc32c_extend(0, bytes);
}

}  // namespace cairn
