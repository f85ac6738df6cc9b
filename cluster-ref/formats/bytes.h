// Little-endian integer stores and loads for the byte formats of the
// reference cluster (records, frames, messages). Header-only, no state.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace cairn::bytes {

template <class T>
inline void store_le(std::span<std::byte> out, size_t offset, T value) {
  for (size_t i = 0; i < sizeof(T); ++i) {
    out[offset + i] = static_cast<std::byte>(static_cast<uint64_t>(value) >> (8 * i));
  }
}

template <class T>
inline T load_le(std::span<const std::byte> in, size_t offset) {
  uint64_t value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    value |= static_cast<uint64_t>(in[offset + i]) << (8 * i);
  }
  return static_cast<T>(value);
}

}  // namespace cairn::bytes
