#include "kchaos/reports/Limit.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <stdexcept>
#include <string_view>

#include "kchaos/reports/Verdict.h"
#include "kchaos/common/Error.h"

namespace kchaos::reports {
namespace {

constexpr const char* kAllowedForms =
    "use a count n (meaning at most n), \"any\", \"=n\", \"<n\", \"<=n\", \">n\" or \">=n\" "
    "with n a whole number >= 0";

[[noreturn]] void reject(const Json& j) {
  throw UserError("invalid limit " + j.dump() + ": " + kAllowedForms);
}

}  // namespace

Limit parse_limit(const Json& j) {
  if (j.is_number_unsigned() || (j.is_number_integer() && j.get<int64_t>() >= 0)) {
    const auto n = j.get<uint64_t>();
    return {Limit::Op::le, n, std::to_string(n)};
  }
  if (!j.is_string()) reject(j);
  const auto& text = j.get_ref<const std::string&>();
  if (text == "any") return {Limit::Op::any, 0, text};
  std::string_view rest = text;
  Limit::Op op;
  if (rest.starts_with("<=")) {
    op = Limit::Op::le;
    rest.remove_prefix(2);
  } else if (rest.starts_with(">=")) {
    op = Limit::Op::ge;
    rest.remove_prefix(2);
  } else if (rest.starts_with("<")) {
    op = Limit::Op::lt;
    rest.remove_prefix(1);
  } else if (rest.starts_with(">")) {
    op = Limit::Op::gt;
    rest.remove_prefix(1);
  } else if (rest.starts_with("=")) {
    op = Limit::Op::eq;
    rest.remove_prefix(1);
  } else {
    reject(j);
  }
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
  if (rest.empty() || ec != std::errc() || end != rest.data() + rest.size()) reject(j);
  return {op, n, text};
}

Json limit_to_json(const Limit& limit) {
  if (limit.op == Limit::Op::le && limit.text == std::to_string(limit.value)) return limit.value;
  return limit.text;
}

Json limits_to_json(const std::map<std::string, Limit>& limits) {
  Json j = Json::object();
  for (const auto& [name, limit] : limits) j[name] = limit_to_json(limit);
  return j;
}

std::map<std::string, Limit> limits_from_json(const Json& j) {
  std::map<std::string, Limit> out;
  if (!j.is_object()) return out;
  for (const auto& [name, limit] : j.items()) out[name] = parse_limit(limit);
  return out;
}

bool holds(const Limit& limit, uint64_t count) {
  switch (limit.op) {
    case Limit::Op::eq:
      return count == limit.value;
    case Limit::Op::le:
      return count <= limit.value;
    case Limit::Op::lt:
      return count < limit.value;
    case Limit::Op::ge:
      return count >= limit.value;
    case Limit::Op::gt:
      return count > limit.value;
    case Limit::Op::any:
      return true;
  }
  return false;
}

std::vector<std::string> summed_names(const std::string& name) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= name.size()) {
    const size_t plus = std::min(name.find('+', start), name.size());
    parts.push_back(name.substr(start, plus - start));
    start = plus + 1;
  }
  return parts;
}

std::optional<uint64_t> expected_count(const Verdict& v, const std::string& name) {
  uint64_t sum = 0;
  for (const auto& part : summed_names(name)) {
    auto it = v.counts.find(part);
    if (it == v.counts.end()) return std::nullopt;
    sum += it->second;
  }
  return sum;
}

namespace {

// Loss the scenario must expect by name; the counts of what kchaos could
// not check, which a description must also explain when loosened.
constexpr const char* kDurabilityDefaults[] = {"lost", "divergent", "consumed-then-lost"};
constexpr const char* kSilentDefaults[] = {"expired", "unverifiable", "corrupt", "unconsumed"};

}  // namespace

const std::map<std::string, Limit>& default_limits() {
  static const std::map<std::string, Limit> limits = [] {
    std::map<std::string, Limit> m;
    for (const char* name : kDurabilityDefaults) m[name] = {Limit::Op::le, 0, "0", true};
    for (const char* name : kSilentDefaults) m[name] = {Limit::Op::le, 0, "0", true};
    return m;
  }();
  return limits;
}

bool default_needs_reason(const std::string& name) {
  return std::find(std::begin(kSilentDefaults), std::end(kSilentDefaults), name) !=
         std::end(kSilentDefaults);
}

namespace {

// Whether a stated limit names the count, alone or in a sum.
bool named_by(const std::map<std::string, Limit>& expect, const std::string& count) {
  for (const auto& [name, limit] : expect) {
    const auto parts = summed_names(name);
    if (std::find(parts.begin(), parts.end(), count) != parts.end()) return true;
  }
  return false;
}

}  // namespace

