// `kchaos run` end to end on a real local cluster: the default scenario keeps
// every message, and reconciling its journals again from disk gives the same
// report.

#include <gtest/gtest.h>
#include <unistd.h>

#include <signal.h>

#include <fstream>
#include <iostream>
#include <thread>

#include "TestBackend.h"
#include "TestClients.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/cluster/Lane.h"
#include "kchaos/sys/Process.h"
#include "kchaos/journal/Journal.h"
#include "kchaos/reports/Render.h"

namespace kchaos {
namespace {

using namespace std::chrono_literals;
using test::read_json;

std::string missing_prerequisite() {
  try {
    cluster::check_local_prerequisites();
    cluster::kafka_libs("3.9.2");
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

CommandResult run_kchaos(const std::filesystem::path& scenario, const std::filesystem::path& out,
                         int seed, std::chrono::milliseconds timeout) {
  return test::run_kchaos(KCHAOS_BINARY, scenario, out, seed, timeout);
}

// Whether the test's lane still has network namespaces.
bool lane_has_namespaces() {
  const std::string prefix = cluster::Lane(test::lane()).local_prefix();
  return run_command({"sh", "-c", "ip netns list | grep -q '^" + prefix + "-'"}).exit_code == 0;
}

// A controller this test started in the background: stopped (as Ctrl-C
// would, so it heals and takes its cluster down) if the test ends early.
class Controller {
 public:
  Controller(const std::vector<std::string>& argv, const std::filesystem::path& log)
      : pid_(spawn_detached(argv, log)) {}
  ~Controller() {
    if (process_state(pid_) == ProcessState::gone) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 1800 && process_state(pid_) != ProcessState::gone; ++i) {
      std::this_thread::sleep_for(50ms);
    }
    ::kill(pid_, SIGKILL);
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_;
};

// The pids of kchaos-worker processes whose command line names dir.
std::vector<pid_t> workers_of(const std::filesystem::path& dir) {
  std::vector<pid_t> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string cmdline = process_cmdline(std::stoi(name));
    if (cmdline.find("kchaos-worker") != std::string::npos &&
        cmdline.find(dir.string()) != std::string::npos) {
      out.push_back(std::stoi(name));
    }
  }
  return out;
}

bool file_has(const std::filesystem::path& file, const std::string& text) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(RunTest, TheDefaultScenarioKeepsEveryMessageAndReconcilesIdenticallyFromDisk) {
  const auto why = missing_prerequisite();
  if (!why.empty()) GTEST_SKIP() << "needs a local cluster: " << why;
  // KCHAOS_DEFAULT_RUN_DIR keeps the run (ctest's compose_scenarios compares
  // its verdict on compose with this one).
  const char* keep = std::getenv("KCHAOS_DEFAULT_RUN_DIR");
  const std::filesystem::path out =
      keep && *keep ? std::filesystem::path(keep)
                    : std::filesystem::temp_directory_path() /
                          ("kchaos-run-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(out);

  const auto run = run_kchaos(std::string(KCHAOS_SOURCE_DIR) + "/scenarios/default.json", out, 7,
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
  EXPECT_EQ(Json::parse(done)["sent"].get<uint64_t>(), v.created);

  for (const char* f : {"report.html", "report.md", "junit.xml", "run.json"}) {
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  }
  // The backend is the configuration's, written where the run is described.
  EXPECT_EQ(read_json(out / "run.json")["backend"], "local");
  EXPECT_EQ(read_json(out / "1-default" / "config.json")["backend"], "local");
  EXPECT_TRUE(file_has(out / "report.html", "<dt>backend</dt><dd>local</dd>"));

  const auto again = run_command({KCHAOS_BINARY, "reconcile", out.string(), "--json"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  const auto recomputed = Json::parse(again.out);
  EXPECT_EQ(recomputed, report) << "reconciling from disk gave a different report";
  const auto table = run_command({KCHAOS_BINARY, "reconcile", out.string()});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("PASS"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find((out / "report.html").string()), std::string::npos) << table.out;

  EXPECT_FALSE(lane_has_namespaces()) << "the run left namespaces behind";
  if (!(keep && *keep)) std::filesystem::remove_all(out);
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
  const auto run = run_kchaos(dir / "scenario.json", dir / "run", 2, std::chrono::minutes(5));
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

TEST(RunTest, AConsumerCrashKillsTheConsumerInTheMiddleOfABatchAndANewOneTakesOver) {
  const auto why = missing_prerequisite();
  if (!why.empty()) GTEST_SKIP() << "needs a local cluster: " << why;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("kchaos-consumer-crash-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  // The consumer (20 ms a message) falls behind the producer, so its batches
  // are full (50 messages, 1 s); it is killed 0.5 s into one.
  std::ofstream(dir / "scenario.json") << R"({
    "name": "consumer-crash",
    "description": "a consumer killed mid-batch",
    "topic": {"partitions": 3},
    "producer": {"config": {"acks": "all", "enable.idempotence": "true"}, "rate": 100},
    "consumer": {"batch_size": 50, "process_delay_ms": 20, "config": {"session.timeout.ms": "6000"}},
    "faults": [{"type": "consumer-crash", "at": 3, "duration": 2, "into_batch_s": 0.5}],
    "timings": {"warmup_s": 5, "faults_s": 12, "drain_timeout_s": 90},
    "expect": {"lost": 0, "consumer-missed": 0, "consumer-duplicated": ">0"}
  })";
  const auto run = run_kchaos(dir / "scenario.json", dir / "run", 4, std::chrono::minutes(6));
  std::cout << run.out << run.err;
  EXPECT_EQ(run.exit_code, 0);
  const auto config_dir = dir / "run" / "1-default";
  // The killed consumer's own journal ends inside a batch: begun, partly
  // processed, never ended.
  uint32_t batch = 0, processed_in_batch = 0;
  bool open = false;
  journal::read<journal::ConsumerRecord>(config_dir / "consumer-1.journal",
                                         [&](const journal::ConsumerRecord& r) {
                                           switch (static_cast<journal::ConsumerEvent>(r.event)) {
                                             case journal::ConsumerEvent::batch_begin:
                                               open = true, batch = r.count, processed_in_batch = 0;
                                               break;
                                             case journal::ConsumerEvent::batch_end:
                                               open = false;
                                               break;
                                             case journal::ConsumerEvent::processed:
                                               ++processed_in_batch;
                                               break;
                                             default:
                                               break;
                                           }
                                         });
  EXPECT_TRUE(open) << "consumer-1 was not killed inside a batch";
  EXPECT_EQ(batch, 50u);
  EXPECT_GT(processed_in_batch, 0u);
  EXPECT_LT(processed_in_batch, 50u);
  // The events journal has the kill; a second consumer took over and read.
  bool killed = false;
  journal::read<journal::EventRecord>(
      config_dir / "events.journal", [&](const journal::EventRecord& e) {
        killed =
            killed || static_cast<journal::EventType>(e.type) == journal::EventType::worker_killed;
      });
  EXPECT_TRUE(killed);
  uint64_t second = 0;
  journal::read<journal::ConsumerRecord>(
      config_dir / "consumer-2.journal", [&](const journal::ConsumerRecord& r) {
        second += r.event == static_cast<uint8_t>(journal::ConsumerEvent::processed);
      });
  EXPECT_GT(second, 0u) << "the restarted consumer read nothing";
  const auto r =
      reports::report_from_json(read_json(dir / "run" / "report.json")).configurations.at(0);
  EXPECT_TRUE(r.passed) << "after-process commits redeliver the killed batch's processed part";
  std::filesystem::remove_all(dir);
}

TEST(RunTest, AKilledControllerTakesItsWorkersAlongAndItsClusterCanStillGiveAVerdict) {
  const auto why = missing_prerequisite();
  if (!why.empty()) GTEST_SKIP() << "needs a local cluster: " << why;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("kchaos-controller-crash-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "scenario.json") << R"({
    "name": "controller-crash",
    "topic": {"partitions": 3, "config": {"min.insync.replicas": "2"}},
    "producer": {"config": {"acks": "all", "enable.idempotence": "true"}, "rate": 1000},
    "timings": {"warmup_s": 5, "faults_s": 600}
  })";
  const auto run_dir = dir / "run";
  const Controller controller({KCHAOS_BINARY, "run", (dir / "scenario.json").string(), "--out",
                               run_dir.string(), "--seed", "3", "--lane",
                               std::to_string(test::lane())},
                              dir / "controller.log");
  const auto config_dir = run_dir / "1-default";
  // Both workers are producing and consuming.
  ASSERT_TRUE(test::eventually(std::chrono::minutes(3), [&] {
    return file_has(config_dir / "producer-1.log", "\"name\":\"progress\"") &&
           file_has(config_dir / "consumer-1.log", "\"assigned_partitions\":3");
  })) << tail_lines(dir / "controller.log", 30);
  ASSERT_EQ(workers_of(run_dir).size(), 2u);

  ::kill(controller.pid(), SIGKILL);
  for (int i = 0; i < 100 && process_state(controller.pid()) != ProcessState::gone; ++i) {
    std::this_thread::sleep_for(50ms);
  }
  const auto killed = std::chrono::steady_clock::now();
  EXPECT_TRUE(test::eventually(5s, [&] { return workers_of(run_dir).empty(); }))
      << workers_of(run_dir).size() << " worker(s) outlived their controller";
  std::cout << "workers gone "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count()
            << " s after the controller was killed\n";

  // The brokers outlived it: audit the log, then reconcile.
  const auto audit =
      run_command({KCHAOS_BINARY, "audit", run_dir.string(), "--down"}, std::chrono::minutes(6));
  std::cout << audit.out << audit.err;
  EXPECT_EQ(audit.exit_code, 0);
  const auto again = run_command({KCHAOS_BINARY, "reconcile", run_dir.string(), "--json"});
  const auto r = reports::report_from_json(Json::parse(again.out)).configurations.at(0);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_GT(r.verdict.created, 1000u);
  EXPECT_EQ(r.verdict.counts.at("lost"), 0u);
  EXPECT_EQ(r.verdict.counts.at("unverifiable"), 0u);
  EXPECT_EQ(r.verdict.partitions_unverifiable, 0u);
  EXPECT_TRUE(r.verdict.equation_holds) << r.verdict.equation;
  EXPECT_EQ(r.verdict.recovered, true);

  // Once the cluster is gone, there is nothing to audit: exit 2.
  const auto gone = run_command({KCHAOS_BINARY, "audit", run_dir.string()});
  EXPECT_EQ(gone.exit_code, 2) << gone.out << gone.err;
  EXPECT_NE(gone.err.find("is gone"), std::string::npos) << gone.err;
  EXPECT_FALSE(lane_has_namespaces()) << "namespaces left behind";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kchaos
