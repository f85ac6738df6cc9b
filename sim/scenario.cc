#include "sim/scenario.h"

#include <algorithm>
#include <cmath>

#include "engine/random.h"
#include "engine/units.h"

namespace cairn::sim {

PoolSpec Scenario::pool_spec() const {
  return {pool.scheme, pool.domain, pool.strategy, cluster.disk.device_class,
          pool.member_slots_per_disk, seed};
}

}  // namespace cairn::sim

// ---- validate ----------------------------------------------------------------

namespace cairn::sim {
namespace {

// Collects the first problem; later checks are then ignored, so each check
// may assume nothing about the ones before it.
class Checker {
 public:
  void require(bool ok, std::string_view key, const std::string& message,
               StatusCode code = StatusCode::kInvalidArgument) {
    if (!ok && !problem_) problem_ = ScenarioProblem{std::string(key), Status(code, message)};
  }
  // value > 0 and finite.
  void positive(double value, std::string_view key, const std::string& shown) {
    require(std::isfinite(value) && value > 0, key, "must be more than zero, got " + shown);
  }
  // lo <= value <= hi (`hi_open`: value < hi).
  void within(double value, double lo, double hi, bool hi_open, std::string_view key,
              const std::string& range, const std::string& shown) {
    bool ok = std::isfinite(value) && value >= lo && (hi_open ? value < hi : value <= hi);
    require(ok, key, "must be in " + range + ", got " + shown);
  }
  std::optional<ScenarioProblem> take() { return std::move(problem_); }

