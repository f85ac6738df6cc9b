// `cairn status` and `cairn check`: the cluster as its nodes report it, and
// whether every member of every group holds the same current copy.
#include <chrono>
#include <iomanip>
#include <set>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cluster_common.h"
#include "engine/write_round.h"

namespace cairn::cli {

namespace {

// The last scrub pass of each node up: when it ended and what it found.
void print_scrub(const nlohmann::json& nodes) {
  std::cout << "scrub (last pass per node):\n";
  const double now_s = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  for (const auto& n : nodes) {
    if (n["state"] != "up" || !n.contains("scrub")) continue;
    const auto& s = n["scrub"];
    std::cout << "  node " << n["node"].get<size_t>() << ": ";
    if (s["passes_completed"].get<uint64_t>() == 0) {
      std::cout << "no pass yet";
    } else {
      std::cout << "ended " << human_seconds(std::max(0.0, now_s - s["last_ended_unix_s"].get<double>()))
                << " ago, " << s["files_verified"].get<uint64_t>() << " files verified, "
                << s["payload_corrupt"].get<uint64_t>() + s["record_corrupt"].get<uint64_t>() << " corrupt, "
                << s["members_differ"].get<uint64_t>() << " differing";
    }
    if (s["running"].get<bool>()) std::cout << "; a pass is running (" << s["running_files_verified"].get<uint64_t>() << " files)";
    if (n["read_repairs"].get<uint64_t>() > 0) std::cout << "; " << n["read_repairs"].get<uint64_t>() << " read repairs";
    std::cout << "\n";
  }
}

// Failed disks, nodes on another map epoch, and rebuilds and rebalances in
// flight with their rate and ETA; a settled cluster prints "work: none".
void print_work(const nlohmann::json& out) {
  for (uint32_t d : out["failed_disks"]) std::cout << "disk " << d << ": FAILED (its groups are degraded)\n";
  for (const auto& n : out["nodes"]) {
    if (n.contains("epoch") && n["epoch"].get<uint64_t>() != out["epoch"].get<uint64_t>())
      std::cout << "node " << n["node"].get<size_t>() << " runs map epoch " << n["epoch"].get<uint64_t>() << "\n";
    if (n.contains("disks"))
      for (const auto& d : n["disks"])
        if (d["state"] == "draining") std::cout << "disk " << d["disk"].get<uint32_t>() << ": draining\n";
  }
  bool any = false;
  for (const char* kind : {"rebuild", "rebalance"}) {
    if (!out["work"].contains(kind)) continue;
    const auto& w = out["work"][kind];
    if (w["nodes_working"].get<uint64_t>() == 0) continue;
    any = true;
    const double done = w["bytes_done"].get<double>(), total = w["bytes_total"].get<double>();
    const double rate = w["bytes_per_s"].get<double>();
    std::cout << kind << ": " << human_bytes(done) << " of " << human_bytes(total) << ", "
              << w["files_done"].get<uint64_t>() << " of " << w["files_total"].get<uint64_t>() << " files, "
              << human_bytes(rate) << "/s";
    if (rate > 0) std::cout << ", ETA " << human_seconds(std::max(0.0, total - done) / rate);
    std::cout << " (" << w["nodes_working"].get<uint64_t>() << " nodes working)\n";
  }
  if (!any) std::cout << "work: none (no rebuild or rebalance in flight)\n";
}

// What snapshots hold: versions kept because they were replaced or deleted
// since, per node and in all (part of the used bytes above).
void print_snapshots(const nlohmann::json& out) {
  const auto& s = out["snapshots"];
  std::cout << "snapshots: " << s["count"].get<size_t>() << ", holding "
            << human_bytes(s["preserved_bytes"].get<double>()) << " in " << s["preserved_files"].get<uint64_t>()
            << " preserved files (counted in used)";
  if (s["preserved_files"].get<uint64_t>() == 0) {
    std::cout << "\n";
    return;
  }
  std::cout << ":";
  for (const auto& n : out["nodes"]) {
    if (!n.contains("preserved_bytes")) continue;
    std::cout << " node " << n["node"].get<size_t>() << " " << human_bytes(n["preserved_bytes"].get<double>()) << ";";
  }
  std::cout << "\n";
}

}  // namespace

int run_status(const std::string& cluster, bool json) {
  auto client = open_client("status", cluster);
  if (!client) return 2;
  auto map = client->map();
  const auto reports = client->node_status();
  std::vector<bool> up(reports.size(), false);
  uint64_t used = 0, capacity = 0, pending = 0;
  uint64_t preserved_files = 0, preserved_bytes = 0;  // what snapshots hold, in `used` too
  nlohmann::json out;
  out["name"] = map->config.name;
  out["epoch"] = map->epoch();
  out["scheme"] = map->pool.spec.scheme.to_string();
  out["nodes"] = nlohmann::json::array();
  for (size_t i = 0; i < reports.size(); ++i) {
    nlohmann::json node = {{"node", i}, {"address", map->config.nodes[i].client.host}};
    if (reports[i]) {
      up[i] = true;
      node["state"] = "up";
      nlohmann::json r = nlohmann::json::parse(*reports[i], nullptr, false);
      uint64_t node_used = 0, node_capacity = 0;
      if (r.is_object()) {
        for (const auto& d : r["disks"]) {
          node_used += d["used_bytes"].get<uint64_t>();
          node_capacity += d["capacity_bytes"].get<uint64_t>();
        }
        node["heals_pending"] = r["heals_pending"];
        node["scan_groups_left"] = r["scan_groups_left"];
        node["read_repairs"] = r["read_repairs"];
        node["scrub"] = r["scrub"];
        node["epoch"] = r["epoch"];
        node["disks"] = r["disks"];
        node["rebuild"] = r["rebuild"];
        node["rebalance"] = r["rebalance"];
        node["preserved_files"] = r.value("preserved_files", uint64_t{0});
        node["preserved_bytes"] = r.value("preserved_bytes", uint64_t{0});
        node["snapshots"] = r.value("snapshots", nlohmann::json::array());
        preserved_files += node["preserved_files"].get<uint64_t>();
        preserved_bytes += node["preserved_bytes"].get<uint64_t>();
        for (const char* kind : {"rebuild", "rebalance"}) {
          const auto& w = r[kind];
          auto& sum = out["work"][kind];
          if (sum.is_null()) sum = {{"files_done", 0}, {"files_total", 0}, {"bytes_done", 0}, {"bytes_total", 0},
                                    {"bytes_per_s", 0.0}, {"nodes_working", 0}};
          if (!w["active"].get<bool>() || w["done"].get<bool>()) continue;
          sum["nodes_working"] = sum["nodes_working"].get<uint64_t>() + 1;
          for (const char* k : {"files_done", "files_total", "bytes_done", "bytes_total"})
            sum[k] = sum[k].get<uint64_t>() + w[k].get<uint64_t>();
          sum["bytes_per_s"] = sum["bytes_per_s"].get<double>() + w["bytes_per_s"].get<double>();
        }
        pending += r["heals_pending"].get<uint64_t>();
      }
      node["used_bytes"] = node_used;
      node["capacity_bytes"] = node_capacity;
      used += node_used;
      capacity += node_capacity;
    } else if (map->config.nodes[i].retired) {
      node["state"] = "retired";
    } else {
      node["state"] = "down";
      node["error"] = reports[i].status().message();
    }
    out["nodes"].push_back(node);
  }
  uint32_t healthy = 0, degraded = 0, unavailable = 0;
  const Scheme& scheme = map->pool.spec.scheme;
  std::set<uint32_t> failed_disks;
  for (const auto& n : out["nodes"])
    if (n.contains("disks"))
      for (const auto& d : n["disks"])
        if (d["state"] == "failed") failed_disks.insert(d["disk"].get<uint32_t>());
  for (const Group& g : map->pool.placement.groups) {
    if (g.retired) continue;
    uint32_t down = 0;
    for (DiskId d : g.members) down += up[map->node_of(d).value] && !failed_disks.contains(d.value) ? 0U : 1U;
    if (down == 0) {
      ++healthy;
    } else if (takes_writes(scheme.width() - down, map->config.min_live)) {
      ++degraded;
    } else {
      ++unavailable;
    }
  }
  out["groups"] = {{"healthy", healthy}, {"degraded", degraded}, {"refusing_writes", unavailable}};
  if (!out.contains("work")) out["work"] = nlohmann::json::object();
  out["failed_disks"] = failed_disks;
  out["heals_pending"] = pending;
  out["used_bytes"] = used;
  out["capacity_bytes"] = capacity;
  out["snapshots"] = {{"count", map->config.snapshots.size()},
                      {"preserved_files", preserved_files},
                      {"preserved_bytes", preserved_bytes}};
  if (json) {
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  uint32_t retired = 0;
  for (const NodeConfig& n : map->config.nodes) retired += n.retired ? 1U : 0U;
  const auto up_count = static_cast<uint32_t>(std::count(up.begin(), up.end(), true));
  std::cout << "cluster " << map->config.name << " (epoch " << map->epoch() << "): "
            << scheme.to_string() << ", " << to_string(map->pool.spec.strategy) << " groups across "
            << to_string(map->pool.spec.domain) << "s, min_live " << map->config.min_live << "\n";
  std::cout << "nodes: " << up_count << " up, " << (up.size() - up_count - retired) << " down"
            << (retired > 0 ? ", " + std::to_string(retired) + " retired" : "") << "\n";
  std::cout << "  node  address        state  used        capacity    heals pending\n";
  for (const auto& n : out["nodes"]) {
    std::cout << "  " << std::left << std::setw(6) << n["node"].get<size_t>() << std::setw(15)
              << n["address"].get<std::string>() << std::setw(7) << n["state"].get<std::string>();
    if (n["state"] == "up") {
      std::cout << std::setw(12) << human_bytes(n["used_bytes"].get<double>()) << std::setw(12)
                << human_bytes(n["capacity_bytes"].get<double>()) << n["heals_pending"].get<uint64_t>();
    }
    std::cout << "\n";
  }
  std::cout << "groups: " << healthy << " healthy, " << degraded << " degraded (taking writes), "
            << unavailable << " refusing writes (fewer than " << map->config.min_live
            << " members up)\nheals pending: " << pending << "\ncapacity: " << human_bytes(static_cast<double>(used))
            << " used of " << human_bytes(static_cast<double>(capacity)) << " on the nodes up\n";
  print_snapshots(out);
  print_work(out);
  print_scrub(out["nodes"]);
  return 0;
}

int run_check(const std::string& cluster, bool json, bool deep) {
  auto client = open_client("check", cluster);
  if (!client) return 2;
  auto report = client->check(deep);
  if (!report) return std::cerr << "cairn check: error: " << report.status().message() << "\n", 1;
  const bool ok = report->differing_count == 0 && report->nodes_unreachable.empty();
  if (json) {
    std::cout << nlohmann::json{{"files", report->files},
                                {"agreeing", report->agreeing},
                                {"differing", report->differing_count},
                                {"differing_examples", report->differing},
                                {"nodes_unreachable", report->nodes_unreachable},
                                {"deep", report->deep},
                                {"bytes_read", report->bytes_read},
                                {"corrupt_members", report->corrupt_members},
                                {"ok", ok}}
                     .dump(2)
              << "\n";
    return ok ? 0 : 1;
  }
  std::cout << "files: " << report->files << ", members agree on " << report->agreeing << ", differ on "
            << report->differing_count << "\n";
  if (report->deep) {
    std::cout << "deep: " << human_bytes(static_cast<double>(report->bytes_read)) << " read and checked; "
              << report->corrupt_members << " copies failed their checksums"
              << (report->corrupt_members > 0 ? " (their nodes drop and repair them)" : "") << "\n";
  }
  for (const auto& p : report->differing) std::cout << "  differs: " << p << "\n";
  for (uint32_t n : report->nodes_unreachable) std::cout << "  node " << n << " did not answer\n";
  return ok ? 0 : 1;
}

}  // namespace cairn::cli
