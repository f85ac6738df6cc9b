// AllocationProbe: the largest single heap allocation made while it lives.
// The format tests use it to show that a hostile declared length is refused
// before anything of that size is allocated. It works because alloc_probe.cc
// replaces the global operator new of the test program; one probe at a time,
// on the test's thread.
#pragma once
#include <cstddef>

namespace cairn::testing {

class AllocationProbe {
 public:
  AllocationProbe();
  ~AllocationProbe();
  AllocationProbe(const AllocationProbe&) = delete;
  AllocationProbe& operator=(const AllocationProbe&) = delete;
  size_t largest_bytes() const;
};

}  // namespace cairn::testing
