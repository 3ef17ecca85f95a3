#pragma once
// Prometheus metrics of a run: live series served on --metrics-listen while
// it runs, and each configuration's verdict, pushed to a Pushgateway at its
// end with --pushgateway. Every series carries the labels scenario and
// configuration.

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "kchaos/protocol/Events.h"
#include "kchaos/reports/Verdict.h"

namespace kchaos::metrics {

/// The live series of one configuration.
class ConfigurationMetrics {
 public:
  ConfigurationMetrics(prometheus::Registry& registry, const prometheus::Labels& labels);

  /// A worker's progress (or done) event: cumulative counts and the latency
  /// buckets of its last interval.
  void observe(const std::string& worker, const protocol::ProducerProgress& progress);
  void observe(const std::string& worker, const protocol::ConsumerProgress& progress);
  void phase(const std::string& name);
  /// Sets the active faults, as (type, target) pairs.
  void faults(const std::vector<std::pair<std::string, std::string>>& active);
  void brokers_up(int n);

 private:
  prometheus::Registry& registry_;
  prometheus::Labels labels_;
  prometheus::Counter &sent_, &acked_, &failed_, &consumed_;
  prometheus::Histogram &produce_latency_, &e2e_latency_;
  prometheus::Family<prometheus::Gauge>& faults_;
  prometheus::Family<prometheus::Gauge>& phase_;
  prometheus::Gauge& brokers_up_;
  std::mutex mutex_;
  /// Per worker, the last cumulative count of each counter.
  std::map<std::string, std::map<const prometheus::Counter*, double>> last_;
  void grow(const std::string& worker, prometheus::Counter& counter, double now);
  std::map<std::pair<std::string, std::string>, prometheus::Gauge*> fault_gauges_;
  std::map<std::string, prometheus::Gauge*> phase_gauges_;
};

/// Safe to use from several threads (configurations running at once).
class RunMetrics {
 public:
  RunMetrics();

  /// Serves /metrics on address ("127.0.0.1:9464"); throws UserError if it
  /// cannot bind.
  void listen(const std::string& address);
  /// The port /metrics is served on (for address ":0").
  int port() const;

  ConfigurationMetrics& configuration(const std::string& scenario, const std::string& name);
  /// The verdict series of a finished configuration: kchaos_anomalies{kind},
  /// kchaos_configuration_passed, kchaos_configuration_duration_seconds.
  void verdict(const std::string& scenario, const reports::ConfigurationResult& result);
  /// Pushes the configuration's final series to the Pushgateway at url
  /// (job kchaos, grouped by scenario and configuration). Returns false and
  /// writes a warning when the push fails; never throws.
  bool push(const std::string& url, const std::string& scenario, const std::string& configuration);

  prometheus::Registry& registry() { return *registry_; }
  /// Every series of the registry in the text exposition format (tests).
  std::string text() const;

 private:
  using Key = std::pair<std::string, std::string>;  // scenario, configuration

  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  // Configurations running at once (--parallel) share the maps.
  std::mutex mutex_;
  std::map<Key, std::unique_ptr<ConfigurationMetrics>> configurations_;
  /// Per configuration, what is pushed: the verdict series.
  std::map<Key, std::shared_ptr<prometheus::Registry>> final_;
};

}  // namespace kchaos::metrics
