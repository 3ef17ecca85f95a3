#pragma once
// What a person watching a run sees, when several configurations run at once:
// whole lines, never interleaved, each naming its configuration.

#include <functional>
#include <mutex>
#include <ostream>
#include <string>

namespace kchaos::run {

class Console {
 public:
  explicit Console(std::ostream& out) : out_(out) {}
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  /// Writes text and a newline as one piece, whichever thread calls.
  void line(const std::string& text);
  /// A sink that writes each line it is given behind prefix.
  std::function<void(const std::string&)> prefixed(std::string prefix);
  /// The stream itself, for a run that writes from one thread only.
  std::ostream& stream() { return out_; }
  /// Runs fn while no line can be written, for output of several lines.
  void locked(const std::function<void()>& fn);

 private:
  std::ostream& out_;
  std::mutex mutex_;
};

}  // namespace kchaos::run