std::map<std::string, Limit> effective_limits(const std::map<std::string, Limit>& expect) {
  std::map<std::string, Limit> limits = expect;
  for (const auto& [name, limit] : default_limits()) {
    if (!named_by(expect, name)) limits.emplace(name, limit);
  }
  return limits;
}

std::map<std::string, Limit> effective_limits(const ConfigurationResult& r) {
  return effective_limits(r.expect);
}

namespace {

// Planned faults that did not happen in full: "fault 2 (plan) was never injected: error".
std::vector<std::string> unfired_faults(const Verdict& v) {
  std::vector<std::string> out;
  for (const auto& f : v.faults) {
    if (f.index == 0 || (f.injected_us != 0 && f.healed_us != 0)) continue;
    std::string what = "fault " + std::to_string(f.index) + " (" +
                       (f.planned.empty() ? f.description : f.planned) + ") was never " +
                       (f.injected_us == 0 ? "injected" : "healed");
    if (!f.error.empty()) what += ": " + f.error;
    out.push_back(what);
  }
  return out;
}

}  // namespace

bool counts_shown(const ConfigurationResult& r) {
  return !r.verdict.equation.empty() && r.verdict.health.damage.empty();
}

std::pair<double, std::string> max_lateness(const Verdict& v) {
  std::pair<double, std::string> worst{0, ""};
  for (const auto& f : v.faults) {
    const std::string name = "fault " + std::to_string(f.index);
    if (f.inject_began_s >= 0 && f.inject_began_s - f.inject_planned_s > worst.first) {
      worst = {f.inject_began_s - f.inject_planned_s, name + "'s injection"};
    }
    if (f.heal_began_s >= 0 && f.heal_began_s - f.heal_planned_s > worst.first) {
      worst = {f.heal_began_s - f.heal_planned_s, name + "'s heal"};
    }
  }
  return worst;
}

namespace {

// The harness error of a run whose own timeline failed, though its counts
// stand: a planned fault that did not happen, or one the scheduler began
// later than the bound. Empty when the timeline held.
std::string timeline_error(const ConfigurationResult& r) {
  const auto unfired = unfired_faults(r.verdict);
  if (!unfired.empty()) {
    std::string e = "a planned fault did not happen, so this configuration proves nothing: " +
                    unfired.front();
    if (unfired.size() > 1) e += " (and " + std::to_string(unfired.size() - 1) + " more)";
    return e;
  }
  const auto [late, which] = max_lateness(r.verdict);
  if (late > r.max_lateness_s) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "the fault timeline ran late: %s began %.1f s after its planned "
                  "time (bound %.1f s, timings.max_lateness_s)", which.c_str(), late,
                  r.max_lateness_s);
    return buf;
  }
  return "";
}

}  // namespace

void evaluate(ConfigurationResult& r) {
  // Damage to kchaos's own files is a harness error, never a Kafka verdict.
  const auto& damage = r.verdict.health.damage;
  if (!damage.empty() && r.error.empty()) {
    r.error = "kchaos's own files are damaged: " + damage.front();
    if (damage.size() > 1) r.error += " (and " + std::to_string(damage.size() - 1) + " more)";
  }
  if (r.error.empty()) r.error = timeline_error(r);
  r.limit_results.clear();
  bool all = true;
  for (const auto& [name, limit] : effective_limits(r)) {
    const auto count = expected_count(r.verdict, name);
    bool ok = count.has_value() && holds(limit, *count);
    r.limit_results[name] = ok;
    all = all && ok;
  }
  r.passed =
      r.error.empty() && all && r.verdict.equation_holds && unfired_faults(r.verdict).empty();
}

std::vector<std::string> failure_reasons(const ConfigurationResult& r) {
  std::vector<std::string> out;
  if (r.passed) return out;
  if (!r.error.empty()) out.push_back("harness error: " + r.error.substr(0, r.error.find('\n')));
  const auto limits = effective_limits(r);
  for (const auto& [name, ok] : r.limit_results) {
    if (ok) continue;
    const auto count = expected_count(r.verdict, name);
    auto limit = limits.find(name);
    out.push_back(name + " " + (count ? std::to_string(*count) : std::string("(not a count)")) +
                  ", limit " + (limit == limits.end() ? std::string("?") : limit->second.text) +
                  (limit != limits.end() && limit->second.by_default ? " (default)" : ""));
  }
  if (r.error.empty() && !r.verdict.equation.empty() && !r.verdict.equation_holds) {
    out.push_back("the equation does not hold: " + r.verdict.equation);
  }
  // The first is the error already.
  const auto unfired = unfired_faults(r.verdict);
  for (size_t i = r.error.rfind("a planned fault did not happen", 0) == 0 ? 1 : 0;
       i < unfired.size(); ++i) {
    out.push_back(unfired[i]);
  }
  return out;
}

}  // namespace kchaos::reports
