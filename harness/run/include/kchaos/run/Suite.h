#pragma once
// Several scenarios run together (a directory such as scenarios/claims/, or
// --repeat): one combined table, hit rates, and files for CI.

#include <filesystem>
#include <string>
#include <vector>

#include "kchaos/reports/Verdict.h"
#include "kchaos/scenario/Scenario.h"

namespace kchaos::run {

struct SuiteEntry {
  scenario::Scenario scenario;
  reports::Report report;
  int repetition = 1;
  /// Its run directory, relative to the suite's.
  std::string dir;
};

/// The faults of a configuration in a few words ("network-partition split,
/// broker-kill").
std::string fault_summary(const scenario::Configuration& c);

/// One row per configuration: claim, configuration, fault, the anomaly
/// counts, verdict.
std::string suite_table(const std::vector<SuiteEntry>& entries);

/// Per scenario and configuration: how many repetitions held every limit.
std::string hit_rates(const std::vector<SuiteEntry>& entries);

/// suite.json, suite.md (the table and hit rates), junit.xml (one testsuite
/// per scenario run) and report.html (the index, linked to each run's page)
/// in dir.
void write_suite(const std::vector<SuiteEntry>& entries, const std::filesystem::path& dir);

}  // namespace kchaos::run
