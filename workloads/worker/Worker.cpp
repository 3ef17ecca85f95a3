#include "workloads/worker/Worker.h"

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <iostream>

namespace kchaos::workloads {

std::atomic<bool> g_stop{false};

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = [](int) { g_stop.store(true); };
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

int64_t wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void emit(const std::string& name, nlohmann::json fields) {
  nlohmann::json line = {{"name", name}, {"time", static_cast<double>(wall_us()) / 1e6}};
  line.update(fields);
  std::cout << line.dump() << std::endl;
}

nlohmann::json read_spec(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read worker spec " + file.string());
  return nlohmann::json::parse(in);
}

std::map<std::string, std::string> spec_properties(const nlohmann::json& spec) {
  return spec.value("config", nlohmann::json::object()).get<std::map<std::string, std::string>>();
}

nlohmann::json LatencyWindow::take() {
  std::vector<uint64_t> buckets(kLatencyBuckets.size() + 1, 0);
  double sum = 0;
  for (uint32_t us : samples_) {
    const double s = us / 1e6;
    sum += s;
    size_t b = std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), s) -
               kLatencyBuckets.begin();
    ++buckets[b];
  }
  if (samples_.empty()) {
    return {{"p50_ms", nullptr},
            {"p99_ms", nullptr},
            {"max_ms", nullptr},
            {"buckets", buckets},
            {"sum_s", 0}};
  }
  auto at = [&](double q) {
    size_t i = std::min(samples_.size() - 1, static_cast<size_t>(q * samples_.size()));
    std::nth_element(samples_.begin(), samples_.begin() + i, samples_.end());
    return samples_[i] / 1000.0;
  };
  nlohmann::json out = {{"p50_ms", at(0.5)}, {"p99_ms", at(0.99)}};
  out["max_ms"] = *std::max_element(samples_.begin(), samples_.end()) / 1000.0;
  out["buckets"] = buckets;
  out["sum_s"] = sum;
  samples_.clear();
  return out;
}

}  // namespace kchaos::workloads