 private:
  std::optional<ScenarioProblem> problem_;
};

std::string count(uint64_t n) { return std::to_string(n); }

// Failure domains of the pool's kind among `nodes` nodes laid out as
// Topology::uniform and add_nodes_spread lay them out (racks round-robin).
uint64_t domains_among(const Scenario& s, uint64_t nodes) {
  switch (s.pool.domain) {
    case FailureDomain::kDisk: return nodes * s.cluster.disks_per_node;
    case FailureDomain::kNode: return nodes;
    case FailureDomain::kRack: return std::min<uint64_t>(s.cluster.racks, nodes);
  }
  return 0;
}

void check_network(Checker& c, const NetworkSpec& n, const std::string& key) {
  c.positive(n.bytes_per_s, key + ".bandwidth", format_bit_rate(n.bytes_per_s));
  c.within(n.latency_s, 0, 1, false, key + ".latency", "[0, 1 s]", format_duration(n.latency_s));
}

void check_cluster(Checker& c, const ClusterSpec& cl) {
  c.require(cl.racks >= 1 && cl.racks <= kMaxRacks, "cluster.racks",
            "must be 1 to " + count(kMaxRacks) + ", got " + count(cl.racks));
  c.require(cl.uplinks >= 1 && cl.uplinks <= 8, "cluster.uplinks", "must be 1 to 8, got " + count(cl.uplinks));
  c.require(cl.initial_nodes >= 1, "cluster.initial_nodes", "must be at least 1, got 0");
  c.require(cl.disks_per_node >= 1 && cl.disks_per_node <= kMaxDisksPerNode, "cluster.node.disks",
            "must be 1 to " + count(kMaxDisksPerNode) + ", got " + count(cl.disks_per_node));
  const DiskModel& d = cl.disk;
  c.positive(static_cast<double>(d.capacity_bytes), "cluster.node.disk.size",
             format_size(static_cast<double>(d.capacity_bytes)));
  c.positive(static_cast<double>(d.read_bytes_per_s), "cluster.node.disk.read",
             format_rate(static_cast<double>(d.read_bytes_per_s)));
  c.positive(static_cast<double>(d.write_bytes_per_s), "cluster.node.disk.write",
             format_rate(static_cast<double>(d.write_bytes_per_s)));
  c.require(std::isfinite(d.ops_per_s) && d.ops_per_s > 0 && d.ops_per_s <= 1e9, "cluster.node.disk.ops",
            "must be more than 0 and at most 1e9 ops/s, got " + format_ops_rate(d.ops_per_s));
  c.within(cl.per_file.heal_s, 0, 1, false, "cluster.node.per_file.heal", "[0, 1 s]",
           format_duration(cl.per_file.heal_s));
  c.within(cl.per_file.move_s, 0, 1, false, "cluster.node.per_file.move", "[0, 1 s]",
           format_duration(cl.per_file.move_s));
  check_network(c, cl.client, "cluster.networks.client");
  check_network(c, cl.storage, "cluster.networks.storage");
  check_network(c, cl.management, "cluster.networks.management");
}

void check_pool(Checker& c, const PoolScenario& p) {
  const Scheme& s = p.scheme;
  bool shape_ok = s.k >= 1 && s.width() <= Scheme::kMaxWidth &&
                  (s.is_replica() ? s.k == 1 : s.m >= 1);
  c.require(shape_ok, "pool.scheme",
            "must be replica:N (N 1..32) or ec:K+M (K, M >= 1, K+M <= 32), got " + s.to_string());
  if (p.strategy == GroupStrategy::kDeclustered)
    c.require(p.member_slots_per_disk >= 1 && p.member_slots_per_disk <= 10'000,
              "pool.member_slots_per_disk",
              "must be 1 to 10000, got " + count(p.member_slots_per_disk));
}

// The scheme must fit the failure domain from the first day (the initial
// nodes form the first groups) to the last (max_nodes), and a fixed pool's
// purchases must form whole groups among the new nodes.
void check_topology(Checker& c, const Scenario& s) {
  uint32_t width = s.pool.scheme.width();
  std::string needs = s.pool.scheme.to_string() + " across " + to_string(s.pool.domain) +
                      "s needs " + count(width) + " distinct " + to_string(s.pool.domain) + "s";
  if (s.pool.domain == FailureDomain::kRack)
    c.require(s.cluster.racks >= width, "cluster.racks",
              needs + ", but the cluster has " + count(s.cluster.racks) + " racks",
              StatusCode::kUnsatisfiable);
  uint64_t at_max = domains_among(s, s.procurement.max_nodes);
  c.require(at_max >= width, "procurement.max_nodes",
            needs + ", but " + count(s.procurement.max_nodes) + " nodes give only " +
                count(at_max),
            StatusCode::kUnsatisfiable);
  uint64_t at_start = domains_among(s, s.cluster.initial_nodes);
  c.require(at_start >= width, "cluster.initial_nodes",
            needs + " to form the first group, but " + count(s.cluster.initial_nodes) +
                " nodes give only " + count(at_start),
            StatusCode::kUnsatisfiable);
  uint32_t inc = s.procurement.increment_nodes;
  if (inc != 0 && s.pool.strategy == GroupStrategy::kFixed) {
    uint64_t among_new = domains_among(s, inc);
    c.require(among_new >= width, "procurement.increment_nodes",
              "a fixed pool grows by whole groups: " + needs + " among the new nodes, but " +
                  count(inc) + " new nodes give only " + count(among_new) +
                  " (write auto for the smallest valid increment)",
              StatusCode::kUnsatisfiable);
  }
}

void check_workload(Checker& c, const WorkloadSpec& w, const DiskModel& disk, uint32_t k) {
  c.require(std::isfinite(w.initial_bytes) && w.initial_bytes >= 0, "workload.initial_data",
            "must be a size of 0 or more, got " + format_size(w.initial_bytes));
  if (w.initial_bytes > 0)
    c.require(std::isfinite(w.first_year_bytes) && w.first_year_bytes >= 0, "workload.first_year_ingest",
              "must be 0 or more, got " + format_size(w.first_year_bytes));
  else
    c.positive(w.first_year_bytes, "workload.first_year_ingest", format_size(w.first_year_bytes));
  c.within(w.annual_growth, 0, 1, false, "workload.annual_growth", "[0 %, 100 %]",
           format_fraction(w.annual_growth));
  c.within(w.read_fraction, 0, 1, true, "workload.read_fraction", "[0 %, 100 %)",
           format_fraction(w.read_fraction));
  c.require(!w.file_sizes.empty() && w.file_sizes.size() <= kMaxFileSizeBuckets,
            "workload.file_sizes",
            "must list 1 to " + count(kMaxFileSizeBuckets) + " sizes, got " +
                count(w.file_sizes.size()));
  double total = 0;
  for (size_t i = 0; i < w.file_sizes.size(); ++i) {
    const FileSizeBucket& b = w.file_sizes[i];
    std::string key = "workload.file_sizes[" + count(i) + "]";
    c.within(b.file_fraction, 0, 1, false, key + ".share", "(0 %, 100 %]",
             format_fraction(b.file_fraction));
    c.require(b.file_fraction > 0, key + ".share", "must be more than 0 %, got 0 %");
    double bytes = static_cast<double>(b.bytes);
    c.positive(bytes, key + ".size", format_size(bytes));
    double largest = static_cast<double>(disk.capacity_bytes) * k;  // one fragment per disk
    c.require(bytes <= largest, key + ".size",
              "a file of " + format_size(bytes) + " does not fit its group's disks (" +
                  format_size(largest) + " at most)");
    total += b.file_fraction;
  }
  c.require(std::abs(total - 1.0) <= 1e-6, "workload.file_sizes",
            "shares must add up to 100 %, they add up to " + format_fraction(total));
}

void check_disk_failures(Checker& c, const DiskFailureModel& d) {
  const std::string key = "failures.disk";
  switch (d.kind) {
    case DiskFailureModel::Kind::kConstant:
      c.within(d.afr, 0, 1, true, key + ".afr", "[0 %, 100 %)", format_fraction(d.afr));
      break;
    case DiskFailureModel::Kind::kByAge:
      c.require(!d.afr_by_age_year.empty() && d.afr_by_age_year.size() <= kMaxAfrByAgeYears,
                key + ".afr_by_age",
                "must list 1 to " + count(kMaxAfrByAgeYears) + " yearly rates, got " +
                    count(d.afr_by_age_year.size()));
      for (size_t i = 0; i < d.afr_by_age_year.size(); ++i)
        c.within(d.afr_by_age_year[i], 0, 1, true, key + ".afr_by_age[" + count(i) + "]",
                 "[0 %, 100 %)", format_fraction(d.afr_by_age_year[i]));
      break;
    case DiskFailureModel::Kind::kWeibull:
      c.within(d.weibull_shape, 0.05, 20, false, key + ".weibull_shape", "[0.05, 20]",
               format_number(d.weibull_shape));
      c.positive(d.weibull_scale_years, key + ".weibull_scale",
                 format_duration(d.weibull_scale_years * kSecondsPerYear));
      break;
  }
}

void check_failures(Checker& c, const FailureSpec& f) {
  check_disk_failures(c, f.disk);
  c.within(f.node_outages_per_node_year, 0, 1000, false, "failures.node_outages.per_node_year",
           "[0, 1000]", format_number(f.node_outages_per_node_year));
  if (f.node_outages_per_node_year > 0)
    c.within(f.node_outage_duration_s, 1e-9, kSecondsPerYear, false,
             "failures.node_outages.duration", "(0, 1 year]",
             format_duration(f.node_outage_duration_s));
  c.within(f.node_losses_per_node_year, 0, 100, false, "failures.node_losses.per_node_year",
           "[0, 100]", format_number(f.node_losses_per_node_year));
  c.within(f.rack_events_per_rack_year, 0, 100, false, "failures.racks.per_rack_year", "[0, 100]",
           format_number(f.rack_events_per_rack_year));
  c.within(f.rack_event_duration_s, 1e-9, kSecondsPerYear, false, "failures.racks.duration", "(0, 1 year]",
           format_duration(f.rack_event_duration_s));
  c.within(f.rack_event_permanent, 0, 1, false, "failures.racks.permanent", "[0 %, 100 %]",
           format_fraction(f.rack_event_permanent));
  c.within(f.switch_failures_per_switch_year, 0, 1000, false, "failures.switches.per_switch_year", "[0, 1000]",
           format_number(f.switch_failures_per_switch_year));
  c.within(f.switch_repair_s, 1e-9, kSecondsPerYear, false, "failures.switches.duration", "(0, 1 year]",
           format_duration(f.switch_repair_s));
  c.within(f.bad_batch_share, 0, 1, false, "failures.batches.bad_share", "[0 %, 100 %]", format_fraction(f.bad_batch_share));
  c.within(f.bad_batch_afr_factor, 1, 100, false, "failures.batches.afr_factor", "[1, 100]",
           format_number(f.bad_batch_afr_factor));
  c.within(f.latent_errors_per_disk_year, 0, 10'000, false, "failures.latent_errors.per_disk_year", "[0, 10000]",
           format_number(f.latent_errors_per_disk_year));
}

void check_heal(Checker& c, const HealSpec& h) {
  c.within(h.detection_delay_s, 0, kSecondsPerYear, false, "heal.detection_delay",
           "[0, 1 year]", format_duration(h.detection_delay_s));
  c.within(h.replacement_delay_s, 0, kSecondsPerYear, false, "heal.replacement_delay",
           "[0, 1 year]", format_duration(h.replacement_delay_s));
  c.positive(h.bytes_per_s_per_disk, "heal.bandwidth_per_disk", format_rate(h.bytes_per_s_per_disk));
  c.positive(h.bytes_per_s_per_node, "heal.bandwidth_per_node", format_rate(h.bytes_per_s_per_node));
  c.within(h.scrub_interval_s, 0, 10 * kSecondsPerYear, false, "heal.scrub.interval", "[0, 10 years]",
           format_duration(h.scrub_interval_s));
  c.positive(h.scrub_bytes_per_s_per_node, "heal.scrub.bandwidth_per_node", format_rate(h.scrub_bytes_per_s_per_node));
  c.require(h.max_concurrent_heals >= 1 && h.max_concurrent_heals <= 1'000'000,
            "heal.max_concurrent", "must be 1 to 1000000, got " + count(h.max_concurrent_heals));
}

void check_procurement(Checker& c, const Scenario& s) {
  const ProcurementSpec& p = s.procurement;
  c.within(p.fill_threshold, 0, 1, true, "procurement.fill_threshold", "(0 %, 100 %)",
           format_fraction(p.fill_threshold));
  c.require(p.fill_threshold > 0, "procurement.fill_threshold", "must be more than 0 %, got 0 %");
  c.within(p.lead_time_s, 0, 5 * kSecondsPerYear, false, "procurement.lead_time", "[0, 5 years]",
           format_duration(p.lead_time_s));
  c.require(p.max_nodes <= kMaxNodes, "procurement.max_nodes",
            "must be at most " + count(kMaxNodes) + ", got " + count(p.max_nodes));
  c.require(p.max_nodes >= s.cluster.initial_nodes, "procurement.max_nodes",
            "must be at least cluster.initial_nodes (" + count(s.cluster.initial_nodes) +
                "), got " + count(p.max_nodes));
  c.require(p.increment_nodes <= kMaxNodes, "procurement.increment_nodes",
            "must be at most " + count(kMaxNodes) + ", got " + count(p.increment_nodes));
  c.positive(p.rebalance_bytes_per_s, "procurement.rebalance_bandwidth",
             format_rate(p.rebalance_bytes_per_s));
}

void check_refresh(Checker& c, const Scenario& s) {
  const RefreshSpec& r = s.procurement.refresh;
  if (r.age_s != 0)
    c.within(r.age_s, 0.5 * kSecondsPerYear, kMaxHorizonYears * kSecondsPerYear, false,
             "procurement.refresh.age", "[6 months, 100 years] (or 0: never)", format_duration(r.age_s));
  c.require(r.age_s == 0 || r.age_s > s.procurement.lead_time_s, "procurement.refresh.age",
            "must be longer than procurement.lead_time (" + format_duration(s.procurement.lead_time_s) +
                "), which the replacement's order comes before, got " + format_duration(r.age_s));
  c.within(r.disk_size_growth, 0, 1, false, "procurement.refresh.disk_size_growth", "[0 %, 100 %]",
           format_fraction(r.disk_size_growth));
}

// A price or a figure of money: finite and not negative.
void money(Checker& c, double value, std::string_view key) {
  c.require(std::isfinite(value) && value >= 0 && value <= 1e15, key,
            "must be an amount from 0 to 1e15, got " + format_number(value));
}

void check_cost(Checker& c, const Scenario& s) {
  const CostSpec& k = s.cost;
  c.require(!k.currency.empty() && k.currency.size() <= 16, "cost.currency",
            "must be a label of 1 to 16 characters like USD, got \"" + k.currency + "\"");
  money(c, k.node, "cost.node");
  money(c, k.disk_per_tb_hdd, "cost.disk_per_tb.hdd");
  money(c, k.disk_per_tb_ssd, "cost.disk_per_tb.ssd");
  c.within(k.disk_price_trend, -0.9, 1, false, "cost.disk_price_trend", "[-90 %, +100 %] per year",
           format_change(k.disk_price_trend));
  c.require(k.disk_price_shocks.size() <= 100, "cost.disk_price_shocks",
            "must list at most 100 shocks");
  for (size_t i = 0; i < k.disk_price_shocks.size(); ++i) {
    const PriceShock& shock = k.disk_price_shocks[i];
    std::string key = "cost.disk_price_shocks[" + std::to_string(i) + "]";
    c.require(shock.year >= 1 && shock.year <= std::ceil(s.horizon_years), key + ".year",
              "must be a year of the horizon, 1 to " + count(static_cast<uint64_t>(std::ceil(s.horizon_years))) +
                  ", got " + count(shock.year));
    c.within(shock.change, -0.9, 10, false, key + ".change", "[-90 %, +1000 %]", format_change(shock.change));
    for (size_t j = 0; j < i; ++j)
      c.require(k.disk_price_shocks[j].year != shock.year, key + ".year",
                "year " + count(shock.year) + " already has a shock (disk_price_shocks[" + std::to_string(j) + "])");
  }
  money(c, k.switch_price, "cost.switch");
  c.require(k.switches_per_rack <= 64, "cost.switches_per_rack", "must be 0 to 64, got " + count(k.switches_per_rack));
  money(c, k.rack, "cost.rack");
  money(c, k.space_per_rack_year, "cost.space_per_rack_year");
  c.within(k.disk_watts_hdd, 0, 1000, false, "cost.power.disk_watts.hdd", "[0, 1000] W", format_number(k.disk_watts_hdd));
  c.within(k.disk_watts_ssd, 0, 1000, false, "cost.power.disk_watts.ssd", "[0, 1000] W", format_number(k.disk_watts_ssd));
  c.within(k.node_watts, 0, 100'000, false, "cost.power.node_watts", "[0, 100000] W", format_number(k.node_watts));
  c.within(k.pue, 1, 5, false, "cost.power.pue", "[1, 5]", format_number(k.pue));
  money(c, k.price_per_kwh, "cost.power.price_per_kwh");
  c.within(k.power_price_trend, -0.9, 1, false, "cost.power.trend", "[-90 %, +100 %] per year",
           format_change(k.power_price_trend));
  c.within(k.support, 0, 1, false, "cost.support", "[0 %, 100 %] of capex per year", format_fraction(k.support));
}

}  // namespace

Scenario tier_scenario(const Scenario& s, size_t i) {
  constexpr uint64_t kTierStream = 0x74696572ULL;  // "tier"
  CAIRN_ASSERT(i < s.tiers.size());
  const TierSpec& tier = s.tiers[i];
  const bool last = i + 1 == s.tiers.size();
  Scenario t = s;
  t.tiers.clear();
  if (tier.cluster) t.cluster = *tier.cluster;
  if (tier.pool) t.pool = *tier.pool;
  if (tier.heal) t.heal = *tier.heal;
  if (tier.procurement) t.procurement = *tier.procurement;
  t.name = s.name + "/" + tier.name;
  t.workload.arrive_after_s = i == 0 ? 0 : s.tiers[i - 1].until_s;
  t.workload.moves_on = !last;
  t.workload.retention_s = last ? s.workload.retention_s : tier.until_s;
  t.workload.initial_bytes = last ? s.workload.initial_bytes : 0;
  t.workload.read_share = tier.read_share;
  if (i > 0) t.seed = tie_key(s.seed, kTierStream, i);
  return t;
}

uint32_t node_slots(const Scenario& s) {
  const RefreshSpec& r = s.procurement.refresh;
  uint64_t refreshes = r.age_s > 0 ? static_cast<uint64_t>(s.horizon_years * kSecondsPerYear / r.age_s) : 0;
  return static_cast<uint32_t>(std::min<uint64_t>(kMaxNodes * 4ull, s.procurement.max_nodes * (1 + refreshes)));
}

std::span<const RetentionPreset> retention_presets() {
  static constexpr RetentionPreset kPresets[] = {
      {"forever", 0, "kept past any horizon"},
      {"china-outpatient", 15, "China, outpatient records: at least 15 years"},
      {"china-inpatient", 30, "China, inpatient records: at least 30 years"},
      {"us-adult", 7, "US, adult imaging: about 7 years (state law)"},
      {"us-mammography", 10, "US, mammography (MQSA): up to 10 years"},
  };
  return kPresets;
}

namespace {

// The tiers' own rules, then each tier as a scenario of its own, its
// problems named under tiers[i] when the tier gave the section.
std::optional<ScenarioProblem> find_tier_problem(const Scenario& s) {
  Checker c;
  c.require(s.tiers.size() >= 2 && s.tiers.size() <= kMaxTiers, "tiers",
            "must list 2 to " + count(kMaxTiers) + " tiers (one pool needs no tiers), got " + count(s.tiers.size()));
  c.require(s.events.empty(), "events", "not supported with tiers yet: give events to a scenario of one pool");
  double shares = 0, previous_until = 0;
  for (size_t i = 0; i < s.tiers.size(); ++i) {
    const TierSpec& t = s.tiers[i];
    const std::string key = "tiers[" + std::to_string(i) + "]";
    const bool last = i + 1 == s.tiers.size();
    c.require(!t.name.empty() && t.name.size() <= 40, key + ".name", "must be 1 to 40 characters");
    for (size_t j = 0; j < i; ++j)
      c.require(s.tiers[j].name != t.name, key + ".name", "\"" + t.name + "\" names tiers[" + std::to_string(j) + "] too");
    if (last) {
      c.require(t.until_s == 0, key + ".until",
                "not used in the last tier: it keeps data until workload.retention");
    } else {
      c.require(t.until_s >= kSecondsPerMonth && t.until_s > previous_until, key + ".until",
                "must be at least a month and later than the tier before's, got " + format_duration(t.until_s));
      previous_until = t.until_s;
    }
    c.within(t.read_share, 0, 1, false, key + ".reads", "[0 %, 100 %]", format_fraction(t.read_share));
    shares += t.read_share;
  }
  c.require(std::abs(shares - 1) < 1e-6, "tiers", "the tiers' reads must add up to 100 %, got " + format_fraction(shares));
  c.require(s.workload.retention_s == 0 || s.workload.retention_s > previous_until, "workload.retention",
            "must be longer than the last move between tiers (" + format_duration(previous_until) + ")");
  if (std::optional<ScenarioProblem> p = c.take()) return p;
  for (size_t i = 0; i < s.tiers.size(); ++i) {
    std::optional<ScenarioProblem> p = find_problem(tier_scenario(s, i));
    if (!p) continue;
    const TierSpec& t = s.tiers[i];
    const std::string section = p->key.substr(0, p->key.find_first_of(".["));
    if ((section == "cluster" && t.cluster) || (section == "pool" && t.pool) || (section == "heal" && t.heal) ||
        (section == "procurement" && t.procurement))
      p->key = "tiers[" + std::to_string(i) + "]." + p->key;
    return p;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ScenarioProblem> find_problem(const Scenario& s) {
  if (!s.tiers.empty()) {
    Scenario shared = s;
    shared.tiers.clear();
    shared.events.clear();
    if (std::optional<ScenarioProblem> p = find_problem(shared)) return p;
    return find_tier_problem(s);
  }
  Checker c;
  c.require(!s.name.empty() && s.name.size() <= 200, "name",
            "must be 1 to 200 characters, got " + count(s.name.size()));
  c.require(std::isfinite(s.horizon_years) && s.horizon_years > 0 &&
                s.horizon_years <= kMaxHorizonYears,
            "horizon", "must be more than 0 and at most 100 years, got " +
                           format_duration(s.horizon_years * kSecondsPerYear));
  check_cluster(c, s.cluster);
  check_pool(c, s.pool);
  check_workload(c, s.workload, s.cluster.disk, s.pool.scheme.data_members());
  check_failures(c, s.failures);
  check_heal(c, s.heal);
  check_procurement(c, s);
  check_refresh(c, s);
  check_cost(c, s);
  c.within(s.workload.retention_s, 0, kMaxHorizonYears * kSecondsPerYear, false, "workload.retention",
           "[0, 100 years] (0: kept forever)", format_duration(s.workload.retention_s));
  c.require(s.workload.retention_s == 0 || s.workload.retention_s >= kSecondsPerMonth, "workload.retention",
            "must be at least a month (or 0: kept forever), got " + format_duration(s.workload.retention_s));
  check_topology(c, s);
  if (std::optional<ScenarioProblem> p = c.take()) return p;
  return find_event_problem(s);
}

Status validate(const Scenario& scenario) {
  std::optional<ScenarioProblem> p = find_problem(scenario);
  if (!p) return Status::ok();
  return {p->status.code(), p->key + ": " + p->status.message()};
}

}  // namespace cairn::sim
