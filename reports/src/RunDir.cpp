#include "kchaos/reports/RunDir.h"

#include <fstream>

#include "kchaos/common/Error.h"

namespace kchaos::reports {

namespace fs = std::filesystem;

Json to_json(const RunInfo& run) {
  Json j = {{"scenario", run.scenario},
            {"file", run.file},
            {"description", run.description},
            {"seed", run.seed},
            {"run_id", run.run_id},
            {"backend", run.backend},
            {"kchaos_version", run.kchaos_version},
            {"librdkafka", run.librdkafka},
            {"configurations", Json::array()}};
  for (const auto& c : run.configurations) {
    j["configurations"].push_back({{"name", c.name}, {"dir", c.dir}, {"backend", c.backend}});
  }
  return j;
}

Json to_json(const ConfigInfo& config) {
  return {{"name", config.name},
          {"parameters", config.parameters},
          {"expect", limits_to_json(config.expect)},
          {"backend", config.backend},
          {"max_lateness_s", config.max_lateness_s},
          {"configuration", config.configuration}};
}

Json read_json_file(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw HarnessError(file.string() + " cannot be read");
  try {
    return Json::parse(in);
  } catch (const Json::exception& e) {
    throw HarnessError(file.string() + " is damaged: " + e.what());
  }
}

bool RunDir::is_run() const { return fs::exists(run_file()); }

bool RunDir::holds_results() const { return is_run() || fs::exists(root_ / kSuiteFile); }

namespace {

std::string text(const Json& j, const char* key, const std::string& fallback) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : fallback;
}

}  // namespace

RunInfo RunDir::read() const {
  if (!is_run()) {
    throw UserError(root_.string() + " is not a kchaos run directory (no " + kRunFile + ")");
  }
  const Json j = read_json_file(run_file());
  const std::string where = run_file().string();
  if (!j.is_object() || !j.contains("configurations") || !j["configurations"].is_array()) {
    throw HarnessError(where + " is damaged: it has no list of configurations");
  }
  if (j["configurations"].empty()) {
    throw HarnessError(where + " lists no configurations: there is nothing to reconcile");
  }
  RunInfo run;
  run.scenario = text(j, "scenario", "?");
  run.file = text(j, "file", "");
  run.description = text(j, "description", "");
  run.seed = j.contains("seed") && j["seed"].is_number_integer() ? j["seed"].get<uint64_t>() : 0;
  run.run_id = text(j, "run_id", "");
  run.backend = text(j, "backend", "local");
  run.kchaos_version = text(j, "kchaos_version", "?");
  run.librdkafka = text(j, "librdkafka", "?");
  for (size_t i = 0; i < j["configurations"].size(); ++i) {
    const Json& e = j["configurations"][i];
    RunEntry entry;
    if (e.is_object()) {
      entry.name = text(e, "name", "");
      entry.dir = text(e, "dir", "");
      entry.backend = text(e, "backend", run.backend);
    }
    if (entry.name.empty()) entry.name = "configuration " + std::to_string(i + 1);
    run.configurations.push_back(entry);
  }
  return run;
}

void RunDir::write(const RunInfo& run) const {
  write_atomically(run_file(), to_json(run).dump(2) + "\n");
}

std::optional<fs::path> RunDir::configuration_dir(const RunEntry& entry) const {
  const std::string& d = entry.dir;
  if (d.empty() || d.find('/') != std::string::npos || d[0] == '.') return std::nullopt;
  return root_ / d;
}

ConfigInfo RunDir::read_config(const fs::path& dir) {
  const fs::path file = dir / kConfigFile;
  const Json j = read_json_file(file);
  try {
    ConfigInfo c;
    c.name = j.at("name").get<std::string>();
    c.parameters = j.at("parameters");
    c.expect = limits_from_json(j.at("expect"));
    c.backend = j.value("backend", c.backend);
    c.max_lateness_s = j.value("max_lateness_s", c.max_lateness_s);
    if (j.contains("configuration") && j["configuration"].is_object()) {
      c.configuration = j["configuration"];
    }
    return c;
  } catch (const std::exception& e) {
    throw HarnessError(file.string() + ": " + e.what());
  }
}

void RunDir::write_config(const fs::path& dir, const ConfigInfo& config) {
  write_atomically(dir / kConfigFile, to_json(config).dump(2) + "\n");
}

}  // namespace kchaos::reports
