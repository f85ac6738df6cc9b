#include "sim/front_traffic.h"

#include <simgrid/Exception.hpp>

#include <algorithm>
#include <map>
#include <utility>

#include "sim/scenario.h"

namespace sg4 = simgrid::s4u;

namespace cairn::sim {

double reads_for(double ingest_bytes, double read_fraction) {
  CAIRN_ASSERT(read_fraction >= 0 && read_fraction < 1);
  return ingest_bytes * read_fraction / (1 - read_fraction);
}

std::vector<NodeFrontBytes> front_bytes(const std::vector<double>& ingest_by_node, const std::vector<bool>& up,
                                        double read_bytes) {
  const double status_bytes = kSecondsPerMonth / kStatusPeriodS * kStatusReplyBytes;
  double ingest = 0, nodes_up = 0;
  for (double in : ingest_by_node) ingest += in;
  for (bool u : up) nodes_up += u ? 1 : 0;
  std::vector<NodeFrontBytes> out;
  for (uint32_t n = 0; n < up.size(); ++n) {
    if (!up[n]) continue;
    const double in = n < ingest_by_node.size() ? ingest_by_node[n] : 0.0;
    const double share = ingest > 0 ? in / ingest : 1.0 / nodes_up;
    out.push_back({n, in, read_bytes * share, status_bytes});
  }
  return out;
}

std::shared_ptr<FrontMonth> FrontMonth::launch(const Platform& platform, sg4::Host* host,
                                               const std::vector<NodeFrontBytes>& traffic, bool nics_idle) {
  auto month = std::make_shared<FrontMonth>();
  month->start_s_ = sg4::Engine::get_clock();
  std::map<std::pair<FrontFlow, uint64_t>, size_t> by_size;  // flow and bytes -> index in flows_
  for (const NodeFrontBytes& t : traffic) {
    for (auto [flow, bytes] : {std::pair{FrontFlow::kClientIn, t.client_in}, std::pair{FrontFlow::kClientOut, t.client_out},
                               std::pair{FrontFlow::kManagement, t.management}}) {
      const auto size = static_cast<uint64_t>(bytes);
      if (size == 0) continue;
      if (nics_idle) {
        auto [it, fresh] = by_size.try_emplace({flow, size}, month->flows_.size());
        if (!fresh) {
          month->flows_[it->second].nodes.push_back(t.node);
          continue;
        }
      }
      month->flows_.push_back({{t.node}, flow, size, platform.front_bytes_per_s(flow), nullptr});
    }
  }
  month->open_ = month->flows_.size();
  // The comms must belong to the actor that waits for them: SimGrid cancels
  // an actor's activities when it ends.
  sg4::ActorPtr waiter = sg4::Actor::create("front-month", host, [month, &platform] { month->start_and_wait(platform); });
  waiter->daemonize();
  return month;
}

void FrontMonth::start_and_wait(const Platform& platform) {
  if (settled_) return;
  for (Flow& f : flows_) f.comm = platform.start_front(f.nodes.front(), f.flow, static_cast<double>(f.bytes));
  // Comm::wait_all would stop at the first failure; waiting one by one lets
  // a failed comm (its host turned off) leave the others measured.
  for (Flow& f : flows_) {
    try {
      f.comm->wait();
    } catch (const simgrid::CancelException&) {
      return;  // settle() ran at the horizon
    } catch (const simgrid::Exception&) {
      --open_;
      continue;  // NetworkFailureException: not measured
    }
    --open_;
    f.end_s = f.comm->get_finish_time();
    note(f);
  }
}

void FrontMonth::note(const Flow& f) {
  const double busy = (f.end_s - start_s_) / kSecondsPerMonth;
  if (f.flow == FrontFlow::kManagement) {
    busy_.management = std::max(busy_.management, busy);
  } else if (busy > busy_.client) {
    busy_ = {busy, f.nodes.front(), f.flow, busy_.management};
  }
}

void FrontMonth::settle(double now_s) {
  settled_ = true;
  for (Flow& f : flows_) {
    if (f.end_s >= 0 || !f.comm) continue;
    const sg4::Activity::State state = f.comm->get_state();
    if (state == sg4::Activity::State::FINISHED) {
      f.end_s = f.comm->get_finish_time();  // ended, not yet waited for
    } else if (state == sg4::Activity::State::STARTED) {
      f.end_s = now_s + f.comm->get_remaining() / f.bytes_per_s;
      f.comm->cancel();
    } else {
      continue;
    }
    note(f);
  }
}

}  // namespace cairn::sim
