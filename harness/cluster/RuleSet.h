#pragma once
// iptables rules a fault added inside brokers' namespaces, removed exactly
// (and only those) when it heals.

#include <string>
#include <utility>
#include <vector>

#include "harness/cluster/Cluster.h"

namespace kchaos::faults {

class RuleSet {
 public:
  /// Inserts rule (e.g. {"INPUT", "-s", "10.77.0.12", "-j", "DROP"}) at the
  /// top of its chain in the broker's namespace.
  void add(const cluster::BrokerHandle& broker, std::vector<std::string> rule);
  /// Deletes every added rule, newest first.
  void remove_all();
  bool empty() const { return rules_.empty(); }

 private:
  std::vector<std::pair<cluster::BrokerHandle, std::vector<std::string>>> rules_;
};

}  // namespace kchaos::faults
