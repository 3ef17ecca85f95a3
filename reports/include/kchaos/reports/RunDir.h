#pragma once
// The run directory: its file names, what run.json and config.json hold,
// one way to write a file (atomically) and one way to read one. Everything
// that reads or writes a run directory (the run, reconcile, audit, compare,
// the report pages) goes through it.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kchaos/common/Files.h"
#include "kchaos/common/Json.h"
#include "kchaos/reports/Limit.h"

namespace kchaos::reports {

/// One configuration as run.json lists it: its name, its directory (relative
/// to the run directory) and the backend it ran on.
struct RunEntry {
  std::string name;
  std::string dir;
  std::string backend;
};

/// run.json: the run as a whole, written before its first configuration.
struct RunInfo {
  std::string scenario;
  std::string file;
  std::string description;
  uint64_t seed = 0;
  std::string run_id;
  /// The backends the configurations ran on, in order ("local, compose").
  std::string backend = "local";
  std::string kchaos_version = "?";
  std::string librdkafka = "?";
  std::vector<RunEntry> configurations;
};

/// config.json: one configuration, written before it starts.
struct ConfigInfo {
  std::string name;
  Json parameters = Json::object();
  std::map<std::string, Limit> expect;
  std::string backend = "local";
  double max_lateness_s = 2;
  /// The configuration as the scenario resolved it (matrix applied).
  Json configuration = Json::object();
};

Json to_json(const RunInfo& run);
Json to_json(const ConfigInfo& config);

/// The one read policy: the JSON in file, or HarnessError naming the file
/// ("cannot be read", "is damaged: ...").
Json read_json_file(const std::filesystem::path& file);

class RunDir {
 public:
  static constexpr const char* kRunFile = "run.json";
  static constexpr const char* kConfigFile = "config.json";
  static constexpr const char* kSuiteFile = "suite.json";

  explicit RunDir(std::filesystem::path root) : root_(std::move(root)) {}
  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path run_file() const { return root_ / kRunFile; }

  /// Whether root holds a run (its run.json).
  bool is_run() const;
  /// Whether root holds a run or a suite of runs (a directory run).
  bool holds_results() const;

  /// run.json. UserError when there is none (not a run directory),
  /// HarnessError when it is damaged or lists no configuration.
  RunInfo read() const;
  void write(const RunInfo& run) const;

  /// The directory of a configuration of run.json, or nullopt when its name
  /// would leave the run directory (a slash, a leading dot, empty).
  std::optional<std::filesystem::path> configuration_dir(const RunEntry& entry) const;

  /// config.json of a configuration directory; HarnessError naming the
  /// file when it cannot be read or is damaged.
  static ConfigInfo read_config(const std::filesystem::path& dir);
  static void write_config(const std::filesystem::path& dir, const ConfigInfo& config);

 private:
  std::filesystem::path root_;
};

}  // namespace kchaos::reports
