#pragma once
// Network helpers shared by the cluster backends and the faults: running a
// command inside a broker's namespace, and the local backend's namespaces,
// veth pairs and bridge, all named with one prefix so leftovers can be found.

#include <string>
#include <vector>

#include "kchaos/cluster/Cluster.h"
#include "kchaos/cluster/Lane.h"

namespace kchaos::cluster {

/// argv wrapped to run inside the broker's network namespace.
std::vector<std::string> in_netns(const BrokerHandle& broker, const std::vector<std::string>& argv);
/// argv wrapped to run inside a named namespace ("" means the current one).
std::vector<std::string> in_netns(const std::string& netns, const std::vector<std::string>& argv);

/// Whether the namespace the handle names is gone: one entered through a
/// process (a container's) dies with it, and with it every rule and qdisc
/// in it. A named namespace stays until it is deleted.
bool namespace_gone(const BrokerHandle& broker);

/// Runs argv inside the broker's namespace; throws HarnessError on failure.
std::string run_in_netns(const BrokerHandle& broker, const std::vector<std::string>& argv);

/// Drops every packet to and from the broker except on loopback, with
/// iptables rules (tagged kchaos-isolate) inside its namespace.
/// heal_isolation removes exactly those, never a fault's.
void add_isolation(const BrokerHandle& broker);
void heal_isolation(const BrokerHandle& broker);
bool is_isolated(const BrokerHandle& broker);

/// The mount points whose source name starts with source_prefix (broker
/// data mounts are named kchaos-<prefix>-<host>).
std::vector<std::string> mounts_from(const std::string& source_prefix);

/// The local backend's network in one lane: a bridge in the controller's
/// namespace (so the controller reaches every host) and one namespace per
/// host, joined to the bridge by a veth pair, all named with the lane's
/// prefix and addressed in the lane's subnet.
class LocalNetwork {
 public:
  explicit LocalNetwork(Lane lane = Lane());

  std::string bridge() const { return prefix_ + "br0"; }
  std::string netns_name(const std::string& host) const { return prefix_ + "-" + host; }
  /// The address of host number n (brokers 1..99, clients 100 and up).
  std::string address(int n) const { return subnet_ + std::to_string(n); }

  void create_bridge();
  /// Creates namespace <prefix>-<host> with address(n) on its eth0.
  std::string add_host(const std::string& host, int n);

  /// Removes every namespace, link, rule and tmpfs mount (of broker data)
  /// carrying the lane's prefix, killing the processes still inside those
  /// namespaces first. Safe to call any time; other lanes are not touched.
  void remove_all() const;

  /// What remains of ours on this machine: namespaces, links, processes, mounts.
  std::vector<std::string> leftovers() const;

 private:
  std::string prefix_;
  std::string subnet_;
};

}  // namespace kchaos::cluster
