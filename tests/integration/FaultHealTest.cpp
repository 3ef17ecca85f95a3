// Every fault's heal undoes exactly its inject: iptables rules, qdiscs,
// mounts and signals, checked on real namespaces holding stand-in broker
// processes (no Kafka: these are the fault mechanics, not the claims).

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "kchaos/cluster/Network.h"
#include "kchaos/sys/Process.h"
#include "kchaos/faults/Fault.h"
#include "kchaos/plan/Plan.h"
#include "TestBackend.h"

namespace kchaos::faults {
namespace {

using namespace kchaos::plan;

using namespace std::chrono_literals;

// Three "brokers": sleep processes in namespaces <lane>-b1..3 on the lane's
// bridge (the test's lane, KCHAOS_TEST_LANE), each with a tmpfs "log directory".
class NamespaceCluster : public cluster::Cluster {
 public:
  NamespaceCluster() : net_(cluster::Lane(test::lane())) {
    net_.remove_all();
    root_ = std::filesystem::temp_directory_path() /
            ("kchaos-fault-test-" + std::to_string(::getpid()));
    net_.create_bridge();
    for (int id = 1; id <= 3; ++id) {
      cluster::BrokerHandle b{id, net_.address(10 + id), 9092, 0,
                              net_.add_host("b" + std::to_string(id), 10 + id)};
      std::filesystem::create_directories(data_dir(id));
      run_checked({"mount", "-t", "tmpfs", "-o", "size=4m", "kchaos-" + b.netns,
                   data_dir(id).string()});
      brokers_.push_back(b);
      start(id);
    }
    net_.add_host("client", 100);
  }
  ~NamespaceCluster() override {
    net_.remove_all();
    std::filesystem::remove_all(root_);
  }

  void up() override {}
  void down() override {}
  std::vector<cluster::BrokerHandle> brokers() const override { return brokers_; }
  std::string bootstrap() const override { return "127.0.0.1:1"; }
  std::string client_netns() const override { return net_.netns_name("client"); }
  cluster::ClusterStatus status() override { return {{}, 1, ""}; }
  std::string client_address() const override { return net_.address(100); }
  std::filesystem::path data_dir(int id) const override {
    return root_ / ("b" + std::to_string(id));
  }
  bool is_running(int id) override {
    return process_state(brokers_[id - 1].pid) != ProcessState::gone;
  }
  void wait_registered(int, std::chrono::milliseconds) override {}
  double startup_seconds() const override { return 0; }
  std::filesystem::path broker_log(int) const override { return root_ / "sleep.log"; }
  void remove_data() const override {}
  void kill(int id) override { signal_and_wait(id, SIGKILL, ProcessState::gone); }
  void terminate(int id) override { signal_and_wait(id, SIGTERM, ProcessState::gone); }
  void start(int id) override {
    auto& b = brokers_[id - 1];
    b.pid = spawn_detached(cluster::in_netns(b.netns, {"sleep", "600"}), root_ / "sleep.log");
  }
  void pause(int id) override { signal_and_wait(id, SIGSTOP, ProcessState::stopped); }
  void resume(int id) override { signal_and_wait(id, SIGCONT, ProcessState::running); }
  void isolate(int id) override { cluster::add_isolation(brokers_[id - 1]); }
  void heal(int id) override { cluster::heal_isolation(brokers_[id - 1]); }

 private:
  void signal_and_wait(int id, int sig, ProcessState want) {
    ::kill(brokers_[id - 1].pid, sig);
    for (int i = 0; i < 200 && process_state(brokers_[id - 1].pid) != want; ++i) {
      std::this_thread::sleep_for(5ms);
    }
  }

  cluster::LocalNetwork net_;
  std::filesystem::path root_;
  std::vector<cluster::BrokerHandle> brokers_;
};

// What a fault may change, per broker.
std::string machine_state(NamespaceCluster& c) {
  std::string s;
  for (const auto& b : c.brokers()) {
    s += "broker " + std::to_string(b.id) + "\n";
    s += run_checked(cluster::in_netns(b, {"iptables-save", "-t", "filter"}));
    s += run_checked(cluster::in_netns(b, {"tc", "qdisc", "show", "dev", "eth0"}));
    s += std::to_string(static_cast<int>(process_state(b.pid))) + "\n";
    struct statvfs st {};
    ::statvfs(c.data_dir(b.id).c_str(), &st);
    s += "free blocks " + std::to_string(st.f_bavail) + "\n";
  }
  // Comment and counter lines of iptables-save change on their own.
  std::string out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("#", 0) == 0) continue;
    if (line.rfind(":", 0) == 0) line = line.substr(0, line.find(' ', line.find(' ') + 1));
    out += line + "\n";
  }
  return out;
}

class FaultHealTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (::geteuid() == 0 && in_path("iptables") && in_path("tc")) {
      cluster_ = std::make_unique<NamespaceCluster>();
    }
  }
  static void TearDownTestSuite() { cluster_.reset(); }
  void SetUp() override {
    if (!cluster_)
      GTEST_SKIP() << "needs root, iptables and tc (network namespaces, rules, qdiscs, mounts)";
  }

  // Injects spec, checks that the machine changed, heals, checks that it is
  // exactly as before.
  std::string inject_and_heal(Json spec_json) {
    const auto spec = parse_faults(Json::array({spec_json})).fixed.at(0);
    FaultContext ctx{*cluster_, "t", nullptr, &rng_, nullptr};
    const std::string before = machine_state(*cluster_);
    auto fault = make_fault(spec);
    fault->inject(ctx);
    const std::string during = machine_state(*cluster_);
    EXPECT_NE(during, before) << spec.describe() << " changed nothing";
    fault->heal(ctx);
    EXPECT_EQ(machine_state(*cluster_), before) << spec.describe() << " left something behind";
    return during;
  }

  // The address of host n in the test's lane.
  static std::string at(int n) { return cluster::LocalNetwork(cluster::Lane(test::lane())).address(n); }

  static inline std::unique_ptr<NamespaceCluster> cluster_;
  std::mt19937_64 rng_{3};
};

TEST_F(FaultHealTest, NetworkPartitionShapes) {
  auto during =
      inject_and_heal({{"type", "network-partition"}, {"target", "1"}, {"shape", "isolate"}});
  EXPECT_NE(during.find("-A INPUT ! -i lo -m comment --comment kchaos-fault-0 -j DROP"),
            std::string::npos)
      << during;
  during = inject_and_heal({{"type", "network-partition"}, {"target", "1"}, {"shape", "split"}});
  EXPECT_NE(during.find("-A OUTPUT -d " + at(12) + "/32 -m comment --comment kchaos-fault-0 -j DROP"),
            std::string::npos)
      << during;
  during = inject_and_heal({{"type", "network-partition"}, {"target", "2"}, {"shape", "clients"}});
  EXPECT_NE(during.find("-A INPUT -s " + at(100) + "/32 -m comment --comment kchaos-fault-0 -j DROP"),
            std::string::npos)
      << during;
  during = inject_and_heal({{"type", "network-partition"},
                            {"target", "1"},
                            {"shape", "one-way"},
                            {"direction", "out"},
                            {"port", 9092}});
  EXPECT_NE(during.find("--dport 9092 -m comment --comment kchaos-fault-0 -j DROP"),
            std::string::npos)
      << during;
}

TEST_F(FaultHealTest, APartitionReallyBlocksOnlyTheChosenLinks) {
  const auto spec =
      parse_faults(
          Json::parse(R"([{"type": "network-partition", "target": "1", "shape": "split"}])"))
          .fixed.at(0);
  FaultContext ctx{*cluster_, "t", nullptr, &rng_, nullptr};
  auto fault = make_fault(spec);
  auto reach = [&](int from, const std::string& to) {
    // A TCP connect to a closed port answers at once (RST) when the path is open.
    auto r = run_command(
        cluster::in_netns(cluster_->brokers()[from - 1],
                          {"timeout", "2", "bash", "-c", "echo > /dev/tcp/" + to + "/9"}));
    return r.err.find("refused") != std::string::npos;
  };
  EXPECT_TRUE(reach(1, at(12)));
  fault->inject(ctx);
  EXPECT_FALSE(reach(1, at(12))) << "broker 1 still reaches broker 2";
  EXPECT_FALSE(reach(2, at(11))) << "broker 2 still reaches broker 1";
  EXPECT_TRUE(reach(2, at(13))) << "the other side must stay whole";
  EXPECT_TRUE(reach(1, at(100))) << "clients still reach the cut-off side";
  fault->heal(ctx);
  EXPECT_TRUE(reach(1, at(12)));
}

TEST_F(FaultHealTest, PacketLossAndBandwidth) {
  auto during = inject_and_heal({{"type", "packet-loss"}, {"target", "3"}, {"probability", 0.5}});
  EXPECT_NE(during.find("--probability 0.5"), std::string::npos) << during;
  during = inject_and_heal({{"type", "bandwidth"}, {"target", "2"}, {"rate", "2mbit"}});
  EXPECT_NE(during.find("tbf"), std::string::npos) << during;
}

