#include "gui/variants.h"

#include "gui/scenario_text.h"

namespace cairn::gui {

std::vector<std::string> parse_variants(std::string_view list) {
  std::vector<std::string> out;
  std::string current;
  for (char c : std::string(list) + ",") {
    if (c == ',' || c == ' ' || c == '\t' || c == '\n') {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  return out;
}

Result<std::string> apply_variant(std::string_view yaml, std::string_view variant) {
  std::string text(yaml);
  size_t start = 0;
  while (start <= variant.size()) {
    size_t slash = variant.find('/', start);
    if (slash == std::string_view::npos) slash = variant.size();
    std::string part(variant.substr(start, slash - start));
    start = slash + 1;
    if (part.empty()) continue;
    const char* key = "pool.scheme";
    if (part == "fixed" || part == "declustered") key = "pool.strategy";
    else if (part == "disk" || part == "node" || part == "rack") key = "pool.failure_domain";
    else if (part.rfind("replica:", 0) != 0 && part.rfind("ec:", 0) != 0)
      return invalid_argument("variant '" + part + "': expected replica:N, ec:K+M, fixed, declustered, disk, node or rack");
    Result<std::string> edited = set_value(text, key, yaml_scalar(part));
    if (!edited) return Status(edited.status().code(), "variant '" + part + "': " + edited.status().message());
    text = std::move(edited).value();
  }
  return text;
}

}  // namespace cairn::gui
