#include "kchaos/metrics/Metrics.h"

#include <prometheus/gateway.h>
#include <prometheus/text_serializer.h>

#include <iostream>

#include "kchaos/common/Error.h"

namespace kchaos::metrics {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

prometheus::Labels with(prometheus::Labels labels, const std::string& key,
                        const std::string& value) {
  labels[key] = value;
  return labels;
}

void observe_buckets(prometheus::Histogram& h, const protocol::LatencyWindow& window) {
  if (window.buckets.size() != protocol::kLatencyBuckets.size() + 1) return;
  std::vector<double> increments(window.buckets.begin(), window.buckets.end());
  h.ObserveMultiple(increments, window.sum_s);
}

}  // namespace

ConfigurationMetrics::ConfigurationMetrics(prometheus::Registry& registry,
                                           const prometheus::Labels& labels)
    : registry_(registry),
      labels_(labels),
      sent_(BuildCounter()
                .Name("kchaos_messages_sent_total")
                .Help("Messages the producers handed to librdkafka")
                .Register(registry)
                .Add(labels)),
      acked_(BuildCounter()
                 .Name("kchaos_messages_acknowledged_total")
                 .Help("Messages acknowledged to the producers")
                 .Register(registry)
                 .Add(labels)),
      failed_(BuildCounter()
                  .Name("kchaos_messages_failed_total")
                  .Help("Messages reported to the producers as definitely failed")
                  .Register(registry)
                  .Add(labels)),
      consumed_(BuildCounter()
                    .Name("kchaos_messages_consumed_total")
                    .Help("Messages the verifying consumer processed")
                    .Register(registry)
                    .Add(labels)),
      produce_latency_(BuildHistogram()
                           .Name("kchaos_produce_latency_seconds")
                           .Help("From produce() to the delivery report")
                           .Register(registry)
                           .Add(labels, protocol::kLatencyBuckets)),
      e2e_latency_(BuildHistogram()
                       .Name("kchaos_end_to_end_latency_seconds")
                       .Help("From the message timestamp to its processing")
                       .Register(registry)
                       .Add(labels, protocol::kLatencyBuckets)),
      faults_(BuildGauge()
                  .Name("kchaos_faults_active")
                  .Help("Faults active now, by type and target")
                  .Register(registry)),
      phase_(BuildGauge()
                 .Name("kchaos_phase")
                 .Help("1 for the phase the configuration is in: cluster-up, warm-up, faults, "
                       "recovery, drain, audit, done")
                 .Register(registry)),
      brokers_up_(BuildGauge()
                      .Name("kchaos_brokers_up")
                      .Help("Brokers whose process runs")
                      .Register(registry)
                      .Add(labels)) {}

// Workers report cumulative counts; counters grow by the difference.
void ConfigurationMetrics::grow(const std::string& worker, prometheus::Counter& counter,
                                double now) {
  double& last = last_[worker][&counter];
  if (now > last) counter.Increment(now - last);
  last = std::max(last, now);
}

void ConfigurationMetrics::observe(const std::string& worker, const protocol::ProducerProgress& p) {
  std::lock_guard lock(mutex_);
  grow(worker, sent_, static_cast<double>(p.sent));
  grow(worker, acked_, static_cast<double>(p.acked));
  grow(worker, failed_, static_cast<double>(p.failed));
  observe_buckets(produce_latency_, p.latency);
}

void ConfigurationMetrics::observe(const std::string& worker, const protocol::ConsumerProgress& p) {
  std::lock_guard lock(mutex_);
  grow(worker, consumed_, static_cast<double>(p.consumed));
  observe_buckets(e2e_latency_, p.end_to_end);
}

void ConfigurationMetrics::phase(const std::string& name) {
  std::lock_guard lock(mutex_);
  for (auto& [phase, gauge] : phase_gauges_) gauge->Set(0);
  auto& g = phase_gauges_[name];
  if (g == nullptr) g = &phase_.Add(with(labels_, "phase", name));
  g->Set(1);
}

void ConfigurationMetrics::faults(const std::vector<std::pair<std::string, std::string>>& active) {
  std::lock_guard lock(mutex_);
  for (auto& [key, gauge] : fault_gauges_) gauge->Set(0);
  for (const auto& key : active) {
    auto& g = fault_gauges_[key];
    if (g == nullptr)
      g = &faults_.Add(with(with(labels_, "type", key.first), "target", key.second));
    g->Increment();
  }
}

