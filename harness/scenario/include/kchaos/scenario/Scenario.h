#pragma once
// A scenario file, validated, and the configurations its matrix expands to.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "kchaos/common/Json.h"

#include "kchaos/plan/Plan.h"
#include "kchaos/protocol/Specs.h"
#include "kchaos/reports/Limit.h"

namespace kchaos::scenario {

using Properties = std::map<std::string, std::string>;

struct ClusterSection {
  int brokers = 3;
  std::string kafka_version = "3.9.2";
  int heap_mb = 512;
  Properties broker_config;
  /// The brokers' data on kchaos-pagefs (always with a power-loss fault).
  bool pagefs = false;
  /// "local", "compose" or "external" (kchaos run --backend or --bootstrap
  /// overrides it).
  std::string backend = "local";
  /// compose: the brokers' image ("" = apache/kafka:<kafka_version>).
  std::string image;
  /// external: the cluster's bootstrap servers.
  std::string bootstrap;
  /// external: the command of each driver action, with placeholders.
  std::map<std::string, std::vector<std::string>> drivers;
  /// external: per broker id, the values of its drivers' placeholders.
  std::map<int, std::map<std::string, std::string>> nodes;
  /// external: faults that act on brokers (through drivers) may run.
  bool allow_destructive = false;
};

struct TopicSection {
  std::string name = "kchaos";
  int partitions = 6;
  int replication_factor = 3;
  Properties config;
};

/// What the producer workers do (their spec, which holds the defaults), and
/// how many run.
struct ProducerSection : protocol::ProducerSpec {
  int workers = 1;
};

using protocol::CommitMode;
using protocol::to_string;

/// What the verifying consumer does (its spec holds the defaults).
struct ConsumerSection : protocol::ConsumerSpec {};

struct Timings {
  double warmup_s = 10;
  double faults_s = 50;
  double recovery_timeout_s = 90;
  double drain_timeout_s = 90;
  /// How late the fault scheduler may begin an injection or a heal before
  /// the configuration is a harness error (the timeline's own failure).
  double max_lateness_s = 2;
};

/// One point of the matrix: everything needed to run it.
struct Configuration {
  std::string name;  // "acks=all,min.insync.replicas=2" or "default"
  Json parameters;   // the matrix values that made it
  ClusterSection cluster;
  TopicSection topic;
  ProducerSection producer;
  ConsumerSection consumer;
  Json faults = Json::array();
  plan::FaultPlan fault_plan;
  Timings timings;
  /// Limits per count (or sum of counts), as the scenario wrote them.
  std::map<std::string, reports::Limit> expect;
  /// The configuration as JSON, matrix applied: written next to its journals.
  Json resolved;

  /// The brokers' data is on kchaos-pagefs (asked for, or a fault kind such
  /// as power-loss needs it).
  bool data_on_pagefs() const {
    return cluster.pagefs || fault_plan.kind_needing(plan::Storage::pagefs) != nullptr;
  }
};

/// Why configuration c cannot run on its backend ("" when it can): the
/// compose backend has no kchaos-pagefs under its brokers.
std::string backend_refusal(const Configuration& c);

struct Scenario {
  std::filesystem::path file;
  std::string name;
  std::string description;
  std::vector<Configuration> configurations;
};

/// Runs every configuration of s on backend (and image, when not empty), as
/// --backend asks; throws UserError naming the scenario file when one cannot.
void use_backend(Scenario& s, const std::string& backend, const std::string& image);

/// What keeps configuration c from running on its external cluster (field
/// "" when nothing does, or c is not external): no bootstrap servers, a
/// topic not named kchaos-..., a fault that needs a driver it lacks or what
/// only a cluster kchaos starts allows, a destructive fault without leave.
plan::Problem external_problem(const Configuration& c);

/// Runs every configuration of s on the cluster at bootstrap (when not
/// empty), allowing destructive faults when asked (kchaos run --bootstrap,
/// --allow-destructive); throws UserError naming the file, the
/// configuration and the field when one cannot.
void use_external(Scenario& s, const std::string& bootstrap, bool allow_destructive);

/// Reads and validates a scenario file; throws UserError naming the file, the
/// JSON path and what is allowed. Nothing is started.
Scenario load(const std::filesystem::path& file);

/// The same, for the text of a scenario file (file_label names it in errors).
Scenario parse_text(const std::string& text, const std::string& file_label);

/// The same, for a document already parsed (tests).
Scenario parse(const Json& doc, const std::string& file_label);

}  // namespace kchaos::scenario
