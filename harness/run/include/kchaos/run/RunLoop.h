#pragma once
// Runs every configuration of a scenario against a fresh local cluster and
// writes one run directory: journals, report.json, report.md, junit.xml.

#include <cstdint>
#include <filesystem>
#include <iosfwd>

#include "kchaos/metrics/Metrics.h"
#include "kchaos/reports/Verdict.h"
#include "kchaos/scenario/Scenario.h"

namespace kchaos::run {

struct RunOptions {
  std::filesystem::path out;  // the run directory
  uint64_t seed = 0;
  /// Keep the brokers' data directories after each configuration.
  bool keep_data = false;
  /// Live series and verdicts go here when set (--metrics-listen).
  metrics::RunMetrics* metrics = nullptr;
  /// Each configuration's verdict is pushed here when set (--pushgateway).
  std::string pushgateway;
};

/// Runs the scenario; every configuration's result (or harness error) is in
/// the report. Writes the report files after each configuration, so a run
/// that dies keeps what it finished.
reports::Report run_scenario(const scenario::Scenario& scenario, const RunOptions& options,
                             std::ostream& progress);

/// Recomputes a run's report from its files alone.
reports::Report reconcile_run(const std::filesystem::path& run_dir);

/// Writes report.json, report.md and junit.xml into dir.
void write_reports(const reports::Report& report, const std::filesystem::path& dir);

}  // namespace kchaos::run
