#include "faults/RuleSet.h"

#include "harness/Process.h"
#include "harness/cluster/Network.h"

namespace kchaos::faults {
namespace {

std::vector<std::string> iptables(const std::string& op, const std::vector<std::string>& rule) {
  std::vector<std::string> argv = {"iptables", "-w", op};
  argv.insert(argv.end(), rule.begin(), rule.end());
  return argv;
}

}  // namespace

void RuleSet::add(const cluster::BrokerHandle& broker, std::vector<std::string> rule) {
  cluster::run_in_netns(broker, iptables("-I", rule));
  rules_.emplace_back(broker, std::move(rule));
}

void RuleSet::remove_all() {
  std::string failures;
  for (auto it = rules_.rbegin(); it != rules_.rend(); ++it) {
    auto r = run_command(cluster::in_netns(it->first, iptables("-D", it->second)));
    if (r.exit_code != 0)
      failures +=
          "\n  broker " + std::to_string(it->first.id) + ": " + join(it->second) + ": " + r.err;
  }
  rules_.clear();
  if (!failures.empty()) throw std::runtime_error("could not remove iptables rules:" + failures);
}

}  // namespace kchaos::faults
