// Logging for the reference cluster's processes: one line per event on
// stderr, "2026-11-25T12:00:00.123Z node3 WARN closing 127.0.0.1:51234: bad
// frame magic". Thread-safe (each line is written whole). The process sets its
// name once at start (set_log_name); levels below the threshold are dropped.
#pragma once
#include <sstream>
#include <string>

namespace cairn::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void set_log_name(std::string name);
void set_log_level(Level level);
bool enabled(Level level);
void write(Level level, const std::string& line);

// Collects one line and writes it when destroyed: log::Line(kWarn) << "x " << y;
class Line {
 public:
  explicit Line(Level level) : level_(level) {}
  Line(const Line&) = delete;
  Line& operator=(const Line&) = delete;
  ~Line() {
    if (enabled(level_)) write(level_, out_.str());
  }
  template <class T>
  Line& operator<<(const T& value) {
    if (enabled(level_)) out_ << value;
    return *this;
  }

 private:
  Level level_;
  std::ostringstream out_;
};

inline Line debug() { return Line(Level::kDebug); }
inline Line info() { return Line(Level::kInfo); }
inline Line warn() { return Line(Level::kWarn); }
inline Line error() { return Line(Level::kError); }

}  // namespace cairn::log
