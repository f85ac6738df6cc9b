#include "tests/cluster/alloc_probe.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<bool> g_probing{false};
std::atomic<size_t> g_largest_bytes{0};

void* allocate(size_t size) {
  if (g_probing.load(std::memory_order_relaxed)) {
    size_t seen = g_largest_bytes.load(std::memory_order_relaxed);
    while (size > seen && !g_largest_bytes.compare_exchange_weak(seen, size)) {
    }
  }
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

// The replaceable forms that the others (array, nothrow, sized delete) reach
// by default; aligned forms are left alone and pair among themselves.
void* operator new(size_t size) { return allocate(size); }
void* operator new[](size_t size) { return allocate(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace cairn::testing {

AllocationProbe::AllocationProbe() {
  g_largest_bytes.store(0);
  g_probing.store(true);
}

AllocationProbe::~AllocationProbe() { g_probing.store(false); }

size_t AllocationProbe::largest_bytes() const { return g_largest_bytes.load(); }

}  // namespace cairn::testing
