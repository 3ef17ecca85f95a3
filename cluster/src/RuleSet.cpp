#include "kchaos/cluster/RuleSet.h"

#include <algorithm>
#include <stdexcept>

#include "kchaos/cluster/Network.h"
#include "kchaos/sys/Process.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {

std::vector<std::string> iptables_command(const std::string& op, std::vector<std::string> rule,
                                          const std::string& tag) {
  if (!tag.empty()) {
    auto target = std::find(rule.begin(), rule.end(), "-j");
    rule.insert(target, {"-m", "comment", "--comment", tag});
  }
  std::vector<std::string> argv = {"iptables", "-w", op};
  argv.insert(argv.end(), rule.begin(), rule.end());
  return argv;
}

const std::vector<std::vector<std::string>>& isolation_rules() {
  static const std::vector<std::vector<std::string>> rules = {
      {"INPUT", "!", "-i", "lo", "-j", "DROP"},
      {"OUTPUT", "!", "-o", "lo", "-j", "DROP"},
  };
  return rules;
}

void RuleSet::add(const BrokerHandle& broker, std::vector<std::string> rule) {
  run_in_netns(broker, iptables_command("-I", rule, tag_));
  rules_.emplace_back(broker, std::move(rule));
}

void RuleSet::remove_all() {
  std::string failures;
  for (auto it = rules_.rbegin(); it != rules_.rend(); ++it) {
    if (namespace_gone(it->first)) continue;  // the rule went with it
    auto r = run_command(in_netns(it->first, iptables_command("-D", it->second, tag_)));
    if (r.exit_code != 0)
      failures +=
          "\n  broker " + std::to_string(it->first.id) + ": " + join(it->second) + ": " + r.err;
  }
  rules_.clear();
  if (!failures.empty()) throw HarnessError("could not remove iptables rules:" + failures);
}

}  // namespace kchaos::cluster
