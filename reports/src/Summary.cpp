#include <algorithm>
#include <ctime>
#include <sstream>

#include "RenderText.h"
#include "kchaos/reports/Limit.h"
#include "kchaos/reports/Render.h"
#include "kchaos/reports/Table.h"

namespace kchaos::reports {

std::string detail::utc_time(int64_t time_us) {
  const std::time_t seconds = static_cast<std::time_t>(time_us / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(time_us % 1'000'000 / 1000));
  return buf;
}

std::string summary_table(const Report& report) {
  std::vector<TableRow> rows;
  for (const auto& r : report.configurations) rows.push_back({{r.name}, &r});
  return counts_table({"configuration"}, rows);
}

int exit_code(const Report& report) {
  int code = 0;
  for (const auto& r : report.configurations) {
    if (!r.error.empty()) return 3;
    if (!r.passed) code = 1;
  }
  return code;
}

}  // namespace kchaos::reports
