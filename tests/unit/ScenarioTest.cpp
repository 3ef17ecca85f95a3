#include <gtest/gtest.h>

#include <fstream>

#include "kchaos/common/Error.h"
#include "kchaos/scenario/Scenario.h"

namespace kchaos::scenario {
namespace {

// The error message for doc, or "" if it is valid.
std::string error_of(const std::string& doc) {
  try {
    parse(Json::parse(doc), "s.json");
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

void expect_error(const std::string& doc, const std::string& path, const std::string& hint) {
  const std::string e = error_of(doc);
  ASSERT_FALSE(e.empty()) << "accepted: " << doc;
  EXPECT_NE(e.find("s.json: " + path + ":"), std::string::npos) << e;
  EXPECT_NE(e.find(hint), std::string::npos) << e;
}

TEST(Scenario, AnEmptyScenarioIsOneDefaultConfiguration) {
  auto s = parse(Json::object(), "x.json");
  ASSERT_EQ(s.configurations.size(), 1u);
  const auto& c = s.configurations[0];
  EXPECT_EQ(c.name, "default");
  EXPECT_EQ(s.name, "x");
  EXPECT_EQ(c.cluster.brokers, 3);
  EXPECT_EQ(c.topic.partitions, 6);
  EXPECT_EQ(c.consumer.commit, CommitMode::after_process);
}

TEST(Scenario, EveryShippedScenarioIsValid) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           std::filesystem::path(KCHAOS_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    try {
      const auto s = load(entry.path());
      EXPECT_FALSE(s.configurations.empty()) << entry.path();
      EXPECT_FALSE(s.description.empty()) << entry.path() << " says nothing of what it shows";
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
  EXPECT_GE(files, 14u) << "default, the example and the claims";
}

TEST(Scenario, AFaultThatCannotFireWithinTheFaultPhaseIsRefused) {
  expect_error(R"({"timings": {"faults_s": 20}, "faults": [{"type": "broker-kill", "at": 20}]})",
               "$.faults[0].at", "the fault would never fire");
  expect_error(R"({"timings": {"faults_s": 20}, "faults": [{"type": "broker-kill", "at": 25}]})",
               "$.faults[0].at", "not within the fault phase");
  expect_error(R"({"faults": [{"type": "broker-kill", "at": 2, "duration": 0}]})",
               "$.faults[0].duration", "must be above 0");
  EXPECT_EQ(
      error_of(R"({"timings": {"faults_s": 20}, "faults": [{"type": "broker-kill", "at": 19.9}]})"),
      "");
}

TEST(Scenario, PowerLossAndDiskFullCannotShareAConfiguration) {
  expect_error(R"({"faults": [{"type": "power-loss", "target": "1", "at": 1},
                               {"type": "disk-full", "target": "2", "at": 2}]})",
               "$.faults", "separate scenarios");
  expect_error(R"({"cluster": {"pagefs": true},
                   "faults": [{"type": "disk-full", "target": "2", "at": 2}]})",
               "$.faults", "separate scenarios");
  expect_error(R"({"cluster": {"pagefs": "yes"}})", "$.cluster.pagefs", "true or false");
}

TEST(Scenario, TheBackendIsLocalOrComposeAndComposeHasNoPowerLoss) {
  EXPECT_EQ(error_of(R"({"cluster": {"backend": "compose", "image": "kchaos/kafka:3.9.2"}})"), "");
  expect_error(R"({"cluster": {"backend": "kubernetes"}})", "$.cluster.backend",
               "\"local\" (processes in network namespaces) or \"compose\"");
  expect_error(R"({"cluster": {"image": "apache/kafka:3.9.2"}})", "$.cluster.image",
               "only the compose backend runs an image");
  expect_error(R"({"cluster": {"backend": "compose"},
                   "faults": [{"type": "power-loss", "target": "1", "at": 1}]})",
               "$.cluster.backend", "power-loss needs the brokers' data on kchaos-pagefs");
  expect_error(R"({"cluster": {"backend": "compose", "pagefs": true}})", "$.cluster.backend",
               "cluster.pagefs needs");
  // --backend compose on a scenario that has a power loss is refused too.
  auto s = parse_text(R"({"faults": [{"type": "power-loss", "target": "1", "at": 1}]})", "p.json");
  EXPECT_THROW(use_backend(s, "compose", ""), UserError);
  auto ok =
      parse_text(R"({"faults": [{"type": "broker-kill", "target": "1", "at": 1}]})", "k.json");
  use_backend(ok, "compose", "kchaos/kafka:3.9.2");
  EXPECT_EQ(ok.configurations[0].cluster.backend, "compose");
  EXPECT_EQ(ok.configurations[0].resolved["cluster"]["image"], "kchaos/kafka:3.9.2");
}

