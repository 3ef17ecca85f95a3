#pragma once
// Limits from a scenario's `expect` block: how many of an anomaly a
// configuration may show ("lost": 0, "duplicated": "any", "lost": ">0").

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace kchaos::reports {

/// A bound on one count. text is what the scenario wrote, for reports.
struct Limit {
  enum class Op { eq, le, lt, ge, gt, any };
  Op op = Op::any;
  uint64_t value = 0;
  std::string text = "any";
};

/// Parses a limit: a bare count n (at most n), "any", "=n", "<n", "<=n", ">n"
/// or ">=n". Throws std::invalid_argument naming the allowed forms.
Limit parse_limit(const nlohmann::json& j);

/// The limit as the scenario wrote it: a number for a bare count, else a
/// string; parse_limit(limit_to_json(l)) gives l back.
nlohmann::json limit_to_json(const Limit& limit);

bool holds(const Limit& limit, uint64_t count);

struct ConfigurationResult;
struct Verdict;

/// The count a limit name stands for: one anomaly ("lost"), or the sum of
/// several ("lost+divergent", for claims where either shows the loss).
/// nullopt when a part is not an anomaly the verdict counts.
std::optional<uint64_t> expected_count(const Verdict& v, const std::string& name);

/// Checks every limit of r.expect against r.verdict.counts, fills
/// r.limit_results and r.passed. A limit on a name the verdict does not count
/// fails. A configuration with a harness error never passes.
void evaluate(ConfigurationResult& r);

}  // namespace kchaos::reports
