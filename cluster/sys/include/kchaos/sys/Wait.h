#pragma once
// The one polling loop: every wait of the cluster layer (a broker's state, the
// cluster's metadata) is a condition checked until it holds or time runs out.

#include <chrono>
#include <functional>
#include <thread>

namespace kchaos {

/// Checks done every poll until it holds (true) or timeout passes (false).
/// done is always checked at least once, and once more at the deadline.
inline bool poll_until(std::chrono::milliseconds timeout, std::chrono::milliseconds poll,
                       const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(poll);
  }
}

/// Seconds from t to now.
inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace kchaos