void ConfigurationMetrics::brokers_up(int n) { brokers_up_.Set(n); }

RunMetrics::RunMetrics() : registry_(std::make_shared<prometheus::Registry>()) {}

void RunMetrics::listen(const std::string& address) {
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(address);
  } catch (const std::exception& e) {
    throw UserError("--metrics-listen " + address + ": cannot serve metrics there (" + e.what() +
                    "); give a free HOST:PORT such as 127.0.0.1:9464");
  }
  exposer_->RegisterCollectable(registry_);
}

int RunMetrics::port() const {
  if (!exposer_) return 0;
  auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

ConfigurationMetrics& RunMetrics::configuration(const std::string& scenario,
                                                const std::string& name) {
  std::lock_guard lock(mutex_);
  auto& m = configurations_[{scenario, name}];
  if (!m)
    m = std::make_unique<ConfigurationMetrics>(
        *registry_, prometheus::Labels{{"scenario", scenario}, {"configuration", name}});
  return *m;
}

void RunMetrics::verdict(const std::string& scenario, const reports::ConfigurationResult& r) {
  const prometheus::Labels labels = {{"scenario", scenario}, {"configuration", r.name}};
  // The verdict goes into the live registry (for scraping) and into the
  // configuration's own registry (for the push).
  auto final_registry = std::make_shared<prometheus::Registry>();
  for (prometheus::Registry* reg : {registry_.get(), final_registry.get()}) {
    auto& anomalies =
        BuildGauge()
            .Name("kchaos_anomalies")
            .Help(
                "Sequence numbers in each verdict class of docs/anomalies.md, at the end "
                "of a configuration")
            .Register(*reg);
    for (const auto& kind : reports::anomaly_names()) {
      auto it = r.verdict.counts.find(kind);
      anomalies.Add(with(labels, "kind", kind)).Set(it == r.verdict.counts.end() ? 0 : it->second);
    }
    BuildGauge()
        .Name("kchaos_configuration_passed")
        .Help("1 when every expectation of the configuration held, else 0")
        .Register(*reg)
        .Add(labels)
        .Set(r.passed ? 1 : 0);
    BuildGauge()
        .Name("kchaos_configuration_duration_seconds")
        .Help("How long the configuration ran, cluster start to verdict")
        .Register(*reg)
        .Add(labels)
        .Set(r.duration_seconds);
    BuildGauge()
        .Name("kchaos_messages_created")
        .Help("Sequence numbers the producers created")
        .Register(*reg)
        .Add(labels)
        .Set(static_cast<double>(r.verdict.created));
  }
  std::lock_guard lock(mutex_);
  final_[{scenario, r.name}] = final_registry;
}

bool RunMetrics::push(const std::string& url, const std::string& scenario,
                      const std::string& configuration) {
  std::shared_ptr<prometheus::Registry> series;
  {
    std::lock_guard lock(mutex_);
    auto it = final_.find({scenario, configuration});
    if (it == final_.end()) return false;
    series = it->second;
  }
  try {
    // "http://host:port" -> host part and port, as prometheus-cpp wants them.
    const auto colon = url.rfind(':');
    const bool has_port = colon != std::string::npos && url.find("://") != colon;
    const std::string host = has_port ? url.substr(0, colon) : url;
    std::string port = has_port ? url.substr(colon + 1) : "9091";
    while (!port.empty() && port.back() == '/') port.pop_back();
    prometheus::Gateway gateway(host, port, "kchaos",
                                {{"scenario", scenario}, {"configuration", configuration}});
    gateway.RegisterCollectable(series);
    const int status = gateway.Push();
    if (status >= 200 && status < 300) return true;
    std::cerr << "kchaos: warning: the Pushgateway at " << url
              << (status < 0 ? " is unreachable (curl error " + std::to_string(-status) + ")"
                             : " answered HTTP " + std::to_string(status))
              << "; the verdict of " << configuration << " was not pushed (the run goes on)\n";
  } catch (const std::exception& e) {
    std::cerr << "kchaos: warning: cannot push to the Pushgateway at " << url << ": " << e.what()
              << "\n";
  }
  return false;
}

std::string RunMetrics::text() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace kchaos::metrics
