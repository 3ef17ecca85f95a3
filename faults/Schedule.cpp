#include "faults/Schedule.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <stdexcept>

#include "faults/Targets.h"

namespace kchaos::faults {
namespace {

using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::invalid_argument(path + ": " + what);
}

std::string list(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// The fields each fault type takes besides type, target, at and duration.
const std::map<std::string, std::set<std::string>> kParams = {
    {"broker-kill", {"lose_data"}},
    {"broker-pause", {}},
    {"rolling-restart", {"mode", "isr_timeout_s"}},
    {"network-partition", {"shape", "direction", "port"}},
    {"packet-loss", {"probability"}},
    {"bandwidth", {"rate", "burst", "latency"}},
    {"disk-full", {}},
    {"add-partitions", {"count"}},
    {"consumer-crash", {"mid_batch", "into_batch_s", "mid_batch_timeout_s"}},
    {"producer-crash", {"worker"}},
};
const std::set<std::string> kClientFaults = {"add-partitions", "consumer-crash", "producer-crash",
                                             "rolling-restart"};

double seconds(const Json& j, const std::string& key, const std::string& path, double fallback) {
  if (!j.contains(key)) return fallback;
  if (!j[key].is_number() || j[key].get<double>() < 0) {
    fail(path + "." + key, "expected a number of seconds >= 0, got " + j[key].dump());
  }
  return j[key].get<double>();
}

void check_one_of(const Json& j, const std::string& key, const std::string& path,
                  const std::vector<std::string>& allowed) {
  if (!j.contains(key)) return;
  if (!j[key].is_string() ||
      std::find(allowed.begin(), allowed.end(), j[key].get<std::string>()) == allowed.end()) {
    fail(path + "." + key, "expected one of " + list(allowed) + ", got " + j[key].dump());
  }
}

void check_params(const FaultSpec& f, const std::string& path) {
  const Json& p = f.params;
  check_one_of(p, "shape", path, {"isolate", "split", "clients", "one-way"});
  check_one_of(p, "direction", path, {"in", "out"});
  check_one_of(p, "mode", path, {"clean", "hard"});
  if (p.contains("port") &&
      (!p["port"].is_number_integer() || p["port"] < 1 || p["port"] > 65535)) {
    fail(path + ".port", "expected a TCP port (9092 clients and replication, 9093 the quorum)");
  }
  if (p.contains("probability") &&
      (!p["probability"].is_number() || p["probability"] <= 0 || p["probability"] > 1)) {
    fail(path + ".probability",
         "expected a probability above 0 and at most 1, got " + p["probability"].dump());
  }
  for (const char* k : {"count", "worker"}) {
    if (p.contains(k) && (!p[k].is_number_integer() || p[k] < 1)) {
      fail(path + "." + k, "expected a whole number >= 1, got " + p[k].dump());
    }
  }
  for (const char* k : {"rate", "burst", "latency"}) {
    if (p.contains(k) && !p[k].is_string())
      fail(path + "." + k, "expected a tc value such as \"1mbit\"");
  }
  for (const char* k : {"lose_data", "mid_batch"}) {
    if (p.contains(k) && !p[k].is_boolean()) fail(path + "." + k, "expected true or false");
  }
  for (const char* k : {"isr_timeout_s", "mid_batch_timeout_s", "into_batch_s"})
    seconds(p, k, path, 0);
}

FaultSpec parse_fixed(const Json& j, const std::string& path) {
  if (!j.contains("type") || !j["type"].is_string()) {
    fail(path + ".type", "every fault needs a type: " + list(fault_types()));
  }
  FaultSpec f;
  f.type = j["type"];
  auto known = kParams.find(f.type);
  if (known == kParams.end())
    fail(path + ".type", "unknown fault type '" + f.type + "'; allowed: " + list(fault_types()));
  for (const auto& [key, value] : j.items()) {
    if (key == "type" || key == "at" || key == "duration") continue;
    if (key == "target") {
      if (kClientFaults.count(f.type) != 0) fail(path + ".target", f.type + " takes no target");
      if (!value.is_string() && !value.is_number_integer())
        fail(path + ".target", "expected a target");
      f.target = value.is_string() ? value.get<std::string>() : std::to_string(value.get<int>());
      if (!valid_target(f.target)) {
        fail(path + ".target",
             "unknown target '" + f.target +
                 "'; allowed: leader:<topic>/<partition>, leader-of-most, controller, follower, "
                 "follower:<topic>/<p>, followers:<topic>/<p>, random, all, minority, majority, "
                 "or a broker id");
      }
      continue;
    }
    if (known->second.count(key) == 0) {
      std::vector<std::string> allowed = {"type", "at", "duration"};
      if (kClientFaults.count(f.type) == 0) allowed.push_back("target");
      allowed.insert(allowed.end(), known->second.begin(), known->second.end());
      fail(path + "." + key, "unknown field for " + f.type + "; allowed: " + list(allowed));
    }
    f.params[key] = value;
  }
  if (f.target.empty() && kClientFaults.count(f.type) == 0) f.target = "random";
  f.at_s = seconds(j, "at", path, 0);
  f.duration_s = seconds(j, "duration", path, -1);
  check_params(f, path);
  return f;
}

RandomBlock parse_random(const Json& j, const std::string& path) {
  static const std::set<std::string> kFields = {"faults",         "targets",    "mean_interval_s",
                                                "max_concurrent", "duration_s", "seed"};
  static const std::vector<std::string> kRandomTypes = {
      "broker-kill", "broker-pause", "network-partition", "packet-loss", "bandwidth"};
  if (!j.is_object()) fail(path, "expected an object");
  for (const auto& [key, value] : j.items()) {
    if (kFields.count(key) == 0)
      fail(path + "." + key,
           "unknown field; allowed: faults, targets, mean_interval_s, max_concurrent, duration_s, "
           "seed");
  }
  RandomBlock r;
  if (!j.contains("faults") || !j["faults"].is_array() || j["faults"].empty()) {
    fail(path + ".faults", "expected a non-empty list of fault types from " + list(kRandomTypes));
  }
  for (const auto& t : j["faults"]) {
    if (!t.is_string() || std::find(kRandomTypes.begin(), kRandomTypes.end(),
                                    t.get<std::string>()) == kRandomTypes.end()) {
      fail(path + ".faults",
           "random faults are drawn from " + list(kRandomTypes) + "; got " + t.dump());
    }
    r.types.push_back(t);
  }
  if (j.contains("targets")) {
    if (!j["targets"].is_array() || j["targets"].empty())
      fail(path + ".targets", "expected a non-empty list of targets");
    r.targets.clear();
    for (const auto& t : j["targets"]) {
      if (!t.is_string() || !valid_target(t.get<std::string>()))
        fail(path + ".targets", "unknown target " + t.dump());
      r.targets.push_back(t);
    }
  }
  r.mean_interval_s = seconds(j, "mean_interval_s", path, 10);
  if (r.mean_interval_s <= 0) fail(path + ".mean_interval_s", "must be above 0");
  if (j.contains("max_concurrent")) {
    if (!j["max_concurrent"].is_number_integer() || j["max_concurrent"] < 1)
      fail(path + ".max_concurrent", "expected a whole number >= 1");
    r.max_concurrent = j["max_concurrent"];
  }
  if (j.contains("duration_s")) {
    const Json& d = j["duration_s"];
    if (d.is_number() && d.get<double>() > 0) {
      r.min_duration_s = r.max_duration_s = d.get<double>();
    } else if (d.is_array() && d.size() == 2 && d[0].is_number() && d[1].is_number() && d[0] > 0 &&
               d[0] <= d[1]) {
      r.min_duration_s = d[0];
      r.max_duration_s = d[1];
    } else {
      fail(path + ".duration_s", "expected seconds or [min, max], got " + d.dump());
    }
  }
  if (j.contains("seed")) {
    if (!j["seed"].is_number_unsigned()) fail(path + ".seed", "expected a whole number");
    r.seed = j["seed"].get<uint64_t>();
  }
  return r;
}

}  // namespace

bool FaultPlan::has(const std::string& type) const {
  for (const auto& f : fixed) {
    if (f.type == type) return true;
  }
  for (const auto& r : random) {
    if (std::find(r.types.begin(), r.types.end(), type) != r.types.end()) return true;
  }
  return false;
}

FaultPlan parse_faults(const Json& faults, const std::string& path) {
  if (!faults.is_array()) fail(path, "expected a list of faults, got " + faults.dump());
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

std::vector<FaultSpec> expand(const FaultPlan& plan, uint64_t seed, double phase_s) {
  std::vector<FaultSpec> timeline = plan.fixed;
  for (size_t b = 0; b < plan.random.size(); ++b) {
    const auto& r = plan.random[b];
    std::mt19937_64 rng(r.seed.value_or(seed * 1000003 + b));
    std::exponential_distribution<double> gap(1.0 / r.mean_interval_s);
    std::uniform_real_distribution<double> length(r.min_duration_s, r.max_duration_s);
    std::vector<std::pair<double, double>> placed;  // [start, end) of this block's faults
    for (double t = gap(rng); t < phase_s; t += gap(rng)) {
      int concurrent = 0;
      for (const auto& [s, e] : placed) concurrent += s <= t && t < e;
      FaultSpec f;
      f.type = r.types[std::uniform_int_distribution<size_t>(0, r.types.size() - 1)(rng)];
      f.target = r.targets[std::uniform_int_distribution<size_t>(0, r.targets.size() - 1)(rng)];
      f.at_s = std::round(t * 10) / 10;
      f.duration_s = std::round(std::min(length(rng), phase_s - t) * 10) / 10;
      if (concurrent >= r.max_concurrent) continue;
      placed.emplace_back(f.at_s, f.at_s + f.duration_s);
      timeline.push_back(f);
    }
  }
  std::stable_sort(timeline.begin(), timeline.end(),
                   [](const FaultSpec& a, const FaultSpec& b) { return a.at_s < b.at_s; });
  for (size_t i = 0; i < timeline.size(); ++i) timeline[i].index = static_cast<int>(i + 1);
  return timeline;
}

Scheduler::Scheduler(std::vector<FaultSpec> timeline, FaultContext& ctx) : ctx_(ctx) {
  for (auto& spec : timeline) {
    auto fault = make_fault(spec);
    Entry& e = entries_.emplace_back();
    e.spec = std::move(spec);
    e.fault = std::move(fault);
  }
}

Scheduler::~Scheduler() {
  try {
    heal_all();
  } catch (const std::exception& e) {
    std::cerr << "kchaos: healing faults failed: " << e.what() << "\n";
  }
}

void Scheduler::tick(double tick_t) {
  // Injecting or healing can take seconds (a restart, a rolling restart):
  // each entry is judged at the time it is reached, not when the tick began.
  const auto tick_start = std::chrono::steady_clock::now();
  for (auto& e : entries_) {
    const double t =
        tick_t +
        std::chrono::duration<double>(std::chrono::steady_clock::now() - tick_start).count();
    if (e.done) continue;
    if (e.fault->active()) {
      if (e.spec.duration_s >= 0 && t >= e.injected_at + e.spec.duration_s) {
        e.done = true;
        try {
          e.fault->heal(ctx_);
          e.healed = true;
        } catch (const std::exception& ex) {
          failed(e, std::string("healing failed: ") + ex.what());
          throw std::runtime_error("cannot heal " + e.spec.describe() + ": " + ex.what());
        }
      }
      continue;
    }
    if (t < e.spec.at_s) continue;
    try {
      e.fault->inject(ctx_);
      // The duration runs from when the fault is in place (a consumer crash
      // may wait for a batch, a rolling restart takes a while).
      e.injected_at =
          tick_t +
          std::chrono::duration<double>(std::chrono::steady_clock::now() - tick_start).count();
    } catch (const std::exception& ex) {
      // A target may be briefly unresolvable (an election in progress).
      if (e.first_failure < 0) e.first_failure = t;
      e.last_error = ex.what();
      if (t - e.first_failure > kRetry) {
        failed(e, e.last_error);
        throw std::runtime_error("cannot inject " + e.spec.describe() + " (tried for " +
                                 std::to_string(static_cast<int>(kRetry)) + " s): " + ex.what());
      }
    }
  }
}

void Scheduler::failed(Entry& e, const std::string& error) {
  e.last_error = error;
  if (ctx_.journal) ctx_.journal(FaultEvent::failed, e.spec.index, -1, error);
}

void Scheduler::heal_all() {
  std::string failures;
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->fault->active()) {
      try {
        it->fault->heal(ctx_);
        it->healed = true;
      } catch (const std::exception& e) {
        failed(*it, std::string("healing failed: ") + e.what());
        failures += "\n  " + it->fault->description() + ": " + e.what();
      }
    }
    it->done = true;
  }
  if (!failures.empty()) throw std::runtime_error("healing failed:" + failures);
}

void Scheduler::finish() {
  heal_all();
  std::string missed;
  for (auto& e : entries_) {
    if (e.healed) continue;
    const std::string why = e.last_error.empty() ? "its time did not come within the fault phase"
                                                 : e.last_error;
    failed(e, "never injected: " + why);
    missed += "\n  " + e.spec.describe() + ": never injected (" + why + ")";
  }
  if (!missed.empty()) {
    throw std::runtime_error("a planned fault did not happen, so this configuration proves nothing:" +
                             missed);
  }
}

std::vector<std::string> Scheduler::active() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) {
    if (e.fault->active()) out.push_back(e.fault->description());
  }
  return out;
}

}  // namespace kchaos::faults
