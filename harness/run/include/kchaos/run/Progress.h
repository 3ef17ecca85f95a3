#pragma once
// What a person watching a run sees, and what Prometheus sees live: the
// phase, the counts of every worker incarnation, the active faults.

#include <chrono>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "kchaos/faults/Scheduler.h"
#include "kchaos/metrics/Metrics.h"
#include "kchaos/run/EventLog.h"
#include "kchaos/run/WorkerSet.h"

namespace kchaos::run {

class Progress {
 public:
  /// echo, if set, gets each progress line too (without its indent).
  Progress(std::ostream& out, EventLog& events, metrics::ConfigurationMetrics* metrics,
           std::function<void(const std::string&)> echo = {})
      : out_(out), events_(events), metrics_(metrics), echo_(std::move(echo)) {}

  /// A new phase: journaled, shown live, and the clock of the lines restarts.
  void phase(const std::string& name);
  /// Seconds since the phase began.
  double elapsed() const;

  /// "  faults      12 s  sent 24000  acked ... consumed ... produce p99 4.1 ms".
  void print(const WorkerTotals& totals, const std::string& label = "");
  /// Prints the active faults when they changed; sets the live gauges.
  void faults(const std::vector<faults::ActiveFault>& active);
  /// The live-broker gauge (only when metrics are on).
  void brokers_up(cluster::Cluster& cluster);

 private:
  std::ostream& out_;
  EventLog& events_;
  metrics::ConfigurationMetrics* metrics_;
  std::function<void(const std::string&)> echo_;
  std::string phase_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::vector<faults::ActiveFault> shown_;
};

}  // namespace kchaos::run
