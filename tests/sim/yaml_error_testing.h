// Where a scenario error should point, for tests of YAML mistakes.
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace cairn::sim {

// "t.yaml:<line>:<column of `token` in that line>: " for `text` parsed as t.yaml.
inline std::string at(const std::string& text, int line, const std::string& token) {
  std::istringstream in(text);
  std::string l;
  for (int i = 0; i < line; ++i) std::getline(in, l);
  size_t column = l.find(token);
  EXPECT_NE(column, std::string::npos) << token << " not on line " << line << ": " << l;
  return "t.yaml:" + std::to_string(line) + ":" + std::to_string(column + 1) + ": ";
}

}  // namespace cairn::sim
