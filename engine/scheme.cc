#include "engine/scheme.h"

#include <charconv>

namespace cairn {
namespace {

bool parse_u32(std::string_view s, uint32_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

Status bad_scheme(std::string_view text, std::string_view why) {
  return invalid_argument("bad scheme '" + std::string(text) + "': " + std::string(why) +
                          " (expected replica:N or ec:K+M, e.g. replica:3, ec:8+3)");
}

}  // namespace

Result<Scheme> Scheme::parse(std::string_view text) {
  if (text.starts_with("replica:")) {
    uint32_t n = 0;
    if (!parse_u32(text.substr(8), n)) return bad_scheme(text, "N is not a number");
    if (n < 1 || n > kMaxWidth) return bad_scheme(text, "N must be 1..32");
    return Scheme::replica(n);
  }
  if (text.starts_with("ec:")) {
    std::string_view rest = text.substr(3);
    size_t plus = rest.find('+');
    if (plus == std::string_view::npos) return bad_scheme(text, "missing '+'");
    uint32_t k = 0, m = 0;
    if (!parse_u32(rest.substr(0, plus), k) || !parse_u32(rest.substr(plus + 1), m))
      return bad_scheme(text, "K and M must be numbers");
    if (k < 1 || m < 1) return bad_scheme(text, "K and M must be at least 1");
    if (k + m > kMaxWidth) return bad_scheme(text, "K+M must be at most 32");
    return Scheme::erasure(k, m);
  }
  return bad_scheme(text, "unknown kind");
}

std::string Scheme::to_string() const {
  if (is_replica()) return "replica:" + std::to_string(width());
  return "ec:" + std::to_string(k) + "+" + std::to_string(m);
}

Result<FailureDomain> parse_failure_domain(std::string_view text) {
  if (text == "disk") return FailureDomain::kDisk;
  if (text == "node") return FailureDomain::kNode;
  if (text == "rack") return FailureDomain::kRack;
  return invalid_argument("bad failure domain '" + std::string(text) +
                          "' (expected disk, node or rack)");
}

Result<GroupStrategy> parse_group_strategy(std::string_view text) {
  if (text == "fixed") return GroupStrategy::kFixed;
  if (text == "declustered") return GroupStrategy::kDeclustered;
  return invalid_argument("bad group strategy '" + std::string(text) +
                          "' (expected fixed or declustered)");
}

Result<DeviceClass> parse_device_class(std::string_view text) {
  if (text == "hdd" || text == "HDD") return DeviceClass::kHdd;
  if (text == "ssd" || text == "SSD") return DeviceClass::kSsd;
  return invalid_argument("bad device class '" + std::string(text) + "' (expected hdd or ssd)");
}

const char* to_string(FailureDomain d) {
  switch (d) {
    case FailureDomain::kDisk: return "disk";
    case FailureDomain::kNode: return "node";
    case FailureDomain::kRack: return "rack";
  }
  return "?";
}

const char* to_string(GroupStrategy s) {
  return s == GroupStrategy::kFixed ? "fixed" : "declustered";
}

const char* to_string(DeviceClass c) { return c == DeviceClass::kHdd ? "hdd" : "ssd"; }

}  // namespace cairn
