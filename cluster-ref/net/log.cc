#include "cluster-ref/net/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace cairn::log {
namespace {

std::mutex g_mutex;  // guards g_name and whole-line writes
std::string g_name = "cairn";
std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

const char* level_name(Level level) {
  switch (level) {
    case Level::kDebug: return "DEBUG";
    case Level::kInfo: return "INFO";
    case Level::kWarn: return "WARN";
    case Level::kError: return "ERROR";
  }
  return "?";
}

}  // namespace

void set_log_name(std::string name) {
  std::lock_guard lock(g_mutex);
  g_name = std::move(name);
}

void set_log_level(Level level) { g_level = static_cast<int>(level); }

bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void write(Level level, const std::string& line) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  std::lock_guard lock(g_mutex);
  std::fprintf(stderr, "%s.%03dZ %s %s %s\n", stamp, static_cast<int>(ms), g_name.c_str(),
               level_name(level), line.c_str());
  std::fflush(stderr);
}

}  // namespace cairn::log
