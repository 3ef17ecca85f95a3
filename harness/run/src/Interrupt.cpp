#include "kchaos/run/Interrupt.h"

#include <signal.h>

#include <atomic>
#include <string>

#include "kchaos/common/Error.h"

namespace kchaos::run {
namespace {
std::atomic<int> g_interrupt{0};
}

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = [](int sig) { g_interrupt.store(sig); };
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() { return g_interrupt.load() != 0; }

void check_interrupt() {
  if (interrupted()) {
    throw HarnessError("interrupted by signal " + std::to_string(g_interrupt.load()) +
                       "; the faults were healed and the cluster and workers stopped");
  }
}

}  // namespace kchaos::run
