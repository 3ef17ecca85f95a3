// A scenario's "faults" list: fixed faults and random blocks, checked
// against the kinds and their parameters, and read into typed values.

#include <algorithm>

#include "kchaos/common/Error.h"
#include "kchaos/plan/Plan.h"

namespace kchaos::plan {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw UserError(path, what);
}

std::string list(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

double seconds(const Json& j, const std::string& key, const std::string& path, double fallback) {
  if (!j.contains(key)) return fallback;
  if (!j[key].is_number() || j[key].get<double>() < 0) {
    fail(path + "." + key, "expected a number of seconds >= 0, got " + shown(j[key]));
  }
  return j[key].get<double>();
}

constexpr double kMinMeanInterval_s = 0.5;

void read_target(const FaultKind& kind, const Json& value, const std::string& path,
                 FaultSpec& f) {
  if (!kind.takes_target) fail(path, kind.name + " takes no target");
  if (!value.is_string() && !value.is_number_integer()) fail(path, "expected a target");
  f.target = value.is_string() ? value.get<std::string>() : std::to_string(value.get<long long>());
  const auto form = parse_target(f.target);
  if (!form) fail(path, "unknown target " + shown(Json(f.target)) + "; allowed: " + kTargetForms);
  f.target_form = *form;
}

FaultSpec parse_fixed(const Json& j, const std::string& path) {
  if (!j.contains("type") || !j["type"].is_string()) {
    fail(path + ".type", "every fault needs a type: " + list(kind_names()));
  }
  FaultSpec f;
  f.type = j["type"];
  f.path = path;
  const FaultKind* kind = f.kind = find_kind(f.type);
  if (kind == nullptr) {
    fail(path + ".type",
         "unknown fault type " + shown(Json(f.type)) + "; allowed: " + list(kind_names()));
  }
  for (const auto& [key, value] : j.items()) {
    if (key == "type" || key == "at" || key == "duration") continue;
    if (key == "target") {
      read_target(*kind, value, path + ".target", f);
      continue;
    }
    const Param* p = find_param(*kind, key);
    if (p == nullptr) {
      std::vector<std::string> allowed = {"type", "at", "duration"};
      if (kind->takes_target) allowed.push_back("target");
      for (const auto& q : kind->params) allowed.push_back(q.name);
      fail(key_path(path, key), "unknown field for " + f.type + "; allowed: " + list(allowed));
    }
    if (const auto wrong = check_param(*p, value); !wrong.empty()) fail(path + "." + key, wrong);
    f.params[key] = value;
  }
  if (f.target.empty() && kind->takes_target) {
    f.target = "random";
    f.target_form = TargetForm{"random", "", -1, -1};
  }
  f.at_s = seconds(j, "at", path, 0);
  f.duration_s = seconds(j, "duration", path, -1);
  return f;
}

std::vector<std::string> random_types(const Json& j, const std::string& path) {
  const auto allowed = kind_names(/*random_only=*/true);
  if (!j.contains("faults") || !j["faults"].is_array() || j["faults"].empty()) {
    fail(path + ".faults", "expected a non-empty list of fault types from " + list(allowed));
  }
  std::vector<std::string> types;
  for (const auto& t : j["faults"]) {
    if (!t.is_string() ||
        std::find(allowed.begin(), allowed.end(), t.get<std::string>()) == allowed.end()) {
      fail(path + ".faults", "random faults are drawn from " + list(allowed) + "; got " + shown(t));
    }
    types.push_back(t);
  }
  return types;
}

void random_durations(const Json& d, const std::string& path, RandomBlock& r) {
  if (d.is_number() && d.get<double>() > 0) {
    r.min_duration_s = r.max_duration_s = d.get<double>();
  } else if (d.is_array() && d.size() == 2 && d[0].is_number() && d[1].is_number() && d[0] > 0 &&
             d[0] <= d[1]) {
    r.min_duration_s = d[0];
    r.max_duration_s = d[1];
  } else {
    fail(path, "expected seconds or [min, max], got " + shown(d));
  }
}

RandomBlock parse_random(const Json& j, const std::string& path) {
  static const std::vector<std::string> kFields = {
      "faults", "targets", "mean_interval_s", "max_concurrent", "duration_s", "seed"};
  if (!j.is_object()) fail(path, "expected an object");
  for (const auto& [key, value] : j.items()) {
    if (std::find(kFields.begin(), kFields.end(), key) == kFields.end()) {
      fail(key_path(path, key), "unknown field; allowed: " + list(kFields));
    }
  }
  RandomBlock r;
  r.path = path;
  r.types = random_types(j, path);
  if (j.contains("targets")) {
    if (!j["targets"].is_array() || j["targets"].empty())
      fail(path + ".targets", "expected a non-empty list of targets");
    r.targets.clear();
    r.target_forms.clear();
    for (const auto& t : j["targets"]) {
      const auto form = t.is_string() ? parse_target(t.get<std::string>()) : std::nullopt;
      if (!form) fail(path + ".targets", "unknown target " + shown(t));
      r.targets.push_back(t);
      r.target_forms.push_back(*form);
    }
  }
  r.mean_interval_s = seconds(j, "mean_interval_s", path, r.mean_interval_s);
  if (r.mean_interval_s < kMinMeanInterval_s) {
    fail(path + ".mean_interval_s",
         "must be at least 0.5 s: faults are injected and healed "
         "a few times a second at most");
  }
  if (j.contains("max_concurrent")) {
    if (!j["max_concurrent"].is_number_integer() || j["max_concurrent"] < 1)
      fail(path + ".max_concurrent", "expected a whole number >= 1");
    r.max_concurrent = j["max_concurrent"];
  }
  if (j.contains("duration_s")) random_durations(j["duration_s"], path + ".duration_s", r);
  if (j.contains("seed")) {
    if (!j["seed"].is_number_unsigned()) fail(path + ".seed", "expected a whole number");
    r.seed = j["seed"].get<uint64_t>();
  }
  return r;
}

}  // namespace

FaultPlan parse_faults(const Json& faults, const std::string& path) {
  if (!faults.is_array()) fail(path, "expected a list of faults, got " + shown(faults));
  FaultPlan plan;
  for (size_t i = 0; i < faults.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    const Json& f = faults[i];
    if (!f.is_object()) fail(p, "expected a fault object");
    if (f.contains("random")) {
      if (f.size() != 1) fail(p, "a random block stands alone: {\"random\": {...}}");
      plan.random.push_back(parse_random(f["random"], p + ".random"));
    } else {
      plan.fixed.push_back(parse_fixed(f, p));
    }
  }
  return plan;
}

}  // namespace kchaos::plan
