#pragma once
// Two runs side by side, for the before and after of a cluster configuration
// change: the same configurations' verdicts, counts, rates and latency.

#include <filesystem>
#include <string>
#include <vector>

#include "kchaos/html/RunData.h"

namespace kchaos::html {

/// A run directory read for comparison: its report and what its page shows.
struct LoadedRun {
  std::filesystem::path dir;  // relative to what was compared ("" for the run itself)
  reports::Report report;
  RunView view;  // read from dir and report
};

/// What is compared of one configuration's run.
struct Measures {
  double ack_rate = 0;       // acknowledged per second while producing
  double p99_median_ms = 0;  // the median of the 1-second produce p99s while producing
  double p99_max_ms = 0;
};

Measures measure(const ConfigurationView& c);

/// The configurations of a and b matched by run directory and name; those
/// only one side has are listed apart.
struct Comparison {
  struct Row {
    std::string key;  // "claim-04-recommended / default"
    const ConfigurationView* a = nullptr;
    const ConfigurationView* b = nullptr;
  };
  std::vector<Row> rows;
  std::string a_label, b_label;
};

Comparison compare(const std::vector<LoadedRun>& a, const std::vector<LoadedRun>& b,
                   const std::string& a_label, const std::string& b_label);

std::string compare_text(const Comparison& c);
std::string compare_html(const Comparison& c);

}  // namespace kchaos::html
