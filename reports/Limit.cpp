#include "reports/Limit.h"

#include <charconv>
#include <stdexcept>
#include <string_view>

#include "reports/Verdict.h"

namespace kchaos::reports {
namespace {

constexpr const char* kAllowedForms =
    "use a count n (meaning at most n), \"any\", \"=n\", \"<n\", \"<=n\", \">n\" or \">=n\" "
    "with n a whole number >= 0";

[[noreturn]] void reject(const nlohmann::json& j) {
  throw std::invalid_argument("invalid limit " + j.dump() + ": " + kAllowedForms);
}

}  // namespace

Limit parse_limit(const nlohmann::json& j) {
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

nlohmann::json limit_to_json(const Limit& limit) {
  if (limit.op == Limit::Op::le && limit.text == std::to_string(limit.value)) return limit.value;
  return limit.text;
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

std::optional<uint64_t> expected_count(const Verdict& v, const std::string& name) {
  uint64_t sum = 0;
  size_t start = 0;
  while (start <= name.size()) {
    size_t plus = name.find('+', start);
    if (plus == std::string::npos) plus = name.size();
    auto it = v.counts.find(name.substr(start, plus - start));
    if (it == v.counts.end()) return std::nullopt;
    sum += it->second;
    start = plus + 1;
  }
  return sum;
}

void evaluate(ConfigurationResult& r) {
  r.limit_results.clear();
  bool all = true;
  for (const auto& [name, limit] : r.expect) {
    const auto count = expected_count(r.verdict, name);
    bool ok = count.has_value() && holds(limit, *count);
    r.limit_results[name] = ok;
    all = all && ok;
  }
  r.passed = r.error.empty() && all;
}

}  // namespace kchaos::reports
