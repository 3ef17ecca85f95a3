#include "kchaos/faults/Fault.h"

#include "Kinds.h"

namespace kchaos::faults {

std::string Fault::target_text() const {
  if (!brokers_.empty()) return brokers_text(brokers_);
  return spec_.target.empty() ? std::string("-") : spec_.target;
}

void Fault::inject(FaultContext& ctx) {
  if (active_) return;
  try {
    do_inject(ctx);
  } catch (...) {
    // Undo whatever part of the injection happened before the failure.
    try {
      do_heal(ctx);
    } catch (...) {
    }
    throw;
  }
  active_ = true;
  if (ctx.journal) ctx.journal(FaultEvent::injected, spec_.index, journal_target(), description_);
}

void Fault::heal(FaultContext& ctx) {
  if (!active_) return;
  active_ = false;
  do_heal(ctx);
  if (ctx.journal) ctx.journal(FaultEvent::healed, spec_.index, journal_target(), description_);
}

}  // namespace kchaos::faults
