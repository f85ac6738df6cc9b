#include "cluster-ref/node.h"

#include <nlohmann/json.hpp>

#include "cluster-ref/log.h"
#include "engine/scrub.h"

namespace cairn {
namespace {

constexpr Millis kIdleTimeout(10 * 60 * 1000);  // an idle connection is closed after this

bool allowed(wire::MsgType type, Node::Network network) {
  using T = wire::MsgType;
  switch (network) {
    case Node::Network::kClient:
      return type == T::kMapRequest || type == T::kPut || type == T::kDelete || type == T::kRead ||
             type == T::kList || type == T::kPing;
    case Node::Network::kStorage:
      return type == T::kStore || type == T::kRead || type == T::kRemove || type == T::kList ||
             type == T::kMapRequest || type == T::kPing;
    case Node::Network::kManagement:
      return type == T::kStatus || type == T::kPing || type == T::kMapRequest || type == T::kScrub;
  }
  return false;
}

const char* network_name(Node::Network n) {
  switch (n) {
    case Node::Network::kClient: return "client";
    case Node::Network::kStorage: return "storage";
    case Node::Network::kManagement: return "management";
  }
  return "?";
}

template <class Message>
Result<Message> decode(const wire::Frame& frame) {
  return Message::decode(frame.payload);
}

}  // namespace

Result<std::unique_ptr<Node>> Node::open(ClusterMap map, NodeId self) {
  if (self.value >= map.config.nodes.size()) {
    return not_found("node " + std::to_string(self.value) + " is not in the cluster file (it has " +
                     std::to_string(map.config.nodes.size()) + " nodes)");
  }
  std::unique_ptr<Node> node(new Node(std::move(map), self));
  const NodeConfig& config = node->map_.node(self);
  const auto& disk_ids = node->map_.topology.node(self).disks;
  std::vector<DiskStore*> local;
  for (size_t i = 0; i < config.disks.size(); ++i) {
    auto store = DiskStore::open(config.disks[i].path, self.value, disk_ids[i].value,
                                 config.disks[i].capacity_bytes);
    if (!store) return store.status();
    local.push_back(store->get());
    node->disks_.push_back(std::move(store).value());
  }
  auto owed = OwedLog::open(config.state_dir);
  if (!owed) return owed.status();
  node->owed_ = std::move(owed).value();
  node->peers_ = std::make_unique<Peers>(node->map_, self, std::move(local));
  node->coordinator_ = std::make_unique<Coordinator>(node->map_, *node->peers_, *node->owed_);
  node->healer_ = std::make_unique<Healer>(node->map_, *node->peers_, *node->owed_);
  node->scrubber_ = std::make_unique<Scrubber>(node->map_, *node->peers_, *node->healer_);
  return node;
}

Node::~Node() { stop(); }

Status Node::start() {
  const NodeConfig& config = map_.node(self_);
  for (auto [endpoint, network] : {std::pair{config.client, Network::kClient},
                                   std::pair{config.storage, Network::kStorage},
                                   std::pair{config.management, Network::kManagement}}) {
    auto listener = Listener::start(endpoint, network_name(network), kConnectionsMax,
                                    [this, network = network](Connection& c) { serve(c, network); });
    if (!listener) return listener.status();
    listeners_.push_back(std::move(listener).value());
  }
  peers_->start();
  healer_->start();
  scrubber_->start();
  log::info() << "serving " << disks_.size() << " disks; client " << config.client.to_string()
              << ", storage " << config.storage.to_string() << ", management "
              << config.management.to_string() << "; " << owed_->size() << " heals pending";
  return Status::ok();
}

void Node::stop() {
  for (auto& l : listeners_) l->stop();
  if (scrubber_) scrubber_->stop();
  if (healer_) healer_->stop();
  if (peers_) peers_->stop();
}

void Node::serve(Connection& connection, Network network) {
  while (true) {
    auto frame = connection.receive(kIdleTimeout);
    if (!frame) {
      // A peer closing between requests is normal; anything else is logged.
      if (frame.status().code() != StatusCode::kUnavailable) {
        log::warn() << "closing " << connection.peer() << " (" << network_name(network)
                    << "): " << frame.status().message();
      }
      return;
    }
    auto reply = handle(*frame, network);
    Status sent;
    if (reply) {
      sent = connection.send(reply->type, frame->request_id, reply->payload, kIdleTimeout);
    } else {
      wire::ErrorReply error{reply.status().code(), reply.status().message(), map_.epoch()};
      if (error.message.size() > wire::kMessageBytesMax) error.message.resize(wire::kMessageBytesMax);
      sent = connection.send(wire::MsgType::kError, frame->request_id, error.encode(), kIdleTimeout);
    }
    if (!sent.is_ok()) return;
  }
}

Status Node::check_epoch(uint64_t epoch) const {
  if (epoch == map_.epoch()) return Status::ok();
  if (epoch < map_.epoch()) {
    return Status(StatusCode::kStaleEpoch, "cluster map epoch " + std::to_string(epoch) +
                                               " is older than this node's " +
                                               std::to_string(map_.epoch()) + "; refresh it");
  }
  return refused("this node runs cluster map epoch " + std::to_string(map_.epoch()) +
                 ", older than the request's " + std::to_string(epoch) +
                 "; restart it with the new cluster file");
}

Result<DiskStore*> Node::disk(uint32_t disk_id) const {
  if (disk_id < map_.topology.disk_id_bound()) {
    if (DiskStore* store = peers_->local(DiskId(disk_id))) return store;
  }
  return not_found("disk " + std::to_string(disk_id) + " is not on node " +
                   std::to_string(self_.value));
}

Result<Node::Reply> Node::handle(const wire::Frame& frame, Network network) {
  using T = wire::MsgType;
  if (!allowed(frame.type, network)) {
    return refused(std::string(wire::to_string(frame.type)) + " is not served on the " +
                   network_name(network) + " network");
  }
  switch (frame.type) {
    case T::kPing: return Reply{T::kPong, {}};
    case T::kMapRequest: return Reply{T::kMapReply, wire::MapReply{map_.epoch(), map_.yaml}.encode()};
    case T::kStatus: return Reply{T::kStatusReply, wire::StatusReply{status_json()}.encode()};
    case T::kScrub: {
      auto request = decode<wire::ScrubRequest>(frame);
      if (!request) return request.status();
      return Reply{T::kScrubReply, wire::ScrubReply{scrubber_->request_pass(request->unpaced)}.encode()};
    }
    case T::kPut: {
      auto request = decode<wire::PutRequest>(frame);
      if (!request) return request.status();
      if (Status st = check_epoch(request->epoch); !st.is_ok()) return st;
      auto reply = coordinator_->put(*request);
      if (!reply) return reply.status();
      return Reply{T::kPutReply, reply->encode()};
    }
    case T::kDelete: {
      auto request = decode<wire::DeleteRequest>(frame);
      if (!request) return request.status();
      if (Status st = check_epoch(request->epoch); !st.is_ok()) return st;
      auto reply = coordinator_->remove(*request);
      if (!reply) return reply.status();
      return Reply{T::kPutReply, reply->encode()};
    }
    case T::kStore: {
      auto request = decode<wire::StoreRequest>(frame);
      if (!request) return request.status();
      if (Status st = check_epoch(request->epoch); !st.is_ok()) return st;
      auto store = disk(request->disk);
      if (!store) return store.status();
      if (Status st = (*store)->put(request->path, request->record, request->payload); !st.is_ok()) {
        return st;
      }
      return Reply{T::kOk, {}};
    }
    case T::kRemove: {
      auto request = decode<wire::RemoveRequest>(frame);
      if (!request) return request.status();
      if (Status st = check_epoch(request->epoch); !st.is_ok()) return st;
      auto store = disk(request->disk);
      if (!store) return store.status();
      if (Status st = (*store)->remove(request->path); !st.is_ok()) return st;
      return Reply{T::kOk, {}};
    }
    case T::kRead: {
      auto request = decode<wire::ReadRequest>(frame);
      if (!request) return request.status();
      return read(*request);
    }
    case T::kList: {
      auto request = decode<wire::ListRequest>(frame);
      if (!request) return request.status();
      return list(*request);
    }
    default: break;
  }
  return refused(std::string(wire::to_string(frame.type)) + " is a reply, not a request");
}

Result<Node::Reply> Node::read(const wire::ReadRequest& request) {
  if (Status st = check_epoch(request.epoch); !st.is_ok()) return st;
  auto store = disk(request.disk);
  if (!store) return store.status();
  wire::ReadReply reply;
  if (request.record_only) {
    auto record = (*store)->stat(request.path);
    if (!record) return record.status();
    reply.record = *record;
  } else {
    auto stored = (*store)->read(request.path);
    if (!stored && stored.status().code() == StatusCode::kCorrupt) read_repair(**store, request.path);
    if (!stored) return stored.status();
    reply.record = stored->record;
    reply.payload = std::move(stored->payload);
  }
  return Reply{wire::MsgType::kReadReply, reply.encode()};
}

Result<Node::Reply> Node::list(const wire::ListRequest& request) {
  if (Status st = check_epoch(request.epoch); !st.is_ok()) return st;
  wire::ListReply reply;
  for (const auto& store : disks_) {
    auto listing = store->list(request.prefix, wire::kListEntriesMax);
    if (!listing) return listing.status();
    reply.truncated = reply.truncated || listing->truncated;
    for (auto& e : listing->entries) {
      if (request.only_group && e.record.group != request.group) continue;
      if (reply.entries.size() == wire::kListEntriesMax) {
        reply.truncated = true;
        break;
      }
      reply.entries.push_back({std::move(e.path), store->disk(), e.record});
    }
  }
  std::sort(reply.entries.begin(), reply.entries.end(), [](const auto& a, const auto& b) {
    return a.path != b.path ? a.path < b.path : a.disk < b.disk;
  });
  return Reply{wire::MsgType::kListReply, reply.encode()};
}

// A read met a copy that fails its checks: the reader is served from another
// member; this node drops the bad copy and repairs it at once (the engine's
// scrub rule for a corrupt payload).
void Node::read_repair(DiskStore& store, std::string_view path) {
  const ScrubAction action = scrub_action(ScrubFinding::kPayloadCorrupt);
  bool dropped = false;
  if (Status st = store.drop_if_corrupt(path, &dropped); !st.is_ok()) {
    log::warn() << "read of " << path << " met a bad copy that cannot be dropped: " << st.message();
    return;
  }
  if (!dropped) return;
  read_repairs_.fetch_add(1);
  log::warn() << "read of " << path << " on disk " << store.disk() << " met a bad copy; dropped, repairing";
  if (action.repair) healer_->queue(path);
}

std::string Node::status_json() const {
  nlohmann::json j;
  j["node"] = self_.value;
  j["epoch"] = map_.epoch();
  j["uptime_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  j["heals_pending"] = owed_->size();
  const Healer::Counters c = healer_->counters();
  j["scan_groups_left"] = c.groups_to_scan;
  j["repaired_parts"] = c.repaired_parts;
  j["unreadable"] = c.unreadable;
  j["read_repairs"] = read_repairs_.load();
  const Scrubber::Report r = scrubber_->report();
  j["scrub"] = {{"passes_completed", r.passes_completed},
                {"running", r.running},
                {"last_started_unix_s", static_cast<double>(r.last_started_unix_ns) / 1e9},
                {"last_ended_unix_s", static_cast<double>(r.last_ended_unix_ns) / 1e9},
                {"files_verified", r.files_verified},
                {"bytes_verified", r.bytes_verified},
                {"groups_compared", r.groups_compared},
                {"payload_corrupt", r.payload_corrupt},
                {"record_corrupt", r.record_corrupt},
                {"members_differ", r.members_differ},
                {"groups_unreachable", r.groups_unreachable},
                {"running_files_verified", r.running_files_verified}};
  uint32_t connections = 0;
  for (const auto& l : listeners_) connections += l->connections();
  j["connections"] = connections;
  j["peers_up"] = nlohmann::json::array();
  for (const NodeConfig& n : map_.config.nodes) {
    if (peers_->is_live(NodeId(n.id))) j["peers_up"].push_back(n.id);
  }
  j["disks"] = nlohmann::json::array();
  const auto& ids = map_.topology.node(self_).disks;
  for (size_t i = 0; i < disks_.size(); ++i) {
    j["disks"].push_back({{"disk", ids[i].value},
                          {"path", disks_[i]->root().string()},
                          {"used_bytes", disks_[i]->used_bytes()},
                          {"capacity_bytes", disks_[i]->capacity_bytes()}});
  }
  return j.dump();
}

}  // namespace cairn
