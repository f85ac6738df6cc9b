#include "cluster-ref/node/compliance_clock.h"

#include <charconv>
#include <string>

#include "cluster-ref/store/posix_file.h"

namespace cairn {
namespace {

constexpr std::string_view kHeader = "cairn-compliance-clock 1\n";

Result<int64_t> parse(const std::string& file, std::span<const std::byte> bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (!text.starts_with(kHeader) || !text.ends_with("\n")) {
    return corrupt(file + " is not a compliance clock of format 1; restore it (or its backup) before starting");
  }
  const std::string_view digits = text.substr(kHeader.size(), text.size() - kHeader.size() - 1);
  int64_t ns = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ns);
  if (ec != std::errc() || end != digits.data() + digits.size() || ns < 0) {
    return corrupt(file + " holds no valid time; restore it before starting");
  }
  return ns;
}

}  // namespace

Result<std::unique_ptr<ComplianceClock>> ComplianceClock::open(const std::filesystem::path& state_dir,
                                                               const WallClock& wall) {
  const std::string file = (state_dir / "compliance-clock").string();
  int64_t persisted = 0;
  auto bytes = posix::read_file(file, 256);
  if (bytes) {
    auto ns = parse(file, *bytes);
    if (!ns) return ns.status();
    persisted = *ns;
  } else if (bytes.status().code() != StatusCode::kNotFound) {
    return bytes.status();
  }
  return std::unique_ptr<ComplianceClock>(new ComplianceClock(file, wall, persisted));
}

int64_t ComplianceClock::now_ns() {
  const int64_t wall = wall_.now_ns();
  int64_t latest = latest_ns_.load();
  while (wall > latest && !latest_ns_.compare_exchange_weak(latest, wall)) {
  }
  return std::max(wall, latest);
}

Status ComplianceClock::persist() {
  const int64_t now = now_ns();
  std::lock_guard lock(persist_mutex_);
  if (now <= persisted_ns_) return Status::ok();
  const std::string text = std::string(kHeader) + std::to_string(now) + "\n";
  const std::string file = file_.string();
  const std::string tmp = file + ".tmp";
  (void)posix::unlink_file(tmp);
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(text.data()), text.size());
  if (Status st = posix::write_new_file_synced(tmp, bytes); !st.is_ok()) return st;
  if (Status st = posix::rename_file(tmp, file); !st.is_ok()) return st;
  if (Status st = posix::sync_dir(posix::parent_of(file)); !st.is_ok()) return st;
  persisted_ns_ = now;
  return Status::ok();
}

}  // namespace cairn
