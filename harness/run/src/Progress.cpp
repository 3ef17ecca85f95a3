#include "kchaos/run/Progress.h"

#include <iomanip>
#include <ostream>
#include <sstream>

namespace kchaos::run {

void Progress::phase(const std::string& name) {
  phase_ = name;
  started_ = std::chrono::steady_clock::now();
  events_.phase(name);
  if (metrics_ != nullptr) metrics_->phase(name);
}

double Progress::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

void Progress::print(const WorkerTotals& t, const std::string& label) {
  const std::string waiting =
      t.consumer_waiting > 0
          ? " (consumer-" + std::to_string(t.consumer_waiting) + " has no partitions yet)"
          : "";
  std::ostringstream line;
  line << std::left << std::setw(9) << (label.empty() ? phase_ : label) << std::right
       << std::setw(5) << static_cast<int>(elapsed()) << " s  sent " << t.sent << "  acked "
       << t.acked << "  failed " << t.failed << "  unknown " << t.unknown << "  consumed "
       << t.consumed << waiting << "  produce p99 ";
  if (t.produce_p99_ms) {
    line << std::fixed << std::setprecision(1) << *t.produce_p99_ms << " ms";
  } else {
    line << "- (nothing acknowledged)";
  }
  out_ << "  " << line.str() << std::endl;
  if (echo_) echo_(line.str());
}

void Progress::faults(const std::vector<faults::ActiveFault>& active) {
  if (active != shown_) {
    out_ << "  " << std::left << std::setw(9) << phase_ << std::right << std::setw(5)
         << static_cast<int>(elapsed())
         << " s  active faults: " << (active.empty() ? "none" : active.front().description)
         << std::endl;
    for (size_t i = 1; i < active.size(); ++i) {
      out_ << std::setw(31) << "" << active[i].description << std::endl;
    }
    shown_ = active;
  }
  if (metrics_ == nullptr) return;
  std::vector<std::pair<std::string, std::string>> gauges;
  for (const auto& f : active) gauges.emplace_back(f.type, f.target);
  metrics_->faults(gauges);
}

void Progress::brokers_up(cluster::Cluster& cluster) {
  if (metrics_ == nullptr) return;  // counting reads /proc for every broker
  int up = 0;
  for (const auto& b : cluster.brokers()) up += cluster.is_running(b.id);
  metrics_->brokers_up(up);
}

}  // namespace kchaos::run
