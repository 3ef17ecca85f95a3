#include "kchaos/reports/Verdict.h"

namespace kchaos::reports {

const std::vector<std::string>& anomaly_names() {
  static const std::vector<std::string> names = {"lost",
                                                 "divergent",
                                                 "expired",
                                                 "send-failed",
                                                 "failed-but-written",
                                                 "unknown-written",
                                                 "unknown-missing",
                                                 "duplicated",
                                                 "reordered",
                                                 "consumer-missed",
                                                 "consumer-duplicated",
                                                 "consumed-then-lost",
                                                 "unconsumed",
                                                 "corrupt",
                                                 "unverifiable"};
  return names;
}

}  // namespace kchaos::reports
