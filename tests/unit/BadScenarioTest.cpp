// Bad scenarios, by class: never a crash, a hang or a silent pass. Every one
// is a UserError (exit 2) naming the file and the JSON path, refused before
// anything starts.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "Commands.h"
#include "kchaos/common/Error.h"
#include "kchaos/scenario/Scenario.h"

namespace kchaos::scenario {
namespace {

namespace fs = std::filesystem;

class BadScenario : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kchaos-bad-scenario-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// The error of loading text as a scenario file, or "" when it is valid.
  std::string error_of(const std::string& text) {
    const auto file = dir_ / "s.json";
    std::ofstream(file) << text;
    try {
      load(file);
    } catch (const UserError& e) {
      return e.what();
    }
    return "";
  }
  void expect_refused(const std::string& text, const std::string& path, const std::string& hint) {
    const std::string e = error_of(text);
    ASSERT_FALSE(e.empty()) << "accepted: " << text.substr(0, 200);
    EXPECT_NE(e.find((dir_ / "s.json").string() + ": " + path), std::string::npos) << e;
    EXPECT_NE(e.find(hint), std::string::npos) << e;
    EXPECT_LT(e.size(), 600u) << "an error message a person reads: " << e.substr(0, 200);
  }

  fs::path dir_;
};

TEST_F(BadScenario, DeepNestingIsRefusedNotACrash) {
  std::string deep = R"({"description": )";
  for (int i = 0; i < 52000; ++i) deep += "[";
  for (int i = 0; i < 52000; ++i) deep += "]";
  deep += "}";
  expect_refused(deep, "$.description", "nested deeper than 64 levels");
}

TEST_F(BadScenario, WhatWouldExpandWithoutBoundIsRefusedWithTheBound) {
  std::string matrix = R"({"matrix": {)";
  const char* keys[] = {"producer.linger.ms",       "producer.batch.size", "producer.retries",
                        "consumer.fetch.min.bytes", "topic.segment.ms",    "topic.segment.bytes"};
  for (int k = 0; k < 6; ++k) {
    matrix += std::string(k ? ", " : "") + "\"" + keys[k] + "\": [1,2,3,4,5,6,7,8,9,10]";
  }
  matrix += "}}";
  expect_refused(matrix, "$.matrix", "expands to 1000000 configurations; a scenario may have 256");
  expect_refused(
      R"({"faults": [{"random": {"faults": ["broker-kill"], "mean_interval_s": 1e-9}}]})",
      "$.faults[0].random.mean_interval_s", "at least 0.5 s");
  expect_refused(
      R"({"timings": {"faults_s": 3600}, "faults": [{"random": {"faults": ["broker-kill"], "mean_interval_s": 1}}]})",
      "$.faults", "about 3600 faults in 3600 s; a configuration may have 500");
}

TEST_F(BadScenario, AnAcksKafkaRefusesIsRefusedHere) {
  // librdkafka takes 2..1000; the brokers would refuse every send.
  expect_refused(R"({"producer": {"config": {"acks": "2"}}})", "$.producer.config.acks",
                 "\"2\" is not an acks Kafka accepts: all (or -1), 0 or 1");
  expect_refused(R"({"producer": {"config": {"request.required.acks": 1000}}})",
                 "$.producer.config.request.required.acks", "is not an acks Kafka accepts");
  for (const char* ok : {"all", "-1", "0", "1"}) {
    EXPECT_EQ(error_of(std::string(R"({"producer": {"config": {"acks": ")") + ok + "\"}}}"), "");
  }
}

TEST_F(BadScenario, NumbersOutOfRangeAndWrongContainersNameThePath) {
  expect_refused(R"({"producer": {"rate": 1e400}})", "$.producer.rate", "number overflow");
  expect_refused(R"({"cluster": 5, "matrix": {"cluster.brokers": [1, 3]}})", "$.cluster",
                 "is number, so matrix key \"cluster.brokers\" cannot set a value inside it");
  expect_refused(R"({"name": "a", "name": "b"})", "$.name", "appears twice");
  expect_refused(R"({"topic": {"config": {"a": 1, "a": 2}}})", "$.topic.config.a", "appears twice");
}

TEST_F(BadScenario, FaultsMustBeAbleToFireOnWhatTheClusterHas) {
  expect_refused(R"({"faults": [{"type": "broker-kill", "target": "7"}]})", "$.faults[0].target",
                 "broker 7 does not exist: the cluster has brokers 1..3");
  expect_refused(R"({"faults": [{"type": "broker-kill", "target": "leader:other/0"}]})",
                 "$.faults[0].target", "\"other\" is not the scenario's topic (\"kchaos\")");
  expect_refused(
      R"({"topic": {"partitions": 3}, "faults": [{"type": "broker-kill", "target": "leader:kchaos/3"}]})",
      "$.faults[0].target", "the topic has partitions 0..2");
  // Partitions an add-partitions fault adds can be named.
  EXPECT_EQ(error_of(R"({"topic": {"partitions": 3}, "faults": [
                        {"type": "add-partitions", "count": 2, "at": 1},
                        {"type": "broker-kill", "target": "leader:kchaos/4", "at": 5}]})"),
            "");
  expect_refused(R"({"faults": [{"random": {"faults": ["broker-kill"], "targets": ["5"]}}]})",
                 "$.faults[0].random.targets[0]", "broker 5 does not exist");
  expect_refused(R"({"faults": [{"type": "bandwidth", "rate": "fast"}]})", "$.faults[0].rate",
                 "expected a rate");
}

