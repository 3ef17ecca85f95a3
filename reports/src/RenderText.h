#pragma once
// Internal to the renderers: small shared helpers.

#include <cstdint>
#include <string>

#include "kchaos/reports/Verdict.h"

namespace kchaos::reports::detail {

/// "PASS", "FAIL" or "ERROR" (a harness failure).
inline const char* verdict_label(const ConfigurationResult& r) {
  if (!r.error.empty()) return "ERROR";
  return r.passed ? "PASS" : "FAIL";
}

/// "2024-05-01T12:00:00.123Z" for microseconds since the epoch.
std::string utc_time(int64_t time_us);

}  // namespace kchaos::reports::detail
