// Codec: turns a stripe's data fragments into its parity fragments and
// rebuilds lost fragments from survivors, for `replica:N` and Reed-Solomon
// `ec:K+M` (engine/scheme.h).
//
// Members of a group are numbered 0..width()-1. For ec:K+M, members 0..K-1
// hold the data fragments and K..K+M-1 the parity fragments; for replica:N
// (k = 1, m = N-1) member 0 holds the data and members 1..N-1 byte-identical
// copies. How a file is cut into fragments is engine/geometry.h's job.
//
// The erasure code is systematic Reed-Solomon over GF(2^8) (polynomial
// 0x11D) with ISA-L's Cauchy generator: parity row i (i = K..K+M-1), column j
// is the inverse of (i XOR j), as built by gf_gen_cauchy1_matrix. Every square
// submatrix is invertible up to Scheme::kMaxWidth members, so any K survivors
// suffice. Parity bytes are part of the on-disk format and are pinned by
// golden vectors in tests/engine/codec_test.cc.
//
// Errors are returned as Status, never thrown. Buffers are owned by the
// caller; the codec keeps no pointer to them after a call returns.
//
// Threading: a Codec is NOT thread-safe. decode() updates the object's cache
// of decode tables (a small bounded LRU keyed by loss pattern); each thread
// uses its own Codec (copies share nothing).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/scheme.h"
#include "engine/status.h"

namespace cairn {

// A set of member indices within one stripe (bit i = member i), at most
// Scheme::kMaxWidth members.
class FragmentSet {
 public:
  constexpr FragmentSet() = default;
  constexpr explicit FragmentSet(uint32_t bits) : bits_(bits) {}
  // Members 0..width-1.
  static constexpr FragmentSet first(uint32_t width) {
    return FragmentSet(width >= 32 ? ~uint32_t{0} : (uint32_t{1} << width) - 1);
  }

  constexpr bool contains(uint32_t index) const { return index < 32 && (bits_ >> index) & 1U; }
  constexpr FragmentSet& insert(uint32_t index) {
    bits_ |= uint32_t{1} << index;
    return *this;
  }
  constexpr FragmentSet& erase(uint32_t index) {
    bits_ &= ~(uint32_t{1} << index);
    return *this;
  }
  constexpr uint32_t size() const { return static_cast<uint32_t>(std::popcount(bits_)); }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr uint32_t bits() const { return bits_; }
  constexpr FragmentSet operator&(FragmentSet o) const { return FragmentSet(bits_ & o.bits_); }
  constexpr FragmentSet operator|(FragmentSet o) const { return FragmentSet(bits_ | o.bits_); }
  constexpr FragmentSet operator~() const { return FragmentSet(~bits_); }
  constexpr bool operator==(const FragmentSet&) const = default;

 private:
  uint32_t bits_ = 0;
};

class Codec {
 public:
  // Decode tables kept per codec; the least recently used entry is evicted.
  // 32 entries cover every single and double loss of a 6-wide stripe and the
  // patterns a heal or a degraded read actually meets, at most 32 KiB each.
  static constexpr size_t kDecodeCacheEntries = 32;

  // Builds the generator and encode tables. kInvalidArgument unless
  // 1 <= k, width() <= Scheme::kMaxWidth, and k == 1 for replicas.
  static Result<Codec> create(const Scheme& scheme);

  const Scheme& scheme() const { return scheme_; }

  // Computes parity from data: data.size() == k, parity.size() == m, every
  // fragment the same length (any length, including 0). Parity buffers must
  // not overlap data buffers. kInvalidArgument on a shape mismatch.
  Status encode(std::span<const std::span<const std::byte>> data,
                std::span<const std::span<std::byte>> parity);

  // Rebuilds every member not in `present`. fragments.size() == width(),
  // indexed by member; present fragments are read, missing ones written. All
  // fragments have the same length. kDataLoss when fewer than k members are
  // present (more than m lost); kInvalidArgument on a shape mismatch.
  Status decode(std::span<const std::span<std::byte>> fragments, FragmentSet present);

  // As above, but rebuilds only the members in `wanted`, which must all be
  // missing (e.g. only the data fragments, for a degraded read). Fragments
  // neither present nor wanted may be empty spans and are not touched.
  Status decode(std::span<const std::span<std::byte>> fragments, FragmentSet present,
                FragmentSet wanted);

  struct CacheStats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    size_t entries = 0;
  };
  CacheStats decode_cache_stats() const { return {cache_hits_, cache_misses_, cache_.size()}; }

 private:
  // Decode tables for one (sources, wanted) pattern.
  struct DecodePlan {
    uint64_t key = 0;                                  // sources bits << 32 | wanted bits
    uint64_t last_use = 0;                             // cache tick, for LRU eviction
    std::array<uint8_t, Scheme::kMaxWidth> sources{};  // the k members read, ascending
    std::array<uint8_t, Scheme::kMaxWidth> outputs{};  // the members rebuilt, ascending
    uint32_t output_count = 0;
    std::vector<unsigned char> tables;  // ec_init_tables output, 32 * k * output_count bytes
  };

  explicit Codec(const Scheme& scheme);
  const DecodePlan& plan_for(FragmentSet sources, FragmentSet wanted);
  DecodePlan build_plan(FragmentSet sources, FragmentSet wanted) const;
  Status check_decode_shape(std::span<const std::span<std::byte>> fragments, FragmentSet present,
                            FragmentSet wanted) const;
  FragmentSet first_k(FragmentSet present) const;

  Scheme scheme_;
  std::vector<unsigned char> generator_;      // width x k, row-major; identity on top
  std::vector<unsigned char> encode_tables_;  // ec_init_tables of the m parity rows
  std::vector<DecodePlan> cache_;             // at most kDecodeCacheEntries
  uint64_t cache_tick_ = 0;
  uint64_t cache_hits_ = 0;
  uint64_t cache_misses_ = 0;
};

}  // namespace cairn
