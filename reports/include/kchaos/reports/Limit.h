#pragma once
// Limits from a scenario's `expect` block: how many of an anomaly a
// configuration may show ("lost": 0, "duplicated": "any", "lost": ">0").

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>
#include "kchaos/common/Json.h"

namespace kchaos::reports {

/// A bound on one count. text is what the scenario wrote, for reports.
struct Limit {
  enum class Op { eq, le, lt, ge, gt, any };
  Op op = Op::any;
  uint64_t value = 0;
  std::string text = "any";
  /// One of default_limits(), not written by the scenario.
  bool by_default = false;
};

/// Parses a limit: a bare count n (at most n), "any", "=n", "<n", "<=n", ">n"
/// or ">=n". Throws UserError naming the allowed forms.
Limit parse_limit(const Json& j);

/// The limit as the scenario wrote it: a number for a bare count, else a
/// string; parse_limit(limit_to_json(l)) gives l back.
Json limit_to_json(const Limit& limit);

bool holds(const Limit& limit, uint64_t count);

/// An expect block as JSON and back (config.json, report.json).
Json limits_to_json(const std::map<std::string, Limit>& limits);
/// Throws UserError for a limit that does not parse.
std::map<std::string, Limit> limits_from_json(const Json& j);

struct ConfigurationResult;
struct Verdict;

/// The anomalies a limit name adds up: {"lost"}, or {"lost", "divergent"}
/// for "lost+divergent".
std::vector<std::string> summed_names(const std::string& name);

/// The count a limit name stands for: one anomaly ("lost"), or the sum of
/// several ("lost+divergent", for claims where either shows the loss).
/// nullopt when a part is not an anomaly the verdict counts.
std::optional<uint64_t> expected_count(const Verdict& v, const std::string& name);

/// The limits every configuration has unless its scenario sets them. The
/// durability promise: nothing acknowledged is lost, rewritten (divergent)
/// or read and then lost (consumed-then-lost); a scenario that expects loss
/// says so. And a PASS needs proof: nothing may be expired (retention, not
/// Kafka, may have removed it), unverifiable or corrupt, and the consumer
/// must have read everything (unconsumed 0); a scenario that allows more of
/// those says why in its description (default_needs_reason).
const std::map<std::string, Limit>& default_limits();

/// Whether loosening that default needs a reason in the description.
bool default_needs_reason(const std::string& name);

/// expect, plus default_limits() for the counts no limit of it names (alone
/// or in a sum: "lost+divergent" sets both lost and divergent).
std::map<std::string, Limit> effective_limits(const std::map<std::string, Limit>& expect);
std::map<std::string, Limit> effective_limits(const ConfigurationResult& r);

/// Checks every effective limit against r.verdict, fills r.limit_results and
/// r.passed. A configuration passes only when every limit holds, the
/// equation holds, every planned fault was injected and healed, and there was
/// no harness error. A limit on a name the verdict does not count fails.
void evaluate(ConfigurationResult& r);

/// Why r did not pass, one reason per item: "unverifiable 3000, limit 0",
/// "the equation does not hold: ...", "fault 2 (broker-kill ...) was never
/// injected: ...", or the harness error. Empty when it passed.
std::vector<std::string> failure_reasons(const ConfigurationResult& r);

}  // namespace kchaos::reports