TEST_F(BadScenario, TheClusterAndTopicMustBeOnesKafkaAccepts) {
  expect_refused(R"({"topic": {"name": "a/b"}})", "$.topic.name", "not a topic name Kafka accepts");
  expect_refused(R"({"topic": {"name": ".."}})", "$.topic.name", "not a topic name");
  expect_refused(R"({"cluster": {"kafka_version": "3.9.99"}})", "$.cluster.kafka_version",
                 "not a Kafka release kchaos can run");
  expect_refused(R"({"cluster": {"broker_config": {"node.id": "5"}}})",
                 "$.cluster.broker_config.node.id", "set by kchaos itself");
  expect_refused(R"({"cluster": {"broker_config": {"log.dirs": "/tmp/x"}}})",
                 "$.cluster.broker_config.log.dirs", "set by kchaos itself");
  expect_refused(R"({"topic": {"replication_factor": 2, "config": {"min.insync.replicas": "3"}}})",
                 "$.topic.config.min.insync.replicas",
                 "3 cannot be met: the topic has 2 replica(s)");
  expect_refused(R"({"timings": {"warmup_s": 0, "faults_s": 0}})", "$.timings",
                 "nothing would be produced");
  expect_refused(R"({"name": "../../etc"})", "$.name", "cannot name a run directory");
}

TEST_F(BadScenario, MessagesShowKeysAndValuesEscapedAndShort) {
  const std::string e = error_of("{\"producer\": {\"bad\\nkey\\u001b[31m\": 1}}");
  EXPECT_NE(e.find(R"($.producer["bad\nkey\u001b[31m"]: unknown field)"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << "a raw newline in the message";
  EXPECT_EQ(e.find('\x1b'), std::string::npos) << "a raw escape in the message";
  std::string big = R"({"topic": {"name": [)";
  for (int i = 0; i < 20000; ++i) big += std::string(i ? "," : "") + "1";
  big += "]}}";
  expect_refused(big, "$.topic.name", "characters)");
}

TEST_F(BadScenario, TheScenarioPagesExampleIsValid) {
  std::ifstream in(std::filesystem::path(KCHAOS_SOURCE_DIR) / "docs" / "scenarios.md");
  std::stringstream readme;
  readme << in.rdbuf();
  const std::string text = readme.str();
  const auto heading = text.find("# The scenario file");
  ASSERT_NE(heading, std::string::npos);
  const auto start = text.find("```json\n", heading) + 8;
  const auto end = text.find("```", start);
  EXPECT_EQ(error_of(text.substr(start, end - start)), "");
}

TEST_F(BadScenario, ValidateTakesADirectoryAndHelp) {
  std::ofstream(dir_ / "a.json") << R"({"name": "a"})";
  std::ofstream(dir_ / "b.json") << R"({"name": "b"})";
  testing::internal::CaptureStdout();
  EXPECT_EQ(cli::validate_command({dir_.string()}), kExitOk);
  EXPECT_EQ(cli::validate_command({"--help"}), kExitOk);
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("a.json: valid"), std::string::npos) << out;
  EXPECT_NE(out.find("b.json: valid"), std::string::npos) << out;
  EXPECT_THROW(load(dir_), UserError) << "a directory is not a scenario file";
}

}  // namespace
}  // namespace kchaos::scenario
