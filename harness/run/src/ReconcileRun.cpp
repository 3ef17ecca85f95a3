// kchaos reconcile: a run's verdicts again, from its files alone. Damage to
// those files is named, file by file, and never read as something Kafka did.

#include <fstream>
#include <iostream>
#include <optional>

#include "ConfigFile.h"
#include "kchaos/common/Error.h"
#include "kchaos/reports/Limit.h"
#include "kchaos/reports/Reconcile.h"
#include "kchaos/reports/Render.h"
#include "kchaos/run/RunLoop.h"

namespace kchaos::run {
namespace {

namespace fs = std::filesystem;

Json read_json_file(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw HarnessError(file.string() + " cannot be read");
  try {
    return Json::parse(in);
  } catch (const Json::exception& e) {
    throw HarnessError(file.string() + " is damaged: " + e.what());
  }
}

// Durations and harness errors are not in the journals: the report written
// at run time keeps them, if it can be read.
std::optional<reports::Report> earlier_report(const fs::path& run_dir) {
  if (!fs::exists(run_dir / "report.json")) return std::nullopt;
  try {
    return reports::report_from_json(read_json_file(run_dir / "report.json"));
  } catch (const std::exception& e) {
    std::cerr << "kchaos: ignoring the run's report.json (" << e.what() << ")\n";
    return std::nullopt;
  }
}

reports::ConfigurationResult reconcile_configuration(const fs::path& run_dir, const Json& entry,
                                                     const std::optional<reports::Report>& earlier,
                                                     size_t i) {
  reports::ConfigurationResult r;
  r.name = entry.is_object() && entry.contains("name") && entry["name"].is_string()
               ? entry["name"].get<std::string>()
               : "configuration " + std::to_string(i + 1);
  const std::string dir_name = entry.is_object() ? entry.value("dir", std::string()) : "";
  if (dir_name.empty() || dir_name.find('/') != std::string::npos || dir_name[0] == '.') {
    r.error = (run_dir / "run.json").string() + " names no safe directory for configuration " +
              std::to_string(i + 1);
    return r;
  }
  const auto dir = run_dir / dir_name;
  if (!fs::exists(dir / "config.json")) {
    r.error = "never ran: the run stopped before this configuration began";
    return r;
  }
  try {
    const Json config = read_json_file(dir / "config.json");
    r = detail::result_from_config(config);
    if (earlier && i < earlier->configurations.size()) {
      r.duration_seconds = earlier->configurations[i].duration_seconds;
      r.error = earlier->configurations[i].error;
    }
    if (r.error.empty()) {
      r.verdict = detail::verdict_of(dir, config);
      reports::evaluate(r);
    }
  } catch (const std::exception& e) {
    r.error = (dir / "config.json").string() + ": " + e.what();
    r.passed = false;
  }
  return r;
}

}  // namespace

reports::Report reconcile_run(const fs::path& run_dir) {
  if (!fs::exists(run_dir / "run.json")) {
    throw UserError(run_dir.string() + " is not a kchaos run directory (no run.json)");
  }
  const Json run = read_json_file(run_dir / "run.json");
  const std::string where = (run_dir / "run.json").string();
  if (!run.is_object() || !run.contains("configurations") || !run["configurations"].is_array()) {
    throw HarnessError(where + " is damaged: it has no list of configurations");
  }
  if (run["configurations"].empty()) {
    throw HarnessError(where + " lists no configurations: there is nothing to reconcile");
  }
  reports::Report report;
  report.scenario = run.value("scenario", std::string("?"));
  report.seed = run.value("seed", uint64_t{0});
  report.run_id = run.value("run_id", std::string());
  const auto earlier = earlier_report(run_dir);
  for (size_t i = 0; i < run["configurations"].size(); ++i) {
    report.configurations.push_back(
        reconcile_configuration(run_dir, run["configurations"][i], earlier, i));
  }
  return report;
}

}  // namespace kchaos::run
