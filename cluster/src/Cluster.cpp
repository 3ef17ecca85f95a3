#include "kchaos/cluster/Cluster.h"

#include <stdexcept>

#include "kchaos/common/Error.h"

namespace kchaos::cluster {

BrokerHandle Cluster::broker(int id) const {
  const auto all = brokers();
  for (const auto& b : all) {
    if (b.id == id) return b;
  }
  throw UserError("no broker " + std::to_string(id) + " in this cluster (brokers are 1.." +
                  std::to_string(all.size()) + ")");
}

void Cluster::power_loss(const std::vector<int>&) {
  throw HarnessError(
      "this cluster's brokers cannot lose power: their data is not on kchaos-pagefs");
}

}  // namespace kchaos::cluster
