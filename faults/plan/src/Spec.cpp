// What a parsed plan says of itself: each fault's text and parameters, the
// kinds it holds, and what those kinds need of the run.

#include <algorithm>
#include <sstream>

#include "kchaos/plan/Plan.h"

namespace kchaos::plan {

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
  const FaultKind* k = kind ? kind : find_kind(type);
  const Param* p = k ? find_param(*k, name) : nullptr;
  return p ? p->default_value : Json(nullptr);
}

Json FaultSpec::to_json() const {
  Json j = params;
  j["type"] = type;
  if (!target.empty()) j["target"] = target;
  j["at"] = at_s;
  if (duration_s >= 0) j["duration"] = duration_s;
  return j;
}

bool FaultPlan::has(const std::string& type) const {
  for (const auto& f : fixed) {
    if (f.type == type) return true;
  }
  for (const auto& r : random) {
    if (std::find(r.types.begin(), r.types.end(), type) != r.types.end()) return true;
  }
  return false;
}

const FaultKind* FaultPlan::kind_needing(Storage storage) const {
  for (const auto* k : fault_kinds()) {
    if (k->storage == storage && has(k->name)) return k;
  }
  return nullptr;
}

int FaultPlan::added_partitions() const {
  int added = 0;
  for (const auto& f : fixed) {
    if (f.kind && f.kind->adds_partitions) added += f.kind->adds_partitions(f);
  }
  return added;
}

std::vector<Problem> check_bounds(const FaultPlan& plan, const Bounds& bounds) {
  std::vector<Problem> problems;
  for (const auto& f : plan.fixed) {
    if (!f.kind || !f.kind->check) continue;
    Problem p = f.kind->check(f, bounds);
    if (!p.what.empty()) problems.push_back({f.path + "." + p.field, p.what});
  }
  return problems;
}

}  // namespace kchaos::plan
