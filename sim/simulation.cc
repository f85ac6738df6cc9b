// The simulation actor: an event loop that alternates between the model's own
// events (month ticks, failures, detections, replacements, purchases, node
// outages, the scenario's events) and the completion of SimGrid activities
// that carry out heals and rebalances. Decisions come from the engine; the
// model's bookkeeping around them is in model_state.h, ingest.h,
// heal_scheduler.h and map_changes.h, and platform.h says how time passes for
// the transfers.
#include "sim/simulation.h"

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <limits>
#include <set>
#include <string_view>
#include <utility>

#include "engine/random.h"
#include "engine/units.h"
#include "sim/cost.h"
#include "sim/failure_model.h"
#include "sim/front_traffic.h"
#include "engine/reachability.h"
#include "sim/heal_scheduler.h"
#include "sim/latent_errors.h"
#include "sim/ingest.h"
#include "sim/map_changes.h"
#include "sim/model_state.h"
#include "sim/platform.h"

namespace sg4 = simgrid::s4u;

namespace cairn::sim {
namespace {

enum class Kind {
  kMonth, kDiskFailure, kDetect, kReplace, kPurchase, kOutageStart, kOutageEnd, kNodeLoss,
  kEvent,    // Scenario::events[id]
  kRefresh,  // refresh_batches_[id]: replacements arrive
  kLatent,   // disk id: a latent error arises on it
  kLatentFound,  // latent_[id]: the scrub reads it
  kRackEvent,    // rack id: a rack or power-domain event
  kSwitchFailure, kSwitchRepair,  // switch id (engine/reachability.h)
};

struct Pending {
  double time_s;
  uint64_t seq;
  Kind kind;
  uint32_t id;  // disk, node or node count, by kind
  bool operator>(const Pending& o) const { return std::tie(time_s, seq) > std::tie(o.time_s, o.seq); }
};

// A heal or rebalance in flight: its plans, the transfers they need, and the
// SimGrid activities carrying them out. An actor of its own waits for them
// (see launch()), so the model's event loop never waits on activities.
struct Job {
  bool rebalance = false;
  std::vector<HealPlan> plans;
  TransferSet transfers;
  std::vector<sg4::ActivityPtr> activities;
  double started_s = 0;
  bool done = false;  // finished or cancelled
  std::vector<NodeId> retiring;  // a rebalance that drains these nodes
  uint32_t refreshed = 0;        // how many of them leave for their age
};
using JobPtr = std::shared_ptr<Job>;

// Child seeds: one stream per (purpose, object) so that adding a disk or a
// node never changes the draws of another.
// kFileStream = 4 is ingest.cc's.
constexpr uint64_t kDiskStream = 1, kOutageStream = 2, kLossStream = 3, kLatentStream = 6, kScrubStream = 7,
                   kBatchStream = 8, kRackStream = 9, kSwitchStream = 10;

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
}

class Controller {
 public:
  Controller(const Scenario& s, const SimOptions& o, Platform& p)
      : s_(s), options_(o), platform_(p), state_(s) {
    result_.seed = s.seed;
    months_ = static_cast<uint32_t>(std::lround(s.horizon_years * 12));
    horizon_s_ = months_ * kSecondsPerMonth;
    result_.nodes_bought_per_year.assign(static_cast<size_t>(std::ceil(s.horizon_years)), 0);
    result_.nodes_refreshed_per_year = result_.nodes_bought_per_year;
    node_slots_ = node_slots(s);
  }

  void run();
  RunResult take() {
    for (uint32_t d = 0; d < state_.topology.disk_id_bound(); ++d)
      result_.final_disk_used_bytes.push_back(state_.ledger.disk_used_bytes(DiskId(d)));
    record_front_busy();
    price_hardware();
    return std::move(result_);
  }

 private:
  // --- events ---
  void push(double t, Kind k, uint32_t id) { queue_.push({t, seq_++, k, id}); }
  void record(const std::string& kind, int64_t node, int64_t disk, int64_t group, double bytes,
              double files, std::string detail = {}) {
    result_.events.push_back({now(), kind, node, disk, group, bytes, files, std::move(detail)});
  }
  static double now() { return sg4::Engine::get_clock(); }
  void handle(const Pending& e);
  void start_node(NodeId n, double at_s);
  void schedule_disk_failure(DiskId d, double installed_s, bool bad_batch = false);
  bool next_batch_bad();
  void on_rack_event(uint32_t rack);
  void on_switch(uint32_t id, bool fails);
  void apply_reachability();
  void end_outage(NodeId n);
  void advance_unavailability();
  bool fatal_disk(DiskId d) const;
  void suppress_disk_failure(DiskId d);
  void advance_fatal_hazard();
  void note_critical_groups();
  void draw_failure(DiskId d, double factor);
  void close_bias(DiskId d, bool failed);
  void on_month(uint32_t month);
  void ingest(uint32_t month);
  void start_front_traffic(const std::vector<double>& client_in_bytes, double read_bytes);
  void record_front_busy();
  void consider_purchase();
  uint32_t nodes_in_service() const;
  DiskModel current_disk() const;
  void consider_refresh();
  void on_refresh(uint32_t batch);
  double expire(uint32_t month, MonthIngest& in);
  void price_hardware();
  void on_latent(DiskId d);
  void on_latent_found(uint32_t id);
  void lose_latent(uint32_t g);
  void on_disk_failure(DiskId d, bool replacement_follows = true);
  void on_replace(DiskId failed);
  void on_purchase(uint32_t count);
  // `kind` and `order_s` as Purchase (results.h) records them.
  void bring_in(uint32_t count, const std::string& detail, const char* kind, double order_s);
  void record_purchase(const char* kind, double order_s, const std::vector<NodeId>& nodes);
  void on_outage(NodeId n, bool starts);
  void start_outage(NodeId n, double duration_s);
  void on_node_loss(NodeId n);
  bool lose_node(NodeId n);
  // --- scenario events ---
  void on_event(const ScenarioEvent& e);
  std::optional<NodeId> event_node(uint32_t n);
  std::optional<DiskId> event_disk(const ScenarioEvent& e);
  void lose_rack(uint32_t rack);
  void retire(const std::vector<uint32_t>& nodes);
  void settle_group(uint32_t g, int64_t disk);
  // --- work ---
  void schedule_heals();
  void maybe_apply_change();
  void start_rebalance(const RebalancePlan& plan, std::vector<NodeId> retiring);
  void launch(Job job);
  void finish(const JobPtr& job);
  void finish_heal(Job& job);
  void cancel_heals_touching(DiskId d);
  void retire_if_empty(DiskId d);
  size_t active_heals() const;
  void close_month(uint32_t month);
  void record_disks(uint32_t month);

