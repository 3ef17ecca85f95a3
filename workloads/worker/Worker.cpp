#include "Worker.h"

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

void emit(const std::string& name, const Json& body) {
  std::cout << protocol::event_line(name, static_cast<double>(wall_us()) / 1e6, body) << std::endl;
}

protocol::LatencyWindow LatencySamples::take() {
  protocol::LatencyWindow out;
  out.buckets.assign(protocol::kLatencyBuckets.size() + 1, 0);
  for (uint32_t us : samples_) {
    const double s = us / 1e6;
    out.sum_s += s;
    const auto b =
        std::lower_bound(protocol::kLatencyBuckets.begin(), protocol::kLatencyBuckets.end(), s) -
        protocol::kLatencyBuckets.begin();
    ++out.buckets[static_cast<size_t>(b)];
  }
  if (samples_.empty()) return out;
  auto at = [&](double q) {
    size_t i = std::min(samples_.size() - 1, static_cast<size_t>(q * samples_.size()));
    std::nth_element(samples_.begin(), samples_.begin() + static_cast<long>(i), samples_.end());
    return samples_[i] / 1000.0;
  };
  out.p50_ms = at(0.5);
  out.p99_ms = at(0.99);
  out.max_ms = *std::max_element(samples_.begin(), samples_.end()) / 1000.0;
  samples_.clear();
  return out;
}

}  // namespace kchaos::workloads
