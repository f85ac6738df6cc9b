// `cairn retention set|lift|show`: the cluster's WORM retention policies
// (engine/retention.h). A change is the next epoch of the cluster map,
// installed on every node (which refuses one that weakens retention unless
// it comes as a governance bypass, and compliance never), then written to the
// cluster file so that a node started later runs it too.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cluster_common.h"
#include "cli/commands.h"
#include "cluster-ref/store/posix_file.h"
#include "engine/units.h"

namespace cairn::cli {
namespace fs = std::filesystem;
namespace {

struct Options {
  std::string cluster;
  std::string prefix;
  std::string period;
  std::string auto_commit = "0 s";
  std::string mode = "governance";
  bool bypass_governance = false;
  std::string reason;
  bool json = false;
};

int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "30 days" to whole seconds, in ns; an error names the option.
Result<int64_t> duration_ns(const std::string& option, const std::string& text) {
  auto s = parse_duration_s(text);
  if (!s) return invalid_argument(option + ": " + s.status().message());
  if (*s < 0 || *s > 1e11) return invalid_argument(option + ": must be between 0 s and 100 years");
  return static_cast<int64_t>(std::llround(*s)) * 1'000'000'000;
}

std::string days_text(int64_t ns) {
  const double days = static_cast<double>(ns) / 86400e9;
  if (days >= 1 && std::abs(days - std::round(days)) < 1e-9) return std::to_string(std::llround(days)) + " days";
  return human_seconds(static_cast<double>(ns) / 1e9);
}

std::string bypass_reason(const Options& o, const std::string& command) {
  const char* user = std::getenv("USER");
  std::string who = user != nullptr && *user != '\0' ? user : "uid " + std::to_string(::getuid());
  return "cairn retention " + command + " " + o.prefix + " by " + who + (o.reason.empty() ? "" : ": " + o.reason);
}

// Installs `policies` and rewrites the cluster file; prints what happened.
int apply(const Options& o, const std::string& command, std::vector<RetentionPolicy> policies) {
  auto client = open_client("retention " + command, o.cluster);
  if (!client) return 2;
  const std::string reason = bypass_reason(o, command);
  auto change = client->change_retention(std::move(policies), o.bypass_governance ? &reason : nullptr);
  if (!change) {
    std::cerr << "cairn retention " << command << ": error: " << change.status().message() << "\n";
    return change.status().code() == StatusCode::kInvalidArgument ? 2 : 1;
  }
  if (Status st = posix::replace_file_durably(cluster_file_of("retention " + command, o.cluster), change->map->yaml); !st.is_ok()) {
    std::cerr << "cairn retention " << command << ": error: the nodes run map epoch " << change->map->epoch()
              << " but the cluster file was not updated: " << st.message() << "\n";
    return 1;
  }
  for (const std::string& w : change->weakened)
    std::cout << "governance bypassed (logged by every node): " << w << "\n";
  for (uint32_t n : change->nodes_unreachable)
    std::cout << "node " << n << " did not answer; it takes map epoch " << change->map->epoch() << " when it starts\n";
  std::cout << "retention map epoch " << change->map->epoch() << " installed\n";
  return 0;
}

int do_set(const Options& o) {
  RetentionPolicy p;
  p.prefix = o.prefix;
  auto period = duration_ns("--period", o.period);
  if (!period) return usage_error("retention set", period.status().message());
  auto auto_commit = duration_ns("--auto-commit", o.auto_commit);
  if (!auto_commit) return usage_error("retention set", auto_commit.status().message());
  auto mode = parse_retention_mode(o.mode);
  if (!mode) return usage_error("retention set", "--mode: " + mode.status().message());
  p.period_ns = *period;
  p.auto_commit_ns = *auto_commit;
  p.mode = *mode;
  if (Status st = check_policy(p); !st.is_ok()) return usage_error("retention set", st.message());
  auto client = open_client("retention set", o.cluster);
  if (!client) return 2;
  auto policies = client->retention_policies();
  if (!policies) return std::cerr << "cairn retention set: error: " << policies.status().message() << "\n", 1;
  std::erase_if(*policies, [&](const RetentionPolicy& q) { return q.prefix == p.prefix; });
  policies->push_back(p);
  client.reset();
  return apply(o, "set", std::move(*policies));
}

int do_lift(const Options& o) {
  auto client = open_client("retention lift", o.cluster);
  if (!client) return 2;
  auto policies = client->retention_policies();
  if (!policies) return std::cerr << "cairn retention lift: error: " << policies.status().message() << "\n", 1;
  const size_t before = policies->size();
  std::erase_if(*policies, [&](const RetentionPolicy& q) { return q.prefix == o.prefix; });
  if (policies->size() == before) {
    return usage_error("retention lift", "no retention policy has the prefix " + o.prefix +
                                             " (`cairn retention show` lists them)");
  }
  client.reset();
  return apply(o, "lift", std::move(*policies));
}

int do_show(const Options& o) {
  auto client = open_client("retention show", o.cluster);
  if (!client) return 2;
  auto policies = client->retention_policies();
  if (!policies) return std::cerr << "cairn retention show: error: " << policies.status().message() << "\n", 1;
  const std::string& prefix = o.prefix.empty() ? std::string("/") : o.prefix;
  // Policies under the prefix, and those covering it.
  std::vector<RetentionPolicy> shown;
  for (const RetentionPolicy& p : *policies)
    if (p.prefix.starts_with(prefix) || prefix.starts_with(p.prefix)) shown.push_back(p);
  // A file path: its own retention too.
  std::optional<Retention> file;
  if (!o.prefix.empty() && o.prefix.back() != '/') {
    auto r = client->retention_of(o.prefix, wall_now_ns());
    if (r) file = *r;
  }
  if (o.json) {
    nlohmann::json out = {{"epoch", client->map()->epoch()}, {"policies", nlohmann::json::array()}};
    for (const RetentionPolicy& p : shown)
      out["policies"].push_back({{"prefix", p.prefix},
                                 {"period_s", p.period_ns / 1'000'000'000},
                                 {"auto_commit_s", p.auto_commit_ns / 1'000'000'000},
                                 {"mode", to_string(p.mode)}});
    if (file) {
      out["file"] = {{"path", o.prefix}, {"retained", file->retained}};
      if (file->retained) {
        out["file"]["mode"] = to_string(file->mode);
        out["file"]["until"] = utc_time_string(file->until_ns);
        out["file"]["policy"] = file->prefix;
      }
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (shown.empty()) std::cout << "no retention policy covers " << prefix << "\n";
  for (const RetentionPolicy& p : shown) {
    std::cout << p.prefix << "\t" << to_string(p.mode) << "\t" << days_text(p.period_ns) << "\tcommit "
              << (p.auto_commit_ns == 0 ? std::string("when written") : "after " + days_text(p.auto_commit_ns))
              << "\n";
  }
  if (file) {
    if (file->retained) {
      std::cout << o.prefix << ": retained until " << utc_time_string(file->until_ns) << " (" << to_string(file->mode)
                << ", policy " << file->prefix << ")\n";
    } else {
      std::cout << o.prefix << ": not retained\n";
    }
  }
  return 0;
}

}  // namespace

void add_retention_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<Options>();
  CLI::App* retention = app.add_subcommand(
      "retention", "WORM retention: files under a prefix cannot be overwritten, renamed or deleted until their "
                   "retention ends; every node enforces it");
  retention->require_subcommand(1);

  CLI::App* set = retention->add_subcommand(
      "set", "Set (or lengthen) the retention of the files under a path prefix, from the moment each is written");
  set->add_option("prefix", o->prefix, "archive path prefix, e.g. /2026/ or /CT/")->required();
  set->add_option("--period", o->period, "how long each file is retained once committed, e.g. '10 years'")
      ->required();
  set->add_option("--auto-commit", o->auto_commit,
                  "commit this long after a file is written instead of at once (it may be replaced until then)")
      ->capture_default_str();
  set->add_option("--mode", o->mode,
                  "compliance: no one can shorten or lift it; governance: an administrator can, with "
                  "--bypass-governance, and every node logs it")
      ->check(CLI::IsMember({"compliance", "governance"}))
      ->capture_default_str();
  set->add_flag("--bypass-governance", o->bypass_governance,
                "allow shortening a governance policy (logged by every node; never compliance)");
  set->add_option("--reason", o->reason, "why, for the nodes' retention audit log (with --bypass-governance)");
  add_cluster_option(set, &o->cluster);
  set->callback([o, exit_code] { *exit_code = do_set(*o); });

  CLI::App* lift = retention->add_subcommand(
      "lift", "Remove a governance retention policy (needs --bypass-governance; compliance cannot be lifted)");
  lift->add_option("prefix", o->prefix, "the policy's prefix")->required();
  lift->add_flag("--bypass-governance", o->bypass_governance,
                 "the administrator's explicit bypass, logged by every node");
  lift->add_option("--reason", o->reason, "why, for the nodes' retention audit log");
  add_cluster_option(lift, &o->cluster);
  lift->callback([o, exit_code] { *exit_code = do_lift(*o); });

  CLI::App* show = retention->add_subcommand(
      "show", "List the retention policies under or covering a prefix; for a file path, its own retention too");
  show->add_option("prefix", o->prefix, "path prefix or file (default: every policy)");
  show->add_flag("--json", o->json, "JSON on stdout");
  add_cluster_option(show, &o->cluster);
  show->callback([o, exit_code] { *exit_code = do_show(*o); });
}

}  // namespace cairn::cli
