#include "kchaos/faults/Targets.h"

#include <algorithm>
#include <map>

#include "kchaos/common/Error.h"

namespace kchaos::faults {
namespace {

int pick(const std::vector<int>& from, std::mt19937_64& rng) {
  return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
}

std::vector<int> sample(std::vector<int> from, size_t n, std::mt19937_64& rng) {
  std::sort(from.begin(), from.end());
  std::shuffle(from.begin(), from.end(), rng);
  from.resize(std::min(n, from.size()));
  std::sort(from.begin(), from.end());
  return from;
}

const ClusterView::Partition& partition(const ClusterView& view, const std::string& topic, int p) {
  auto it = view.topics.find(topic);
  if (it == view.topics.end() || p < 0 || p >= static_cast<int>(it->second.size())) {
    throw HarnessError("no partition " + topic + "/" + std::to_string(p) +
                             " in the metadata");
  }
  return it->second[p];
}

}  // namespace

std::vector<int> resolve_targets(const plan::TargetForm& target, const ClusterView& view,
                                 const std::string& topic, std::mt19937_64& rng) {
  const std::string& form = target.form;
  const auto& pool = view.alive.empty() ? view.brokers : view.alive;
  if (form == "random") return {pick(pool, rng)};
  if (form == "all") return view.brokers;
  const size_t n = view.brokers.size();
  if (form == "minority") return sample(view.brokers, (n - 1) / 2 == 0 ? 1 : (n - 1) / 2, rng);
  if (form == "majority") return sample(view.brokers, n / 2 + 1, rng);
  if (form == "controller") {
    if (!view.controller) throw HarnessError("no active controller is known");
    return {*view.controller};
  }
  if (form == "leader-of-most") {
    std::map<int, int> leads;
    auto it = view.topics.find(topic);
    if (it != view.topics.end()) {
      for (const auto& p : it->second) {
        if (p.leader >= 0) ++leads[p.leader];
      }
    }
    if (leads.empty()) throw HarnessError("no partition of " + topic + " has a leader");
    // Most partitions; ties go to the lowest id, so the choice is repeatable.
    int best = -1, most = 0;
    for (const auto& [broker, count] : leads) {
      if (count > most) best = broker, most = count;
    }
    return {best};
  }
  // A partition form names its topic and partition; "follower" alone is
  // partition 0 of the scenario's topic.
  const std::string& t = target.topic.empty() ? topic : target.topic;
  const int p = std::max(target.partition, 0);
  if (form == "leader") {
    const auto& part = partition(view, t, p);
    if (part.leader < 0) throw HarnessError(t + "/" + std::to_string(p) + " has no leader");
    return {part.leader};
  }
  if (form == "follower" || form == "followers") {
    const auto& part = partition(view, t, p);
    std::vector<int> followers;
    for (int r : part.replicas) {
      if (r != part.leader) followers.push_back(r);
    }
    std::sort(followers.begin(), followers.end());
    if (followers.empty())
      throw HarnessError(t + "/" + std::to_string(p) + " has no follower");
    if (form == "followers") return followers;
    return {pick(followers, rng)};
  }
  if (form == "broker") {
    const int id = target.broker;
    if (std::find(view.brokers.begin(), view.brokers.end(), id) == view.brokers.end()) {
      throw HarnessError("no broker " + std::to_string(id) + " in this cluster");
    }
    return {id};
  }
  throw HarnessError("unknown target form '" + form + "'");
}

}  // namespace kchaos::faults
