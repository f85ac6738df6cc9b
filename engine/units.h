// Units: quantities written as people write them in scenarios ("20 TB",
// "250 MB/s", "10 Gb/s", "6 months", "2 %") read into SI values — bytes,
// bytes per second, seconds, fractions — and written back the same way.
//
// The grammar, shared by every kind (scenarios/README.md repeats it for users):
// - a number: digits with an optional decimal part and exponent ("0.5",
//   "1.25", "2e6"); no sign, so negative quantities are errors; then optional
//   spaces; then the unit. Units are case-sensitive.
// - Sizes: B; kB MB GB TB PB EB are powers of 1000, KiB MiB GiB TiB PiB EiB
//   powers of 1024. "KB" is refused as ambiguous, and bit units (Gb) are
//   refused: sizes are in bytes.
// - Rates: a size or bit unit followed by "/s" ("250 MB/s", "1.25 GB/s",
//   "10 Gb/s", "1 Gbit/s"), or bps kbps Mbps Gbps Tbps. A lowercase b is a bit.
// - Durations: ns us µs ms s sec second(s) min minute(s) h hr hour(s) d day(s)
//   week(s) month(s) y yr year(s). A year is 365.25 days, a month 1/12 year.
//   "m" is refused as ambiguous (minute or month).
// - A size, rate or duration needs its unit; only a bare 0 may omit it.
// - Fractions: a percentage ("2 %", "80%", any non-negative value) or a bare
//   number in [0, 1] ("0.02"). A bare number above 1 is refused: "2" might
//   mean 2 % or 200 %.
// - Counts: a non-negative whole number in decimal ("12").
// Range checks beyond sign and unit belong to validate() (scenario.h).
//
// Every error message reads `expected <kind> like <examples>, got "<text>"`,
// with the reason after it when there is one; callers prefix where it was.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <cstddef>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace cairn {

// What each parser expects, as its error messages say it.
inline constexpr std::string_view kExpectSize = R"(a size like "20 TB", "300 kB" or "4 TiB")";
inline constexpr std::string_view kExpectRate = R"(a rate like "250 MB/s" or "10 Gb/s")";
inline constexpr std::string_view kExpectDuration =
    R"(a duration like "90 days", "4 h", "6 months" or "15 years")";
inline constexpr std::string_view kExpectFraction = R"(a fraction like "1.5 %" or 0.015)";
inline constexpr std::string_view kExpectCount = R"(a whole number like 12)";
inline constexpr std::string_view kExpectNumber = R"(a non-negative number like 0.5)";
inline constexpr std::string_view kExpectOpsRate = R"(an operation rate like "150 ops/s")";
inline constexpr std::string_view kExpectChange = R"(a change like "-8 %", "+2 %" or 0)";
inline constexpr std::string_view kExpectWatts = R"(a power like "7 W" or "1.2 kW")";

Result<double> parse_size_bytes(std::string_view text);
Result<double> parse_rate_bytes_per_s(std::string_view text);
Result<double> parse_duration_s(std::string_view text);
Result<double> parse_fraction(std::string_view text);
Result<uint64_t> parse_count(std::string_view text);
Result<double> parse_number(std::string_view text);  // unitless, non-negative
// Operations per second: "150 ops/s" (also "op/s", "/s", "IOPS"); 0 needs no unit.
Result<double> parse_ops_rate(std::string_view text);
// A signed relative change, as a fraction: "-8 %" -> -0.08, "+30 %" -> 0.3.
Result<double> parse_change(std::string_view text);
// Watts: "7 W", "1.2 kW"; 0 needs no unit.
Result<double> parse_watts(std::string_view text);

// Readable forms that the parsers above read back to the same value within
// 15 significant digits: the unit that keeps the number >= 1 with the fewest
// digits. format_size(54e12) == "54 TB"; format_rate(1.25e9) == "1.25 GB/s";
// format_duration(3 * 86400) == "3 days"; format_fraction(0.015) == "1.5 %".
std::string format_size(double bytes);

// Levenshtein distance, for "did you mean ...?" hints on mistyped keys.
size_t edit_distance(std::string_view a, std::string_view b);
std::string format_rate(double bytes_per_s);
std::string format_bit_rate(double bytes_per_s);  // networks: 1.25e9 -> "10 Gb/s"
std::string format_duration(double seconds);
std::string format_fraction(double fraction);
std::string format_number(double value);  // for parse_number: "0.5"
std::string format_ops_rate(double ops_per_s);  // "150 ops/s"
std::string format_change(double change);       // -0.08 -> "-8 %", 0.3 -> "+30 %"
std::string format_watts(double watts);         // "7 W", "1.2 kW"

}  // namespace cairn
