#include <cstdio>
#include <sstream>

#include "RenderText.h"
#include "kchaos/reports/Limit.h"
#include "kchaos/reports/Render.h"

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

std::string value_text(const Json& v) {
  return cell(v.is_string() ? v.get<std::string>()
                            : v.dump(-1, ' ', false, Json::error_handler_t::replace));
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

// Every count, with its limit (a default one marked) and whether it held.
void write_limits(std::ostream& out, const ConfigurationResult& r) {
  const Verdict& v = r.verdict;
  const auto limits = effective_limits(r);
  auto limit_text = [&](const std::string& name) {
    auto limit = limits.find(name);
    if (limit == limits.end()) return std::string();
    return cell(limit->second.text) + (limit->second.by_default ? " (default)" : "");
  };
  auto result_text = [&](const std::string& name) {
    auto result = r.limit_results.find(name);
    if (result == r.limit_results.end()) return "";
    return result->second ? "holds" : "**FAILED**";
  };
  out << "| count | value | limit | result |\n|---|---:|---|---|\n";
  out << "| ok | " << v.ok << " | | |\n";
  for (const auto& name : anomaly_names()) {
    auto count = v.counts.find(name);
    out << "| " << name << " | " << (count == v.counts.end() ? "-" : std::to_string(count->second))
        << " | " << limit_text(name) << " | " << result_text(name) << " |\n";
  }
  for (const auto& [name, limit] : limits) {
    if (v.counts.count(name) != 0) continue;
    const auto count = expected_count(v, name);  // a sum such as lost+divergent
    out << "| " << cell(name) << " | " << (count ? std::to_string(*count) : "(not a count)")
        << " | " << limit_text(name) << " | " << result_text(name) << " |\n";
  }
}

// Seconds from the start of the fault phase (or of the first phase).
std::string since_faults(const Verdict& v, int64_t time_us) {
  if (time_us == 0) return "never";
  int64_t origin = v.phases.empty() ? 0 : v.phases.front().time_us;
  for (const auto& p : v.phases) {
    if (p.name == "faults") origin = p.time_us;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(time_us - origin) / 1e6);
  return buf;
}

// Each fault of the timeline with its real inject and heal times: proof it
// happened.
void write_faults(std::ostream& out, const ConfigurationResult& r) {
  const Verdict& v = r.verdict;
  if (v.faults.empty()) return;
  // How late the scheduler began each operation, when it was journaled.
  auto late = [](double planned, double began) -> std::string {
    if (began < 0) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", std::max(0.0, began - planned));
    return buf;
  };
  out << "| fault | planned | what it did | injected | healed | began late (inject, heal) |\n"
      << "|---|---|---|---:|---:|---:|\n";
  for (const auto& f : v.faults) {
    out << "| " << (f.index ? std::to_string(f.index) : "") << " | " << cell(f.planned) << " | "
        << cell(f.description.empty() ? f.error : f.description) << " | "
        << since_faults(v, f.injected_us) << " | " << since_faults(v, f.healed_us) << " | "
        << late(f.inject_planned_s, f.inject_began_s) << ", "
        << late(f.heal_planned_s, f.heal_began_s) << " |\n";
  }
  out << "\nTimes are from the start of the fault phase.";
  const auto [worst, which] = max_lateness(v);
  if (!which.empty()) {
    char buf[160];
    std::snprintf(buf, sizeof buf, " The timeline's largest lateness: %.1f s (%s; bound %.1f s).",
                  worst, which.c_str(), r.max_lateness_s);
    out << buf;
  }
  out << "\n\n";
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

  const auto reasons = failure_reasons(r);
  if (!reasons.empty()) {
    out << "Why it did not pass:\n";
    for (const auto& reason : reasons) out << "- " << cell(reason) << "\n";
    out << "\n";
  }
  write_limits(out, r);
  out << "\nEquation: `" << v.equation << "` ("
      << (v.equation_holds ? "holds" : "**does not hold**") << ")\n\n";
  write_faults(out, r);

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
