#include "kchaos/faults/Fault.h"

#include <sstream>

#include "Kinds.h"
#include "kchaos/faults/Registry.h"

namespace kchaos::faults {

std::string FaultSpec::describe() const {
  std::ostringstream s;
  s << type;
  if (!target.empty()) s << " " << target;
  for (const auto& [k, v] : params.items())
    s << " " << k << "=" << (v.is_string() ? v.get<std::string>() : v.dump());
  s << " at " << at_s << " s";
  if (duration_s >= 0) {
    s << " for " << duration_s << " s";
  } else {
    s << " until the end of the fault phase";
  }
  return s.str();
}

Json FaultSpec::param(const std::string& name) const {
  if (params.contains(name)) return params[name];
  const FaultKind* kind = find_kind(type);
  const Param* p = kind ? find_param(*kind, name) : nullptr;
  return p ? p->default_value : Json(nullptr);
}

std::string Fault::target_text() const {
  if (!brokers_.empty()) return brokers_text(brokers_);
  return spec_.target.empty() ? std::string("-") : spec_.target;
}

Json FaultSpec::to_json() const {
  Json j = params;
  j["type"] = type;
  if (!target.empty()) j["target"] = target;
  j["at"] = at_s;
  if (duration_s >= 0) j["duration"] = duration_s;
  return j;
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