TEST(Scenario, LooseningALimitAPassNeedsRequiresAReasonInTheDescription) {
  for (const char* name : {"expired", "unverifiable", "corrupt", "unconsumed"}) {
    const std::string n = name;
    expect_error(R"({"expect": {")" + n + R"(": "any"}})", "$.expect." + n,
                 "explain in $.description why " + n + " may be above 0");
    EXPECT_EQ(error_of(R"({"description": "the drain may time out, so )" + n +
                       R"( is allowed", "expect": {")" + n + R"(": "<=5"}})"),
              "");
    // Zero, written out, needs no reason.
    EXPECT_EQ(error_of(R"({"expect": {")" + n + R"(": 0}})"), "");
  }
  expect_error(R"({"matrix": {"producer.acks": ["1", "all"]}, "expect_when": [
                   {"when": {"producer.acks": "1"}, "expect": {"unconsumed": "any"}}]})",
               "$.expect.unconsumed", "explain in $.description");
}

TEST(Scenario, ExpectingLossNeedsNoReasonBeyondTheLimitItself) {
  // Loss is the default's opposite, and the limit says it: no description needed.
  for (const char* name : {"lost", "divergent", "consumed-then-lost"}) {
    EXPECT_EQ(error_of(R"({"expect": {")" + std::string(name) + R"(": ">0"}})"), "") << name;
  }
}

TEST(Scenario, MatrixExpandsInFileOrderWithSettingsAndFields) {
  auto s = parse(Json::parse(R"({
    "producer": {"config": {"enable.idempotence": "false"}},
    "matrix": {"producer.acks": ["0", "1", "all"], "topic.min.insync.replicas": [1, 2],
               "consumer.commit": ["auto"]}})"),
                 "m.json");
  ASSERT_EQ(s.configurations.size(), 6u);
  EXPECT_EQ(s.configurations[0].name, "acks=0,min.insync.replicas=1,commit=auto");
  EXPECT_EQ(s.configurations[1].name, "acks=0,min.insync.replicas=2,commit=auto");
  EXPECT_EQ(s.configurations[5].name, "acks=all,min.insync.replicas=2,commit=auto");
  EXPECT_EQ(s.configurations[5].producer.config.at("acks"), "all");
  EXPECT_EQ(s.configurations[5].topic.config.at("min.insync.replicas"), "2");
  EXPECT_EQ(s.configurations[5].consumer.commit, CommitMode::auto_commit);
  EXPECT_EQ(s.configurations[3].parameters["producer.acks"], "1");
}

TEST(Scenario, UnknownFieldsNameTheAllowedOnes) {
  expect_error(R"({"producer": {"acks": "all"}})", "$.producer.acks", "allowed here: config");
  expect_error(R"({"topics": {}})", "$.topics", "unknown field");
}

TEST(Scenario, WrongTypes) {
  expect_error(R"({"cluster": {"brokers": "3"}})", "$.cluster.brokers", "whole number");
  expect_error(R"({"topic": []})", "$.topic", "expected an object");
  expect_error(R"({"producer": {"config": {"acks": [1]}}})", "$.producer.config.acks",
               "string, number or boolean");
  expect_error(R"({"timings": {"warmup_s": "10"}})", "$.timings.warmup_s", "number of seconds");
  expect_error(R"({"producer": {"rate": "fast"}})", "$.producer.rate", "unbounded");
}

TEST(Scenario, ImpossibleValues) {
  expect_error(R"({"cluster": {"brokers": 0}})", "$.cluster.brokers", "from 1 to 9");
  expect_error(R"({"cluster": {"brokers": 1}, "topic": {"replication_factor": 3}})",
               "$.topic.replication_factor", "only 1 broker");
  expect_error(R"({"cluster": {"kafka_version": "2.8.1"}})", "$.cluster.kafka_version", "KRaft");
  expect_error(R"({"consumer": {"commit": "sometimes"}})", "$.consumer.commit", "after-process");
  expect_error(R"({"faults": [{"type": "broker-explode"}]})", "$.faults[0].type",
               "unknown fault type");
  expect_error(R"({"faults": [{"type": "broker-kill", "target": "leader-of-few"}]})",
               "$.faults[0].target", "leader-of-most");
  expect_error(R"({"faults": [{"type": "network-partition", "shape": "triangle"}]})",
               "$.faults[0].shape", "isolate, split, clients, one-way");
  expect_error(R"({"faults": [{"type": "consumer-crash", "target": "1"}]})", "$.faults[0].target",
               "takes no target");
  expect_error(R"({"faults": [{"type": "broker-pause", "at": -1}]})", "$.faults[0].at", ">= 0");
  expect_error(R"({"faults": [{"type": "packet-loss", "probability": 2}]})",
               "$.faults[0].probability", "at most 1");
  expect_error(R"({"faults": [{"random": {"faults": ["disk-full"]}}]})",
               "$.faults[0].random.faults", "drawn from");
  expect_error(R"({"faults": [{"type": "producer-crash", "worker": 2}]})", "$.faults[0].worker",
               "has 1");
}

