// Strong identifiers for topology and placement objects. Ids are dense indices,
// never reused: a removed disk keeps its id so old and new layouts compare.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace cairn {

template <class Tag>
struct Id {
  uint32_t value = 0;
  constexpr Id() = default;
  constexpr explicit Id(uint32_t v) : value(v) {}
  constexpr auto operator<=>(const Id&) const = default;
};

using SiteId = Id<struct SiteTag>;
using RackId = Id<struct RackTag>;
using NodeId = Id<struct NodeTag>;
using DiskId = Id<struct DiskTag>;
using GroupId = Id<struct GroupTag>;

}  // namespace cairn

template <class Tag>
struct std::hash<cairn::Id<Tag>> {
  size_t operator()(cairn::Id<Tag> id) const noexcept { return std::hash<uint32_t>{}(id.value); }
};
