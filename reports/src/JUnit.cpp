#include <cstdio>
#include <sstream>

#include "RenderText.h"
#include "kchaos/reports/Limit.h"
#include "kchaos/reports/Render.h"

namespace kchaos::reports {

namespace {

std::string xml(const std::string& s, bool attribute = true) { return xml_escape(s, attribute); }

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

}  // namespace

std::string to_junit(const Report& report) {
  size_t failures = 0, errors = 0;
  double total = 0;
  for (const auto& r : report.configurations) {
    if (!r.error.empty())
      ++errors;
    else if (!r.passed)
      ++failures;
    total += r.duration_seconds;
  }
  const std::string suite = "kchaos." + report.scenario;
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuite name=\"" << xml(suite) << "\" tests=\"" << report.configurations.size()
      << "\" failures=\"" << failures << "\" errors=\"" << errors << "\" skipped=\"0\" time=\""
      << seconds(total) << "\">\n";
  out << "  <properties>\n"
      << "    <property name=\"seed\" value=\"" << report.seed << "\"/>\n"
      << "    <property name=\"run_id\" value=\"" << xml(report.run_id) << "\"/>\n"
      << "  </properties>\n";
  for (const auto& r : report.configurations) {
    out << "  <testcase classname=\"" << xml(suite) << "\" name=\"" << xml(r.name) << "\" time=\""
        << seconds(r.duration_seconds) << "\"";
    if (r.passed) {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    if (!r.error.empty()) {
      out << "    <error type=\"harness\" message=\"" << xml(r.error) << "\">"
          << xml(r.error, false) << "</error>\n";
    } else {
      const auto reasons = failure_reasons(r);
      std::string message, body;
      for (const auto& reason : reasons) {
        message += (message.empty() ? "" : "; ") + reason;
        body += reason + "\n";
      }
      if (message.empty()) message = "did not pass";
      body += "\n" + r.verdict.equation + "\n";
      for (const auto& e : r.verdict.examples) {
        auto result = r.limit_results.find(e.anomaly);
        if (result != r.limit_results.end() && !result->second) {
          body += e.anomaly + ": producer " + std::to_string(e.producer_id) + " seq " +
                  std::to_string(e.seq) + ": " + e.detail + "\n";
        }
      }
      out << "    <failure type=\"expectation\" message=\"" << xml(message) << "\">"
          << xml(body, false) << "</failure>\n";
    }
    out << "  </testcase>\n";
  }
  out << "</testsuite>\n";
  return out.str();
}

std::string xml_escape(const std::string& s, bool attribute) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      default:
        out += (c < 0x20 || c == 0x7F) ? '?' : ch;
    }
  }
  return out;
}

}  // namespace kchaos::reports
