#pragma once
// Fault targets as a scenario writes them, taken apart once: leader:<topic>/<p>,
// leader-of-most, controller, follower, follower:<topic>/<p>,
// followers:<topic>/<p>, random, all, minority, majority, or a broker id.
// Which brokers they name is decided when the fault fires (faults/Targets.h).

#include <optional>
#include <string>

namespace kchaos::plan {

/// A target expression taken apart: a named form ("leader-of-most",
/// "random", ...), a partition form ("leader:<topic>/<p>", with topic and
/// partition), or a broker id. "follower" alone is a follower of partition 0
/// of the scenario's topic.
struct TargetForm {
  std::string form;   // leader-of-most, ..., leader, follower, followers, broker
  std::string topic;  // partition forms that name one
  int partition = -1;
  int broker = -1;
};

/// Every form, for error messages.
inline constexpr const char* kTargetForms =
    "leader:<topic>/<partition>, leader-of-most, controller, follower, follower:<topic>/<p>, "
    "followers:<topic>/<p>, random, all, minority, majority, or a broker id";

/// The form of target, or nullopt when it is not a target expression.
std::optional<TargetForm> parse_target(const std::string& target);

/// Whether target is a well-formed target expression (for validation).
bool valid_target(const std::string& target);

}  // namespace kchaos::plan
