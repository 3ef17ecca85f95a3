#pragma once
// The fault schedule: a scenario's "faults" list (fixed entries and random
// blocks), expanded with a seed into one timeline, and the Scheduler that
// injects and heals it during the fault phase.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "faults/Fault.h"

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

/// Validates and reads a scenario's "faults" list. Throws
/// std::invalid_argument("<json path>: <what is wrong and what is allowed>").
FaultPlan parse_faults(const nlohmann::json& faults, const std::string& path = "$.faults");

/// The plan as one timeline sorted by time: the same seed and phase length
/// give the same timeline.
std::vector<FaultSpec> expand(const FaultPlan& plan, uint64_t seed, double phase_s);

/// Injects each fault at its time and heals it when its duration ends; the
/// destructor heals whatever is still active (every exit path).
class Scheduler {
 public:
  Scheduler(std::vector<FaultSpec> timeline, FaultContext& ctx);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  /// Acts on everything due at t seconds into the fault phase. A fault whose
  /// target cannot be resolved yet is retried for 10 s, then fails the run.
  void tick(double t);
  /// Heals every active fault, newest first.
  void heal_all();
  /// Descriptions of the faults active now.
  std::vector<std::string> active() const;

 private:
  struct Entry {
    FaultSpec spec;
    std::unique_ptr<Fault> fault;
    bool done = false;  // injected and healed, or never to be injected
    double injected_at = -1;
    double first_failure = -1;
  };
  std::vector<Entry> entries_;
  FaultContext& ctx_;
};

}  // namespace kchaos::faults
