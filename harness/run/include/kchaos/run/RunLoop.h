#pragma once
// Runs the configurations of one or more scenarios, each against a fresh
// cluster, up to --parallel of them at once (each cluster in a lane of its
// own), and writes one run directory per scenario run: journals,
// report.json, report.md, junit.xml, report.html.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <vector>

#include "kchaos/metrics/Metrics.h"
#include "kchaos/reports/Verdict.h"
#include "kchaos/scenario/Scenario.h"

namespace kchaos::run {

struct RunOptions {
  std::filesystem::path out;  // the run directory (run_scenario)
  uint64_t seed = 0;          // (run_scenario)
  /// Keep the brokers' data directories after each configuration.
  bool keep_data = false;
  /// Live series and verdicts go here when set (--metrics-listen).
  metrics::RunMetrics* metrics = nullptr;
  /// Each configuration's verdict is pushed here when set (--pushgateway).
  std::string pushgateway;
  /// How many configurations run at once (--parallel), each on a cluster in
  /// a lane of its own: lanes lane .. lane + parallel - 1.
  int parallel = 1;
  int lane = 0;
};

/// One run of one scenario (a repetition, with its seed) into its directory.
struct ScenarioRun {
  const scenario::Scenario* scenario = nullptr;
  uint64_t seed = 0;
  std::filesystem::path out;
};

/// Sees each run's report once it and every run before it have ended, in
/// the runs' order (a run that an interrupt cut short too, with what it
/// finished).
using RunDone = std::function<void(size_t index, const reports::Report& report)>;

/// Runs every configuration of every run, in order, up to options.parallel
/// at once. Each run's report files are rewritten whenever one of its
/// configurations ends, so a run that dies keeps what it finished; each
/// configuration's result (or harness error) is in its run's report. With
/// parallel > 1 each configuration's detailed output goes to output.log in
/// its directory, and the terminal gets its start, its progress lines and its
/// verdict, each line naming it. Throws the first UserError a configuration
/// raised, after the others running beside it have ended.
void run_scenarios(const std::vector<ScenarioRun>& runs, const RunOptions& options,
                   std::ostream& out, const RunDone& done);

/// Runs one scenario into options.out with options.seed.
reports::Report run_scenario(const scenario::Scenario& scenario, const RunOptions& options,
                             std::ostream& progress);

/// Recomputes a run's report from its files alone.
reports::Report reconcile_run(const std::filesystem::path& run_dir);

/// Writes report.json, report.md and junit.xml into dir.
void write_reports(const reports::Report& report, const std::filesystem::path& dir);

}  // namespace kchaos::run
