// Redundancy schemes and failure domains: the vocabulary a pool is described in.
// `replica:N` is treated as the code 1+(N-1): every member stores the whole
// file, and N-1 losses are tolerated, so heal, load and durability code can
// treat both kinds through width(), data_members() and tolerated_losses().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace cairn {

enum class FailureDomain : uint8_t { kDisk = 0, kNode = 1, kRack = 2 };
enum class DeviceClass : uint8_t { kHdd = 0, kSsd = 1 };
enum class GroupStrategy : uint8_t { kFixed = 0, kDeclustered = 1 };

struct Scheme {
  enum class Kind : uint8_t { kReplica = 0, kErasure = 1 };
  Kind kind = Kind::kReplica;
  uint32_t k = 1;  // data members (1 for replicas)
  uint32_t m = 2;  // members that may be lost (N-1 for replicas)

  static constexpr uint32_t kMaxWidth = 32;  // ISA-L's Cauchy matrices stay invertible here

  // Parses "replica:3" or "ec:8+3".
  static Result<Scheme> parse(std::string_view text);
  static Scheme replica(uint32_t n) { return {Kind::kReplica, 1, n - 1}; }
  static Scheme erasure(uint32_t k, uint32_t m) { return {Kind::kErasure, k, m}; }

  uint32_t width() const { return k + m; }
  uint32_t data_members() const { return k; }
  uint32_t tolerated_losses() const { return m; }
  bool is_replica() const { return kind == Kind::kReplica; }
  // Raw bytes stored per byte of file data, ignoring padding and metadata.
  double overhead() const { return static_cast<double>(width()) / k; }
  std::string to_string() const;
  bool operator==(const Scheme&) const = default;
};

Result<FailureDomain> parse_failure_domain(std::string_view text);
Result<GroupStrategy> parse_group_strategy(std::string_view text);
Result<DeviceClass> parse_device_class(std::string_view text);
const char* to_string(FailureDomain d);
const char* to_string(GroupStrategy s);
const char* to_string(DeviceClass c);

}  // namespace cairn
