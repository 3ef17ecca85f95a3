// A cluster's whole life from outside: a controller killed mid-start and
// the next start cleaning after it, and two clusters in two lanes side by
// side (on the backend KCHAOS_TEST_BACKEND names, in lane KCHAOS_TEST_LANE).

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <boost/process.hpp>
#include <iostream>
#include <sstream>

#include "TestBackend.h"
#include "TestClients.h"
#include "kchaos/cluster/Backends.h"
#include "kchaos/cluster/ComposeCluster.h"
#include "kchaos/cluster/Docker.h"
#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/cluster/Lane.h"
#include "kchaos/cluster/LocalCluster.h"
#include "kchaos/cluster/Network.h"
#include "kchaos/sys/Process.h"
#include "kchaos/common/Json.h"

namespace kchaos {
namespace {

using cluster::LocalCluster;
using test::backend;
using test::compose;
using test::eventually;
using test::leftovers;
using test::spec_in;
using test::temp_dir;

// The namespaces named with a lane's prefix.
std::vector<std::string> namespaces_with_prefix(const cluster::Lane& lane) {
  std::vector<std::string> out;
  auto listing = run_command({"ip", "netns", "list"}).out;
  std::istringstream in(listing);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(lane.local_prefix() + "-", 0) == 0) out.push_back(line);
  }
  return out;
}

// Runs after the shared cluster is gone (gtest runs suites in order).
class ClusterLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto why = test::missing_prerequisite(cluster::ClusterSpec{}.kafka_version);
    if (!why.empty()) GTEST_SKIP() << "needs a " << test::backend() << " cluster: " << why;
  }
};

TEST_F(ClusterLifecycleTest, StartsAgainAfterAControllerKilledMidStartAndDownLeavesNothing) {
  const auto dir = temp_dir("crash");
  namespace bp = boost::process;
  // A controller SIGKILLed while brokers are starting leaves namespaces,
  // links and JVMs behind.
  const auto spec = spec_in(dir);
  const cluster::Lane lane(test::lane());
  std::vector<std::string> argv = {"cluster", "up", "--dir", dir.string(), "--lane",
                                   std::to_string(lane.id())};
  if (compose()) argv.insert(argv.end(), {"--backend", "compose", "--image", spec.image});
  bp::child crashed(KCHAOS_BINARY, bp::args(argv), bp::std_out > bp::null, bp::std_err > bp::null);
  // Killed once the brokers run (JVMs, or containers), before the cluster is ready.
  const std::string running = compose() ? "container " : "process ";
  ASSERT_TRUE(eventually(60s, [&] {
    for (const auto& l : leftovers()) {
      if (l.rfind(running, 0) == 0) return true;
    }
    return false;
  }));
  ::kill(crashed.id(), SIGKILL);
  crashed.wait();
  ASSERT_FALSE(leftovers().empty()) << "the crash left nothing to clean";

  auto owned = cluster::make_cluster(spec);
  cluster::Cluster& cluster = *owned;
  cluster.up();
  EXPECT_EQ(cluster.status().brokers.size(), 3u);
  auto reports =
      test::produce(cluster.bootstrap(), LocalCluster::kReadyTopic, "r", 100, {{"acks", "all"}});
  EXPECT_EQ(std::count_if(reports.begin(), reports.end(), [](auto& d) { return d.error == 0; }),
            100);
  std::vector<pid_t> pids;
  for (const auto& b : cluster.brokers()) pids.push_back(b.pid);

  cluster.down();
  EXPECT_TRUE(namespaces_with_prefix(lane).empty());
  EXPECT_TRUE(leftovers().empty()) << join(leftovers(), ", ");
  if (compose()) {
    const std::string project = lane.compose_project();
    const auto named =
        cluster::docker({"ps", "-a", "--filter", "name=" + project + "-b", "-q"}).out +
        cluster::docker({"ps", "-a", "--filter", "name=" + project + "-n", "-q"}).out +
        cluster::docker({"network", "ls", "--filter", "name=" + project + "-net", "-q"}).out;
    EXPECT_EQ(named, "") << "containers or networks named like ours are left";
  }
  auto links = run_command({"ip", "-o", "link", "show"}).out;
  EXPECT_EQ(links.find(" " + lane.local_prefix() + "br0"), std::string::npos);
  EXPECT_EQ(links.find(" " + lane.local_prefix() + "v-"), std::string::npos);
  for (pid_t pid : pids) EXPECT_EQ(process_state(pid), ProcessState::gone) << "pid " << pid;
  std::cout << "[lifecycle] " << backend() << " backend: a start after the crash took "
            << cluster.startup_seconds() << " s, leftovers included\n";
  std::filesystem::remove_all(dir);
}

