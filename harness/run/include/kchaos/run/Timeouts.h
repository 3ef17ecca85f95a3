#pragma once
// Every time limit of a configuration's run, named, in one place: derived
// from the scenario's timings where they can be.

#include <chrono>

#include "kchaos/scenario/Scenario.h"

namespace kchaos::run {

struct Timeouts {
  using ms = std::chrono::milliseconds;

  explicit Timeouts(const scenario::Configuration& c)
      : produce_s(c.timings.warmup_s + c.timings.faults_s),
        recovery(seconds(c.timings.recovery_timeout_s)),
        drain(seconds(c.timings.drain_timeout_s)),
        producer_stop(seconds(c.producer.flush_timeout_s + 15)),
        // A consumer outlives everything it may have to read, then stops by itself.
        consumer_bound_s(produce_s + c.timings.recovery_timeout_s + c.timings.drain_timeout_s +
                         300) {}

  static ms seconds(double s) { return ms(static_cast<long long>(s * 1000)); }

  /// How long producers produce: the warm-up and fault phases.
  double produce_s;
  /// The cluster whole again after the faults, and the consumer's drain.
  ms recovery, drain;
  /// A producer's bounded flush and purge after its stop signal.
  ms producer_stop;
  /// The consumer's own limit on how long it runs.
  double consumer_bound_s;

  /// A new topic's partitions get leaders and full ISRs.
  static constexpr ms kTopicReady{30'000};
  /// The first consumer gets its partitions (a group forms at once).
  static constexpr ms kConsumerAssigned{60'000};
  /// A consumer closes (its last commit) after its stop signal.
  static constexpr ms kConsumerStop{60'000};
  /// A SIGKILLed worker is gone.
  static constexpr ms kWorkerKilled{10'000};
  /// A consumer-crash fault waits this long for a batch to begin by default.
  static constexpr ms kMidBatch{30'000};
};

}  // namespace kchaos::run
