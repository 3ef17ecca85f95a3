#pragma once
// What every worker process shares: its spec (read from the JSON file the
// controller wrote), the stop flag set by SIGTERM/SIGINT, and the JSON-line
// events it prints on stdout for the controller (see kchaos/protocol).

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "kchaos/common/Json.h"
#include "kchaos/protocol/Events.h"
#include "kchaos/protocol/Specs.h"
#include "kchaos/common/Error.h"

namespace kchaos::workloads {

/// Set by SIGTERM or SIGINT: finish cleanly (flush, commit, close) and exit.
extern std::atomic<bool> g_stop;
void install_stop_handlers();

int64_t wall_us();

/// Prints one event line ({"name": name, "time": <seconds>, ...body}) and
/// flushes, so the controller sees it at once.
void emit(const std::string& name, const Json& body = Json::object());

/// The spec the controller wrote; throws when it cannot be read.
template <typename Spec>
Spec read_spec(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw HarnessError("cannot read worker spec " + file.string());
  return Json::parse(in).get<Spec>();
}

int run_producer(const protocol::ProducerSpec& spec);
int run_consumer(const protocol::ConsumerSpec& spec);
int run_audit(const protocol::AuditSpec& spec);

/// Latency samples over one reporting interval.
class LatencySamples {
 public:
  void add(uint32_t micros) { samples_.push_back(micros); }
  /// The interval's percentiles and histogram buckets; clears the samples.
  protocol::LatencyWindow take();

 private:
  std::vector<uint32_t> samples_;
};

}  // namespace kchaos::workloads
