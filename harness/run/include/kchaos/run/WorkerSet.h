#pragma once
// The workers of one configuration: the verifying consumer and the
// producers, with every incarnation that a fault killed and replaced. Client
// faults act through it (faults::WorkerControl) without reaching into the run.

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/faults/Fault.h"
#include "kchaos/metrics/Metrics.h"
#include "kchaos/run/EventLog.h"
#include "kchaos/run/Timeouts.h"
#include "kchaos/run/WorkerProcess.h"
#include "kchaos/scenario/Scenario.h"

namespace kchaos::run {

/// Where the workers run and what they report to.
struct WorkerContext {
  const scenario::Configuration& c;
  std::filesystem::path dir;  // the configuration directory: specs, journals, logs
  uint64_t run_id = 0;
  std::string bootstrap;
  std::string netns;  // the cluster's client namespace
  EventLog& events;
  metrics::ConfigurationMetrics* metrics = nullptr;
};

/// What every incarnation of the workers did so far.
struct WorkerTotals {
  uint64_t sent = 0, acked = 0, failed = 0, unknown = 0, consumed = 0;
  /// The highest of the producers' last intervals; none when no producer
  /// had an acknowledgement in its last interval.
  std::optional<double> produce_p99_ms;
  /// The consumer now running waits for its partitions (its number, else 0).
  int consumer_waiting = 0;
};

/// Client faults act from their own threads (faults::Scheduler) while the run
/// loop checks and counts the workers: every member is safe to call at once.
class WorkerSet : public faults::WorkerControl {
 public:
  WorkerSet(WorkerContext ctx, const Timeouts& timeouts);
  ~WorkerSet() override;

  /// Starts the consumer and waits until the group gave it partitions.
  void start_consumer_and_wait();
  /// Starts every producer worker, producing for the timeouts' produce_s.
  void start_producers();
  /// SIGTERMs the producers and waits for their bounded flush.
  void stop_producers();
  /// Starts a consumer again when the one running is gone.
  void ensure_consumer();
  /// Waits until the consumer has processed every partition to its high
  /// watermark (or until the drain timeout), then stops it. False on timeout.
  bool drain(const std::function<void()>& every_5s);
  /// Throws HarnessError when a worker died that no fault killed.
  void check(const std::string& phase);

  WorkerTotals totals() const;

  // faults::WorkerControl
  std::string kill_consumer(bool mid_batch, std::chrono::milliseconds into_batch,
                            std::chrono::milliseconds wait) override;
  void restart_consumer() override;
  int producer_count() const override;
  void kill_producer(int n) override;
  void restart_producer(int n) override;

 private:
  struct Producer {
    std::unique_ptr<WorkerProcess> process;
    int id = 0;
    bool crashed = false;  // killed by a fault: its exit is expected
  };

  template <typename Spec>
  std::unique_ptr<WorkerProcess> start(const std::string& role, const std::string& name,
                                       const Spec& spec);
  protocol::WorkerTarget target(const std::string& name) const;
  void start_consumer();
  void start_producer(size_t slot, double duration_s);
  /// The topic's partitions now (it may have grown), else the scenario's.
  int partition_count(cluster::KafkaAdmin& admin) const;
  bool drained(cluster::KafkaAdmin& admin, int partitions);

  /// The consumer now running (the one a crash would kill).
  WorkerProcess* consumer() const;

  WorkerContext ctx_;
  Timeouts timeouts_;
  // The workers, their incarnations and flags below; never held while
  // waiting on a worker.
  mutable std::mutex mutex_;
  std::unique_ptr<WorkerProcess> consumer_;
  int consumers_started_ = 0;
  bool consumer_crashed_ = false;
  std::vector<Producer> producers_;
  int next_producer_id_ = 1;
  std::chrono::steady_clock::time_point produce_started_;
  // Workers that were killed and replaced: the totals keep what they did.
  std::vector<std::unique_ptr<WorkerProcess>> retired_;
};

}  // namespace kchaos::run
