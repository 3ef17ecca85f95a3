#pragma once
// Fault targets (taken apart by the plan, kchaos/plan/Target.h), resolved
// when the fault fires from a snapshot of the live cluster.

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "kchaos/plan/Target.h"

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

/// The brokers target names in view; `topic` is the scenario topic, used by
/// the forms that do not name one. Throws HarnessError when the target
/// names nothing (no leader, no such broker).
std::vector<int> resolve_targets(const plan::TargetForm& target, const ClusterView& view,
                                 const std::string& topic, std::mt19937_64& rng);

}  // namespace kchaos::faults
