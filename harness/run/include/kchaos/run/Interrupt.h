#pragma once
// SIGINT/SIGTERM on the controller: the run stops at the next check and
// cleans up (workers, faults, cluster) as it unwinds.

namespace kchaos::run {

void install_interrupt_handlers();
/// Throws HarnessError if a stop was requested.
void check_interrupt();
bool interrupted();

}  // namespace kchaos::run
