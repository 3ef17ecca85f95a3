#include "kchaos/run/Suite.h"

#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

#include "kchaos/html/Page.h"
#include "kchaos/reports/Render.h"
#include "kchaos/reports/RunDir.h"
#include "kchaos/reports/Table.h"

namespace kchaos::run {

std::string fault_summary(const scenario::Configuration& c) {
  std::vector<std::string> parts;
  for (const auto& f : c.fault_plan.fixed) {
    std::string p = f.type;
    if (f.params.contains("shape")) p += " " + f.params["shape"].get<std::string>();
    if (std::find(parts.begin(), parts.end(), p) == parts.end()) parts.push_back(p);
  }
  if (!c.fault_plan.random.empty()) parts.push_back("random");
  if (parts.empty()) return "none";
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : ", ") + p;
  return s;
}

std::string suite_table(const std::vector<SuiteEntry>& entries) {
  std::vector<reports::TableRow> rows;
  for (const auto& e : entries) {
    for (size_t i = 0; i < e.report.configurations.size(); ++i) {
      const auto& r = e.report.configurations[i];
      rows.push_back(
          {{e.scenario.name + (e.repetition > 1 ? " #" + std::to_string(e.repetition) : ""), r.name,
            i < e.scenario.configurations.size() ? fault_summary(e.scenario.configurations[i])
                                                 : ""},
           &r});
    }
  }
  return reports::counts_table({"claim", "configuration", "fault"}, rows);
}

std::string hit_rates(const std::vector<SuiteEntry>& entries) {
  struct Rate {
    int held = 0, runs = 0, errors = 0;
  };
  std::map<std::pair<std::string, std::string>, Rate> rates;
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& e : entries) {
    for (const auto& r : e.report.configurations) {
      auto key = std::make_pair(e.scenario.name, r.name);
      if (rates.count(key) == 0) order.push_back(key);
      Rate& rate = rates[key];
      rate.held += r.passed;
      rate.errors += !r.error.empty();
      ++rate.runs;
    }
  }
  std::ostringstream out;
  out << "hit rates (repetitions in which every limit held):\n";
  for (const auto& key : order) {
    const Rate& rate = rates[key];
    out << "  " << key.first << " / " << key.second << ": " << rate.held << "/" << rate.runs;
    // A harness error is no verdict: say so rather than count it as a miss.
    if (rate.errors > 0)
      out << " (" << rate.errors << " harness error" << (rate.errors > 1 ? "s" : "") << ")";
    out << "\n";
  }
  return out.str();
}

void write_suite(const std::vector<SuiteEntry>& entries, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  Json j = Json::array();
  for (const auto& e : entries) {
    j.push_back({{"scenario", e.scenario.name},
                 {"file", e.scenario.file.string()},
                 {"repetition", e.repetition},
                 {"report", reports::to_json(e.report)}});
  }
  write_atomically(dir / reports::RunDir::kSuiteFile, j.dump(2) + "\n");
  std::ostringstream md;
  md << "# kchaos suite\n\n```\n" << suite_table(entries) << "```\n\n";
  bool repeated = false;
  for (const auto& e : entries) repeated = repeated || e.repetition > 1;
  if (repeated) md << "```\n" << hit_rates(entries) << "```\n";
  write_atomically(dir / "suite.md", md.str());
  std::string junit = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  for (const auto& e : entries) {
    std::string xml = reports::to_junit(e.report);
    if (xml.rfind("<?xml", 0) == 0) xml = xml.substr(xml.find('\n') + 1);
    junit += xml;
  }
  write_atomically(dir / "junit.xml", junit + "</testsuites>\n");
  std::vector<html::IndexEntry> index;
  for (const auto& e : entries) {
    index.push_back(
        {e.scenario.name, e.repetition, e.dir + "/report.html", e.scenario.description, &e.report});
  }
  write_atomically(dir / "report.html",
                            html::index_html("kchaos suite: " + dir.filename().string(), index));
}

}  // namespace kchaos::run
