#include "engine/units.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <span>
#include <vector>

namespace cairn {
namespace {

struct Unit {
  std::string_view symbol;
  double factor;  // SI base units (bytes, bytes per second, seconds) per unit
};

constexpr std::array kSizeUnits{
    Unit{"B", 1.0},      Unit{"kB", 1e3},     Unit{"MB", 1e6},     Unit{"GB", 1e9},
    Unit{"TB", 1e12},    Unit{"PB", 1e15},    Unit{"EB", 1e18},    Unit{"KiB", 0x1p10},
    Unit{"MiB", 0x1p20}, Unit{"GiB", 0x1p30}, Unit{"TiB", 0x1p40}, Unit{"PiB", 0x1p50},
    Unit{"EiB", 0x1p60},
};

// Bits, in bytes: only rates accept them.
constexpr std::array kBitUnits{
    Unit{"b", 1.0 / 8},    Unit{"kb", 1e3 / 8},   Unit{"Mb", 1e6 / 8},    Unit{"Gb", 1e9 / 8},
    Unit{"Tb", 1e12 / 8},  Unit{"Pb", 1e15 / 8},  Unit{"bit", 1.0 / 8},   Unit{"kbit", 1e3 / 8},
    Unit{"Mbit", 1e6 / 8}, Unit{"Gbit", 1e9 / 8}, Unit{"Tbit", 1e12 / 8}, Unit{"Pbit", 1e15 / 8},
};

constexpr std::array kBpsUnits{
    Unit{"bps", 1.0 / 8},  Unit{"kbps", 1e3 / 8},  Unit{"Mbps", 1e6 / 8},
    Unit{"Gbps", 1e9 / 8}, Unit{"Tbps", 1e12 / 8},
};

constexpr double kDay = 86400.0;
constexpr double kYear = 365.25 * kDay;
constexpr std::array kDurationUnits{
    Unit{"ns", 1e-9},
    Unit{"us", 1e-6},
    Unit{"µs", 1e-6},
    Unit{"ms", 1e-3},
    Unit{"s", 1.0},
    Unit{"sec", 1.0},
    Unit{"second", 1.0},
    Unit{"seconds", 1.0},
    Unit{"min", 60.0},
    Unit{"minute", 60.0},
    Unit{"minutes", 60.0},
    Unit{"h", 3600.0},
    Unit{"hr", 3600.0},
    Unit{"hour", 3600.0},
    Unit{"hours", 3600.0},
    Unit{"d", kDay},
    Unit{"day", kDay},
    Unit{"days", kDay},
    Unit{"week", 7 * kDay},
    Unit{"weeks", 7 * kDay},
    Unit{"month", kYear / 12},
    Unit{"months", kYear / 12},
    Unit{"y", kYear},
    Unit{"yr", kYear},
    Unit{"year", kYear},
    Unit{"years", kYear},
};

Status expected(std::string_view what, std::string_view text, const std::string& why = {}) {
  std::string message = "expected " + std::string(what) + ", got \"" + std::string(text) + "\"";
  if (!why.empty()) message += " (" + why + ")";
  return invalid_argument(std::move(message));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<double> find(std::span<const Unit> units, std::string_view symbol) {
  for (const Unit& u : units)
    if (u.symbol == symbol) return u.factor;
  return std::nullopt;
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// " (did you mean "TB"? units are case-sensitive)" when `symbol` matches one
// of `units` but for case, else the generic unknown-unit reason.
std::string unknown_unit(std::span<const Unit> units, std::string_view symbol,
                         std::string_view suffix = {}) {
  for (const Unit& u : units)
    if (iequal(u.symbol, symbol))
      return "unknown unit \"" + std::string(symbol) + std::string(suffix) + "\"; did you mean \"" +
             std::string(u.symbol) + std::string(suffix) + "\"? units are case-sensitive";
  return "unknown unit \"" + std::string(symbol) + std::string(suffix) + "\"";
}

struct Quantity {
  double value;
  std::string_view unit;  // trimmed; empty when none was written
};

// "<number><spaces><unit>", the number without a sign.
Result<Quantity> split(std::string_view what, std::string_view text) {
  std::string_view t = trim(text);
  if (t.empty()) return expected(what, text, "nothing written");
  if (t.front() == '-') return expected(what, text, "negative values are not allowed");
  size_t i = 0;
  size_t digits = 0;
  while (i < t.size() && is_digit(t[i])) ++i, ++digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && is_digit(t[i])) ++i, ++digits;
  }
  if (digits == 0) return expected(what, text, "no number");
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    size_t j = i + 1;
    if (j < t.size() && (t[j] == '+' || t[j] == '-')) ++j;
    if (j < t.size() && is_digit(t[j])) {  // else the 'e' starts a unit ("1 EB")
      while (j < t.size() && is_digit(t[j])) ++j;
      i = j;
    }
  }
  double value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + i, value);
  if (ec == std::errc::result_out_of_range || !std::isfinite(value))
    return expected(what, text, "number out of range");
  if (ec != std::errc() || end != t.data() + i) return expected(what, text, "no number");
  return Quantity{value, trim(t.substr(i))};
}

