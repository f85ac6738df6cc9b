// Variants of one scenario for a comparison: "replica:3", "ec:8+3",
// "declustered", "rack", or combinations joined by '/'
// ("ec:8+3/declustered"), each applied to the scenario's YAML text with
// set_value() so the rest of the scenario stays as written. Pure; no Qt.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace cairn::gui {

inline constexpr size_t kMaxVariants = 4;

// "replica:3, ec:4+2, ec:8+3" -> three names; commas or spaces separate.
std::vector<std::string> parse_variants(std::string_view list);

// The scenario text with `variant` applied: a scheme sets pool.scheme,
// fixed/declustered pool.strategy, disk/node/rack pool.failure_domain.
Result<std::string> apply_variant(std::string_view yaml, std::string_view variant);

}  // namespace cairn::gui
