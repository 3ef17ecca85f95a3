#include "faults/Kinds.h"

#include <stdexcept>
#include <thread>

#include "harness/cluster/KafkaAdmin.h"

namespace kchaos::faults {

using namespace std::chrono_literals;

const std::vector<std::string>& fault_types() {
  static const std::vector<std::string> kTypes = {
      "broker-kill", "broker-pause", "rolling-restart", "network-partition", "packet-loss",
      "bandwidth",   "disk-full",    "add-partitions",  "consumer-crash",    "producer-crash"};
  return kTypes;
}

std::unique_ptr<Fault> make_fault(const FaultSpec& spec) {
  if (spec.type == "broker-kill") return make_broker_kill(spec);
  if (spec.type == "broker-pause") return make_broker_pause(spec);
  if (spec.type == "rolling-restart") return make_rolling_restart(spec);
  if (spec.type == "network-partition") return make_network_partition(spec);
  if (spec.type == "packet-loss") return make_packet_loss(spec);
  if (spec.type == "bandwidth") return make_bandwidth(spec);
  if (spec.type == "disk-full") return make_disk_full(spec);
  if (spec.type == "add-partitions") return make_add_partitions(spec);
  if (spec.type == "consumer-crash") return make_consumer_crash(spec);
  if (spec.type == "producer-crash") return make_producer_crash(spec);
  throw std::invalid_argument("unknown fault type '" + spec.type + "'");
}

ClusterView snapshot(cluster::Cluster& cluster, const std::string& topic, bool with_metadata) {
  ClusterView view;
  for (const auto& b : cluster.brokers()) {
    view.brokers.push_back(b.id);
    if (cluster.is_running(b.id)) view.alive.push_back(b.id);
  }
  view.controller = cluster.status().controller;
  if (!with_metadata) return view;
  try {
    auto md = cluster::KafkaAdmin(cluster.bootstrap()).metadata(5s);
    for (const auto& [name, parts] : md.topics) {
      if (name != topic && name.rfind("__", 0) == 0) continue;
      auto& out = view.topics[name];
      out.resize(parts.size());
      for (const auto& p : parts) {
        if (p.id >= 0 && p.id < static_cast<int>(out.size())) out[p.id] = {p.leader, p.replicas};
      }
    }
  } catch (const std::exception&) {
    // Targets that need metadata will say so.
  }
  return view;
}

std::vector<int> resolve(FaultContext& ctx, const FaultSpec& spec) {
  const std::string target = spec.target.empty() ? "random" : spec.target;
  // Only the partition-based targets need the cluster's metadata.
  const bool metadata =
      target.find("leader") != std::string::npos || target.find("follower") != std::string::npos;
  return resolve_targets(target, snapshot(ctx.cluster, ctx.topic, metadata), ctx.topic, *ctx.rng);
}

std::string brokers_text(const std::vector<int>& brokers) {
  std::string s = brokers.size() == 1 ? "broker " : "brokers ";
  for (size_t i = 0; i < brokers.size(); ++i) s += (i ? "," : "") + std::to_string(brokers[i]);
  return s;
}

cluster::BrokerHandle handle_of(cluster::Cluster& cluster, int id) {
  for (const auto& b : cluster.brokers()) {
    if (b.id == id) return b;
  }
  throw std::runtime_error("no broker " + std::to_string(id));
}

bool wait_isr_full(cluster::Cluster& cluster, const std::string& topic,
                   std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  cluster::KafkaAdmin admin(cluster.bootstrap());
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      auto md = admin.metadata(2s);
      auto it = md.topics.find(topic);
      bool full = it != md.topics.end() && !it->second.empty();
      if (full) {
        for (const auto& p : it->second) {
          full = full && p.leader >= 0 && p.isr.size() == p.replicas.size();
        }
      }
      if (full) return true;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(250ms);
  }
  return false;
}

}  // namespace kchaos::faults