// A bare number is refused unless it is 0, whose unit does not matter: "1000"
// meant as bytes and "1000" meant as MB look the same.
Status missing_unit(std::string_view what, std::string_view text, std::string_view example_unit) {
  return expected(what, text,
                  "a unit is needed: write \"" + std::string(trim(text)) + " " +
                      std::string(example_unit) + "\" or another unit");
}

// The shortest digits that read back as `v`, or as a number within 15
// significant digits of it when that is shorter: 1e-4 s is "100 us", not
// "100.00000000000001 us".
std::string shortest(double v) {
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  std::string exact = ec == std::errc() ? std::string(buf.data(), end) : std::string("?");
  auto [end15, ec15] =
      std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::general, 15);
  std::string rounded = ec15 == std::errc() ? std::string(buf.data(), end15) : exact;
  return rounded.size() < exact.size() ? rounded : exact;
}

// The unit (among those in which the number is >= 1) that needs the fewest
// digits; ties go to the later unit. `fallback` when no unit gives >= 1.
std::string format_with(double value, std::span<const Unit> units, std::string_view fallback,
                        std::string_view suffix) {
  std::string best = shortest(value) + " " + std::string(fallback) + std::string(suffix);
  size_t best_digits = SIZE_MAX;
  for (const Unit& u : units) {
    double v = value / u.factor;
    if (v < 1.0) continue;
    std::string digits = shortest(v);
    if (digits.size() <= best_digits) {
      best_digits = digits.size();
      best = digits + " " + std::string(u.symbol) + std::string(suffix);
    }
  }
  return best;
}

}  // namespace

Result<double> parse_size_bytes(std::string_view text) {
  auto q = split(kExpectSize, text);
  if (!q) return q.status();
  if (q->unit.empty()) {
    if (q->value == 0) return 0.0;
    return missing_unit(kExpectSize, text, "B");
  }
  if (auto f = find(kSizeUnits, q->unit)) return q->value * *f;
  if (q->unit == "KB")
    return expected(kExpectSize, text, "\"KB\" is ambiguous: write kB (1000 B) or KiB (1024 B)");
  if (find(kBitUnits, q->unit))
    return expected(
        kExpectSize, text,
        "\"" + std::string(q->unit) + "\" is bits; sizes are in bytes (B, kB, MB, ...)");
  return expected(kExpectSize, text, unknown_unit(kSizeUnits, q->unit));
}

Result<double> parse_rate_bytes_per_s(std::string_view text) {
  auto q = split(kExpectRate, text);
  if (!q) return q.status();
  std::string_view unit = q->unit;
  if (unit.empty()) {
    if (q->value == 0) return 0.0;
    return missing_unit(kExpectRate, text, "MB/s");
  }
  if (auto f = find(kBpsUnits, unit)) return q->value * *f;
  size_t slash = unit.find('/');
  if (slash == std::string_view::npos) {
    if (find(kSizeUnits, unit) || find(kBitUnits, unit))
      return expected(kExpectRate, text,
                      "a rate is per second: write \"" + std::string(unit) + "/s\"");
    return expected(kExpectRate, text, unknown_unit(kBpsUnits, unit));
  }
  std::string_view amount = trim(unit.substr(0, slash));
  std::string_view per = trim(unit.substr(slash + 1));
  if (per != "s") return expected(kExpectRate, text, "rates are per second: write \"/s\"");
  if (auto f = find(kSizeUnits, amount)) return q->value * *f;
  if (auto f = find(kBitUnits, amount)) return q->value * *f;
  if (amount == "KB")
    return expected(kExpectRate, text, "\"KB\" is ambiguous: write kB (1000 B) or KiB (1024 B)");
  return expected(kExpectRate, text, unknown_unit(kSizeUnits, amount, "/s"));
}

Result<double> parse_duration_s(std::string_view text) {
  auto q = split(kExpectDuration, text);
  if (!q) return q.status();
  if (q->unit.empty()) {
    if (q->value == 0) return 0.0;
    return missing_unit(kExpectDuration, text, "s");
  }
  if (auto f = find(kDurationUnits, q->unit)) return q->value * *f;
  if (q->unit == "m")
    return expected(kExpectDuration, text, "\"m\" is ambiguous: write min or months");
  return expected(kExpectDuration, text, unknown_unit(kDurationUnits, q->unit));
}

