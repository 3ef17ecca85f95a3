#include "kchaos/html/Page.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "Style.h"
#include "Svg.h"
#include "Timeline.h"
#include "kchaos/reports/Limit.h"
#include "kchaos/reports/RunDir.h"

namespace kchaos::html {
namespace {

using detail::escape;

std::string fixed(double v, const char* format = "%.1f") {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string run_header(const RunView& run) {
  std::string versions;
  for (const auto& c : run.configurations) {
    if (!c.kafka_version.empty() && versions.find(c.kafka_version) == std::string::npos) {
      versions += (versions.empty() ? "" : ", ") + c.kafka_version;
    }
  }
  std::ostringstream out;
  out << "<h1>kchaos report: " << escape(run.scenario) << "</h1>\n";
  if (!run.description.empty()) out << "<p>" << escape(run.description) << "</p>\n";
  out << "<dl class=\"run\">"
      << "<dt>run</dt><dd><code>" << escape(run.run_id) << "</code></dd>"
      << "<dt>seed</dt><dd>" << run.seed << "</dd>"
      << "<dt>backend</dt><dd>" << escape(run.backend) << "</dd>"
      << "<dt>Kafka</dt><dd>" << escape(versions.empty() ? "?" : versions) << "</dd>"
      << "<dt>kchaos, librdkafka</dt><dd>" << escape(run.kchaos_version) << ", "
      << escape(run.librdkafka) << "</dd>"
      << "<dt>duration</dt><dd>" << fixed(run.duration_s, "%.0f") << " s, "
      << run.configurations.size() << " configuration(s)</dd></dl>\n";
  return out.str();
}

std::string faults_table(const reports::ConfigurationResult& r, int64_t origin) {
  const reports::Verdict& v = r.verdict;
  if (v.faults.empty()) return "<p class=\"note\">No faults.</p>\n";
  std::string out =
      "<table><tr><th>fault</th><th>planned</th><th>what it did</th><th>injected</th>"
      "<th>healed</th></tr>\n";
  for (const auto& f : v.faults) {
    out += "<tr><td>" + (f.index ? std::to_string(f.index) : "") + "</td><td>" +
           escape(f.planned) + "</td><td>" + escape(f.description.empty() ? f.error : f.description) +
           "</td><td class=\"n\">" + detail::seconds_since(origin, f.injected_us) +
           "</td><td class=\"n\">" + detail::seconds_since(origin, f.healed_us) + "</td></tr>\n";
  }
  out += "</table>\n";
  const auto [late, which] = reports::max_lateness(v);
  if (!which.empty()) {
    out += "<p class=\"note\">The timeline's largest lateness: " + fixed(late, "%.1f") + " s (" +
           escape(which) + "; bound " + fixed(r.max_lateness_s, "%.1f") + " s).</p>\n";
  }
  return out;
}

std::string limits_table(const reports::ConfigurationResult& r) {
  const auto limits = reports::effective_limits(r);
  std::string out = "<table><tr><th>count</th><th>value</th><th>limit</th><th>result</th></tr>\n";
  out += "<tr><td>ok</td><td class=\"n\">" + std::to_string(r.verdict.ok) + "</td><td></td><td></td></tr>\n";
  auto row = [&](const std::string& name) {
    const auto count = reports::expected_count(r.verdict, name);
    auto limit = limits.find(name);
    auto result = r.limit_results.find(name);
    const bool failed = result != r.limit_results.end() && !result->second;
    out += "<tr><td>" + escape(name) + "</td><td class=\"n" + (failed ? " out" : "") + "\">" +
           (count ? std::to_string(*count) : "-") + "</td><td>" +
           (limit == limits.end() ? ""
                                  : escape(limit->second.text) +
                                        (limit->second.by_default ? " (default)" : "")) +
           "</td><td>" +
           (result == r.limit_results.end() ? "" : result->second ? "holds" : "<b>FAILED</b>") +
           "</td></tr>\n";
  };
  for (const auto& name : reports::anomaly_names()) row(name);
  for (const auto& [name, limit] : limits) {
    if (r.verdict.counts.count(name) == 0) row(name);
  }
  return out + "</table>\n";
}

std::string examples_list(const reports::Verdict& v, int64_t origin) {
  if (v.examples.empty()) return "";
  std::string out = "<h3>Examples</h3>\n<table><tr><th>anomaly</th><th>producer, seq</th>"
                    "<th>outcome at</th><th>what the journals say</th><th>faults within 5 s</th></tr>\n";
  for (const auto& e : v.examples) {
    std::string faults;
    for (const auto& f : e.faults) faults += (faults.empty() ? "" : "; ") + f;
    out += "<tr><td>" + escape(e.anomaly) + "</td><td>" + std::to_string(e.producer_id) + ", " +
           std::to_string(e.seq) + "</td><td class=\"n\">" +
           detail::seconds_since(origin, e.ack_time_us) + "</td><td>" + escape(e.detail) +
           "</td><td>" + escape(faults) + "</td></tr>\n";
  }
  return out + "</table>\n";
}

std::string configuration_section(const ConfigurationView& c) {
  const auto& r = *c.result;
  const auto& v = r.verdict;
  std::ostringstream out;
  out << "<section class=\"configuration\" id=\"" << escape(c.dir) << "\">\n<h2>" << escape(r.name)
      << " " << detail::badge(r) << "</h2>\n";
  if (r.parameters.is_object() && !r.parameters.empty()) {
    out << "<p>";
    for (const auto& [k, val] : r.parameters.items()) {
      out << "<code>" << escape(k) << " = " << escape(val.is_string() ? val.get<std::string>() : val.dump())
          << "</code> ";
    }
    out << "</p>\n";
  }
  if (!r.error.empty()) out << "<p class=\"why\"><b>Harness error:</b> " << escape(r.error) << "</p>\n";
  if (v.equation.empty()) return out.str() + "</section>\n";
  const int64_t origin = c.timeline.origin_us ? c.timeline.origin_us
                                              : (v.phases.empty() ? 0 : v.phases.front().time_us);
  if (c.timeline.seconds > 0 || !v.phases.empty()) {
    out << detail::timeline_svg(c);
  } else {
    out << "<p class=\"note\">No progress lines or phases in this directory: no timeline.</p>\n";
  }
  out << "<p>Producer: " << v.created << " created, " << v.acked << " acknowledged, " << v.failed
      << " failed, " << v.unknown << " without outcome. Log: " << v.log_records << " records in "
      << v.partitions << " partitions (" << v.partitions_unverifiable
      << " not fully read). Consumer: " << v.processed << " processed. Took "
      << fixed(r.duration_seconds) << " s.</p>\n";
  out << "<h3>Faults</h3>\n" << faults_table(r, origin);
  out << "<h3>Counts and limits</h3>\n" << limits_table(r);
  out << "<p>Equation: <code>" << escape(v.equation) << "</code> ("
      << (v.equation_holds ? "holds" : "<b>does not hold</b>") << ")</p>\n";
  if (!v.health.notes.empty()) {
    out << "<h3>Journal health</h3>\n<ul class=\"note\">\n";
    for (const auto& n : v.health.notes) out << "<li>" << escape(n) << "</li>\n";
    out << "</ul>\n";
  }
  out << examples_list(v, origin) << "</section>\n";
  return out.str();
}

}  // namespace

std::string report_html(const RunView& run) {
  std::ostringstream out;
  out << detail::page_start("kchaos: " + run.scenario) << run_header(run);
  std::vector<reports::TableRow> rows;
  std::vector<std::string> links;
  for (const auto& c : run.configurations) {
    rows.push_back({{c.result->name}, c.result});
    links.push_back("#" + c.dir);
  }
  out << detail::counts_table_html({"configuration"}, rows, links);
  for (const auto& c : run.configurations) out << configuration_section(c);
  out << detail::page_end();
  return out.str();
}

void write_report_html(const std::filesystem::path& run_dir, const reports::Report& report) {
  write_atomically(run_dir / "report.html", report_html(read_run(run_dir, report)));
}

}  // namespace kchaos::html
