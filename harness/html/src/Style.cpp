#include "Style.h"

#include <cstdio>

#include "Svg.h"
#include "kchaos/reports/Limit.h"

namespace kchaos::html::detail {

std::string page_start(const std::string& title) {
  return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
         escape(title) + R"(</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 24px auto;
       max-width: 1080px; padding: 0 16px; line-height: 1.4; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 36px;
     border-bottom: 1px solid #ddd; padding-bottom: 4px; } h3 { font-size: 15px; margin: 18px 0 6px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #d8d8d8; padding: 3px 8px; text-align: left; }
th { background: #f3f3f3; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.out { background: #fde2de; font-weight: 600; } td.nz { font-weight: 600; color: #8a1c1c; }
span.lim { display: block; color: #777; font-size: 11px; font-weight: normal; }
table.sides th { vertical-align: top; } table.sides td { min-width: 110px; }
p.statement { font-size: 15px; margin: 4px 0 6px; } details { font-size: 13px; margin: 4px 0; }
section.claim h2 a { color: inherit; text-decoration: none; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px;
         font-weight: 600; } .PASS { background: #2e7d32; } .FAIL { background: #c62828; }
.ERROR { background: #ef6c00; }
dl.run { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; font-size: 13px; }
dl.run dt { color: #666; } dl.run dd { margin: 0; }
ul.why { color: #b71c1c; font-size: 13px; } .note { color: #666; font-size: 13px; }
code { background: #f4f4f4; padding: 0 3px; border-radius: 3px; }
svg { max-width: 100%; height: auto; border: 1px solid #eee; }
section.configuration { break-inside: avoid-page; }
@media print { body { margin: 0; max-width: none; } h2 { break-before: page; } a { color: #222; } }
</style>
</head>
<body>
)";
}

std::string page_end() { return "</body>\n</html>\n"; }

std::string badge(const reports::ConfigurationResult& r) {
  const char* label = !r.error.empty() ? "ERROR" : r.passed ? "PASS" : "FAIL";
  return std::string("<span class=\"badge ") + label + "\">" + label + "</span>";
}

std::string counts_table_html(const std::vector<std::string>& lead_headers,
                              const std::vector<reports::TableRow>& rows,
                              const std::vector<std::string>& links) {
  const auto counts = reports::shown_counts(rows);
  std::string out = "<table class=\"counts\">\n<tr>";
  for (const auto& h : lead_headers) out += "<th>" + escape(h) + "</th>";
  for (const auto& c : counts) out += "<th>" + escape(c) + "</th>";
  out += "<th>verdict</th></tr>\n";
  std::string why;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = *rows[i].result;
    out += "<tr>";
    for (size_t k = 0; k < rows[i].lead.size(); ++k) {
      const std::string text = escape(rows[i].lead[k]);
      out += "<td>" + (k == 0 && i < links.size() && !links[i].empty()
                           ? "<a href=\"" + escape(links[i]) + "\">" + text + "</a>"
                           : text) +
             "</td>";
    }
    for (const auto& name : counts) {
      const auto count = reports::expected_count(r.verdict, name);
      auto result = r.limit_results.find(name);
      const bool outside = result != r.limit_results.end() && !result->second;
      const bool shown = count && reports::counts_shown(r);
      out += std::string("<td class=\"n") + (outside ? " out" : "") + "\">" +
             (shown ? std::to_string(*count) : "-") + "</td>";
    }
    out += "<td>" + badge(r) + "</td></tr>\n";
    for (const auto& reason : reports::failure_reasons(r)) {
      why += "<li><b>" + escape(rows[i].lead.empty() ? r.name : rows[i].lead[0]) +
             (rows[i].lead.size() > 1 ? " / " + escape(rows[i].lead[1]) : "") + "</b>: " +
             escape(reason) + "</li>\n";
    }
  }
  out += "</table>\n";
  if (!why.empty()) out += "<ul class=\"why\">\n" + why + "</ul>\n";
  return out;
}

std::string seconds_since(int64_t origin_us, int64_t time_us) {
  if (time_us == 0) return "never";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(time_us - origin_us) / 1e6);
  return buf;
}

}  // namespace kchaos::html::detail