Result<double> parse_fraction(std::string_view text) {
  auto q = split(kExpectFraction, text);
  if (!q) return q.status();
  if (q->unit == "%") return q->value / 100.0;
  if (!q->unit.empty())
    return expected(kExpectFraction, text, "unknown unit \"" + std::string(q->unit) + "\"");
  if (q->value > 1.0)
    return expected(kExpectFraction, text,
                    "a bare number is a fraction in [0, 1]; for a percentage write \"" +
                        std::string(trim(text)) + " %\"");
  return q->value;
}

Result<uint64_t> parse_count(std::string_view text) {
  std::string_view t = trim(text);
  if (t.empty()) return expected(kExpectCount, text, "nothing written");
  if (t.front() == '-') return expected(kExpectCount, text, "negative values are not allowed");
  for (char c : t)
    if (!is_digit(c)) return expected(kExpectCount, text, "digits only");
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc() || end != t.data() + t.size())
    return expected(kExpectCount, text, "number out of range");
  return value;
}

Result<double> parse_number(std::string_view text) {
  auto q = split(kExpectNumber, text);
  if (!q) return q.status();
  if (!q->unit.empty())
    return expected(kExpectNumber, text,
                    "no unit here; \"" + std::string(q->unit) + "\" is not expected");
  return q->value;
}

Result<double> parse_change(std::string_view text) {
  std::string_view t = trim(text);
  double sign = 1;
  if (!t.empty() && (t.front() == '-' || t.front() == '+')) {
    sign = t.front() == '-' ? -1 : 1;
    t.remove_prefix(1);
  }
  auto q = split(kExpectChange, t);
  if (!q) return expected(kExpectChange, text, "no number");
  if (q->unit == "%") return sign * q->value / 100.0;
  if (q->unit.empty() && q->value == 0) return 0.0;
  if (q->unit.empty())
    return expected(kExpectChange, text, "a change needs its unit; write \"" + std::string(trim(text)) + " %\"");
  return expected(kExpectChange, text, "unknown unit \"" + std::string(q->unit) + "\"");
}

Result<double> parse_watts(std::string_view text) {
  auto q = split(kExpectWatts, text);
  if (!q) return q.status();
  if (q->unit == "W") return q->value;
  if (q->unit == "kW") return q->value * 1e3;
  if (q->unit.empty() && q->value == 0) return 0.0;
  if (q->unit.empty()) return expected(kExpectWatts, text, "no unit; write \"" + std::string(trim(text)) + " W\"");
  return expected(kExpectWatts, text, "unknown unit \"" + std::string(q->unit) + "\"");
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string format_change(double change) {
  if (change == 0) return "0 %";
  return (change > 0 ? "+" : "-") + shortest(std::abs(change) * 100.0) + " %";
}

std::string format_watts(double watts) {
  return watts >= 1e3 ? shortest(watts / 1e3) + " kW" : shortest(watts) + " W";
}

std::string format_size(double bytes) {
  return format_with(bytes, kSizeUnits, "B", "");
}

std::string format_rate(double bytes_per_s) {
  return format_with(bytes_per_s, kSizeUnits, "B", "/s");
}

std::string format_bit_rate(double bytes_per_s) {
  static constexpr std::array kWritten{
      Unit{"b", 1.0 / 8},  Unit{"kb", 1e3 / 8},  Unit{"Mb", 1e6 / 8},
      Unit{"Gb", 1e9 / 8}, Unit{"Tb", 1e12 / 8}, Unit{"Pb", 1e15 / 8},
  };
  return format_with(bytes_per_s, kWritten, "B", "/s");
}

std::string format_duration(double seconds) {
  // Only the short and plural spellings, so that the output reads naturally.
  static constexpr std::array kWritten{
      Unit{"us", 1e-6},           Unit{"ms", 1e-3},     Unit{"s", 1.0},
      Unit{"min", 60.0},          Unit{"h", 3600.0},    Unit{"days", kDay},
      Unit{"months", kYear / 12}, Unit{"years", kYear},
  };
  std::string text = format_with(seconds, kWritten, "s", "");
  if (text.starts_with("1 ") && text.size() > 4 && text.ends_with('s')) text.pop_back();  // 1 day
  return text;
}

std::string format_fraction(double fraction) {
  return shortest(fraction * 100.0) + " %";
}

std::string format_number(double value) {
  return shortest(value);
}

Result<double> parse_ops_rate(std::string_view text) {
  auto q = split(kExpectOpsRate, text);
  if (!q) return q.status();
  if (q->unit.empty() && q->value == 0) return 0.0;
  if (q->unit.empty()) return expected(kExpectOpsRate, text, "no unit; write \"" + std::string(trim(text)) + " ops/s\"");
  if (q->unit == "ops/s" || q->unit == "op/s" || q->unit == "/s" || q->unit == "IOPS") return q->value;
  return expected(kExpectOpsRate, text, "unknown unit \"" + std::string(q->unit) + "\"");
}

std::string format_ops_rate(double ops_per_s) { return shortest(ops_per_s) + " ops/s"; }

}  // namespace cairn