  const Scenario& s_;
  const SimOptions& options_;
  Platform& platform_;
  ModelState state_;
  RunResult result_;
  uint32_t months_ = 0;
  double horizon_s_ = 0;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> queue_;
  uint64_t seq_ = 0;
  std::vector<JobPtr> jobs_;  // running jobs
  std::vector<SplitMix64> node_rng_, loss_rng_;  // by node: outages, losses
  bool change_pending_ = false, order_outstanding_ = false, finished_ = false;
  bool max_nodes_reported_ = false;
  std::vector<double> outage_duration_s_;  // by node: the outage under way
  std::vector<NodeId> retiring_;           // retirements waiting to apply
  double retiring_since_s_ = 0;            // when the first of them began to wait
  // How long a waiting retirement holds other map changes back. Rebuilds on
  // ageing disks can take months (operations) and keep it waiting; past
  // this, hardware already here is taken in as capacity, and the drain
  // follows if the engine can still mend its groups (else retire_refused).
  static constexpr double kRetirementPatienceS = 90 * 86400.0;
  uint32_t draining_nodes_ = 0;            // retired, their drain still running
  uint32_t node_slots_ = 0;                // the platform's nodes (node_slots())
  std::vector<std::vector<NodeId>> refresh_batches_;  // nodes whose replacements were ordered together
  std::set<uint32_t> refresh_ordered_;     // node ids in some batch
  std::set<uint32_t> refreshing_;          // node ids waiting to retire, or draining, for their age
  std::set<uint32_t> racks_bought_;        // racks some node in service has used
  // The month being simulated.
  MonthRow row_;
  std::vector<double> heal_hours_;
  std::vector<double> month_files_;  // files ingested into each group this month
  double month_allocated_bytes_ = 0;
  // Each month's client and management traffic, by month (front_traffic.h).
  std::vector<std::shared_ptr<FrontMonth>> front_months_;
  size_t front_ended_ = 0;  // front_months_ before this have ended
  // By disk id and node id: when it entered service and when it left
  // (negative: not yet); the hardware the run pays for, and the replay's disks.
  std::vector<double> disk_installed_s_, disk_retired_s_;
  std::vector<double> node_in_s_, node_out_s_;
  // Latent errors (latent_errors.h): by disk id its stream, and every error,
  // with the ones not settled listed by group.
  // Correlated failures: purchase batches so far, by rack its event stream,
  // switches down, nodes cut off from the core, and the clock of the
  // unavailability integral.
  uint32_t batches_ = 0;
  bool batch_bad_ = false;  // the batch being brought in
  std::vector<SplitMix64> rack_rng_, switch_rng_;
  std::vector<bool> switch_down_, unreachable_;
  std::vector<double> outage_started_s_, outage_until_s_;
  double unavailability_clock_s_ = 0;
  // Conditioning on no group loss: each disk's failure stream and model (to
  // draw again when a fatal failure is suppressed), and the groups with no
  // redundancy left as of fatal_clock_s_.
  std::vector<SplitMix64> disk_rng_;
  std::vector<DiskFailureModel> disk_model_;
  std::vector<uint32_t> critical_groups_;
  // Nodes and racks whose loss now would take a group past
  // losses_until_data_loss(), with the logical bytes of the groups it would
  // take (a node's or rack's members all go at once).
  std::map<uint32_t, double> fatal_nodes_, fatal_racks_;
  std::vector<double> next_failure_s_;    // by disk: its pending failure draw
  std::map<uint32_t, double> biased_;     // disk -> since when its failures are biased
  double fatal_clock_s_ = 0;
  std::vector<SplitMix64> latent_rng_;
  std::vector<LatentError> latent_;
  std::map<uint32_t, std::vector<uint32_t>> latent_by_group_;
};

void Controller::run() {
  ingest_initial(state_, options_.file_by_file);
  batch_bad_ = next_batch_bad();
  for (NodeId n : state_.topology.live_nodes()) start_node(n, 0.0);
  record_purchase("initial", -s_.procurement.lead_time_s, state_.topology.live_nodes());
  const FailureSpec& f = s_.failures;
  for (uint32_t r = 0; r < state_.topology.rack_count() && f.rack_events_per_rack_year > 0; ++r) {
    rack_rng_.emplace_back(tie_key(s_.seed, kRackStream, r));
    push(sample_exponential_s(f.rack_events_per_rack_year, rack_rng_[r]), Kind::kRackEvent, r);
  }
  switch_down_.assign(switch_count(state_.topology, s_.cluster.uplinks), false);
  for (uint32_t sw = 0; sw < switch_down_.size() && f.switch_failures_per_switch_year > 0; ++sw) {
    switch_rng_.emplace_back(tie_key(s_.seed, kSwitchStream, sw));
    push(sample_exponential_s(f.switch_failures_per_switch_year, switch_rng_[sw]), Kind::kSwitchFailure, sw);
  }
  push(0.0, Kind::kMonth, 0);
  CAIRN_ASSERT(s_.events.size() <= kMaxEvents);
  for (uint32_t i = 0; i < s_.events.size(); ++i) push(s_.events[i].at_s, Kind::kEvent, i);
  // Events closer than this to the clock are due: at 4e8 s a double resolves
  // about 6e-8 s.
  constexpr double kDueWithinS = 1e-3;
  while (!finished_) {
    double next_s = queue_.empty() ? horizon_s_ : std::min(queue_.top().time_s, horizon_s_);
    if (next_s > now() + kDueWithinS) sg4::this_actor::sleep_until(next_s);
    while (!queue_.empty() && queue_.top().time_s <= next_s + kDueWithinS && !finished_) {
      Pending e = queue_.top();
      queue_.pop();
      handle(e);
    }
  }
  // Work still running at the horizon is cancelled; the job actors are
  // daemons, so SimGrid ends them, and the run, with this actor.
  for (const JobPtr& job : jobs_) {
    job->done = true;
    for (auto& a : job->activities) a->cancel();
  }
  jobs_.clear();
  for (const auto& month : front_months_) month->settle(now());
  advance_unavailability();
  advance_fatal_hazard();
  while (!biased_.empty()) close_bias(DiskId(biased_.begin()->first), false);  // the horizon ends each stretch
}

void Controller::handle(const Pending& e) {
  advance_unavailability();
  advance_fatal_hazard();
  switch (e.kind) {
    case Kind::kMonth: on_month(e.id); break;
    case Kind::kDiskFailure:
      if (!options_.condition_on_no_group_loss) {
        on_disk_failure(DiskId(e.id));
      } else if (e.time_s == next_failure_s_[e.id]) {  // else a draw since replaced (biasing)
        if (fatal_disk(DiskId(e.id))) {
          suppress_disk_failure(DiskId(e.id));
        } else {
          if (biased_.count(e.id)) close_bias(DiskId(e.id), true);
          on_disk_failure(DiskId(e.id));
        }
      }
      break;
    case Kind::kDetect:
      if (e.id < state_.disk_failed.size() && state_.disk_failed[e.id]) {
        state_.disk_detected[e.id] = true;
        schedule_heals();
      }
      break;
    case Kind::kReplace: on_replace(DiskId(e.id)); break;
    case Kind::kPurchase: on_purchase(e.id); break;
    case Kind::kOutageStart: on_outage(NodeId(e.id), true); break;
    case Kind::kEvent: on_event(s_.events[e.id]); break;
    case Kind::kOutageEnd: on_outage(NodeId(e.id), false); break;
    case Kind::kNodeLoss: on_node_loss(NodeId(e.id)); break;
    case Kind::kRefresh: on_refresh(e.id); break;
    case Kind::kLatent: on_latent(DiskId(e.id)); break;
    case Kind::kLatentFound: on_latent_found(e.id); break;
    case Kind::kRackEvent: on_rack_event(e.id); break;
    case Kind::kSwitchFailure: on_switch(e.id, true); break;
    case Kind::kSwitchRepair: on_switch(e.id, false); break;
  }
  note_critical_groups();
}

void Controller::start_node(NodeId n, double at_s) {
  const NodeInfo& node = state_.topology.node(n);
  if (node_in_s_.size() <= n.value) {
    node_in_s_.resize(n.value + 1, -1.0);
    node_out_s_.resize(n.value + 1, -1.0);
  }
  node_in_s_[n.value] = at_s;
  for (uint32_t slot = 0; slot < node.disks.size(); ++slot) {
    platform_.bind_disk(node.disks[slot], n.value, slot);
    schedule_disk_failure(node.disks[slot], at_s, batch_bad_);
  }
  if (node_rng_.size() <= n.value) node_rng_.resize(n.value + 1, SplitMix64(0));
  node_rng_[n.value] = SplitMix64(tie_key(s_.seed, kOutageStream, n.value));
  const FailureSpec& f = s_.failures;
  push(at_s + sample_exponential_s(f.node_outages_per_node_year, node_rng_[n.value]), Kind::kOutageStart, n.value);
  if (loss_rng_.size() <= n.value) loss_rng_.resize(n.value + 1, SplitMix64(0));
  loss_rng_[n.value] = SplitMix64(tie_key(s_.seed, kLossStream, n.value));
  push(at_s + sample_exponential_s(f.node_losses_per_node_year, loss_rng_[n.value]), Kind::kNodeLoss, n.value);
}

// Whether the batch about to be brought in (the initial nodes, a purchase, a
// refresh) is a bad one (failures.batches), from a stream per batch.
bool Controller::next_batch_bad() {
  const FailureSpec& f = s_.failures;
  SplitMix64 rng(tie_key(s_.seed, kBatchStream, batches_++));
  const bool bad = f.bad_batch_share > 0 && rng.uniform() < f.bad_batch_share;
  if (bad) record("bad_batch", -1, -1, -1, 0, 0, "batch " + std::to_string(batches_ - 1) + ": failure rate x" +
                                                   format_number(f.bad_batch_afr_factor));
  return bad;
}

void Controller::schedule_disk_failure(DiskId d, double installed_s, bool bad_batch) {
  if (disk_installed_s_.size() <= d.value) {
    disk_installed_s_.resize(d.value + 1, -1.0);
    disk_retired_s_.resize(d.value + 1, -1.0);
  }
  disk_installed_s_[d.value] = installed_s;
  SplitMix64 rng(tie_key(s_.seed, kDiskStream, d.value));
  const DiskFailureModel model =
      bad_batch ? with_hazard_factor(s_.failures.disk, s_.failures.bad_batch_afr_factor) : s_.failures.disk;
  const double fails_at = installed_s + sample_time_to_failure_s(model, 0.0, rng);
  push(fails_at, Kind::kDiskFailure, d.value);
  if (options_.condition_on_no_group_loss) {
    if (disk_rng_.size() <= d.value) {
      disk_rng_.resize(d.value + 1, SplitMix64(0));
      disk_model_.resize(d.value + 1);
      next_failure_s_.resize(d.value + 1, -1.0);
    }
    disk_rng_[d.value] = rng;
    disk_model_[d.value] = model;
    next_failure_s_[d.value] = fails_at;
  }
  if (s_.failures.latent_errors_per_disk_year > 0) {
    if (latent_rng_.size() <= d.value) latent_rng_.resize(d.value + 1, SplitMix64(0));
    latent_rng_[d.value] = SplitMix64(tie_key(s_.seed, kLatentStream, d.value));
    push(installed_s + sample_exponential_s(s_.failures.latent_errors_per_disk_year, latent_rng_[d.value]),
         Kind::kLatent, d.value);
  }
}

// ---------------------------------------------------------------- months

void Controller::on_month(uint32_t month) {
  if (month > 0) close_month(month - 1);
  if (options_.progress) options_.progress(month, months_);
  if (month == months_) {
    finished_ = true;
    return;
  }
  row_ = MonthRow{};
  row_.month = month;
  heal_hours_.clear();
  ingest(month);
  consider_purchase();
  consider_refresh();
  push((month + 1) * kSecondsPerMonth, Kind::kMonth, month + 1);
}

// Adds the month's files (ingest.h) and sets the foreground load they put on
// disks and nodes.
void Controller::ingest(uint32_t month) {
  MonthIngest in = ingest_month(state_, month, options_.file_by_file);
  const double moved = expire(month, in);
  month_files_ = std::move(in.group_files);
  month_allocated_bytes_ = in.allocated_bytes;
  platform_.set_foreground(in.disk_bytes_per_s, in.disk_ops_per_s, in.node_bytes_per_s);
  // The pool's share of the archive's reads, and the data moving on to the
  // next tier, read out of this one.
  const WorkloadSpec& w = s_.workload;
  start_front_traffic(in.client_in_bytes,
                      w.read_share * reads_for(month_ingest_bytes(w, month), w.read_fraction) + moved);
}

// The month's client and management traffic of the nodes in service and up.
void Controller::start_front_traffic(const std::vector<double>& client_in_bytes, double read_bytes) {
  std::vector<bool> up(state_.topology.node_id_bound(), false);
  for (NodeId n : state_.topology.live_nodes()) up[n.value] = !state_.node_down[n.value];
  while (front_ended_ < front_months_.size() && front_months_[front_ended_]->ended()) ++front_ended_;
  const bool nics_idle = front_ended_ == front_months_.size();
  front_months_.push_back(FrontMonth::launch(platform_, platform_.controller_host(),
                                             front_bytes(client_in_bytes, up, read_bytes), nics_idle));
}

// Copies each month's busiest NICs into its row, once the run has ended (a
// month's comms may outlast the month).
void Controller::record_front_busy() {
  for (size_t m = 0; m < result_.months.size() && m < front_months_.size(); ++m) {
    const FrontBusy& busy = front_months_[m]->busy();
    MonthRow& row = result_.months[m];
    row.client_busy_max = busy.client;
    row.management_busy_max = busy.management;
    result_.peak_client_busy = std::max(result_.peak_client_busy, busy.client);
    result_.peak_management_busy = std::max(result_.peak_management_busy, busy.management);
    if (busy.client > 1)
      result_.client_overloads.push_back({row.month, busy.client_node, busy.client,
                                          busy.client_flow == FrontFlow::kClientIn ? "in" : "out"});
  }
}

// Orders nodes when the fill projected to the end of the lead time would
// reach the threshold; one order at a time.
void Controller::consider_purchase() {
  const ProcurementSpec& p = s_.procurement;
  // max_nodes bounds the nodes in service (draining ones included); the
  // platform's node slots (node_slots()) bound the ids, which are never reused.
  const uint32_t slots_left = node_slots_ - state_.topology.node_id_bound();
  uint32_t nodes = std::max(nodes_in_service(), p.max_nodes - std::min(p.max_nodes, slots_left));
  // Hardware already here and waiting to be taken in (a purchase, a refresh)
  // is not yet in the capacity below; the engine's smallest increment would
  // count its disks too and ask for a node or two. Decide once it is in.
  if (order_outstanding_ || change_pending_ || nodes >= p.max_nodes) return;
  double capacity = state_.data_bearing_capacity_bytes();
  double rate = month_allocated_bytes_ / kSecondsPerMonth;
  double projected = (state_.ledger.total_used_bytes() + rate * p.lead_time_s) / capacity;
  if (projected < p.fill_threshold) return;
  uint32_t count = p.increment_nodes;
  if (count == 0) {
    count = s_.pool.strategy == GroupStrategy::kFixed
                ? smallest_valid_increment(state_.map, state_.topology, s_.cluster.disks_per_node,
                                           current_disk(), p.max_nodes - nodes)
                : s_.pool.scheme.width();
  }
  // A fixed pool grows only in whole groups: an increment cut short by
  // max_nodes would form none, so it is not bought. Declustered takes any.
  if (s_.pool.strategy == GroupStrategy::kDeclustered) count = std::min(count, p.max_nodes - nodes);
  if (count == 0 || count > p.max_nodes - nodes) {
    if (!max_nodes_reported_) record("purchase_blocked", -1, -1, -1, 0, 0,
                                     "fill " + std::to_string(projected) + " but max_nodes " +
                                         std::to_string(p.max_nodes) + " reached");
    max_nodes_reported_ = true;
    return;
  }
  order_outstanding_ = true;
  record("purchase_order", -1, -1, -1, 0, 0,
         std::to_string(count) + " nodes; projected fill " + std::to_string(projected));
  push(now() + p.lead_time_s, Kind::kPurchase, count);
}

void Controller::close_month(uint32_t month) {
  ModelState& st = state_;
  double k = st.map.spec.scheme.data_members(), w = st.map.spec.scheme.width();
  row_.month = month;
  row_.raw_tb = st.raw_capacity_bytes() / 1e12;
  row_.usable_tb = st.data_bearing_capacity_bytes() * k / w / 1e12;
  row_.used_tb = st.ledger.total_logical_bytes() / 1e12;
  row_.nodes = static_cast<uint32_t>(st.topology.live_nodes().size()) + draining_nodes_;
  row_.disks = 0;
  for (DiskId d : st.topology.live_disks()) row_.disks += !st.disk_failed[d.value];
  row_.heals_in_flight = static_cast<uint32_t>(active_heals());
  for (uint32_t g = 0; g < st.map.placement.groups.size(); ++g) {
    if (st.map.placement.groups[g].retired || !st.group_degraded(g)) continue;
    ++row_.degraded_groups;
    row_.bytes_at_risk += st.ledger.logical_bytes(GroupId(g));
  }
  row_.bytes_lost = result_.bytes_lost;
  row_.heal_p50_h = percentile(heal_hours_, 0.50);
  row_.heal_p99_h = percentile(heal_hours_, 0.99);
  double capacity = st.data_bearing_capacity_bytes();
  if (capacity > 0) result_.peak_fill = std::max(result_.peak_fill, st.ledger.total_used_bytes() / capacity);
  result_.months.push_back(row_);
  if (options_.condition_on_no_group_loss && ((month + 1) % 12 == 0 || month + 1 == months_))
    result_.fatal_hazard_by_year.push_back(result_.fatal_hazard);
  if (options_.disk_detail) record_disks(month);
}

// Every disk in service during `month`, as the model sees it at the month's
// end; read-only over the model's state.
void Controller::record_disks(uint32_t month) {
  const ModelState& st = state_;
  const double start_s = month * kSecondsPerMonth, end_s = (month + 1) * kSecondsPerMonth;
  for (uint32_t id = 0; id < st.topology.disk_id_bound() && id < disk_installed_s_.size(); ++id) {
    const DiskInfo& info = st.topology.disk(DiskId(id));
    if (disk_installed_s_[id] < 0 || disk_installed_s_[id] >= end_s) continue;
    if (info.retired && disk_retired_s_[id] < start_s) continue;
    DiskMonth row;
    row.month = month;
    row.disk = id;
    row.node = info.node.value;
    row.rack = info.rack.value;
    row.slot = st.disk_slot[id];
    row.installed_in_month = disk_installed_s_[id] >= start_s;
    row.failed_in_month = st.disk_failed[id] && st.disk_failed_at_s[id] >= start_s;
    row.used_bytes = st.ledger.disk_used_bytes(DiskId(id));
    row.capacity_bytes = static_cast<double>(info.model.capacity_bytes);
    if (info.retired) {
      row.state = DiskState::kRetired;
    } else if (st.disk_failed[id]) {
      bool healing = false;
      for (auto [g, member] : st.disk_members[id]) healing = healing || st.group_in_heal[g];
      row.state = healing ? DiskState::kHealing : DiskState::kFailed;
    } else {
      row.state = st.node_down[info.node.value] ? DiskState::kDown : DiskState::kHealthy;
    }
    result_.disk_months.push_back(row);
  }
}

// ---------------------------------------------------------------- failures

// `replacement_follows`: a new disk arrives after heal.replacement_delay;
// false when the caller installs one itself (replace_disk).
void Controller::on_disk_failure(DiskId d, bool replacement_follows) {
  ModelState& st = state_;
  if (d.value >= st.disk_failed.size() || st.disk_failed[d.value] || st.topology.disk(d).retired) return;
  st.disk_failed[d.value] = true;
  st.failed_disks.insert(d.value);
  st.disk_detected[d.value] = false;
  st.disk_failed_at_s[d.value] = now();
  ++row_.disk_failures;
  ++result_.disk_failures;
  record("disk_failure", st.topology.disk(d).node.value, d.value, -1, st.ledger.disk_used_bytes(d), 0);
  cancel_heals_touching(d);
  for (auto [g, member] : st.disk_members[d.value]) ++st.group_failed[g];
  for (auto [g, member] : st.disk_members[d.value]) settle_group(g, d.value);
  for (auto [g, member] : st.disk_members[d.value]) lose_latent(g);
  push(now() + s_.heal.detection_delay_s, Kind::kDetect, d.value);
  if (replacement_follows) push(now() + s_.heal.replacement_delay_s, Kind::kReplace, d.value);
  retire_if_empty(d);
}

// A new disk takes the failed one's slot. Fixed pools gain a spare (a heal
// target); declustered pools take it in through the next map change.
void Controller::on_replace(DiskId failed) {
  ModelState& st = state_;
  NodeId node = st.topology.disk(failed).node;
  if (st.topology.node(node).retired) return;  // retired meanwhile: no slot to fill
  DiskId fresh = st.topology.add_disk(node, st.topology.disk(failed).model);  // its group's size
  st.fit();
  st.disk_slot[fresh.value] = st.disk_slot[failed.value];
  platform_.bind_disk(fresh, node.value, st.disk_slot[fresh.value]);
  schedule_disk_failure(fresh, now());
  record("disk_replaced", node.value, fresh.value, -1, 0, 0, "replaces disk " + std::to_string(failed.value));
  if (s_.pool.strategy == GroupStrategy::kFixed) {
    st.map = admit_spares(std::move(st.map), st.topology, std::span<const DiskId>(&fresh, 1));
    schedule_heals();
  } else {
    change_pending_ = true;
    maybe_apply_change();
  }
}

void Controller::on_purchase(uint32_t count) {
  order_outstanding_ = false;
  bring_in(count, std::to_string(count) + " nodes", "purchase", now() - s_.procurement.lead_time_s);
}

uint32_t Controller::nodes_in_service() const {
  return static_cast<uint32_t>(state_.topology.live_nodes().size()) + draining_nodes_;
}

// The disk bought now: the scenario's, grown by refresh.disk_size_growth for
// each whole year since the start.
DiskModel Controller::current_disk() const {
  DiskModel d = s_.cluster.disk;
  const uint32_t year = static_cast<uint32_t>(now() / kSecondsPerYear);
  d.capacity_bytes = static_cast<uint64_t>(
      std::llround(static_cast<double>(d.capacity_bytes) * std::pow(1.0 + s_.procurement.refresh.disk_size_growth, year)));
  return d;
}

// Orders replacements for the nodes that reach procurement.refresh.age
// within a lead time, all due ones in one batch: they arrive together and
// are drained by one retirement (on_refresh).
void Controller::consider_refresh() {
  const RefreshSpec& r = s_.procurement.refresh;
  if (r.age_s <= 0) return;
  std::vector<NodeId> due;
  for (NodeId n : state_.topology.live_nodes()) {
    if (refresh_ordered_.count(n.value)) continue;
    if (std::find(retiring_.begin(), retiring_.end(), n) != retiring_.end()) continue;
    if (node_in_s_[n.value] + r.age_s - s_.procurement.lead_time_s <= now() + 1e-3) due.push_back(n);
  }
  if (due.empty()) return;
  for (NodeId n : due) refresh_ordered_.insert(n.value);
  const uint32_t batch = static_cast<uint32_t>(refresh_batches_.size());
  refresh_batches_.push_back(due);
  record("refresh_order", -1, -1, -1, 0, 0,
         std::to_string(due.size()) + " nodes reach " + format_duration(r.age_s) + "; replacements arrive in " +
             format_duration(s_.procurement.lead_time_s));
  push(now() + s_.procurement.lead_time_s, Kind::kRefresh, batch);
}

// The batch's replacements arrive: as many nodes of the current generation,
// and the old nodes wait to retire, so that one map change takes the new in
// and drains the old onto them (maybe_apply_change).
void Controller::on_refresh(uint32_t batch) {
  std::vector<NodeId> nodes;
  for (NodeId n : refresh_batches_[batch])
    if (!state_.topology.node(n).retired && std::find(retiring_.begin(), retiring_.end(), n) == retiring_.end())
      nodes.push_back(n);
  if (nodes.empty()) return;
  for (NodeId n : nodes) refreshing_.insert(n.value);
  if (retiring_.empty()) retiring_since_s_ = now();
  retiring_.insert(retiring_.end(), nodes.begin(), nodes.end());
  bring_in(static_cast<uint32_t>(nodes.size()),
           std::to_string(nodes.size()) + " nodes replacing nodes bought " +
               std::to_string(static_cast<int>(std::lround((now() - node_in_s_[nodes.front().value]) / kSecondsPerMonth))) +
               " months ago",
           "refresh", now() - s_.procurement.lead_time_s);
}

// A latent error arises on disk `d`: in one of its members, chosen by the
// bytes each holds, at a uniform place in its node's scrub pass; the scrub
// finds it when it reads that place (latent_errors.h) — unless a heal needs
// it first (lose_latent).
void Controller::on_latent(DiskId d) {
  ModelState& st = state_;
  if (st.topology.disk(d).retired || st.disk_failed[d.value]) return;  // the disk's process ends with it
  SplitMix64& rng = latent_rng_[d.value];
  push(now() + sample_exponential_s(s_.failures.latent_errors_per_disk_year, rng), Kind::kLatent, d.value);
  double total = 0;
  for (auto [g, member] : st.disk_members[d.value]) total += st.ledger.member_stored_bytes(GroupId(g), member);
  const double pick = rng.uniform() * total, position = rng.uniform();
  if (total <= 0) return;  // nothing stored there yet
  double acc = 0;
  std::pair<uint32_t, uint32_t> where = st.disk_members[d.value].back();
  for (auto [g, member] : st.disk_members[d.value]) {
    acc += st.ledger.member_stored_bytes(GroupId(g), member);
    if (pick < acc) {
      where = {g, member};
      break;
    }
  }
  // The node's scrub: its pass over what its disks hold, starting `interval`
  // after the last, at a phase of its own.
  const NodeId n = st.topology.disk(d).node;
  double bytes = 0;
  for (DiskId other : st.topology.node(n).disks)
    if (!st.topology.disk(other).retired && !st.disk_failed[other.value]) bytes += st.ledger.disk_used_bytes(other);
  const HealSpec& h = s_.heal;
  const double pass_s = scrub_pass_s(bytes, bytes / st.member_bytes_per_file(), h.scrub_bytes_per_s_per_node);
  SplitMix64 phase_rng(tie_key(s_.seed, kScrubStream, n.value));
  const double phase_s = node_in_s_[n.value] + phase_rng.uniform() * (pass_s + h.scrub_interval_s);
  LatentError e{d.value, where.first, where.second, now(), 0, false};
  e.found_s = now() < phase_s ? phase_s + position * pass_s
                              : scrub_reaches_s(now(), phase_s, pass_s, h.scrub_interval_s, position);
  const uint32_t id = static_cast<uint32_t>(latent_.size());
  latent_.push_back(e);
  latent_by_group_[e.group].push_back(id);
  ++result_.latent_errors;
  push(e.found_s, Kind::kLatentFound, id);
  lose_latent(e.group);
}

void Controller::on_latent_found(uint32_t id) {
  LatentError& e = latent_[id];
  if (e.settled) return;
  e.settled = true;
  std::erase(latent_by_group_[e.group], id);
  if (!state_.disk_failed[e.disk] && !state_.topology.disk(DiskId(e.disk)).retired) ++result_.latent_found;
}

// Group `g` with no redundancy left heals by reading every surviving member:
// a file with a latent error on one of them cannot be rebuilt and is lost
// (one file per error, of the scenario's mean size).
void Controller::lose_latent(uint32_t g) {
  ModelState& st = state_;
  auto it = latent_by_group_.find(g);
  if (it == latent_by_group_.end() || it->second.empty()) return;
  const Scheme& scheme = st.map.spec.scheme;
  if (st.group_lost_data[g] || st.group_failed[g] < scheme.width() - scheme.data_members()) return;
  for (uint32_t id : std::exchange(it->second, {})) {
    LatentError& e = latent_[id];
    e.settled = true;
    if (st.disk_failed[e.disk] || st.topology.disk(DiskId(e.disk)).retired) continue;  // gone with its disk
    const double files = st.ledger.files(GroupId(g));
    if (files <= 0) continue;
    auto [lost_files, lost_bytes] = st.ledger.lose_share(st.map, GroupId(g), std::min(1.0, 1.0 / files));
    result_.bytes_lost += lost_bytes;
    result_.files_lost += lost_files;
    result_.latent_files_lost += lost_files;
    ++result_.loss_events;
    record("data_loss", st.topology.disk(DiskId(e.disk)).node.value, e.disk, g, lost_bytes, lost_files,
           "a latent error the scrub had not found, in a group with no redundancy left (arose " +
               format_duration(now() - e.arrived_s) + " ago)");
  }
}

// Data past workload.retention leaves the pool this month (ingest.h): out
// of the archive, or to the next tier, whose bytes are returned (they are
// read out of this pool). Its deletes join the month's foreground operations.
double Controller::expire(uint32_t month, MonthIngest& in) {
  MonthExpiry out = expire_month(state_, month);
  if (out.bytes <= 0) return 0;
  const bool moves_on = s_.workload.moves_on;
  if (!moves_on) result_.bytes_expired += out.bytes;
  in.allocated_bytes -= out.allocated_bytes;
  for (size_t d = 0; d < out.disk_ops_per_s.size() && d < in.disk_ops_per_s.size(); ++d)
    in.disk_ops_per_s[d] += out.disk_ops_per_s[d];
  record(moves_on ? "tier_move" : "expiry", -1, -1, -1, out.bytes, out.files,
         (moves_on ? "to the next tier, written " : "past retention, written ") +
             format_duration(s_.workload.retention_s) + " ago");
  return moves_on ? out.bytes : 0;
}

// The hardware log (cost.h) from the times each node and disk entered and
// left service, priced; and the capacity waterfall at the end.
void Controller::price_hardware() {
  const Topology& t = state_.topology;
  const double end_s = std::min(now(), horizon_s_);
  HardwareLog log;
  for (uint32_t n = 0; n < t.node_id_bound() && n < node_in_s_.size(); ++n) {
    if (node_in_s_[n] < 0) continue;
    log.nodes.push_back({t.node(NodeId(n)).rack.value, node_in_s_[n], node_out_s_[n] < 0 ? end_s : node_out_s_[n]});
  }
  for (uint32_t d = 0; d < t.disk_id_bound() && d < disk_installed_s_.size(); ++d) {
    if (disk_installed_s_[d] < 0) continue;
    const DiskInfo& info = t.disk(DiskId(d));
    double out_s = disk_retired_s_[d] < 0 ? end_s : disk_retired_s_[d];
    if (node_out_s_[info.node.value] >= 0) out_s = std::min(out_s, node_out_s_[info.node.value]);
    log.disks.push_back({info.model.device_class, static_cast<double>(info.model.capacity_bytes),
                         disk_installed_s_[d], out_s});
  }
  result_.cost_years = cost_by_year(s_.cost, log, horizon_s_, result_.months);
  result_.waterfall = capacity_waterfall(state_);
  for (Purchase& p : result_.purchases)
    p.price = purchase_price(s_.cost, p.nodes, p.raw_tb * 1e12, s_.cluster.disk.device_class, p.new_racks,
                             static_cast<uint32_t>(std::max(0.0, p.arrival_s) / kSecondsPerYear));
}

// `count` nodes enter service, on the platform's next node slots, and the
// map change that takes them in waits to apply. Refused when the platform
// has too few slots left (scenario events may have used them).
void Controller::bring_in(uint32_t count, const std::string& detail, const char* kind, double order_s) {
  const bool refresh = std::string_view(kind) == "refresh";
  ModelState& st = state_;
  const uint32_t used = st.topology.node_id_bound();
  if (used + count > node_slots_) {
    record("arrival_refused", -1, -1, -1, 0, 0,
           std::to_string(count) + " nodes: " + std::to_string(used) + " of the model's " +
               std::to_string(node_slots_) + " node slots (procurement.max_nodes, more with refresh) are used");
    return;
  }
  std::vector<NodeId> added = st.topology.add_nodes_spread(count, s_.cluster.disks_per_node, current_disk());
  batch_bad_ = next_batch_bad();
  st.fit();
  for (NodeId n : added) {
    platform_.turn_on_node(n.value);
    const NodeInfo& node = st.topology.node(n);
    for (uint32_t slot = 0; slot < node.disks.size(); ++slot) st.disk_slot[node.disks[slot].value] = slot;
    start_node(n, now());
  }
  size_t year = std::min(result_.nodes_bought_per_year.size() - 1, static_cast<size_t>(now() / kSecondsPerYear));
  (refresh ? result_.nodes_refreshed_per_year : result_.nodes_bought_per_year)[year] += count;
  record(refresh ? "refresh_arrival" : "purchase_arrival", added.front().value, -1, -1, 0, 0, detail);
  record_purchase(kind, order_s, added);
  change_pending_ = true;
  maybe_apply_change();
}

// The hardware of `nodes`, just in service, as one purchase; priced at the
// horizon by price_hardware() (prices depend only on the arrival year).
void Controller::record_purchase(const char* kind, double order_s, const std::vector<NodeId>& nodes) {
  const Topology& t = state_.topology;
  const Scheme& scheme = state_.map.spec.scheme;
  Purchase p{kind, {}, order_s, now()};
  for (NodeId n : nodes) {
    const NodeInfo& node = t.node(n);
    ++p.nodes;
    p.new_racks += racks_bought_.insert(node.rack.value).second;
    for (DiskId d : node.disks) {
      ++p.disks;
      p.raw_tb += static_cast<double>(t.disk(d).model.capacity_bytes) / 1e12;
    }
  }
  p.usable_tb = p.raw_tb * scheme.data_members() / scheme.width();
  result_.purchases.push_back(std::move(p));
}

// An outage of `duration_s`, or — infinite — one that lasts while the node is
// cut off (apply_reachability ends it). A timed outage that falls during
// another keeps the node down at least until its own end.
void Controller::start_outage(NodeId n, double duration_s) {
  ModelState& st = state_;
  if (st.topology.node(n).retired) return;
  if (outage_duration_s_.size() <= n.value) {
    outage_duration_s_.resize(n.value + 1, 0.0);
    outage_started_s_.resize(n.value + 1, 0.0);
    outage_until_s_.resize(n.value + 1, 0.0);
  }
  // The time before which no path's return ends it: its timed part.
  const double until = std::isfinite(duration_s) ? now() + duration_s : now();
  if (st.node_down[n.value]) {
    if (until > outage_until_s_[n.value] + 1e-3) {
      outage_until_s_[n.value] = until;
      outage_duration_s_[n.value] = std::numeric_limits<double>::infinity();  // owed writes: by its span
      push(until, Kind::kOutageEnd, n.value);
    }
    return;
  }
  st.node_down[n.value] = true;
  outage_duration_s_[n.value] = duration_s;
  outage_started_s_[n.value] = now();
  outage_until_s_[n.value] = until;
  record("node_outage_start", n.value, -1, -1, 0, 0);
  if (std::isfinite(duration_s)) push(now() + duration_s, Kind::kOutageEnd, n.value);
}

// A rack or power-domain event: every node in service in the rack goes down
// for failures.racks.duration, or — a `permanent` share of events — is lost.
void Controller::on_rack_event(uint32_t rack) {
  const FailureSpec& f = s_.failures;
  SplitMix64& rng = rack_rng_[rack];
  push(now() + sample_exponential_s(f.rack_events_per_rack_year, rng), Kind::kRackEvent, rack);
  const bool permanent = rng.uniform() < f.rack_event_permanent;
  if (permanent && options_.condition_on_no_group_loss && fatal_racks_.contains(rack)) {
    ++result_.suppressed_failures;  // its hazard is in Λ (advance_fatal_hazard)
    return;
  }
  record("rack_event", -1, -1, -1, 0, 0,
         "rack " + std::to_string(rack) + (permanent ? ": every node lost" : ": every node down for " +
                                                                               format_duration(f.rack_event_duration_s)));
  if (permanent) {
    lose_rack(rack);
    return;
  }
  const Topology& t = state_.topology;
  for (uint32_t n = 0; n < t.node_id_bound(); ++n)
    if (t.node(NodeId(n)).rack.value == rack) start_outage(NodeId(n), f.rack_event_duration_s);
}

void Controller::on_switch(uint32_t id, bool fails) {
  if (fails) {
    push(now() + sample_exponential_s(s_.failures.switch_failures_per_switch_year, switch_rng_[id]),
         Kind::kSwitchFailure, id);
    if (switch_down_[id]) return;
    switch_down_[id] = true;
    push(now() + s_.failures.switch_repair_s, Kind::kSwitchRepair, id);
  } else {
    switch_down_[id] = false;
  }
  record(fails ? "switch_failure" : "switch_repaired", -1, -1, -1, 0, 0,
         "rack " + std::to_string(id / s_.cluster.uplinks) + " switch " + std::to_string(id % s_.cluster.uplinks));
  apply_reachability();
}

// Nodes the engine finds cut off from the core (reachable_nodes) are down
// until a path returns; those a path reaches again come back, owing the
// writes they missed.
void Controller::apply_reachability() {
  ModelState& st = state_;
  const std::vector<bool> reach = reachable_nodes(st.topology, s_.cluster.uplinks, switch_down_);
  if (unreachable_.size() < reach.size()) unreachable_.resize(reach.size(), false);
  for (uint32_t n = 0; n < reach.size(); ++n) {
    if (st.topology.node(NodeId(n)).retired) continue;
    if (!reach[n] && !unreachable_[n]) {
      unreachable_[n] = true;
      record("node_unreachable", n, -1, -1, 0, 0, "no live switch joins it to the core");
      start_outage(NodeId(n), std::numeric_limits<double>::infinity());
    } else if (reach[n] && unreachable_[n]) {
      unreachable_[n] = false;
      end_outage(NodeId(n));
    }
  }
  schedule_heals();
}

// Whether disk `d` failing now would lose a group's data: it holds a member
// of a group that can lose only one more (losses_until_data_loss, the
// engine's recoverability rule).
bool Controller::fatal_disk(DiskId d) const {
  const ModelState& st = state_;
  if (d.value >= st.disk_failed.size() || st.disk_failed[d.value] || st.topology.disk(d).retired) return false;
  const Scheme& scheme = st.map.spec.scheme;
  for (auto [g, member] : st.disk_members[d.value])
    if (!st.group_lost_data[g] && losses_until_data_loss(MemberCounts{.lost = st.group_failed[g]}, scheme) == 1)
      return true;
  return false;
}

// The fatal failure does not happen; the disk, alive at its age, draws its
// next failure time from its own stream.
void Controller::suppress_disk_failure(DiskId d) {
  ++result_.suppressed_failures;
  draw_failure(d, 1.0);
}

// Disk `d`, alive at its age, draws its next failure time from its own
// stream, its hazard × `factor`; earlier draws become stale.
void Controller::draw_failure(DiskId d, double factor) {
  const double age_s = now() - disk_installed_s_[d.value];
  const DiskFailureModel& model = disk_model_[d.value];
  const double t = now() + sample_time_to_failure_s(factor == 1.0 ? model : with_hazard_factor(model, factor), age_s,
                                                    disk_rng_[d.value]);
  next_failure_s_[d.value] = t;
  push(t, Kind::kDiskFailure, d.value);
}

// Disk `d`'s failures were drawn at β × its hazard since biased_[d]: the
// likelihood ratio of that stretch — survival exp(−ΔH) over exp(−βΔH), and
// for a failure at its end the density ratio 1/β.
void Controller::close_bias(DiskId d, bool failed) {
  auto it = biased_.find(d.value);
  const double installed = disk_installed_s_[d.value], beta = options_.failure_bias;
  const double dh = cumulative_hazard(disk_model_[d.value], now() - installed) -
                    cumulative_hazard(disk_model_[d.value], std::max(0.0, it->second - installed));
  result_.log_likelihood_ratio += (beta - 1.0) * dh - (failed ? std::log(beta) : 0.0);
  biased_.erase(it);
}

// Adds to Λ the hazard of the fatal events since fatal_clock_s_ — the
// failures of the surviving members' disks of every group that can lose only
// one more member, and the losses of nodes and (permanent) rack events that
// would take a group's last redundancy with them — by each disk's cumulative
// hazard (exact for every failure model) and the nodes' and racks' rates. The
// state is constant between events and jobs' ends, which integrate first and
// note the fatal sets last (note_critical_groups).
void Controller::advance_fatal_hazard() {
  if (!options_.condition_on_no_group_loss) return;
  const ModelState& st = state_;
  const double from = fatal_clock_s_, to = now();
  fatal_clock_s_ = to;
  if (to <= from) return;
  std::set<uint32_t> disks;
  for (uint32_t g : critical_groups_) {
    double group_hazard = 0;
    for (DiskId d : st.map.placement.groups[g].members) {
      if (st.disk_failed[d.value] || st.topology.disk(d).retired) continue;
      const double installed = disk_installed_s_[d.value];
      const double dh = cumulative_hazard(disk_model_[d.value], to - installed) -
                        cumulative_hazard(disk_model_[d.value], std::max(0.0, from - installed));
      group_hazard += dh;
      if (disks.insert(d.value).second) result_.fatal_hazard += dh;
    }
    result_.fatal_hazard_bytes += group_hazard * st.ledger.logical_bytes(GroupId(g));
  }
  const double years = (to - from) / kSecondsPerYear;
  const double node_h = s_.failures.node_losses_per_node_year * years;
  const double rack_h = s_.failures.rack_events_per_rack_year * s_.failures.rack_event_permanent * years;
  for (const auto& [n, bytes] : fatal_nodes_) {
    result_.fatal_hazard += node_h;
    result_.fatal_hazard_bytes += node_h * bytes;
  }
  for (const auto& [r, bytes] : fatal_racks_) {
    result_.fatal_hazard += rack_h;
    result_.fatal_hazard_bytes += rack_h * bytes;
  }
}

// The groups that can lose only one more member, and the nodes and racks
// whose loss would take some group's last redundancy, after an event or a
// job's end changed the state; failures in groups degraded but not
// critical are biased (SimOptions::failure_bias).
void Controller::note_critical_groups() {
  if (!options_.condition_on_no_group_loss) return;
  const ModelState& st = state_;
  critical_groups_.clear();
  fatal_nodes_.clear();
  fatal_racks_.clear();
  const Scheme& scheme = st.map.spec.scheme;
  const bool nodes_fail = s_.failures.node_losses_per_node_year > 0;
  const bool racks_fail = s_.failures.rack_events_per_rack_year > 0 && s_.failures.rack_event_permanent > 0;
  std::set<uint32_t> bias;  // disks of groups degraded but not critical
  std::vector<uint32_t> nodes, racks;  // a group's live members' nodes and racks (reused: this runs every event)
  // Adds `bytes` to fatal[id] for each id that occurs at least `until` times in `ids`.
  auto note_fatal = [](std::vector<uint32_t>& ids, uint32_t until, double bytes, std::map<uint32_t, double>& fatal) {
    std::sort(ids.begin(), ids.end());
    for (size_t i = 0, j = 0; i < ids.size(); i = j) {
      while (j < ids.size() && ids[j] == ids[i]) ++j;
      if (j - i >= until) fatal[ids[i]] += bytes;
    }
  };
  for (uint32_t g = 0; g < st.map.placement.groups.size(); ++g) {
    if (st.map.placement.groups[g].retired || st.group_lost_data[g]) continue;
    const uint32_t until = losses_until_data_loss(MemberCounts{.lost = st.group_failed[g]}, scheme);
    if (until == 1) {
      critical_groups_.push_back(g);
    } else if (st.group_failed[g] > 0 && options_.failure_bias != 1.0) {
      for (DiskId d : st.map.placement.groups[g].members)
        if (!st.disk_failed[d.value] && !st.topology.disk(d).retired) bias.insert(d.value);
    }
    if (!nodes_fail && !racks_fail) continue;
    nodes.clear();
    racks.clear();
    for (DiskId d : st.map.placement.groups[g].members) {
      if (st.disk_failed[d.value] || st.topology.disk(d).retired) continue;
      const NodeId n = st.topology.disk(d).node;
      nodes.push_back(n.value);
      racks.push_back(st.topology.node(n).rack.value);
    }
    const double bytes = st.ledger.logical_bytes(GroupId(g));
    if (nodes_fail) note_fatal(nodes, until, bytes, fatal_nodes_);
    if (racks_fail) note_fatal(racks, until, bytes, fatal_racks_);
  }
  if (options_.failure_bias == 1.0) return;
  for (auto it = biased_.begin(); it != biased_.end();) {
    const uint32_t d = (it++)->first;
    if (bias.count(d) && !fatal_disk(DiskId(d))) continue;
    close_bias(DiskId(d), false);
    if (!st.disk_failed[d] && !st.topology.disk(DiskId(d)).retired) draw_failure(DiskId(d), 1.0);
  }
  for (uint32_t d : bias) {
    if (biased_.count(d) || fatal_disk(DiskId(d))) continue;
    biased_[d] = now();
    draw_failure(DiskId(d), options_.failure_bias);
  }
}

// Groups that cannot serve reads — fewer than k members on disks alive and
// nodes up — accumulate their hours, up to now.
void Controller::advance_unavailability() {
  const ModelState& st = state_;
  const double dt = now() - unavailability_clock_s_;
  unavailability_clock_s_ = now();
  if (dt <= 0) return;
  std::map<uint32_t, uint32_t> missing;  // group -> members unavailable
  for (uint32_t d : st.failed_disks)
    for (auto [g, member] : st.disk_members[d]) ++missing[g];
  for (uint32_t n = 0; n < st.node_down.size(); ++n) {
    if (!st.node_down[n]) continue;
    for (DiskId d : st.topology.node(NodeId(n)).disks)
      if (!st.disk_failed[d.value] && !st.topology.disk(d).retired)
        for (auto [g, member] : st.disk_members[d.value]) ++missing[g];
  }
  const Scheme& scheme = st.map.spec.scheme;
  uint32_t unavailable = 0;
  for (auto [g, count] : missing) unavailable += count > scheme.width() - scheme.data_members() ? 1u : 0u;
  result_.unavailable_group_hours += unavailable * dt / 3600.0;
}

void Controller::on_outage(NodeId n, bool starts) {
  ModelState& st = state_;
  if (st.topology.node(n).retired) return;
  if (starts) {
    start_outage(n, s_.failures.node_outage_duration_s);
    push(now() + sample_exponential_s(s_.failures.node_outages_per_node_year, node_rng_[n.value]),
         Kind::kOutageStart, n.value);
    return;
  }
  end_outage(n);
}

// The node is back — unless it is still cut off, or its timed outage has
// not run out (a switch came back during it).
void Controller::end_outage(NodeId n) {
  ModelState& st = state_;
  if (!st.node_down[n.value] || st.topology.node(n).retired) return;
  if (n.value < unreachable_.size() && unreachable_[n.value]) return;
  if (now() < outage_until_s_[n.value] - 1e-3) return;
  // Writes during the outage went to the other members only: each member on
  // the node owes what its group ingested meanwhile (at the month's rate).
  st.node_down[n.value] = false;
  double down_s = std::isfinite(outage_duration_s_[n.value]) ? outage_duration_s_[n.value]
                                                              : now() - outage_started_s_[n.value];
  double owed = 0;
  for (DiskId d : st.topology.node(n).disks) {
    if (st.topology.disk(d).retired || st.disk_failed[d.value]) continue;
    for (auto [g, member] : st.disk_members[d.value]) {
      if (g >= month_files_.size() || month_files_[g] <= 0) continue;
      double bytes = month_files_[g] / kSecondsPerMonth * down_s * st.profile.stored_bytes[member];
      st.stale_bytes[{g, member}] += bytes;
      owed += bytes;
    }
  }
  record("node_outage_end", n.value, -1, -1, owed, 0, "bytes owed to its members");
  for (DiskId d : st.topology.node(n).disks)
    if (!st.topology.disk(d).retired && !st.disk_failed[d.value])
      for (auto [g, member] : st.disk_members[d.value]) settle_group(g, -1);
  schedule_heals();
}

// Counts what group `g` lost, if anything, now that a member of it failed
// (on `disk`) or went stale (disk -1): ModelState::settle_group().
void Controller::settle_group(uint32_t g, int64_t disk) {
  std::optional<ModelState::Loss> loss = state_.settle_group(g);
  if (!loss) return;
  result_.bytes_lost += loss->bytes;
  result_.files_lost += loss->files;
  ++result_.loss_events;
  record("data_loss", -1, disk, g, loss->bytes, loss->files, loss->detail);
}

void Controller::on_node_loss(NodeId n) {
  if (options_.condition_on_no_group_loss && fatal_nodes_.contains(n.value)) {
    ++result_.suppressed_failures;  // its hazard is in Λ (advance_fatal_hazard)
  } else if (!lose_node(n)) {
    return;
  }
  push(now() + sample_exponential_s(s_.failures.node_losses_per_node_year, loss_rng_[n.value]),
       Kind::kNodeLoss, n.value);
}

// Every disk of node `n` fails; false when the node is retired.
bool Controller::lose_node(NodeId n) {
  ModelState& st = state_;
  if (st.topology.node(n).retired) return false;
  record("node_loss", n.value, -1, -1, 0, 0, "every disk of the node fails");
  for (DiskId d : st.topology.node(n).disks)
    if (!st.topology.disk(d).retired) on_disk_failure(d);
  return true;
}

// ---------------------------------------------------------------- scenario events

// Records the event ("event", with its description), then carries it out
// through the paths the random processes and purchases use, so that what it
// causes follows it in the events output. An event that cannot be carried
// out at run time (its node retired, its disk already failed, no node slot
// left) is recorded as "event_refused" with the reason.
void Controller::on_event(const ScenarioEvent& e) {
  using EventKind = ScenarioEvent::Kind;
  const bool names_node = e.kind == EventKind::kFailDisk || e.kind == EventKind::kFailNode ||
                          e.kind == EventKind::kLoseNode || e.kind == EventKind::kReplaceDisk;
  record("event", names_node ? static_cast<int64_t>(e.node) : -1, -1, -1, 0, 0, describe(e));
  switch (e.kind) {
    case EventKind::kFailDisk:
      if (std::optional<DiskId> d = event_disk(e)) on_disk_failure(*d);
      break;
    case EventKind::kFailNode:
      if (std::optional<NodeId> n = event_node(e.node)) {
        if (state_.node_down[n->value])
          record("event_refused", n->value, -1, -1, 0, 0, "the node is already down");
        else
          start_outage(*n, e.duration_s.value_or(s_.failures.node_outage_duration_s));
      }
      break;
    case EventKind::kLoseNode:
      if (std::optional<NodeId> n = event_node(e.node)) lose_node(*n);
      break;
    case EventKind::kLoseRack: lose_rack(e.rack); break;
    case EventKind::kAddNodes:
      bring_in(e.count, std::to_string(e.count) + " nodes, by a scenario event", "event", now());
      break;
    case EventKind::kRetireNodes: retire(e.nodes); break;
    case EventKind::kReplaceDisk:
      // The old disk fails and its replacement is in the slot at once; the
      // heal rebuilds its members once the failure is detected.
      if (std::optional<DiskId> d = event_disk(e)) {
        on_disk_failure(*d, false);
        on_replace(*d);
      }
      break;
  }
}

// Node `n`, if it is in service; else records the refusal.
std::optional<NodeId> Controller::event_node(uint32_t n) {
  const Topology& t = state_.topology;
  if (n < t.node_id_bound() && !t.node(NodeId(n)).retired) return NodeId(n);
  record("event_refused", n, -1, -1, 0, 0,
         n < t.node_id_bound() ? "the node is retired" : "the node does not exist");
  return std::nullopt;
}

// The disk in service in the event's slot (the newest one there: a
// replacement takes its predecessor's slot), if it has not failed; else
// records the refusal.
std::optional<DiskId> Controller::event_disk(const ScenarioEvent& e) {
  std::optional<NodeId> n = event_node(e.node);
  if (!n) return std::nullopt;
  const ModelState& st = state_;
  const std::vector<DiskId>& disks = st.topology.node(*n).disks;
  for (auto it = disks.rbegin(); it != disks.rend(); ++it) {
    if (st.disk_slot[it->value] != e.disk || st.topology.disk(*it).retired) continue;
    if (!st.disk_failed[it->value]) return *it;
    record("event_refused", n->value, it->value, -1, 0, 0,
           "the disk in slot " + std::to_string(e.disk) + " has already failed");
    return std::nullopt;
  }
  record("event_refused", n->value, -1, -1, 0, 0,
         "no disk in service in slot " + std::to_string(e.disk));
  return std::nullopt;
}

// Every node in service in rack `rack` is lost, in node id order.
void Controller::lose_rack(uint32_t rack) {
  const Topology& t = state_.topology;
  std::vector<NodeId> nodes;
  for (uint32_t n = 0; n < t.node_id_bound(); ++n)
    if (t.node(NodeId(n)).rack.value == rack && !t.node(NodeId(n)).retired)
      nodes.push_back(NodeId(n));
  if (nodes.empty()) record("event_refused", -1, -1, -1, 0, 0, "no node in service in the rack");
  for (NodeId n : nodes) lose_node(n);
}

// The nodes wait to retire (maybe_apply_change); all or none.
void Controller::retire(const std::vector<uint32_t>& nodes) {
  std::vector<NodeId> accepted;
  for (uint32_t n : nodes) {
    std::optional<NodeId> id = event_node(n);
    if (!id) return;
    if (std::find(retiring_.begin(), retiring_.end(), *id) != retiring_.end()) {
      record("event_refused", n, -1, -1, 0, 0, "the node is already waiting to retire");
      return;
    }
    accepted.push_back(*id);
  }
  if (retiring_.empty()) retiring_since_s_ = now();
  retiring_.insert(retiring_.end(), accepted.begin(), accepted.end());
  maybe_apply_change();
}

// ---------------------------------------------------------------- work

size_t Controller::active_heals() const {
  return static_cast<size_t>(std::count_if(jobs_.begin(), jobs_.end(),
                                           [](const JobPtr& j) { return !j->rebalance; }));
}

// Plans heals for every group ready for one (the engine orders them, most
// urgent first, and groups them into jobs by cause). While a map change is
// waiting only catch-ups start: the change goes first so that the engine
// never plans a rebuild against a map about to change, but a stale member
// that waited for it — behind rebuilds that may last months — would pile
// outages up into lost writes.
void Controller::schedule_heals() {
  size_t room = heal_jobs_allowed(active_heals(), s_.heal.max_concurrent_heals);
  if (room == 0) return;
  std::vector<std::span<const HealPlan>> running;
  for (const JobPtr& job : jobs_)
    if (!job->rebalance) running.emplace_back(job->plans);
  // A retirement waiting for a failed disk of a retiring node to be rebuilt
  // lets those rebuilds start, or it would wait for ever.
  std::set<uint32_t> rebuild_first;
  for (NodeId n : retiring_)
    for (DiskId d : state_.topology.node(n).disks)
      if (state_.disk_failed[d.value])
        for (auto [g, member] : state_.disk_members[d.value]) rebuild_first.insert(g);
  for (HealLaunch& launched :
       next_heal_round(state_, running, room, change_pending_ || !retiring_.empty(), rebuild_first)) {
    const HealJob& heal = launched.job;
    Job job;
    job.transfers = std::move(launched.transfers);
    int64_t group = heal.plans.size() == 1 ? static_cast<int64_t>(heal.plans[0].group.value) : -1;
    bool outage = heal.cause == HealJob::Cause::kReturningNode;
    int64_t node = outage ? static_cast<int64_t>(heal.node.value) : -1;
    int64_t disk = outage ? -1 : static_cast<int64_t>(heal.disk.value);
    record("heal_start", node, disk, group, launched.write_bytes, 0,
           std::to_string(heal.plans.size()) + (outage ? " groups owed writes" : " groups"));
    job.plans = std::move(launched.job.plans);
    launch(std::move(job));
  }
}

// Starts an actor that starts the job's activities and waits for all of
// them, then finishes the job — unless it was cancelled meanwhile (a disk it
// used failed, or the horizon came), in which case waiting throws and the
// actor just ends. The activities must belong to that actor: SimGrid
// cancels an actor's activities when it ends, and the actor that launched
// the job may be a finishing job's. SimGrid runs one actor at a time, so the
// job actor may update the model directly.
void Controller::launch(Job job) {
  JobPtr j = std::make_shared<Job>(std::move(job));
  j->started_s = now();
  jobs_.push_back(j);
  if (j->transfers.empty()) {
    finish(j);
    return;
  }
  sg4::ActorPtr waiter = sg4::Actor::create("job", platform_.controller_host(), [this, j] {
    if (j->done) return;
    j->activities = platform_.start(j->transfers, j->rebalance);
    try {
      for (auto& a : j->activities) a->wait();
    } catch (const simgrid::Exception&) {  // cancelled: CancelException, or a comm's NetworkFailureException
      CAIRN_ASSERT(j->done);
      return;
    }
    if (!j->done) finish(j);
  });
  waiter->daemonize();
}

void Controller::finish(const JobPtr& job) {
  advance_fatal_hazard();
  job->done = true;
  std::erase(jobs_, job);
  if (job->rebalance) {
    double bytes = job->transfers.bytes_written();
    row_.rebalance_bytes += bytes;
    record("rebalance_end", -1, -1, -1, bytes, 0, std::to_string((now() - job->started_s) / 3600.0) + " h");
    for (NodeId n : job->retiring) {
      record("node_retired", n.value, -1, -1, 0, 0, "drained, out of service");
      node_out_s_[n.value] = now();
      refreshing_.erase(n.value);
    }
    draining_nodes_ -= static_cast<uint32_t>(job->retiring.size());
    if (job->refreshed > 0) {
      double months = (now() - job->started_s) / kSecondsPerMonth;
      ++result_.refreshes;
      result_.nodes_retired_for_age += job->refreshed;
      result_.longest_migration_months = std::max(result_.longest_migration_months, months);
      char text[96];
      std::snprintf(text, sizeof text, "%u nodes, %.2f months", job->refreshed, months);
      record("refresh_end", -1, -1, -1, bytes, 0, text);
    }
  } else {
    finish_heal(*job);
  }
  maybe_apply_change();
  schedule_heals();
  note_critical_groups();
}

void Controller::finish_heal(Job& job) {
  std::vector<DiskId> vacated = apply_finished_heal(state_, job.plans);
  double bytes = 0;
  for (const HealPlan& p : job.plans) bytes += static_cast<double>(p.write_bytes);
  record("heal_end", -1, -1, job.plans.size() == 1 ? static_cast<int64_t>(job.plans[0].group.value) : -1, bytes, 0,
         std::to_string((now() - job.started_s) / 3600.0) + " h");
  for (DiskId d : vacated) retire_if_empty(d);
}

// A failed disk that holds no member any more leaves the topology; its heal
// is complete, and its duration (failure to last member rebuilt) is counted.
void Controller::retire_if_empty(DiskId d) {
  ModelState& st = state_;
  if (!st.disk_failed[d.value] || st.topology.disk(d).retired || !st.disk_members[d.value].empty()) return;
  st.topology.retire_disk(d);
  st.failed_disks.erase(d.value);
  disk_retired_s_[d.value] = now();
  double hours = (now() - st.disk_failed_at_s[d.value]) / 3600.0;
  heal_hours_.push_back(hours);
  ++row_.heals_completed;
  result_.longest_heal_h = std::max(result_.longest_heal_h, hours);
  if (s_.pool.strategy == GroupStrategy::kFixed) st.map = admit_spares(std::move(st.map), st.topology, {});
}

// A heal that reads from or writes to a disk that just failed cannot finish:
// its activities are cancelled and its groups are planned again.
void Controller::cancel_heals_touching(DiskId d) {
  std::vector<JobPtr> doomed;
  for (const JobPtr& job : jobs_) {
    if (job->rebalance) continue;
    if (job->transfers.disk_read_bytes.count(d) || job->transfers.disk_write_bytes.count(d))
      doomed.push_back(job);
  }
  for (const JobPtr& job : doomed) {
    job->done = true;
    std::erase(jobs_, job);
    for (auto& a : job->activities) a->cancel();
    release_heal(state_, job->plans);
    record("heal_cancelled", -1, d.value, -1, 0, 0, "a disk of the heal failed");
  }
}

// Applies a waiting topology change (purchase, a declustered pool's
// replacement disk, a retirement) once map_changes.h allows it, and carries
// the engine's rebalance plan out as one budgeted job. A retirement's next
// map takes in every other waiting change too; when the engine refuses it,
// the nodes stay in service and the other changes apply alone.
void Controller::maybe_apply_change() {
  if (!retiring_.empty() && retirement_may_apply(state_, retiring_, active_heals())) {
    std::vector<NodeId> nodes = std::exchange(retiring_, {});
    Result<RebalancePlan> plan = retire_nodes(state_, nodes);
    if (plan) {
      change_pending_ = false;
      start_rebalance(*plan, std::move(nodes));
      schedule_heals();
      return;
    }
    for (NodeId n : nodes) record("retire_refused", n.value, -1, -1, 0, 0, plan.status().message());
  } else if (!retiring_.empty() && now() - retiring_since_s_ < kRetirementPatienceS) {
    return;  // the retirement's map takes the other waiting changes in with it
  }
  if (!change_pending_ || !change_may_apply(state_, active_heals())) return;
  change_pending_ = false;
  Result<RebalancePlan> plan = install_next_map(state_);
  if (!plan) {
    record("change_refused", -1, -1, -1, 0, 0, plan.status().message());
    schedule_heals();
    return;
  }
  start_rebalance(*plan, {});
  schedule_heals();
}

// The plan's transfers as one budgeted job; `retiring` leave service when it
// ends.
void Controller::start_rebalance(const RebalancePlan& plan, std::vector<NodeId> retiring) {
  Job job;
  job.rebalance = true;
  job.transfers = rebalance_transfers(flows_by_disk_pair(plan), state_.topology, state_.member_bytes_per_file());
  job.retiring = std::move(retiring);
  for (NodeId n : job.retiring) job.refreshed += refreshing_.count(n.value) ? 1u : 0u;
  draining_nodes_ += static_cast<uint32_t>(job.retiring.size());
  record("rebalance_start", -1, -1, -1, job.transfers.bytes_written(), 0,
         "epoch " + std::to_string(state_.map.epoch()) + ", " + std::to_string(plan.moves.size()) +
             " slot moves");
  if (job.refreshed > 0)
    record("refresh_start", -1, -1, -1, job.transfers.bytes_written(), 0,
           std::to_string(job.refreshed) + " nodes drained onto their replacements");
  launch(std::move(job));
}

}  // namespace

RunResult run_simulation(const Scenario& scenario, const SimOptions& options) {
  CAIRN_ASSERT(scenario.tiers.empty());  // run_archive() runs tiers
  auto wall_start = std::chrono::steady_clock::now();
  int argc = 3;
  char arg0[] = "cairn", arg1[] = "--log=root.thres:critical", arg2[] = "--cfg=contexts/stack-size:256";
  char* argv[] = {arg0, arg1, arg2, nullptr};
  sg4::Engine engine(&argc, argv);
  Platform platform(engine, scenario);
  Controller controller(scenario, options, platform);
  sg4::Actor::create("cairn-model", platform.controller_host(), [&controller] { controller.run(); });
  engine.run();
  RunResult result = controller.take();
  result.simulated_years = static_cast<double>(result.months.size()) / 12.0;
  result.final_nodes = result.months.empty() ? 0 : result.months.back().nodes;
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace cairn::sim
