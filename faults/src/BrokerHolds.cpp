#include "kchaos/faults/BrokerHolds.h"

#include <stdexcept>
#include <string>

namespace kchaos::faults {

bool BrokerHolds::drop(std::map<int, std::multiset<const void*>>& m, int broker,
                       const void* owner) {
  auto it = m.find(broker);
  if (it == m.end()) return false;
  auto one = it->second.find(owner);
  if (one == it->second.end()) return false;
  it->second.erase(one);
  return true;
}

void BrokerHolds::take_down(int broker, const void* owner, bool clean) {
  if (cluster_.is_running(broker)) {
    if (clean) {
      cluster_.terminate(broker);
    } else {
      cluster_.kill(broker);
    }
  }
  down_[broker].insert(owner);
}

void BrokerHolds::release_down(int broker, const void* owner) {
  if (!drop(down_, broker, owner)) return;
  if (held_down(broker) || cluster_.is_running(broker)) return;
  cluster_.start(broker);
  if (held_paused(broker)) cluster_.pause(broker);
}

void BrokerHolds::pause(int broker, const void* owner) {
  if (!held_down(broker)) {
    if (!cluster_.is_running(broker)) {
      throw std::runtime_error("broker " + std::to_string(broker) + " is down: nothing to pause");
    }
    if (!held_paused(broker)) cluster_.pause(broker);
  }
  paused_[broker].insert(owner);
}

void BrokerHolds::release_pause(int broker, const void* owner) {
  if (!drop(paused_, broker, owner)) return;
  if (held_paused(broker) || held_down(broker)) return;
  cluster_.resume(broker);
}

bool BrokerHolds::take_link(int broker, const void* owner) {
  const bool first = !holds(link_, broker);
  link_[broker].insert(owner);
  return first;
}

bool BrokerHolds::release_link(int broker, const void* owner) {
  return drop(link_, broker, owner) && !holds(link_, broker);
}

}  // namespace kchaos::faults
