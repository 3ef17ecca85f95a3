// `kchaos run` end to end on a real local cluster: the default scenario keeps
// every message, and reconciling its journals again from disk gives the same
// report.

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "harness/Process.h"
#include "harness/cluster/KafkaInstall.h"
#include "reports/Render.h"

namespace kchaos {
namespace {

std::string missing_prerequisite() {
  try {
    cluster::check_local_prerequisites();
    cluster::kafka_libs("3.9.2");
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in);
}

TEST(RunTest, TheDefaultScenarioKeepsEveryMessageAndReconcilesIdenticallyFromDisk) {
  const auto why = missing_prerequisite();
  if (!why.empty()) GTEST_SKIP() << "needs a local cluster: " << why;
  const auto out =
      std::filesystem::temp_directory_path() / ("kchaos-run-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(out);

  const auto run =
      run_command({KCHAOS_BINARY, "run", std::string(KCHAOS_SOURCE_DIR) + "/scenarios/default.json",
                   "--out", out.string(), "--seed", "7"},
                  std::chrono::minutes(8));
  std::cout << run.out << run.err;
  ASSERT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 0) << run.err;

  const auto report = read_json(out / "report.json");
  ASSERT_EQ(report["configurations"].size(), 1u);
  const auto r = reports::report_from_json(report).configurations.at(0);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_TRUE(r.passed);
  const auto& v = r.verdict;
  EXPECT_GT(v.created, 50000u) << "2000 msg/s for 60 s";
  EXPECT_EQ(v.counts.at("lost"), 0u);
  EXPECT_EQ(v.counts.at("duplicated"), 0u);
  EXPECT_EQ(v.counts.at("consumer-missed"), 0u);
  EXPECT_EQ(v.counts.at("unverifiable"), 0u);
  EXPECT_TRUE(v.equation_holds) << v.equation;
  EXPECT_EQ(v.ok, v.created) << v.equation;
  EXPECT_EQ(v.processed, v.created) << "the consumer processed every message once";
  EXPECT_EQ(v.log_records, v.created);

  // The producer's own count agrees with the journal's.
  std::ifstream plog(out / "1-default" / "producer-1.log");
  std::string line, done;
  while (std::getline(plog, line)) {
    if (line.find("\"name\":\"done\"") != std::string::npos) done = line;
  }
  ASSERT_FALSE(done.empty());
  EXPECT_EQ(nlohmann::json::parse(done)["sent"].get<uint64_t>(), v.created);

  for (const char* f : {"report.md", "junit.xml", "run.json"}) {
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  }

  const auto again = run_command({KCHAOS_BINARY, "reconcile", out.string()});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  const auto json_start = again.out.find("\n{");
  ASSERT_NE(json_start, std::string::npos) << again.out;
  const auto recomputed = nlohmann::json::parse(again.out.substr(json_start));
  EXPECT_EQ(recomputed, report) << "reconciling from disk gave a different report";

  EXPECT_TRUE(run_command({"sh", "-c", "ip netns list | grep -q '^kc-'"}).exit_code != 0)
      << "the run left namespaces behind";
  std::filesystem::remove_all(out);
}

TEST(RunTest, AProducerCrashLeavesItsInFlightSendsUnknownAndARestartedProducerGoesOn) {
  const auto why = missing_prerequisite();
  if (!why.empty()) GTEST_SKIP() << "needs a local cluster: " << why;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("kchaos-producer-crash-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "scenario.json") << R"({
    "name": "producer-crash",
    "topic": {"partitions": 3},
    "producer": {"config": {"acks": "all", "enable.idempotence": "true"}, "rate": 2000},
    "faults": [{"type": "producer-crash", "at": 3, "duration": 3}],
    "timings": {"warmup_s": 3, "faults_s": 12},
    "expect": {"lost": 0, "divergent": 0, "unknown-written+unknown-missing": ">0"}
  })";
  const auto run = run_command({KCHAOS_BINARY, "run", (dir / "scenario.json").string(), "--out",
                                (dir / "run").string(), "--seed", "2"},
                               std::chrono::minutes(5));
  std::cout << run.out << run.err;
  EXPECT_EQ(run.exit_code, 0);
  const auto r =
      reports::report_from_json(read_json(dir / "run" / "report.json")).configurations.at(0);
  EXPECT_TRUE(r.verdict.equation_holds) << r.verdict.equation;
  EXPECT_GT(r.verdict.unknown, 0u) << "the killed producer's in-flight sends have no outcome";
  EXPECT_TRUE(std::filesystem::exists(dir / "run" / "1-default" / "producer-2.journal"))
      << "the restarted producer has a fresh producer id";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kchaos
