#pragma once
// One configuration of a scenario, run against a fresh cluster: cluster up,
// topic, consumer, producers, warm-up, the fault timeline, stop, recovery,
// drain, audit. The phases live here; the cluster, the workers and what is
// shown of them each live in their own type.

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <random>

#include "kchaos/plan/Plan.h"
#include "kchaos/faults/Scheduler.h"
#include "kchaos/metrics/Metrics.h"
#include "kchaos/run/EventLog.h"
#include "kchaos/run/Progress.h"
#include "kchaos/run/Timeouts.h"
#include "kchaos/scenario/Scenario.h"

namespace kchaos::run {

class ClusterSession;
class WorkerSet;

class ConfigurationRun {
 public:
  /// The cluster runs in lane (cluster/Lane.h). out gets everything shown of
  /// the run; echo, if set, gets the progress lines too (the terminal, when
  /// out is a file); metrics, if not null, receives the live series.
  ConfigurationRun(const scenario::Configuration& c, std::filesystem::path dir, uint64_t run_id,
                   uint64_t seed, int lane, std::ostream& out,
                   std::function<void(const std::string&)> echo,
                   metrics::ConfigurationMetrics* metrics);

  /// Runs every phase; the cluster is down again when it returns or throws.
  void run(bool keep_data);

 private:
  std::vector<faults::FaultSpec> plan();
  /// Runs a phase of secs seconds: progress every 5 s, the scheduler's
  /// faults (when there is one), workers checked, interrupts honoured.
  void phase(const std::string& name, double secs, WorkerSet& workers, cluster::Cluster& cluster,
             faults::Scheduler* scheduler);
  void fault_phase(const std::vector<faults::FaultSpec>& timeline, WorkerSet& workers,
                   cluster::Cluster& cluster);
  void journal_fault(faults::FaultEvent e, int index, int target, const std::string& text);

  const scenario::Configuration& c_;
  std::filesystem::path dir_;
  uint64_t run_id_;
  uint64_t seed_;
  int lane_;
  std::ostream& out_;
  metrics::ConfigurationMetrics* metrics_;
  Timeouts timeouts_;
  EventLog events_;
  Progress progress_;
  std::mt19937_64 rng_;
};

}  // namespace kchaos::run
