// How each fault kind is made: one line per file under src/kinds. What a
// kind is to a scenario (its fields, its needs) is the plan's
// (faults/plan/src/KindTable.cpp).

#include <algorithm>
#include <iterator>

#include "Kinds.h"
#include "kchaos/common/Error.h"

namespace kchaos::faults {

extern const Factory kBrokerKill, kBrokerPause, kRollingRestart, kNetworkPartition, kPacketLoss,
    kBandwidth, kDiskFull, kPowerLoss, kAddPartitions, kConsumerCrash, kProducerCrash;

namespace {

const Factory* find_factory(const std::string& kind) {
  static const Factory* const kFactories[] = {
      &kBrokerKill, &kBrokerPause,  &kRollingRestart, &kNetworkPartition,
      &kPacketLoss, &kBandwidth,    &kDiskFull,       &kPowerLoss,
      &kAddPartitions, &kConsumerCrash, &kProducerCrash};
  const auto it = std::find_if(std::begin(kFactories), std::end(kFactories),
                               [&](const Factory* f) { return kind == f->kind; });
  return it == std::end(kFactories) ? nullptr : *it;
}

}  // namespace

bool can_make(const std::string& kind) { return find_factory(kind) != nullptr; }

std::unique_ptr<Fault> make_fault(const FaultSpec& spec) {
  const Factory* factory = find_factory(spec.type);
  if (factory == nullptr) throw UserError("unknown fault type '" + spec.type + "'");
  return factory->make(spec);
}

}  // namespace kchaos::faults
