#include "kchaos/run/EventLog.h"

#include <cstring>

namespace kchaos::run {

EventLog::EventLog(const std::filesystem::path& file, uint64_t run_id)
    : writer_(file, run_id, 0), start_(std::chrono::steady_clock::now()) {}

void EventLog::add(journal::EventType type, int32_t target, const std::string& text, int fault) {
  // Times taken under the lock, so the journal's order is its times' order.
  std::lock_guard lock(mutex_);
  journal::EventRecord r{};
  r.mono_us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start_)
                  .count();
  r.time_us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  r.type = static_cast<uint8_t>(type);
  r.target = target;
  r.fault = static_cast<uint16_t>(fault);
  std::strncpy(r.text, text.c_str(), sizeof r.text - 1);
  writer_.write(r);
}

}  // namespace kchaos::run
