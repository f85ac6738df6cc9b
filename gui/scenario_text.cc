#include "gui/scenario_text.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <regex>
#include <vector>

namespace cairn::gui {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    if (dot == std::string_view::npos) dot = path.size();
    parts.emplace_back(path.substr(start, dot - start));
    start = dot + 1;
  }
  return parts;
}

std::optional<YAML::Node> load(std::string_view yaml) {
  try {
    return YAML::Load(std::string(yaml));
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

// The key node and value node of `key` in mapping `map`, if present.
std::optional<std::pair<YAML::Node, YAML::Node>> child(const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) return std::nullopt;
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return std::make_pair(it->first, it->second);
  return std::nullopt;
}

size_t pos_of(const YAML::Node& node) { return static_cast<size_t>(std::max(0, node.Mark().pos)); }

// The position just past a quoted scalar starting at `pos`, or npos.
size_t quoted_end(std::string_view text, size_t pos) {
  const char quote = text[pos];
  for (size_t i = pos + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') ++i;
    else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') ++i;
      else return i + 1;
    }
  }
  return std::string_view::npos;
}

// The position just past the bracket that closes the one at `pos`, or npos.
size_t flow_end(std::string_view text, size_t pos) {
  int depth = 0;
  for (size_t i = pos; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"' || c == '\'') {
      i = quoted_end(text, i);
      if (i == std::string_view::npos) return i;
      --i;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

bool is_flow(std::string_view text, const YAML::Node& node) {
  size_t p = pos_of(node);
  return p < text.size() && (text[p] == '{' || text[p] == '[');
}

// The furthest position `node` and its children reach in the text.
size_t last_pos(std::string_view text, const YAML::Node& node) {
  size_t p = pos_of(node);
  if (node.IsMap() || node.IsSequence()) {
    if (is_flow(text, node)) return std::min(flow_end(text, p), text.size());
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (node.IsMap()) {
        p = std::max(p, last_pos(text, it->first));
        p = std::max(p, last_pos(text, it->second));
      } else {
        p = std::max(p, last_pos(text, *it));
      }
    }
  }
  return p;
}

size_t line_end(std::string_view text, size_t pos) {
  size_t nl = text.find('\n', pos);
  return nl == std::string_view::npos ? text.size() : nl;
}

// The text range [begin, end) of a scalar or flow list value, if replaceable.
Result<std::pair<size_t, size_t>> value_range(std::string_view text, const YAML::Node& value) {
  size_t p = pos_of(value);
  if (p >= text.size()) return invalid_argument("the value's position is unknown");
  if (value.IsSequence() && text[p] == '[') return std::make_pair(p, flow_end(text, p));
  if (!value.IsScalar()) return invalid_argument("written as a block; edit it in the YAML tab");
  if (text[p] == '"' || text[p] == '\'') return std::make_pair(p, quoted_end(text, p));
  const std::string& s = value.Scalar();
  if (text.substr(p, s.size()) != s) return invalid_argument("written over several lines; edit it in the YAML tab");
  return std::make_pair(p, p + s.size());
}

// The missing keys `rest` with `value`, as a block under `indent` columns.
std::string nested_block(const std::vector<std::string>& rest, size_t indent, std::string_view value) {
  std::string out;
  for (size_t i = 0; i < rest.size(); ++i) {
    out += "\n" + std::string(indent + 2 * i, ' ') + rest[i] + ":";
    if (i + 1 == rest.size()) out += " " + std::string(value);
  }
  return out;
}

std::string nested_flow(const std::vector<std::string>& rest, std::string_view value) {
  std::string out = rest.back() + ": " + std::string(value);
  for (size_t i = rest.size() - 1; i-- > 0;) out = rest[i] + ": { " + out + " }";
  return out;
}

// Adds the keys `rest` (the first is missing from `map`) with `value`.
Result<std::string> insert(std::string_view text, const YAML::Node& map, const std::vector<std::string>& rest,
                           std::string_view value) {
  std::string out(text);
  if (!map.IsMap() || map.size() == 0) {
    if (map.IsDefined() && !map.IsNull() && !is_flow(text, map)) return invalid_argument("not a mapping");
    if (!map.IsDefined() || map.IsNull()) return invalid_argument("the enclosing key has no value");
  }
  if (is_flow(text, map)) {
    size_t close = flow_end(text, pos_of(map));
    if (close == std::string_view::npos) return invalid_argument("an unclosed bracket");
    size_t at = close - 1;
    while (at > 0 && (out[at - 1] == ' ' || out[at - 1] == '\n')) --at;
    bool empty = out[at - 1] == '{';
    out.insert(at, (empty ? " " : ", ") + nested_flow(rest, value) + (empty ? " " : ""));
    return out;
  }
  size_t indent = static_cast<size_t>(map.begin()->first.Mark().column);
  size_t at = line_end(text, last_pos(text, map));
  out.insert(at, nested_block(rest, indent, value));
  return out;
}

// True when the text now holds `value` at `path`, as YAML reads both.
bool holds(std::string_view text, const std::vector<std::string>& path, std::string_view value) {
  std::optional<YAML::Node> root = load(text);
  if (!root) return false;
  YAML::Node node = *root;
  for (const std::string& key : path) {
    auto c = child(node, key);
    if (!c) return false;
    node = c->second;
  }
  std::optional<YAML::Node> want = load("v: " + std::string(value));
  if (!want) return false;
  YAML::Node w = (*want)["v"];
  if (w.IsScalar() && node.IsScalar()) return w.Scalar() == node.Scalar();
  if (w.IsSequence() && node.IsSequence() && w.size() == node.size()) {
    for (size_t i = 0; i < w.size(); ++i)
      if (!w[i].IsScalar() || !node[i].IsScalar() || w[i].Scalar() != node[i].Scalar()) return false;
    return true;
  }
  return false;
}

}  // namespace

