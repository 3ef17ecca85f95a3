#pragma once
// What every worker process shares: its spec (a JSON file written by the
// controller), the stop flag set by SIGTERM/SIGINT, and the JSON-line events
// it prints on stdout for the controller.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kchaos::workloads {

/// Set by SIGTERM or SIGINT: finish cleanly (flush, commit, close) and exit.
extern std::atomic<bool> g_stop;
void install_stop_handlers();

int64_t wall_us();

/// Prints {"name": name, "time": <seconds>, ...fields} as one line and
/// flushes, so the controller sees it at once.
void emit(const std::string& name, nlohmann::json fields = nlohmann::json::object());

nlohmann::json read_spec(const std::filesystem::path& file);

/// The librdkafka properties of a spec's "config" object.
std::map<std::string, std::string> spec_properties(const nlohmann::json& spec);

int run_producer(const nlohmann::json& spec);
int run_consumer(const nlohmann::json& spec);
int run_audit(const nlohmann::json& spec);

/// Upper bounds (seconds) of the latency histogram buckets workers report,
/// which the controller's Prometheus histograms use as they are.
inline const std::vector<double> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                    0.25,  0.5,    1,     2.5,  5,     10,   30};

/// Latency over one reporting interval.
class LatencyWindow {
 public:
  void add(uint32_t micros) { samples_.push_back(micros); }
  /// {"p50_ms", "p99_ms", "max_ms", "buckets": counts per kLatencyBuckets
  /// bound plus one for +Inf, "sum_s"} and clears the window.
  nlohmann::json take();

 private:
  std::vector<uint32_t> samples_;
};

}  // namespace kchaos::workloads
