#pragma once
// iptables rules added inside brokers' namespaces, each marked with its
// owner's tag (an iptables comment), and removed exactly: only the rules this
// set added, never another owner's identical ones.

#include <string>
#include <utility>
#include <vector>

#include "kchaos/cluster/Cluster.h"

namespace kchaos::cluster {

/// `iptables -w OP RULE`, with `-m comment --comment TAG` before the target
/// when tag is not empty.
std::vector<std::string> iptables_command(const std::string& op, std::vector<std::string> rule,
                                          const std::string& tag = "");

/// The rules that cut a host off from everything but loopback, both ways.
const std::vector<std::vector<std::string>>& isolation_rules();

class RuleSet {
 public:
  explicit RuleSet(std::string tag = "kchaos") : tag_(std::move(tag)) {}

  /// Inserts rule (e.g. {"INPUT", "-s", "10.77.0.12", "-j", "DROP"}) at the
  /// top of its chain in the broker's namespace.
  void add(const BrokerHandle& broker, std::vector<std::string> rule);
  /// Deletes every added rule, newest first.
  void remove_all();

 private:
  std::string tag_;
  std::vector<std::pair<BrokerHandle, std::vector<std::string>>> rules_;
};

}  // namespace kchaos::cluster
