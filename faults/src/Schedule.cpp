#include "kchaos/faults/Schedule.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>
#include <stdexcept>

#include "kchaos/faults/Registry.h"

namespace kchaos::faults {

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
    const std::string why =
        e.last_error.empty() ? "its time did not come within the fault phase" : e.last_error;
    failed(e, "never injected: " + why);
    missed += "\n  " + e.spec.describe() + ": never injected (" + why + ")";
  }
  if (!missed.empty()) {
    throw std::runtime_error(
        "a planned fault did not happen, so this configuration proves nothing:" + missed);
  }
}

std::vector<ActiveFault> Scheduler::active() const {
  std::vector<ActiveFault> out;
  for (const auto& e : entries_) {
    if (e.fault->active()) {
      out.push_back({e.spec.type, e.fault->target_text(), e.fault->description()});
    }
  }
  return out;
}

}  // namespace kchaos::faults
