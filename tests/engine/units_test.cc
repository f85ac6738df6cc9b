#include "engine/units.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace cairn {
namespace {

using Case = std::pair<const char*, double>;

// Exact where the factor and the number are exact in binary; else within a few ulps.
void expect_parses(Result<double> (*parse)(std::string_view), const std::vector<Case>& cases) {
  for (const auto& [text, want] : cases) {
    auto got = parse(text);
    ASSERT_TRUE(got) << text << ": " << got.status().message();
    EXPECT_DOUBLE_EQ(*got, want) << text;
  }
}

void expect_refused(Result<double> (*parse)(std::string_view), std::string_view expect,
                    const std::vector<std::pair<const char*, const char*>>& cases) {
  for (const auto& [text, reason] : cases) {
    auto got = parse(text);
    ASSERT_FALSE(got) << text << " parsed as " << *got;
    const std::string& m = got.status().message();
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(m.find("expected " + std::string(expect)), std::string::npos) << m;
    EXPECT_NE(m.find("got \"" + std::string(text) + "\""), std::string::npos) << m;
    EXPECT_NE(m.find(reason), std::string::npos) << text << ": " << m;
  }
}

TEST(Units, EverySizeUnit) {
  expect_parses(parse_size_bytes, {{"0", 0},
                                   {"1 B", 1},
                                   {"300 kB", 300e3},
                                   {"0.5 MB", 0.5e6},
                                   {"20 TB", 20e12},
                                   {"20TB", 20e12},
                                   {"1.5 GB", 1.5e9},
                                   {"2 PB", 2e15},
                                   {"1 EB", 1e18},
                                   {"512 KiB", 524288},
                                   {"1 MiB", 1048576},
                                   {"1 GiB", 1073741824.0},
                                   {"4 TiB", 4 * 1099511627776.0},
                                   {"1 PiB", 1125899906842624.0},
                                   {"1 EiB", 1152921504606846976.0},
                                   {"2e6 B", 2e6},
                                   {" 20 \tTB ", 20e12},
                                   {".5 MB", 0.5e6},
                                   {"1E3 kB", 1e6}});
}

TEST(Units, SizesRefuseWithTheReason) {
  expect_refused(parse_size_bytes, kExpectSize,
                 {{"1000000", "a unit is needed"},
                  {"-1 TB", "negative"},
                  {"TB", "no number"},
                  {"", "nothing written"},
                  {"20 XB", "unknown unit \"XB\""},
                  {"20 tb", "did you mean \"TB\""},
                  {"20 KB", "ambiguous"},
                  {"10 Gb", "bits"},
                  {"1,000 kB", "unknown unit"},
                  {"1e999 B", "out of range"},
                  {"nan B", "no number"},
                  {"20 TB/s", "unknown unit"}});
}

TEST(Units, EveryRateUnit) {
  expect_parses(parse_rate_bytes_per_s, {{"0", 0},
                                         {"250 MB/s", 250e6},
                                         {"1.25 GB/s", 1.25e9},
                                         {"10 Gb/s", 1.25e9},
                                         {"1 Gbit/s", 1.25e8},
                                         {"100 Mb/s", 12.5e6},
                                         {"10 Gbps", 1.25e9},
                                         {"100 Mbps", 12.5e6},
                                         {"8 kbps", 1e3},
                                         {"8 bps", 1},
                                         {"1 Tbps", 1.25e11},
                                         {"8 b/s", 1},
                                         {"1 kB/s", 1e3},
                                         {"1 TB/s", 1e12},
                                         {"1 MiB/s", 1048576},
                                         {"1 KiB/s", 1024},
                                         {"8 kb/s", 1e3},
                                         {"1 Tb/s", 1.25e11},
                                         {"1 B/s", 1}});
}

TEST(Units, RatesRefuseWithTheReason) {
  expect_refused(parse_rate_bytes_per_s, kExpectRate,
                 {{"250", "a unit is needed"},
                  {"250 MB", "per second"},
                  {"250 MB/h", "per second"},
                  {"-1 MB/s", "negative"},
                  {"fast", "no number"},
                  {"1 KB/s", "ambiguous"},
                  {"1 gb/s", "did you mean \"GB/s\""},
                  {"1 furlong", "unknown unit"}});
}

TEST(Units, EveryDurationUnit) {
  const double day = 86400, year = 365.25 * day;
  expect_parses(parse_duration_s, {{"0", 0},
                                   {"600 s", 600},
                                   {"1 sec", 1},
                                   {"1 second", 1},
                                   {"2 seconds", 2},
                                   {"10 min", 600},
                                   {"1 minute", 60},
                                   {"2 minutes", 120},
                                   {"4 h", 4 * 3600.0},
                                   {"1 hr", 3600},
                                   {"1 hour", 3600},
                                   {"2 hours", 7200},
                                   {"1 d", day},
                                   {"1 day", day},
                                   {"90 days", 90 * day},
                                   {"1 week", 7 * day},
                                   {"2 weeks", 14 * day},
                                   {"1 month", year / 12},
                                   {"6 months", year / 2},
                                   {"1 y", year},
                                   {"1 yr", year},
                                   {"1 year", year},
                                   {"15 years", 15 * year},
                                   {"0.1 ms", 1e-4},
                                   {"100 us", 1e-4},
                                   {"100 µs", 1e-4},
                                   {"5 ns", 5e-9}});
}

TEST(Units, DurationsRefuseWithTheReason) {
  expect_refused(parse_duration_s, kExpectDuration,
                 {{"600", "a unit is needed"},
                  {"5 m", "ambiguous"},
                  {"-4 h", "negative"},
                  {"soon", "no number"},
                  {"4 H", "did you mean \"h\""},
                  {"3 fortnights", "unknown unit"}});
}

TEST(Units, Fractions) {
  expect_parses(parse_fraction, {{"2 %", 0.02},
                                 {"80%", 0.8},
                                 {"0.02", 0.02},
                                 {"1", 1},
                                 {"0", 0},
                                 {"1.5 %", 0.015},
                                 {"150 %", 1.5},
                                 {"0 %", 0}});
  expect_refused(parse_fraction, kExpectFraction,
                 {{"2", "for a percentage write \"2 %\""},
                  {"high", "no number"},
                  {"-2 %", "negative"},
                  {"2 percent", "unknown unit"},
                  {"", "nothing written"}});
}

TEST(Units, CountsAndNumbers) {
  EXPECT_EQ(*parse_count("12"), 12u);
  EXPECT_EQ(*parse_count(" 0 "), 0u);
  EXPECT_EQ(*parse_count("18446744073709551615"), UINT64_MAX);
  for (const char* bad : {"", "-3", "12.5", "1e3", "twelve", "0x10", "18446744073709551616"}) {
    auto r = parse_count(bad);
    EXPECT_FALSE(r) << bad;
    EXPECT_NE(r.status().message().find("expected a whole number"), std::string::npos);
  }
  EXPECT_DOUBLE_EQ(*parse_number("0.5"), 0.5);
  EXPECT_DOUBLE_EQ(*parse_number("2"), 2);
  EXPECT_FALSE(parse_number("-1"));
  EXPECT_FALSE(parse_number("1 %"));
}

TEST(Units, OperationRates) {
  EXPECT_DOUBLE_EQ(*parse_ops_rate("150 ops/s"), 150);
  EXPECT_DOUBLE_EQ(*parse_ops_rate("20000 IOPS"), 20000);
  EXPECT_DOUBLE_EQ(*parse_ops_rate("80/s"), 80);
  EXPECT_DOUBLE_EQ(*parse_ops_rate("0"), 0);
  for (const char* bad : {"150", "-5 ops/s", "150 MB/s", "fast"}) {
    auto r = parse_ops_rate(bad);
    EXPECT_FALSE(r) << bad;
    EXPECT_NE(r.status().message().find("operation rate"), std::string::npos) << r.status().message();
  }
  EXPECT_EQ(format_ops_rate(150), "150 ops/s");
  EXPECT_DOUBLE_EQ(*parse_ops_rate(format_ops_rate(1234.5)), 1234.5);
}

TEST(Units, FormatsReadably) {
  EXPECT_EQ(format_size(54e12), "54 TB");
  EXPECT_EQ(format_size(300e3), "300 kB");
  EXPECT_EQ(format_size(4 * 1099511627776.0), "4 TiB");
  EXPECT_EQ(format_size(0), "0 B");
  EXPECT_EQ(format_rate(1.25e9), "1.25 GB/s");
  EXPECT_EQ(format_bit_rate(1.25e9), "10 Gb/s");
  EXPECT_EQ(format_bit_rate(12.5e6), "100 Mb/s");
  EXPECT_EQ(format_bit_rate(0.1), "0.1 B/s");
  EXPECT_EQ(format_duration(3 * 86400.0), "3 days");
  EXPECT_EQ(format_duration(86400.0), "1 day");
  EXPECT_EQ(format_duration(600), "10 min");
  EXPECT_EQ(format_duration(365.25 * 86400 / 2), "6 months");
  EXPECT_EQ(format_duration(15 * 365.25 * 86400), "15 years");
  EXPECT_EQ(format_duration(1e-4), "100 us");
  EXPECT_EQ(format_fraction(0.015), "1.5 %");
}

// format_* and parse_* are inverses, within rounding, across every magnitude.
TEST(Units, FormatThenParseRoundTrips) {
  for (double x = 1e-7; x < 1e20; x *= 3.7) {
    auto size = parse_size_bytes(format_size(x));
    ASSERT_TRUE(size) << format_size(x);
    EXPECT_NEAR(*size, x, x * 1e-14) << format_size(x);
    auto rate = parse_rate_bytes_per_s(format_rate(x));
    ASSERT_TRUE(rate) << format_rate(x);
    EXPECT_NEAR(*rate, x, x * 1e-14) << format_rate(x);
    auto bits = parse_rate_bytes_per_s(format_bit_rate(x));
    ASSERT_TRUE(bits) << format_bit_rate(x);
    EXPECT_NEAR(*bits, x, x * 1e-14) << format_bit_rate(x);
    auto duration = parse_duration_s(format_duration(x));
    ASSERT_TRUE(duration) << format_duration(x);
    EXPECT_NEAR(*duration, x, x * 1e-14) << format_duration(x);
  }
  for (double f : {0.0, 0.001, 0.015, 0.2, 0.8, 1.0}) {
    auto back = parse_fraction(format_fraction(f));
    ASSERT_TRUE(back);
    EXPECT_NEAR(*back, f, 1e-15);
  }
}

}  // namespace
}  // namespace cairn
