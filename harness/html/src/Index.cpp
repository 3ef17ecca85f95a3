// The suite page (report.html of a directory run): one block per scenario
// run with its statement, its configurations side by side with their
// verdicts, the counts that decide them, and every count one click away.

#include <algorithm>
#include <map>
#include <sstream>

#include "Style.h"
#include "Svg.h"
#include "kchaos/html/Page.h"
#include "kchaos/reports/Limit.h"

namespace kchaos::html {
namespace {

using detail::escape;
using reports::ConfigurationResult;

const char* label(const ConfigurationResult& r) {
  return !r.error.empty() ? "ERROR" : r.passed ? "PASS" : "FAIL";
}

// The worst verdict of a scenario run: ERROR, then FAIL, then PASS.
std::string block_badge(const reports::Report& report) {
  std::string worst = "PASS";
  for (const auto& r : report.configurations) {
    const std::string l = label(r);
    if (l == "ERROR" || (l == "FAIL" && worst == "PASS")) worst = l;
  }
  return "<span class=\"badge " + worst + "\">" + worst + "</span>";
}

// Kafka writes "never" as Long.MAX_VALUE (flush.messages, flush.ms).
std::string friendly(const Json& value) {
  const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  return text == "9223372036854775807" ? "default (never)" : text;
}

std::string column_name(const ConfigurationResult& r) {
  if (!r.parameters.is_object() || r.parameters.empty()) return escape(r.name);
  std::string out;
  for (const auto& [key, value] : r.parameters.items()) {
    out += (out.empty() ? "" : "<br>") + escape(key) + " = " + escape(friendly(value));
  }
  return out;
}

// The first sentence states the scenario; the rest is one click away.
std::string statement(const std::string& description) {
  if (description.empty()) return "";
  size_t end = 0;
  while ((end = description.find(". ", end)) != std::string::npos) {
    if (end + 2 < description.size() && std::isupper(static_cast<unsigned char>(description[end + 2])))
      break;
    end += 2;
  }
  if (end == std::string::npos) return "<p class=\"statement\">" + escape(description) + "</p>\n";
  return "<p class=\"statement\">" + escape(description.substr(0, end + 1)) +
         "</p>\n<details class=\"note\"><summary>the whole description</summary><p>" +
         escape(description.substr(end + 2)) + "</p></details>\n";
}

// Each configuration's effective limits, computed once per block.
using Limits = std::vector<std::map<std::string, reports::Limit>>;

// Counts that decide: a limit the scenario wrote (not "any"), or non-zero.
bool deciding(const std::string& name, const reports::Report& report, const Limits& limits_of) {
  for (size_t i = 0; i < report.configurations.size(); ++i) {
    const auto& r = report.configurations[i];
    const auto& limits = limits_of[i];
    const auto limit = limits.find(name);
    if (limit != limits.end() && !limit->second.by_default && limit->second.text != "any")
      return true;
    const auto count = reports::expected_count(r.verdict, name);
    if (count && *count > 0 && reports::counts_shown(r)) return true;
  }
  return false;
}

std::string cell(const ConfigurationResult& r, const std::map<std::string, reports::Limit>& limits,
                 const std::string& name, bool with_limit) {
  const auto count = reports::expected_count(r.verdict, name);
  const auto result = r.limit_results.find(name);
  const bool outside = result != r.limit_results.end() && !result->second;
  const bool shown = count && reports::counts_shown(r);
  std::string cls = "n";
  if (shown && *count > 0) cls += " nz";
  if (outside) cls += " out";
  std::string out = "<td class=\"" + cls + "\">" + (shown ? std::to_string(*count) : "-");
  if (with_limit) {
    const auto limit = limits.find(name);
    if (limit != limits.end()) {
      out += "<span class=\"lim\">limit " + escape(limit->second.text) +
             (limit->second.by_default ? " (default)" : "") + "</span>";
    }
  }
  return out + "</td>";
}

std::string counts_rows(const reports::Report& report, const Limits& limits_of,
                        const std::vector<std::string>& names, bool with_limit) {
  std::string out;
  for (const auto& name : names) {
    out += "<tr><th>" + escape(name) + "</th>";
    for (size_t i = 0; i < report.configurations.size(); ++i) {
      out += cell(report.configurations[i], limits_of[i], name, with_limit);
    }
    out += "</tr>\n";
  }
  return out;
}

std::string block(const IndexEntry& e) {
  const auto& report = *e.report;
  const std::string name = e.scenario + (e.repetition > 1 ? " #" + std::to_string(e.repetition) : "");
  std::ostringstream out;
  out << "<section class=\"claim\">\n<h2><a href=\"" << escape(e.link) << "\">" << escape(name)
      << "</a> " << block_badge(report) << "</h2>\n"
      << statement(e.description);
  std::string head = "<tr><th></th>";
  for (const auto& r : report.configurations) {
    head += "<th>" + column_name(r) + "<br>" + detail::badge(r) + "</th>";
  }
  head += "</tr>\n";
  Limits limits_of;
  for (const auto& r : report.configurations) limits_of.push_back(reports::effective_limits(r));
  // Sums a limit names ("lost+divergent") come after the single counts.
  std::vector<std::string> names;
  for (const auto& n : reports::anomaly_names()) {
    if (deciding(n, report, limits_of)) names.push_back(n);
  }
  for (const auto& r : report.configurations) {
    for (const auto& [n, limit] : r.expect) {
      if (r.verdict.counts.count(n) == 0 &&
          std::find(names.begin(), names.end(), n) == names.end() && deciding(n, report, limits_of))
        names.push_back(n);
    }
  }
  out << "<table class=\"sides\">\n" << head << counts_rows(report, limits_of, names, true) << "</table>\n";
  std::string why;
  for (const auto& r : report.configurations) {
    for (const auto& reason : reports::failure_reasons(r)) {
      why += "<li><b>" + escape(r.name) + "</b>: " + escape(reason) + "</li>\n";
    }
  }
  if (!why.empty()) out << "<ul class=\"why\">\n" << why << "</ul>\n";
  out << "<details><summary>every count</summary>\n<table class=\"sides\">\n"
      << head << counts_rows(report, limits_of, reports::anomaly_names(), false)
      << "</table>\n</details>\n</section>\n";
  return out.str();
}

}  // namespace

std::string index_html(const std::string& title, const std::vector<IndexEntry>& entries) {
  std::map<std::string, int> verdicts;
  size_t configurations = 0;
  for (const auto& e : entries) {
    for (const auto& r : e.report->configurations) {
      ++verdicts[label(r)];
      ++configurations;
    }
  }
  std::ostringstream out;
  out << detail::page_start(title) << "<h1>" << escape(title) << "</h1>\n<p class=\"summary\">"
      << entries.size() << " scenario run(s), " << configurations << " configuration(s):";
  for (const char* l : {"PASS", "FAIL", "ERROR"}) {
    if (verdicts.count(l) != 0) {
      out << " <span class=\"badge " << l << "\">" << verdicts[l] << " " << l << "</span>";
    }
  }
  out << "</p>\n<p class=\"note\">Per scenario, its configurations side by side: the counts a "
         "limit decides or that are not zero (marked), each with its limit; every count is one "
         "click below. A name links to the scenario's own report.</p>\n";
  for (const auto& e : entries) out << block(e);
  out << detail::page_end();
  return out.str();
}

}  // namespace kchaos::html
