#include <cstdio>
#include <sstream>

#include "reports/Limit.h"
#include "reports/Render.h"
#include "reports/RenderText.h"

namespace kchaos::reports {

namespace {

/// Text safe inside a table cell or inline code: one line, no bare '|'.
std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string value_text(const nlohmann::json& v) {
  return cell(v.is_string() ? v.get<std::string>()
                            : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void write_example(std::ostream& out, const Example& e) {
  out << "- **" << e.anomaly << "** producer " << e.producer_id << " seq " << e.seq;
  if (e.ack_time_us != 0) out << " (producer outcome " << detail::utc_time(e.ack_time_us) << ")";
  out << ": " << cell(e.detail) << ".";
  if (!e.log_positions.empty()) {
    out << " In the log at";
    for (size_t i = 0; i < e.log_positions.size(); ++i) {
      out << (i ? ", " : " ") << e.log_positions[i].first << "/" << e.log_positions[i].second;
    }
    out << ".";
  }
  if (!e.faults.empty()) {
    out << " Faults within 5 s:";
    for (size_t i = 0; i < e.faults.size(); ++i) out << (i ? "; " : " ") << cell(e.faults[i]);
    out << ".";
  }
  out << "\n";
}

void write_configuration(std::ostream& out, const ConfigurationResult& r) {
  const Verdict& v = r.verdict;
  out << "## " << cell(r.name) << ": " << detail::verdict_label(r) << "\n\n";
  if (!r.error.empty()) out << "**Harness error:** " << cell(r.error) << "\n\n";
  if (r.parameters.is_object() && !r.parameters.empty()) {
    out << "Parameters:";
    bool first = true;
    for (const auto& [k, val] : r.parameters.items()) {
      out << (first ? " " : ", ") << "`" << cell(k) << "` = `" << value_text(val) << "`";
      first = false;
    }
    out << "\n\n";
  }
  if (!r.error.empty() && v.equation.empty()) return;  // failed before it was reconciled
  char took[64];
  std::snprintf(took, sizeof took, "%.1f s", r.duration_seconds);
  out << "Took " << took << ". Producer: " << v.created << " created, " << v.acked << " acked, "
      << v.failed << " failed, " << v.unknown << " without outcome. Log: " << v.log_records
      << " records in " << v.partitions << " partitions (" << v.partitions_unverifiable
      << " not fully read). Consumer: " << v.processed << " processed.\n\n";

  out << "| count | value | limit | result |\n|---|---:|---|---|\n";
  out << "| ok | " << v.ok << " | | |\n";
  for (const auto& name : anomaly_names()) {
    auto count = v.counts.find(name);
    auto limit = r.expect.find(name);
    auto result = r.limit_results.find(name);
    out << "| " << name << " | " << (count == v.counts.end() ? "-" : std::to_string(count->second))
        << " | " << (limit == r.expect.end() ? "" : cell(limit->second.text)) << " | "
        << (result == r.limit_results.end() ? ""
            : result->second                ? "holds"
                                            : "**FAILED**")
        << " |\n";
  }
  for (const auto& [name, limit] : r.expect) {
    if (v.counts.count(name) != 0) continue;
    const auto count = expected_count(v, name);  // a sum such as lost+divergent
    const auto result = r.limit_results.find(name);
    const bool ok = result != r.limit_results.end() && result->second;
    out << "| " << cell(name) << " | " << (count ? std::to_string(*count) : "(not a count)")
        << " | " << cell(limit.text) << " | " << (ok ? "holds" : "**FAILED**") << " |\n";
  }
  out << "\nEquation: `" << v.equation << "` ("
      << (v.equation_holds ? "holds" : "**does not hold**") << ")\n\n";

  const auto& h = v.health;
  if (h.torn_tails || h.bad_records || h.conflicting_outcomes || !h.notes.empty()) {
    out << "Journal health: " << h.torn_tails << " torn tail(s), " << h.bad_records
        << " bad record(s), " << h.conflicting_outcomes << " conflicting outcome(s).\n";
    for (const auto& n : h.notes) out << "- " << cell(n) << "\n";
    out << "\n";
  }
  if (!v.examples.empty()) {
    out << "### Examples\n\n";
    for (const auto& e : v.examples) write_example(out, e);
    out << "\n";
  }
}

}  // namespace

std::string to_markdown(const Report& report) {
  std::ostringstream out;
  size_t passed = 0, errors = 0;
  for (const auto& r : report.configurations) {
    passed += r.passed ? 1 : 0;
    errors += r.error.empty() ? 0 : 1;
  }
  out << "# kchaos report: " << report.scenario << "\n\n";
  out << "Run `" << report.run_id << "`, seed " << report.seed << ": "
      << report.configurations.size() << " configuration(s), " << passed << " passed, "
      << report.configurations.size() - passed - errors << " failed, " << errors
      << " harness error(s).\n\n";
  out << "```\n" << summary_table(report) << "```\n\n";
  for (const auto& r : report.configurations) write_configuration(out, r);
  return out.str();
}

}  // namespace kchaos::reports
