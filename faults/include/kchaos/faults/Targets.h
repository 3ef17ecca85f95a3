#pragma once
// Fault targets, resolved when the fault fires from a snapshot of the live
// cluster: leader:<topic>/<p>, leader-of-most, controller, follower,
// follower:<topic>/<p>, followers:<topic>/<p>, random, all, minority,
// majority, or a broker id.

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace kchaos::faults {

/// What target resolution looks at.
struct ClusterView {
  std::vector<int> brokers;  // every broker of the cluster
  std::vector<int> alive;    // brokers whose process runs
  std::optional<int> controller;
  struct Partition {
    int leader = -1;
    std::vector<int> replicas;
  };
  /// topic -> partitions (index = partition id)
  std::map<std::string, std::vector<Partition>> topics;
};

/// A target expression taken apart: a named form ("leader-of-most",
/// "random", ...), a partition form ("leader:<topic>/<p>", with topic and
/// partition), or a broker id.
struct TargetForm {
  std::string form;  // leader-of-most, ..., leader, follower, followers, broker
  std::string topic;  // partition forms that name one
  int partition = -1;
  int broker = -1;
};

/// The form of target, or nullopt when it is not a target expression.
std::optional<TargetForm> parse_target(const std::string& target);

/// Whether target is a well-formed target expression (for validation).
bool valid_target(const std::string& target);

/// The brokers target names in view; `topic` is the scenario topic, used by
/// the forms that do not name one. Throws std::runtime_error when the target
/// names nothing (no leader, no such broker).
std::vector<int> resolve_targets(const std::string& target, const ClusterView& view,
                                 const std::string& topic, std::mt19937_64& rng);

}  // namespace kchaos::faults
