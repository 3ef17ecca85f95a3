#pragma once
// A scenario file, validated, and the configurations its matrix expands to.

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "faults/Schedule.h"

namespace kchaos::scenario {

using Properties = std::map<std::string, std::string>;

struct ClusterSection {
  int brokers = 3;
  std::string kafka_version = "3.9.2";
  int heap_mb = 512;
  Properties broker_config;
};

struct TopicSection {
  std::string name = "kchaos";
  int partitions = 6;
  int replication_factor = 3;
  Properties config;
};

struct ProducerSection {
  int workers = 1;
  Properties config;
  int message_bytes = 100;
  int keys = 64;
  /// Messages per second per worker; 0 means unbounded.
  int rate = 1000;
  /// Stop after this many messages per worker (0: run for the whole produce
  /// phase).
  long long messages = 0;
};

enum class CommitMode { auto_commit, before_process, after_process, async_threads };
const char* to_string(CommitMode m);

struct ConsumerSection {
  std::string group = "kchaos-verifier";
  Properties config;
  CommitMode commit = CommitMode::after_process;
  int batch_size = 100;
  int process_delay_ms = 0;
  int threads = 4;  // async-threads only
};

struct Timings {
  double warmup_s = 10;
  double faults_s = 50;
  double recovery_timeout_s = 90;
  double drain_timeout_s = 90;
};

/// One point of the matrix: everything needed to run it.
struct Configuration {
  std::string name;                   // "acks=all,min.insync.replicas=2" or "default"
  nlohmann::ordered_json parameters;  // the matrix values that made it
  ClusterSection cluster;
  TopicSection topic;
  ProducerSection producer;
  ConsumerSection consumer;
  nlohmann::json faults = nlohmann::json::array();
  faults::FaultPlan fault_plan;
  Timings timings;
  nlohmann::json expect = nlohmann::json::object();
  /// The configuration as JSON, matrix applied: written next to its journals.
  nlohmann::ordered_json resolved;
};

struct Scenario {
  std::filesystem::path file;
  std::string name;
  std::string description;
  std::vector<Configuration> configurations;
};

/// Reads and validates a scenario file; throws UserError naming the file, the
/// JSON path and what is allowed. Nothing is started.
Scenario load(const std::filesystem::path& file);

/// The same, for a document already parsed (tests).
Scenario parse(const nlohmann::ordered_json& doc, const std::string& file_label);

}  // namespace kchaos::scenario
