#pragma once
// What every worker process shares: its spec (a JSON file written by the
// controller), the stop flag set by SIGTERM/SIGINT, and the JSON-line events
// it prints on stdout for the controller.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

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

/// Latency percentiles over one reporting interval.
class LatencyWindow {
 public:
  void add(uint32_t micros) { samples_.push_back(micros); }
  /// {"p50_ms": .., "p99_ms": .., "max_ms": ..} and clears the window.
  nlohmann::json take();

 private:
  std::vector<uint32_t> samples_;
};

}  // namespace kchaos::workloads
