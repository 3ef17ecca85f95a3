#pragma once
// The counts table every view shares (the terminal, report.md, the suite):
// it shows every count that is non-zero or has a limit in any configuration,
// and under it why each configuration that did not pass failed.

#include <string>
#include <vector>

#include "kchaos/reports/Verdict.h"

namespace kchaos::reports {

struct TableRow {
  /// The leading text columns (configuration; or claim, configuration, fault).
  std::vector<std::string> lead;
  const ConfigurationResult* result = nullptr;
};

/// The count columns for these rows: "lost" (the headline) first, then, in
/// anomaly_names() order, every count that is non-zero in a row or has a
/// limit its scenario wrote (not "any"), then the sums that have one.
std::vector<std::string> shown_counts(const std::vector<TableRow>& rows);

/// A fixed-width table: the lead columns, the shown counts (a '*' marks one
/// outside its limit), the verdict; then one line per row that did not pass:
/// "FAIL acks=all: unverifiable 3000, limit 0 (default); lost 2, limit 0".
std::string counts_table(const std::vector<std::string>& lead_headers,
                         const std::vector<TableRow>& rows);

}  // namespace kchaos::reports
