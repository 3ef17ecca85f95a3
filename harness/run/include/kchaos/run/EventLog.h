#pragma once
// The events journal of one configuration: phases, faults, workers, each with
// a monotonic and a wall-clock time. Faults and the run loop add to it from
// several threads.

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>

#include "kchaos/journal/Journal.h"

namespace kchaos::run {

class EventLog {
 public:
  EventLog(const std::filesystem::path& file, uint64_t run_id);
  /// fault: the fault's index in the timeline, for fault events.
  void add(journal::EventType type, int32_t target, const std::string& text, int fault = 0);
  void phase(const std::string& name) { add(journal::EventType::phase, -1, name); }

 private:
  std::mutex mutex_;
  journal::Writer<journal::EventRecord> writer_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace kchaos::run
