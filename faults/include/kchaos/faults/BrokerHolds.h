#pragma once
// How faults that meet on one broker compose. A broker stays down while any
// fault holds it down, and paused while any fault holds it paused (and none
// holds it down); the last release restores it. Network rules compose by
// themselves: each fault removes only the rules it added (RuleSet).
// Faults act from several threads at once (the Scheduler): every action on
// one broker holds that broker's lock, so they happen one after another in
// the order they came, while other brokers' go ahead.

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "kchaos/cluster/Cluster.h"

namespace kchaos::faults {

class BrokerHolds {
 public:
  explicit BrokerHolds(cluster::Cluster& cluster) : cluster_(cluster) {}

  /// SIGKILLs the broker if it runs (SIGTERM and a wait when clean) and
  /// holds it down for owner.
  void take_down(int broker, const void* owner, bool clean = false);
  /// Drops owner's hold; when no fault holds the broker down any more, starts
  /// it, and pauses it again if a fault still holds it paused.
  void release_down(int broker, const void* owner);

  /// SIGSTOPs the broker (unless it is held down: then it is paused once it
  /// comes back) and holds it paused for owner. Throws std::runtime_error for
  /// a broker that is down with no fault holding it.
  void pause(int broker, const void* owner);
  /// Drops owner's hold; the last one resumes the broker (if it is up).
  void release_pause(int broker, const void* owner);

  /// The broker's link shaping (one tc root qdisc per link): true when owner
  /// is the first to hold it (it shapes the link); the others wait, and
  /// release_link is true for the last (it removes the shaping).
  bool take_link(int broker, const void* owner);
  bool release_link(int broker, const void* owner);

  /// Whether any fault holds the broker down, or paused.
  bool held_down(int broker) const;
  bool held_paused(int broker) const;
  bool held(int broker) const { return held_down(broker) || held_paused(broker); }

  /// The lock of each broker, taken in id order (so two callers never wait
  /// on each other), for an action of several steps on them: no other
  /// fault acts on those brokers until the guard ends. Holds methods may be
  /// called under it.
  using Guard = std::vector<std::unique_lock<std::recursive_mutex>>;
  Guard guard(std::vector<int> brokers);

 private:
  std::recursive_mutex& lock_of(int broker);
  static bool holds(const std::map<int, std::multiset<const void*>>& m, int broker) {
    auto it = m.find(broker);
    return it != m.end() && !it->second.empty();
  }
  /// Removes one hold of owner; false when owner held none.
  static bool drop(std::map<int, std::multiset<const void*>>& m, int broker, const void* owner);

  cluster::Cluster& cluster_;
  mutable std::mutex maps_;  // the maps below and locks_
  std::map<int, std::multiset<const void*>> down_, paused_, link_;
  std::map<int, std::unique_ptr<std::recursive_mutex>> locks_;
};

}  // namespace kchaos::faults
