#include "engine/sample_paths.h"

#include <cstdio>


#include "engine/random.h"

namespace cairn {

std::vector<std::string> sample_paths(uint64_t count, uint64_t seed) {
  static const char* const kModalities[] = {"CT", "MR", "CR", "DX", "US", "MG"};
  constexpr uint64_t kSlicesPerStudy = 500;
  SplitMix64 rng(seed);
  std::vector<std::string> out;
  out.reserve(count);
  char buf[160];
  uint64_t study_uid = 0, day = 0;
  const char* modality = kModalities[0];
  for (uint64_t i = 0; i < count; ++i) {
    if (i % kSlicesPerStudy == 0) {
      study_uid = rng.next() >> 16;
      day = rng.below(365);
      modality = kModalities[rng.below(6)];
    }
    std::snprintf(buf, sizeof buf, "/2026/%02llu/%02llu/%s/1.2.840.113619.2.55.3.%llu/%llu/IM-%04llu.dcm",
                  static_cast<unsigned long long>(day / 31 + 1),
                  static_cast<unsigned long long>(day % 31 + 1), modality,
                  static_cast<unsigned long long>(study_uid),
                  static_cast<unsigned long long>((i % kSlicesPerStudy) / 100 + 1),
                  static_cast<unsigned long long>(i % kSlicesPerStudy + 1));
    out.emplace_back(buf);
  }
  return out;
}

}  // namespace cairn
