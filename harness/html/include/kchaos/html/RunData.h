#pragma once
// Everything a report page shows of a run, read from its directory alone:
// the verdicts, and per configuration the workers' one-second progress
// lines as time series on the configuration's own clock.

#include <filesystem>
#include <string>
#include <vector>

#include "kchaos/reports/Verdict.h"

namespace kchaos::html {

/// One value per second of the configuration (index = second since its
/// first phase began).
using Series = std::vector<double>;

struct Timeline {
  /// Wall-clock time (us) of second 0: the configuration's first phase.
  int64_t origin_us = 0;
  /// Seconds covered.
  size_t seconds = 0;
  /// Per second, summed over every worker incarnation.
  Series acked, failed, consumed;
  /// Produce latency of the second, ms (the highest producer's); NaN where
  /// nothing was acknowledged.
  Series p50_ms, p99_ms;
  /// Acknowledged minus processed, cumulative.
  Series lag;
};

/// A configuration as its page section shows it.
struct ConfigurationView {
  const reports::ConfigurationResult* result = nullptr;
  std::string dir;            // its directory, relative to the run directory
  std::string kafka_version;  // as its config.json says
  Timeline timeline;
};

/// A run directory, as its page shows it.
struct RunView {
  std::string scenario, description, run_id, backend, kchaos_version, librdkafka;
  uint64_t seed = 0;
  double duration_s = 0;
  std::vector<ConfigurationView> configurations;
};

/// Reads what the page needs of run_dir besides the report (run.json, each
/// configuration's config.json and worker logs). Missing or damaged files
/// leave their parts empty; the page says so.
RunView read_run(const std::filesystem::path& run_dir, const reports::Report& report);

/// The time series of one configuration directory, second 0 at origin_us
/// (0: the first worker event).
Timeline read_timeline(const std::filesystem::path& dir, int64_t origin_us);

}  // namespace kchaos::html
