#include <algorithm>
#include <ctime>
#include <sstream>

#include "reports/Limit.h"
#include "reports/Render.h"
#include "reports/RenderText.h"

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

std::string detail::failed_limits(const ConfigurationResult& r, const std::string& sep) {
  std::string out;
  for (const auto& [name, ok] : r.limit_results) {
    if (ok) continue;
    const auto count = expected_count(r.verdict, name);
    auto limit = r.expect.find(name);
    if (!out.empty()) out += sep;
    out += name + " = " + (count ? std::to_string(*count) : std::string("(not a count)")) +
           ", limit " + (limit == r.expect.end() ? std::string("?") : limit->second.text);
  }
  return out;
}

std::string summary_table(const Report& report) {
  static const std::vector<std::string> columns = {
      "lost",        "divergent",       "duplicated",         "reordered",
      "send-failed", "consumer-missed", "consumer-duplicated"};
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"configuration"});
  rows[0].insert(rows[0].end(), columns.begin(), columns.end());
  rows[0].push_back("verdict");
  bool starred = false;
  for (const auto& r : report.configurations) {
    std::vector<std::string> row{r.name};
    for (const auto& c : columns) {
      auto count = r.verdict.counts.find(c);
      if (!r.error.empty() || count == r.verdict.counts.end()) {
        row.push_back("- ");
        continue;
      }
      auto result = r.limit_results.find(c);
      const bool outside = result != r.limit_results.end() && !result->second;
      starred = starred || outside;
      // The mark gets its own character, so that the digits stay aligned.
      row.push_back(std::to_string(count->second) + (outside ? "*" : " "));
    }
    row.push_back(detail::verdict_label(r));
    rows.push_back(std::move(row));
  }
  std::vector<size_t> width(rows[0].size());
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::ostringstream out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      const bool number = i > 0 && i + 1 < row.size();
      const std::string pad(width[i] - row[i].size(), ' ');
      if (i > 0) out << "  ";
      out << (number ? pad + row[i] : i + 1 < row.size() ? row[i] + pad : row[i]);
    }
    out << '\n';
  }
  if (starred) out << "* outside its limit\n";
  return out.str();
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