// `kchaos cluster ACTION --dir DIR --lane LANE [more]`, its output.
CommandResult cluster_cli(const std::string& action, const std::filesystem::path& dir, int lane,
                          std::vector<std::string> more = {}) {
  std::vector<std::string> argv = {KCHAOS_BINARY, "cluster", action, "--dir", dir.string(),
                                   "--lane", std::to_string(lane)};
  argv.insert(argv.end(), more.begin(), more.end());
  return run_command(argv, 5min);
}

// Two clusters in two lanes, started by hand, as two users would: each
// start cleans only its own lane, and down of one leaves the other running.
TEST_F(ClusterLifecycleTest, TwoLanesByHandRunSideBySideAndDownTouchesOnlyItsOwn) {
  const int a = test::lane(), b = test::spare_lane();
  const auto dir_a = temp_dir("lane-a"), dir_b = temp_dir("lane-b");
  std::vector<std::string> up = {"--brokers", "1"};
  if (compose()) up.insert(up.end(), {"--backend", "compose", "--image", spec_in(dir_a).image});
  auto started = cluster_cli("up", dir_a, a, up);
  ASSERT_EQ(started.exit_code, 0) << started.out << started.err;
  started = cluster_cli("up", dir_b, b, up);
  ASSERT_EQ(started.exit_code, 0) << started.out << started.err;

  auto bootstrap = [&](const std::filesystem::path& dir, int lane) {
    const auto r = cluster_cli("status", dir, lane, {"--json"});
    const Json j = Json::parse(r.out, nullptr, false);
    return j.is_object() && j["brokers"].size() == 1 && j["brokers"][0]["state"] == "up"
               ? j["bootstrap"].get<std::string>()
               : std::string();
  };
  const std::string at_a = bootstrap(dir_a, a), at_b = bootstrap(dir_b, b);
  ASSERT_FALSE(at_a.empty()) << "lane " << a << "'s broker is not up after lane " << b << " started";
  ASSERT_FALSE(at_b.empty());
  EXPECT_NE(at_a, at_b) << "two lanes share an address";

  // The brokers create no topic on their own: lane b's is made here, and
  // takes writes before lane a goes down, so a failure after it is the down's.
  cluster::KafkaAdmin(at_b).create_topic("lanes", 1, 1);
  auto acked = [&](const std::string& prefix) {
    const auto reports = test::produce(at_b, "lanes", prefix, 50, {{"acks", "all"}});
    return std::count_if(reports.begin(), reports.end(), [](auto& d) { return d.error == 0; });
  };
  ASSERT_EQ(acked("before"), 50) << "lane " << b << "'s broker does not take writes";

  const auto down = cluster_cli("down", dir_a, a);
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_TRUE(leftovers().empty()) << join(leftovers(), ", ");
  EXPECT_EQ(bootstrap(dir_b, b), at_b) << "down of lane " << a << " touched lane " << b;
  EXPECT_EQ(acked("after"), 50) << "lane " << b << "'s broker does not take writes after lane "
                                << a << " went down";
  EXPECT_EQ(cluster_cli("down", dir_b, b).exit_code, 0);
  const cluster::Lane spare(b);
  const auto left = compose() ? cluster::ComposeCluster::leftovers(spare)
                              : cluster::LocalNetwork(spare).leftovers();
  EXPECT_TRUE(left.empty()) << join(left, ", ");
  std::filesystem::remove_all(dir_a);
  std::filesystem::remove_all(dir_b);
}

}  // namespace
}  // namespace kchaos
