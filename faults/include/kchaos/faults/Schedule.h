#pragma once
// The fault schedule: a scenario's "faults" list (fixed entries and random
// blocks), expanded with a seed into one timeline (the Scheduler, in
// Scheduler.h, injects and heals it during the fault phase).

#include <optional>
#include <string>
#include <vector>

#include "kchaos/faults/Fault.h"

namespace kchaos::faults {

struct RandomBlock {
  std::vector<std::string> types;
  std::vector<std::string> targets = {"random"};
  double mean_interval_s = 10;
  int max_concurrent = 1;
  double min_duration_s = 5, max_duration_s = 15;
  std::optional<uint64_t> seed;
};

struct FaultPlan {
  std::vector<FaultSpec> fixed;
  std::vector<RandomBlock> random;
  bool empty() const { return fixed.empty() && random.empty(); }
  bool has(const std::string& type) const;
};

/// Validates and reads a scenario's "faults" list against the registry.
/// Throws UserError with the JSON path of what is wrong and what is allowed.
FaultPlan parse_faults(const Json& faults, const std::string& path = "$.faults");

/// The plan as one timeline sorted by time, each fault numbered (index) in
/// that order: the same seed and phase length give the same timeline.
std::vector<FaultSpec> expand(const FaultPlan& plan, uint64_t seed, double phase_s);

}  // namespace kchaos::faults
