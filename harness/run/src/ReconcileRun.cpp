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
#include "kchaos/reports/RunDir.h"
#include "kchaos/run/RunLoop.h"

namespace kchaos::run {
namespace {

namespace fs = std::filesystem;

// Durations and harness errors are not in the journals: the report written
// at run time keeps them, if it can be read.
std::optional<reports::Report> earlier_report(const fs::path& run_dir) {
  if (!fs::exists(run_dir / "report.json")) return std::nullopt;
  try {
    return reports::report_from_json(reports::read_json_file(run_dir / "report.json"));
  } catch (const std::exception& e) {
    std::cerr << "kchaos: ignoring the run's report.json (" << e.what() << ")\n";
    return std::nullopt;
  }
}

reports::ConfigurationResult reconcile_configuration(const reports::RunDir& run_dir,
                                                     const reports::RunEntry& entry,
                                                     const std::optional<reports::Report>& earlier,
                                                     size_t i) {
  reports::ConfigurationResult r;
  r.name = entry.name;
  const auto dir = run_dir.configuration_dir(entry);
  if (!dir) {
    r.error = run_dir.run_file().string() + " names no safe directory for configuration " +
              std::to_string(i + 1);
    return r;
  }
  if (!fs::exists(*dir / reports::RunDir::kConfigFile)) {
    r.error = "never ran: the run stopped before this configuration began";
    return r;
  }
  try {
    const auto config = reports::RunDir::read_config(*dir);
    r = detail::result_from_config(config);
    if (earlier && i < earlier->configurations.size()) {
      r.duration_seconds = earlier->configurations[i].duration_seconds;
      r.error = earlier->configurations[i].error;
    }
    if (r.error.empty()) {
      r.verdict = detail::verdict_of(*dir, config);
      reports::evaluate(r);
    }
  } catch (const std::exception& e) {
    r.error = e.what();
    r.passed = false;
  }
  return r;
}

}  // namespace

reports::Report reconcile_run(const fs::path& run_dir) {
  const reports::RunDir dir(run_dir);
  const auto run = dir.read();
  reports::Report report;
  report.scenario = run.scenario;
  report.seed = run.seed;
  report.run_id = run.run_id;
  const auto earlier = earlier_report(run_dir);
  for (size_t i = 0; i < run.configurations.size(); ++i) {
    report.configurations.push_back(
        reconcile_configuration(dir, run.configurations[i], earlier, i));
  }
  return report;
}

}  // namespace kchaos::run