TEST(Scenario, LibrdkafkaJudgesClientSettings) {
  expect_error(R"({"producer": {"config": {"acks": "most"}}})", "$.producer.config.acks",
               "librdkafka rejects it");
  expect_error(R"({"consumer": {"config": {"no.such.property": "1"}}})",
               "$.consumer.config.no.such.property", "librdkafka rejects it");
  expect_error(R"({"producer": {"config": {"acks": "1", "enable.idempotence": "true"}}})",
               "$.producer.config", "librdkafka rejects these settings");
  expect_error(R"({"consumer": {"config": {"enable.auto.commit": "true"}}})",
               "$.consumer.config.enable.auto.commit", "$.consumer.commit");
}

TEST(Scenario, MatrixErrors) {
  expect_error(R"({"matrix": {"acks": ["1"]}})", "$.matrix.acks", "SECTION.FIELD");
  expect_error(R"({"matrix": {"producer.acks": []}})", "$.matrix.producer.acks", "non-empty list");
  const auto e = error_of(R"({"matrix": {"producer.acks": ["1", "x"]}})");
  EXPECT_NE(e.find("$.producer.config.acks"), std::string::npos) << e;
  EXPECT_NE(e.find("matrix configuration acks=x"), std::string::npos) << e;
}

TEST(Scenario, ExpectLimits) {
  expect_error(R"({"expect": {"lots": 0}})", "$.expect.lots",
               "unknown anomaly \"lots\"; allowed: lost");
  expect_error(R"({"expect": {"lost": "none"}})", "$.expect.lost", "");
  auto s = parse(Json::parse(R"({"expect": {"lost": ">0", "duplicated": "any"}})"), "e.json");
  EXPECT_EQ(reports::limit_to_json(s.configurations[0].expect["lost"]), ">0");
}

TEST(Scenario, ExpectWhenSetsLimitsPerConfigurationAndSumsAreAllowed) {
  auto s = parse(Json::parse(R"({
    "expect": {"lost": 0},
    "expect_when": [{"when": {"producer.acks": "1"}, "expect": {"lost+divergent": ">0", "lost": "any"}}],
    "producer": {"config": {"enable.idempotence": "false"}},
    "matrix": {"producer.acks": ["1", "all"]}})"),
                 "w.json");
  ASSERT_EQ(s.configurations.size(), 2u);
  EXPECT_EQ(reports::limit_to_json(s.configurations[0].expect["lost+divergent"]), ">0");
  EXPECT_EQ(reports::limit_to_json(s.configurations[0].expect["lost"]), "any");
  EXPECT_EQ(s.configurations[1].expect.size(), 1u);
  EXPECT_EQ(reports::limit_to_json(s.configurations[1].expect["lost"]), 0);
  expect_error(R"({"expect_when": [{"when": {"producer.acks": "1"}, "expect": {}}]})",
               "$.expect_when[0].when.producer.acks", "not a key of $.matrix");
  expect_error(R"({"matrix": {"producer.acks": ["1"]},
                   "expect_when": [{"when": {"producer.acks": "0"}, "expect": {}}]})",
               "$.expect_when[0].when.producer.acks", "not one of its matrix values");
  expect_error(R"({"expect": {"lost+lots": ">0"}})", "$.expect.lost+lots",
               "unknown anomaly \"lots\"");
}

TEST(Scenario, FileErrorsNameTheFile) {
  EXPECT_THROW(load("/nonexistent/kchaos.json"), UserError);
  auto bad = std::filesystem::temp_directory_path() / "kchaos-bad-scenario.json";
  std::ofstream(bad) << "{ \"name\": ";
  try {
    load(bad);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(bad.string() + ": not valid JSON"), std::string::npos);
  }
  std::filesystem::remove(bad);
}

}  // namespace
}  // namespace kchaos::scenario
