#include "kchaos/reports/Table.h"

#include <algorithm>
#include <sstream>

#include "RenderText.h"
#include "kchaos/reports/Limit.h"

namespace kchaos::reports {

std::vector<std::string> shown_counts(const std::vector<TableRow>& rows) {
  auto wanted = [&](const std::string& name) {
    for (const auto& row : rows) {
      const auto& r = *row.result;
      auto count = r.verdict.counts.find(name);
      if (counts_shown(r) && count != r.verdict.counts.end() && count->second > 0) return true;
      auto limit = r.expect.find(name);
      if (limit != r.expect.end() && limit->second.op != Limit::Op::any) return true;
    }
    return false;
  };
  std::vector<std::string> out = {"lost"};
  for (const auto& name : anomaly_names()) {
    if (name != "lost" && wanted(name)) out.push_back(name);
  }
  for (const auto& row : rows) {  // sums such as lost+divergent
    for (const auto& [name, limit] : row.result->expect) {
      if (name.find('+') == std::string::npos || limit.op == Limit::Op::any) continue;
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
  }
  return out;
}

std::string counts_table(const std::vector<std::string>& lead_headers,
                         const std::vector<TableRow>& rows) {
  const auto counts = shown_counts(rows);
  std::vector<std::vector<std::string>> cells;
  cells.push_back(lead_headers);
  cells[0].insert(cells[0].end(), counts.begin(), counts.end());
  cells[0].push_back("verdict");
  bool starred = false;
  for (const auto& row : rows) {
    const auto& r = *row.result;
    std::vector<std::string> line = row.lead;
    for (const auto& name : counts) {
      const auto count = expected_count(r.verdict, name);
      if (!count || !counts_shown(r)) {
        line.push_back("- ");
        continue;
      }
      auto result = r.limit_results.find(name);
      const bool outside = result != r.limit_results.end() && !result->second;
      starred = starred || outside;
      // The mark gets its own character, so that the digits stay aligned.
      line.push_back(std::to_string(*count) + (outside ? "*" : " "));
    }
    line.push_back(detail::verdict_label(r));
    cells.push_back(std::move(line));
  }
  std::vector<size_t> width(cells[0].size(), 0);
  for (const auto& line : cells) {
    for (size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  }
  const size_t leads = lead_headers.size();
  std::ostringstream out;
  for (const auto& line : cells) {
    for (size_t i = 0; i < line.size(); ++i) {
      const std::string pad(width[i] - line[i].size(), ' ');
      const bool number = i >= leads && i + 1 < line.size();
      if (i > 0) out << "  ";
      out << (number ? pad + line[i] : i + 1 < line.size() ? line[i] + pad : line[i]);
    }
    out << '\n';
  }
  if (starred) out << "* outside its limit\n";
  for (const auto& row : rows) {
    const auto reasons = failure_reasons(*row.result);
    if (reasons.empty()) continue;
    std::string who;
    for (const auto& l : row.lead) {
      if (!l.empty()) who += (who.empty() ? "" : " / ") + l;
    }
    out << detail::verdict_label(*row.result) << " " << who << ": ";
    for (size_t i = 0; i < reasons.size(); ++i) out << (i ? "; " : "") << reasons[i];
    out << '\n';
  }
  return out.str();
}

}  // namespace kchaos::reports
