#include "Kinds.h"

#include "kchaos/cluster/KafkaAdmin.h"

namespace kchaos::faults {

using namespace std::chrono_literals;

ClusterView snapshot(cluster::Cluster& cluster, const std::string& topic, bool with_metadata,
                     bool with_controller) {
  ClusterView view;
  for (const auto& b : cluster.brokers()) {
    view.brokers.push_back(b.id);
    if (cluster.is_running(b.id)) view.alive.push_back(b.id);
  }
  if (with_controller) view.controller = cluster.status().controller;
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

std::vector<int> resolve(FaultContext& ctx, const FaultSpec& spec, std::mt19937_64& rng) {
  const plan::TargetForm target =
      spec.target_form.form.empty() ? plan::TargetForm{"random", "", -1, -1} : spec.target_form;
  // Only the partition-based targets need the cluster's metadata.
  const bool metadata = target.form.find("leader") != std::string::npos ||
                        target.form.find("follower") != std::string::npos;
  return resolve_targets(
      target, snapshot(ctx.cluster, ctx.topic, metadata, target.form == "controller"), ctx.topic,
      rng);
}

std::string brokers_text(const std::vector<int>& brokers) {
  std::string s = brokers.size() == 1 ? "broker " : "brokers ";
  for (size_t i = 0; i < brokers.size(); ++i) s += (i ? "," : "") + std::to_string(brokers[i]);
  return s;
}

}  // namespace kchaos::faults
