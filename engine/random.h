// Deterministic randomness. The engine owns no random source: callers pass a
// seed, and every draw is a pure function of (seed, purpose, indices), so the
// same inputs give the same placement on every platform and standard library.
#pragma once

#include <cstdint>

namespace cairn {

__extension__ typedef unsigned __int128 Uint128;

// SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mixer.
constexpr uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A stable tie-break key for (seed, a, b): used wherever a decision must pick
// among equals without favouring low ids.
constexpr uint64_t tie_key(uint64_t seed, uint64_t a, uint64_t b = 0) {
  return mix64(mix64(seed ^ mix64(a)) ^ (b * 0xd6e8feb86659fd93ULL));
}

// A small seeded generator (SplitMix64 stream) for tests and models that need
// a sequence rather than keyed draws.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound) by Lemire's multiply-shift (bias < bound / 2^64).
  uint64_t below(uint64_t bound) {
    return static_cast<uint64_t>((static_cast<Uint128>(next()) * bound) >> 64);
  }
  // Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

}  // namespace cairn
