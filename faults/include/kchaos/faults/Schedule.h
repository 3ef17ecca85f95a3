#pragma once
// The fault schedule: a scenario's "faults" list (fixed entries and random
// blocks), expanded with a seed into one timeline, and the Scheduler that
// injects and heals it during the fault phase.

#include <memory>
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

/// A fault that is active: its kind, what it acts on, what it did.
struct ActiveFault {
  std::string type;
  std::string target;  // "broker 2", "brokers 1,3", "consumer-1", ...
  std::string description;
  bool operator==(const ActiveFault&) const = default;
};

/// Injects each fault at its time and heals it when its duration ends; the
/// destructor heals whatever is still active (every exit path).
class Scheduler {
 public:
  Scheduler(std::vector<FaultSpec> timeline, FaultContext& ctx);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  /// Acts on everything due at t seconds into the fault phase. A fault whose
  /// injection fails (a target briefly unresolvable, an election in
  /// progress) is retried for kRetry, then fails the run.
  void tick(double t);
  /// Heals every active fault, newest first; throws naming each that could
  /// not be healed.
  void heal_all();
  /// The end of the fault phase: heals every active fault, then throws
  /// std::runtime_error naming every planned fault that was never injected
  /// or healed, with its last error (each is journaled as failed).
  void finish();
  /// The faults active now.
  std::vector<ActiveFault> active() const;

 private:
  static constexpr double kRetry = 10;  // seconds

  struct Entry {
    FaultSpec spec;
    std::unique_ptr<Fault> fault;
    bool done = false;  // injected and healed, or never to be injected
    bool healed = false;
    double injected_at = -1;
    double first_failure = -1;
    std::string last_error;
  };
  void failed(Entry& e, const std::string& error);
  std::vector<Entry> entries_;
  FaultContext& ctx_;
};

}  // namespace kchaos::faults
