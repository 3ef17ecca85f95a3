// libFuzzer target: any bytes as a scenario file. A bad scenario is a
// UserError; anything else (a crash, a hang, a leak, an allocation over
// -malloc_limit_mb) is a finding.

#include <cstddef>
#include <cstdint>
#include <string>

#include "kchaos/common/Error.h"
#include "kchaos/scenario/Scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    kchaos::scenario::parse_text(text, "fuzz.json");
  } catch (const kchaos::UserError&) {
  }
  return 0;
}
