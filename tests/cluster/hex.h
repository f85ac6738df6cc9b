// Hex text for golden byte vectors in the format tests: hex() to compare
// against a pinned string, unhex() to build a hand-written input.
#pragma once
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::testing {

inline std::string hex(std::span<const std::byte> bytes) {
  std::string out;
  char buf[3];
  for (std::byte b : bytes) {
    std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned>(b));
    out += buf;
  }
  return out;
}

// Two hex digits per byte; spaces are ignored so a vector can be laid out by
// field. Anything else is a mistake in the test and aborts it.
inline std::vector<std::byte> unhex(std::string_view text) {
  auto digit = [](char c) -> unsigned {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    std::abort();
  };
  std::vector<std::byte> out;
  std::string digits;
  for (char c : text) {
    if (c != ' ') digits += c;
  }
  if (digits.size() % 2 != 0) std::abort();
  for (size_t i = 0; i < digits.size(); i += 2) {
    out.push_back(static_cast<std::byte>(digit(digits[i]) * 16 + digit(digits[i + 1])));
  }
  return out;
}

inline std::vector<std::byte> bytes_of(std::string_view text) {
  std::vector<std::byte> out(text.size());
  for (size_t i = 0; i < text.size(); ++i) out[i] = static_cast<std::byte>(text[i]);
  return out;
}

}  // namespace cairn::testing
