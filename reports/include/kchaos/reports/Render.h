#pragma once
// Renderings of a run's results: JSON (the record, re-readable), Markdown
// (for people), JUnit XML (for CI), a terminal summary, and the exit code.

#include <string>
#include "kchaos/common/Json.h"

#include "kchaos/reports/Verdict.h"

namespace kchaos::reports {

Json to_json(const Report& report);
/// The inverse of to_json; throws Json::exception or
/// std::invalid_argument (a bad limit) for a malformed report.
Report report_from_json(const Json& j);

/// Per configuration: parameters, counts against limits, the equation,
/// journal health and examples with the faults around them.
std::string to_markdown(const Report& report);

/// One <testsuite>, one <testcase> per configuration; failed limits become a
/// <failure>, a harness failure an <error>.
std::string to_junit(const Report& report);

/// Escaped for XML 1.0 and HTML text, or, with attribute, for an attribute
/// (line breaks and tabs as character references); characters XML cannot
/// hold become '?'.
std::string xml_escape(const std::string& s, bool attribute = true);

/// A fixed-width table: configuration, lost, divergent, duplicated,
/// reordered, send-failed, consumer-missed, consumer-duplicated, verdict.
std::string summary_table(const Report& report);

/// 0 when every configuration passed, 1 when an expectation failed, 3 when
/// the harness failed on any configuration (3 wins).
int exit_code(const Report& report);

}  // namespace kchaos::reports
