// `cairn scrub`: start a scrub pass on every node and wait until each has
// finished it and healed what it found (cluster-ref/node/scrubber.h).
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cluster_common.h"
#include "cli/commands.h"
#include "engine/units.h"

namespace cairn::cli {

int run_scrub(const std::string& cluster, bool now, bool json, const std::string& timeout_text) {
  auto timeout_s = parse_duration_s(timeout_text);
  if (!timeout_s) return usage_error("scrub", "--timeout: " + timeout_s.status().message());
  auto client = open_client("scrub", cluster);
  if (!client) return 2;
  const auto started = std::chrono::steady_clock::now();
  uint64_t last_files = UINT64_MAX;
  auto report = client->scrub(now, Millis(static_cast<int64_t>(*timeout_s * 1000)), [&](uint64_t files) {
    if (json || files == last_files) return;
    std::cerr << "scrub: " << files << " files verified so far\n";
    last_files = files;
  });
  if (!report) return std::cerr << "cairn scrub: error: " << report.status().message() << "\n", 1;
  const double took_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const bool ok = report->nodes_unreachable.empty() && report->groups_unreachable == 0;
  if (json) {
    nlohmann::json nodes = nlohmann::json::array();
    for (const std::string& s : report->node_scrub_json) nodes.push_back(nlohmann::json::parse(s));
    std::cout << nlohmann::json{{"files_verified", report->files_verified},
                                {"bytes_verified", report->bytes_verified},
                                {"payload_corrupt", report->payload_corrupt},
                                {"record_corrupt", report->record_corrupt},
                                {"members_differ", report->members_differ},
                                {"groups_compared", report->groups_compared},
                                {"groups_unreachable", report->groups_unreachable},
                                {"nodes_unreachable", report->nodes_unreachable},
                                {"seconds", took_s},
                                {"nodes", nodes},
                                {"ok", ok}}
                     .dump(2)
              << "\n";
    return ok ? 0 : 1;
  }
  std::cout << "scrub: " << report->files_verified << " files ("
            << human_bytes(static_cast<double>(report->bytes_verified)) << ") verified, "
            << report->groups_compared << " groups compared in " << human_seconds(took_s) << "\n";
  std::cout << "found: " << report->payload_corrupt << " corrupt copies, " << report->record_corrupt
            << " corrupt records, " << report->members_differ << " paths whose members differed; all repaired\n";
  if (report->groups_unreachable > 0)
    std::cout << "  " << report->groups_unreachable << " group comparisons skipped: a member did not answer\n";
  for (uint32_t n : report->nodes_unreachable) std::cout << "  node " << n << " was not scrubbed: it did not answer\n";
  return ok ? 0 : 1;
}

}  // namespace cairn::cli