TEST_F(FaultHealTest, PauseAndKillSignals) {
  inject_and_heal({{"type", "broker-pause"}, {"target", "2"}});
  const pid_t before = cluster_->brokers()[0].pid;
  FaultContext ctx{*cluster_, "t", nullptr, &rng_, nullptr};
  auto kill = make_fault(
      parse_faults(Json::parse(R"([{"type": "broker-kill", "target": "1"}])")).fixed.at(0));
  kill->inject(ctx);
  EXPECT_EQ(process_state(before), ProcessState::gone);
  kill->heal(ctx);
  EXPECT_TRUE(cluster_->is_running(1)) << "heal restarts the killed broker";
}

// ---- faults that meet on one broker ----

std::unique_ptr<Fault> fault_of(const std::string& json, int index) {
  auto spec = parse_faults(Json::parse("[" + json + "]")).fixed.at(0);
  spec.index = index;
  return make_fault(spec);
}

TEST_F(FaultHealTest, ABrokerTwoKillsHoldDownComesBackOnlyWithTheLastHeal) {
  FaultContext ctx{*cluster_, "t", nullptr, &rng_, nullptr};
  auto first = fault_of(R"({"type": "broker-kill", "target": "1", "lose_data": true})", 1);
  auto second = fault_of(R"({"type": "broker-kill", "target": "1"})", 2);
  first->inject(ctx);
  EXPECT_FALSE(cluster_->is_running(1));
  second->inject(ctx);  // already down: held down by both
  first->heal(ctx);
  EXPECT_FALSE(cluster_->is_running(1)) << "the other kill still holds broker 1 down";
  second->heal(ctx);
  EXPECT_TRUE(cluster_->is_running(1)) << "the last heal restarts it";
}

TEST_F(FaultHealTest, APausedBrokerThatIsKilledComesBackPausedUntilThePauseHeals) {
  FaultContext ctx{*cluster_, "t", nullptr, &rng_, nullptr};
  auto pause = fault_of(R"({"type": "broker-pause", "target": "2"})", 1);
  auto kill = fault_of(R"({"type": "broker-kill", "target": "2"})", 2);
  pause->inject(ctx);
  EXPECT_EQ(process_state(cluster_->brokers()[1].pid), ProcessState::stopped);
  kill->inject(ctx);
  EXPECT_FALSE(cluster_->is_running(2));
  kill->heal(ctx);
  EXPECT_EQ(process_state(cluster_->brokers()[1].pid), ProcessState::stopped)
      << "restarted, and paused again: the pause still holds it";
  pause->heal(ctx);
  EXPECT_EQ(process_state(cluster_->brokers()[1].pid), ProcessState::running);
  // A pause over a kill: the broker stays down, and is not resumed by the pause's heal.
  kill->inject(ctx);
  pause->inject(ctx);
  pause->heal(ctx);
  EXPECT_FALSE(cluster_->is_running(2));
  kill->heal(ctx);
  EXPECT_EQ(process_state(cluster_->brokers()[1].pid), ProcessState::running);
}

TEST_F(FaultHealTest, IdenticalRulesOfTwoFaultsAreRemovedOnlyByTheirOwner) {
  FaultContext ctx{*cluster_, "t", nullptr, &rng_, nullptr};
  const std::string before = machine_state(*cluster_);
  auto a = fault_of(R"({"type": "network-partition", "target": "3", "shape": "isolate"})", 1);
  auto b = fault_of(R"({"type": "network-partition", "target": "3", "shape": "isolate"})", 2);
  a->inject(ctx);
  b->inject(ctx);
  cluster::add_isolation(cluster_->brokers()[2]);  // `kchaos cluster isolate 3` as well
  a->heal(ctx);
  std::string now = machine_state(*cluster_);
  EXPECT_EQ(now.find("kchaos-fault-1"), std::string::npos) << now;
  EXPECT_NE(now.find("-A INPUT ! -i lo -m comment --comment kchaos-fault-2 -j DROP"),
            std::string::npos)
      << now;
  cluster::heal_isolation(cluster_->brokers()[2]);
  now = machine_state(*cluster_);
  EXPECT_EQ(now.find("kchaos-isolate"), std::string::npos) << now;
  EXPECT_NE(now.find("kchaos-fault-2"), std::string::npos)
      << "heal_isolation removed a fault's rules";
  b->heal(ctx);
  EXPECT_EQ(machine_state(*cluster_), before);
}

TEST_F(FaultHealTest, DiskFullFillsTheLogDirectoryAndHealFreesIt) {
  auto during = inject_and_heal({{"type", "disk-full"}, {"target", "1"}});
  EXPECT_NE(during.find("free blocks 0\n"), std::string::npos) << during;
}

}  // namespace
}  // namespace kchaos::faults
