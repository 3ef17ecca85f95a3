#pragma once
// One configuration of a scenario, run against a fresh local cluster:
// cluster up, topic, consumer, producers, warm-up, the fault timeline,
// stop, recovery, drain, audit. It is also what client faults act through.

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <random>
#include <vector>

#include "faults/Fault.h"
#include "harness/cluster/LocalCluster.h"
#include "harness/metrics/Metrics.h"
#include "harness/run/EventLog.h"
#include "harness/run/WorkerProcess.h"
#include "harness/scenario/Scenario.h"

namespace kchaos::faults {
class Scheduler;
}

namespace kchaos::run {

class ConfigurationRun : public faults::WorkerControl {
 public:
  /// metrics, if not null, receives the live series.
  ConfigurationRun(const scenario::Configuration& c, std::filesystem::path dir, uint64_t run_id,
                   uint64_t seed, std::ostream& out, metrics::ConfigurationMetrics* metrics);
  ~ConfigurationRun() override;

  /// Runs every phase; the cluster is down again when it returns or throws.
  void run(bool keep_data);

  std::string kill_consumer(bool mid_batch, std::chrono::milliseconds into_batch,
                            std::chrono::milliseconds wait) override;
  void restart_consumer() override;
  int producer_count() const override { return static_cast<int>(producers_.size()); }
  void kill_producer(int n) override;
  void restart_producer(int n) override;

 private:
  struct Producer {
    std::unique_ptr<WorkerProcess> process;
    int id = 0;
    bool crashed = false;  // killed by a fault: its exit is expected
  };

  void journal_fault(faults::FaultEvent e, int index, int target, const std::string& text);
  void set_phase(const std::string& name);
  void update_live_metrics(faults::Scheduler* scheduler);
  void start_cluster();
  void create_topic();
  std::unique_ptr<WorkerProcess> start_worker(const std::string& role, const std::string& name,
                                              nlohmann::json spec);
  void start_consumer();
  void start_producer(size_t slot, double duration_s);
  void phase(const std::string& name, double seconds, faults::Scheduler* scheduler);
  void check_workers(const std::string& phase);
  /// The counts of every worker incarnation so far, and the seconds since
  /// the current phase began.
  void print_progress(const std::string& phase);
  void stop_producers();
  void recover();
  void drain();
  void audit();
  int partition_count();
  void shut_down(bool keep_data);

  const scenario::Configuration& c_;
  metrics::ConfigurationMetrics* metrics_;
  std::filesystem::path dir_;
  uint64_t run_id_;
  uint64_t seed_;
  std::ostream& out_;
  EventLog events_;
  std::mt19937_64 rng_;
  std::unique_ptr<cluster::LocalCluster> cluster_;
  std::unique_ptr<WorkerProcess> consumer_;
  int consumers_started_ = 0;
  bool consumer_crashed_ = false;
  std::vector<Producer> producers_;
  int next_producer_id_ = 1;
  // Workers that were killed and replaced (or that finished): the progress
  // line keeps counting what they did.
  std::vector<std::unique_ptr<WorkerProcess>> retired_;
  std::chrono::steady_clock::time_point phase_started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point produce_started_;
  double produce_s_ = 0;
};

}  // namespace kchaos::run