std::string yaml_scalar(std::string_view value) {
  const std::string_view indicators = "-?:,[]{}#&*!|>'\"%@`";
  bool quote = value.empty() || indicators.find(value.front()) != std::string_view::npos ||
               value.find(": ") != std::string_view::npos || value.find(" #") != std::string_view::npos ||
               value.find_first_of(",[]{}\n") != std::string_view::npos || value.front() == ' ' ||
               value.back() == ' ' || value.back() == ':';
  if (!quote) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "\"";
}

std::optional<std::string> get_value(std::string_view yaml, std::string_view key_path) {
  std::optional<YAML::Node> root = load(yaml);
  if (!root) return std::nullopt;
  YAML::Node node = *root;
  for (const std::string& key : split_path(key_path)) {
    auto c = child(node, key);
    if (!c) return std::nullopt;
    node = c->second;
  }
  if (node.IsScalar()) return node.Scalar();
  if (node.IsNull()) return std::string();
  if (!node.IsSequence()) return std::nullopt;
  std::string out = "[";
  for (size_t i = 0; i < node.size(); ++i) {
    if (!node[i].IsScalar()) return std::nullopt;
    out += (i ? ", " : "") + node[i].Scalar();
  }
  return out + "]";
}

Result<std::string> set_value(std::string_view yaml, std::string_view key_path, std::string_view value) {
  std::optional<YAML::Node> root = load(yaml);
  if (!root) return invalid_argument("the YAML does not parse; fix it in the YAML tab first");
  const std::vector<std::string> path = split_path(key_path);
  YAML::Node node = *root;
  std::string out(yaml);
  for (size_t i = 0; i < path.size(); ++i) {
    auto c = child(node, path[i]);
    if (!c) {
      Result<std::string> inserted =
          insert(yaml, node, std::vector<std::string>(path.begin() + static_cast<long>(i), path.end()), value);
      if (!inserted) return inserted.status();
      out = std::move(inserted).value();
      break;
    }
    if (i + 1 < path.size() && (c->second.IsMap() || !c->second.IsNull())) {
      node = c->second;
      continue;
    }
    // The key is here: replace its value, or give an empty key one.
    size_t key_end = pos_of(c->first) + c->first.Scalar().size();
    if (c->second.IsNull()) {
      size_t colon = out.find(':', key_end);
      if (colon == std::string::npos) return invalid_argument("cannot find the key's colon");
      size_t indent = static_cast<size_t>(c->first.Mark().column) + 2;
      std::vector<std::string> rest(path.begin() + static_cast<long>(i) + 1, path.end());
      out.insert(colon + 1, rest.empty() ? " " + std::string(value) : nested_block(rest, indent, value));
      break;
    }
    Result<std::pair<size_t, size_t>> range = value_range(yaml, c->second);
    if (!range) return range.status();
    auto [begin, end] = *range;
    if (end == std::string::npos) return invalid_argument("an unclosed quote or bracket");
    out.replace(begin, end - begin, value);
    break;
  }
  if (!holds(out, path, value)) return invalid_argument("the edit did not read back; edit it in the YAML tab");
  return out;
}

ScenarioError split_error(std::string_view full, std::string_view file_name) {
  ScenarioError e;
  e.full = std::string(full);
  std::string_view rest = full;
  if (!file_name.empty() && rest.substr(0, file_name.size()) == file_name) rest.remove_prefix(file_name.size());
  static const std::regex kPosition(R"(^:(\d+):(\d+): )");
  static const std::regex kKey(R"(^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*): )");
  std::string tail(rest);
  std::smatch m;
  if (std::regex_search(tail, m, kPosition)) {
    e.line = std::stoi(m[1]);
    e.column = std::stoi(m[2]);
    tail = m.suffix();
  }
  if (std::regex_search(tail, m, kKey)) {
    e.key = m[1];
    tail = m.suffix();
  }
  e.message = tail;
  return e;
}

}  // namespace cairn::gui
