#pragma once
// Internal to the report pages: their shared style and HTML pieces.

#include <string>
#include <vector>

#include "kchaos/reports/Table.h"
#include "kchaos/reports/Verdict.h"

namespace kchaos::html::detail {

/// <!doctype html> ... <body>, with the inline style sheet.
std::string page_start(const std::string& title);
std::string page_end();

/// The verdict as a coloured badge.
std::string badge(const reports::ConfigurationResult& r);

/// The counts table of rows (reports::shown_counts columns, verdict), then
/// why each row that did not pass failed: the terminal table, in HTML.
std::string counts_table_html(const std::vector<std::string>& lead_headers,
                              const std::vector<reports::TableRow>& rows,
                              const std::vector<std::string>& links = {});

/// "12.3 s" for a time relative to origin; "never" for 0.
std::string seconds_since(int64_t origin_us, int64_t time_us);

}  // namespace kchaos::html::detail
