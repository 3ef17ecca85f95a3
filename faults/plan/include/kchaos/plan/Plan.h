#pragma once
// A scenario's "faults" list parsed once into typed values: fixed faults and
// random blocks, each with its kind, its target taken apart, its times and
// parameters, and the JSON path it came from. expand() turns a plan into one
// seeded timeline; the faults layer injects and heals it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kchaos/common/Json.h"
#include "kchaos/plan/Kinds.h"
#include "kchaos/plan/Target.h"

namespace kchaos::plan {

/// One entry of a scenario's "faults" list (or of an expanded random block).
struct FaultSpec {
  std::string type;    // broker-kill, broker-pause, network-partition, ...
  std::string target;  // as written: leader:<topic>/<p>, controller, 2, ... ("" takes none)
  /// The target taken apart (form "" when the kind takes none).
  TargetForm target_form;
  /// Its kind (nullptr only in a spec built by hand without one).
  const FaultKind* kind = nullptr;
  double at_s = 0;  // from the start of the fault phase
  /// Heal after this long; < 0 means at the end of the fault phase.
  double duration_s = -1;
  Json params = Json::object();  // the type's own fields
  /// 1-based position in the expanded timeline (0 until expand() numbers it).
  int index = 0;
  /// Where the scenario wrote it ("$.faults[2]"; a random block's, for the
  /// faults it drew).
  std::string path;

  std::string describe() const;  // "broker-kill leader-of-most at 5 s for 20 s"
  /// A parameter as the scenario set it, else its kind's default; null when
  /// it has neither.
  Json param(const std::string& name) const;
  Json to_json() const;
};

struct RandomBlock {
  std::vector<std::string> types;
  std::vector<std::string> targets = {"random"};
  std::vector<TargetForm> target_forms = {TargetForm{"random", "", -1, -1}};
  double mean_interval_s = 10;
  int max_concurrent = 1;
  double min_duration_s = 5, max_duration_s = 15;
  std::optional<uint64_t> seed;
  std::string path;  // "$.faults[3].random"
};

struct FaultPlan {
  std::vector<FaultSpec> fixed;
  std::vector<RandomBlock> random;
  bool empty() const { return fixed.empty() && random.empty(); }
  bool has(const std::string& type) const;
  /// The first kind of the plan that needs storage, or nullptr.
  const FaultKind* kind_needing(Storage storage) const;
  /// The partitions the plan's fixed faults add to the topic.
  int added_partitions() const;
};

/// Validates and reads a scenario's "faults" list against the kinds.
/// Throws UserError with the JSON path of what is wrong and what is allowed.
FaultPlan parse_faults(const Json& faults, const std::string& path = "$.faults");

/// What the plan's kinds check against the scenario (a worker a fault names
/// exists), with the path of each problem's field.
std::vector<Problem> check_bounds(const FaultPlan& plan, const Bounds& bounds);

/// The plan as one timeline sorted by time, each fault numbered (index) in
/// that order: the same seed and phase length give the same timeline.
std::vector<FaultSpec> expand(const FaultPlan& plan, uint64_t seed, double phase_s);

}  // namespace kchaos::plan
