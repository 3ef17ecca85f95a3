#include "kchaos/faults/Targets.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include "kchaos/common/Error.h"

namespace kchaos::faults {
namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// "leader:<topic>/<p>", "follower:<topic>/<p>", "followers:<topic>/<p>".
std::optional<TargetForm> partition_form(const std::string& t) {
  const auto colon = t.find(':');
  const auto slash = t.rfind('/');
  if (colon == std::string::npos || slash == std::string::npos || slash <= colon + 1) {
    return std::nullopt;
  }
  const std::string form = t.substr(0, colon), topic = t.substr(colon + 1, slash - colon - 1),
                    partition = t.substr(slash + 1);
  if (form != "leader" && form != "follower" && form != "followers") return std::nullopt;
  if (topic.find('/') != std::string::npos || !all_digits(partition) || partition.size() > 6) {
    return std::nullopt;
  }
  return TargetForm{form, topic, std::stoi(partition), -1};
}

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

std::optional<TargetForm> parse_target(const std::string& t) {
  static const std::vector<std::string> kNamed = {
      "leader-of-most", "controller", "follower", "random", "all", "minority", "majority"};
  if (std::find(kNamed.begin(), kNamed.end(), t) != kNamed.end()) return TargetForm{t, "", -1, -1};
  if (all_digits(t) && t.size() < 3) return TargetForm{"broker", "", -1, std::stoi(t)};
  if (t.size() < 300) return partition_form(t);
  return std::nullopt;
}

bool valid_target(const std::string& t) { return parse_target(t).has_value(); }

std::vector<int> resolve_targets(const std::string& target, const ClusterView& view,
                                 const std::string& topic, std::mt19937_64& rng) {
  const auto& pool = view.alive.empty() ? view.brokers : view.alive;
  if (target == "random") return {pick(pool, rng)};
  if (target == "all") return view.brokers;
  const size_t n = view.brokers.size();
  if (target == "minority") return sample(view.brokers, (n - 1) / 2 == 0 ? 1 : (n - 1) / 2, rng);
  if (target == "majority") return sample(view.brokers, n / 2 + 1, rng);
  if (target == "controller") {
    if (!view.controller) throw HarnessError("no active controller is known");
    return {*view.controller};
  }
  if (target == "leader-of-most") {
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
  std::string form = target, t = topic;
  int p = 0;
  if (const auto named = partition_form(target)) {
    form = named->form;
    t = named->topic;
    p = named->partition;
  }
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
  if (!target.empty() && target.find_first_not_of("0123456789") == std::string::npos) {
    const int id = std::stoi(target);
    if (std::find(view.brokers.begin(), view.brokers.end(), id) == view.brokers.end()) {
      throw HarnessError("no broker " + target + " in this cluster");
    }
    return {id};
  }
  throw HarnessError("unknown target '" + target + "'");
}

}  // namespace kchaos::faults
