#pragma once
// The report people look at: one self-contained HTML page per run (inline
// SVG, inline CSS, nothing fetched), printable, built from the run
// directory's files alone.

#include <filesystem>
#include <string>
#include <vector>

#include "kchaos/html/RunData.h"
#include "kchaos/reports/Verdict.h"

namespace kchaos::html {

/// The page of one run: the run, the summary table with the verdicts, then
/// per configuration its timeline, faults, limits, equation and examples.
std::string report_html(const RunView& run);

/// Reads run_dir and writes run_dir/report.html for report.
void write_report_html(const std::filesystem::path& run_dir, const reports::Report& report);

/// One scenario run of a directory run (or of --repeat).
struct IndexEntry {
  std::string scenario;
  int repetition = 1;
  std::string link;  // its report.html, relative to the index
  std::string description;  // the scenario's, whose first sentence states it
  const reports::Report* report = nullptr;
};

/// The index of a directory run: every scenario's verdicts, linked to its page.
std::string index_html(const std::string& title, const std::vector<IndexEntry>& entries);

}  // namespace kchaos::html
