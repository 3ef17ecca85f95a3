#include "kchaos/faults/BrokerHolds.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include "kchaos/common/Error.h"

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

std::recursive_mutex& BrokerHolds::lock_of(int broker) {
  std::lock_guard lock(maps_);
  auto& m = locks_[broker];
  if (!m) m = std::make_unique<std::recursive_mutex>();
  return *m;
}

BrokerHolds::Guard BrokerHolds::guard(std::vector<int> brokers) {
  std::sort(brokers.begin(), brokers.end());
  brokers.erase(std::unique(brokers.begin(), brokers.end()), brokers.end());
  Guard g;
  for (int b : brokers) g.emplace_back(lock_of(b));
  return g;
}

bool BrokerHolds::held_down(int broker) const {
  std::lock_guard lock(maps_);
  return holds(down_, broker);
}

bool BrokerHolds::held_paused(int broker) const {
  std::lock_guard lock(maps_);
  return holds(paused_, broker);
}

void BrokerHolds::take_down(int broker, const void* owner, bool clean) {
  std::lock_guard one(lock_of(broker));
  if (cluster_.is_running(broker)) {
    if (clean) {
      cluster_.terminate(broker);
    } else {
      cluster_.kill(broker);
    }
  }
  std::lock_guard lock(maps_);
  down_[broker].insert(owner);
}

void BrokerHolds::release_down(int broker, const void* owner) {
  std::lock_guard one(lock_of(broker));
  {
    std::lock_guard lock(maps_);
    if (!drop(down_, broker, owner)) return;
  }
  if (held_down(broker) || cluster_.is_running(broker)) return;
  cluster_.start(broker);
  if (held_paused(broker)) cluster_.pause(broker);
}

void BrokerHolds::pause(int broker, const void* owner) {
  std::lock_guard one(lock_of(broker));
  if (!held_down(broker)) {
    if (!cluster_.is_running(broker)) {
      throw HarnessError("broker " + std::to_string(broker) + " is down: nothing to pause");
    }
    if (!held_paused(broker)) cluster_.pause(broker);
  }
  std::lock_guard lock(maps_);
  paused_[broker].insert(owner);
}

void BrokerHolds::release_pause(int broker, const void* owner) {
  std::lock_guard one(lock_of(broker));
  {
    std::lock_guard lock(maps_);
    if (!drop(paused_, broker, owner)) return;
  }
  if (held_paused(broker) || held_down(broker)) return;
  cluster_.resume(broker);
}

bool BrokerHolds::take_link(int broker, const void* owner) {
  std::lock_guard lock(maps_);
  const bool first = !holds(link_, broker);
  link_[broker].insert(owner);
  return first;
}

bool BrokerHolds::release_link(int broker, const void* owner) {
  std::lock_guard lock(maps_);
  return drop(link_, broker, owner) && !holds(link_, broker);
}

}  // namespace kchaos::faults
