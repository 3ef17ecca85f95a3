#include "kchaos/plan/Target.h"

#include <algorithm>
#include <vector>

namespace kchaos::plan {
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

}  // namespace kchaos::plan
