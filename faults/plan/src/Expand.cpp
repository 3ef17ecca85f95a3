#include "kchaos/plan/Plan.h"

#include <algorithm>
#include <cmath>
#include <random>


namespace kchaos::plan {

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
      f.kind = find_kind(f.type);
      const size_t target = std::uniform_int_distribution<size_t>(0, r.targets.size() - 1)(rng);
      f.target = r.targets[target];
      f.target_form = r.target_forms.at(target);
      f.path = r.path;
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

}  // namespace kchaos::plan
