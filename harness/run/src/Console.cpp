#include "kchaos/run/Console.h"

namespace kchaos::run {

void Console::line(const std::string& text) {
  std::lock_guard lock(mutex_);
  out_ << text << std::endl;
}

void Console::locked(const std::function<void()>& fn) {
  std::lock_guard lock(mutex_);
  fn();
}

std::function<void(const std::string&)> Console::prefixed(std::string prefix) {
  return [this, prefix = std::move(prefix)](const std::string& text) { line(prefix + text); };
}

}  // namespace kchaos::run
