// An external cluster: one kchaos did not start (here one `kchaos cluster up`
// started by hand, as a user's own would be), reached through its bootstrap
// servers and acted on only through drivers. The run leaves the user's own
// topic untouched, deletes its own, and leaves the cluster up; a driver that
// exits 0 but does nothing is a fault that did not fire.

#include <gtest/gtest.h>

#include <fstream>

#include "TestBackend.h"
#include "TestClients.h"
#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/sys/Process.h"

namespace kchaos {
namespace {

using namespace std::chrono_literals;

// A cluster started with the CLI in the spare lane, taken down at the end.
class HandStartedCluster {
 public:
  explicit HandStartedCluster(std::filesystem::path dir) : dir_(std::move(dir)) {
    const auto r = cli({"up", "--lane", std::to_string(test::spare_lane())}, 5min);
    if (r.exit_code != 0) throw HarnessError("kchaos cluster up failed:\n" + r.out + r.err);
    const auto status = cli({"status", "--json"}, 1min);
    bootstrap_ = Json::parse(status.out).at("bootstrap").get<std::string>();
  }
  ~HandStartedCluster() { cli({"down"}, 3min); }

  std::vector<std::string> driver(const std::string& action) const {
    return {KCHAOS_BINARY, "cluster", action, "{id}", "--dir", dir_.string()};
  }
  CommandResult cli(std::vector<std::string> args, std::chrono::milliseconds timeout) const {
    args.insert(args.begin(), {KCHAOS_BINARY, "cluster"});
    args.insert(args.begin() + 3, {"--dir", dir_.string()});
    return run_command(args, timeout);
  }
  const std::string& bootstrap() const { return bootstrap_; }

 private:
  std::filesystem::path dir_;
  std::string bootstrap_;
};

Json scenario(const std::string& bootstrap, const Json& drivers) {
  return {{"name", "external"},
          {"cluster",
           {{"backend", "external"},
            {"bootstrap", bootstrap},
            {"drivers", drivers},
            {"allow_destructive", true}}},
          {"topic", {{"name", "kchaos-external"}, {"partitions", 3}}},
          {"producer", {{"rate", 300}, {"config", {{"acks", "all"}}}}},
          {"timings", {{"warmup_s", 3}, {"faults_s", 25}, {"drain_timeout_s", 60}}},
          {"faults", {{{"type", "broker-kill"}, {"target", "leader-of-most"}, {"at", 3},
                       {"duration", 12}}}}};
}

std::filesystem::path write(const std::filesystem::path& file, const Json& j) {
  std::ofstream(file) << j.dump(2);
  return file;
}

std::string events_text(const std::filesystem::path& run) {
  const auto r = run_command({KCHAOS_BINARY, "journal", "dump",
                              (run / "1-default" / "events.journal").string()});
  return r.out;
}

TEST(ExternalTest, DriversActOnAClusterKchaosDidNotStartAndOnlyItsOwnTopicGoes) {
  if (const auto why = test::missing_prerequisite("3.9.2"); !why.empty()) {
    GTEST_SKIP() << "needs a local cluster: " << why;
  }
  const auto dir = test::temp_dir("external");
  HandStartedCluster cluster(dir / "cluster");
  // The user's own topic, with records kchaos must not touch.
  cluster::KafkaAdmin(cluster.bootstrap()).create_topic("users-own", 2, 3);
  const auto sent = test::produce(cluster.bootstrap(), "users-own", "mine", 100);
  ASSERT_EQ(sent.size(), 100u);

  const Json drivers = {{"broker-kill", cluster.driver("kill")},
                        {"broker-start", cluster.driver("start")}};
  auto run = test::run_kchaos(KCHAOS_BINARY, write(dir / "ok.json", scenario(cluster.bootstrap(),
                                                                             drivers)),
                              dir / "ok", 3, 6min);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const std::string events = events_text(dir / "ok");
  EXPECT_NE(events.find("driver broker-kill broker"), std::string::npos) << events;
  EXPECT_NE(events.find("driver broker-start broker"), std::string::npos) << events;
  const auto md = cluster::KafkaAdmin(cluster.bootstrap()).metadata(10s);
  EXPECT_EQ(md.topics.count("kchaos-external"), 0u) << "kchaos's topic is deleted after the run";
  EXPECT_EQ(test::read_all(cluster.bootstrap(), "users-own").size(), 100u);
  EXPECT_EQ(md.brokers.size(), 3u) << "the cluster stays up";

  // A kill driver that kills nothing: the fault did not fire (exit 3).
  const Json idle = {{"broker-kill", {"true"}}, {"broker-start", cluster.driver("start")}};
  run = test::run_kchaos(KCHAOS_BINARY, write(dir / "idle.json", scenario(cluster.bootstrap(), idle)),
                         dir / "idle", 3, 6min);
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_NE((run.out + run.err).find("still in the cluster's metadata"), std::string::npos)
      << run.out << run.err;

  // A cluster that does not answer is bad input, said before anything runs.
  run = test::run_kchaos(KCHAOS_BINARY,
                         write(dir / "nowhere.json", scenario("127.0.0.1:1", drivers)),
                         dir / "nowhere", 3, 2min);
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE((run.out + run.err).find("cannot reach the cluster at 127.0.0.1:1"),
            std::string::npos)
      << run.out << run.err;
}

}  // namespace
}  // namespace kchaos
