// A real 3-broker KRaft cluster: produce and consume through it, kill a
// leader, isolate, pause, crash the controller mid-start, and check that
// `down` leaves nothing behind. On the local backend (network namespaces), or
// with KCHAOS_TEST_BACKEND=compose on Docker Compose from the image kchaos
// builds (built here when missing).

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <boost/process.hpp>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include "TestBackend.h"
#include "TestClients.h"
#include "kchaos/cluster/Backends.h"
#include "kchaos/cluster/ComposeCluster.h"
#include "kchaos/cluster/Image.h"
#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/cluster/Lane.h"
#include "kchaos/cluster/LocalCluster.h"
#include "kchaos/cluster/Network.h"
#include "kchaos/sys/Process.h"
#include "kchaos/common/Error.h"

namespace kchaos {
namespace {

using cluster::KafkaAdmin;
using cluster::LocalCluster;
using cluster::PartitionInfo;
using Clock = std::chrono::steady_clock;
using test::backend;
using test::compose;
using test::eventually;
using test::leftovers;
using test::spec_in;
using test::temp_dir;

// The partition as the cluster's metadata has it; a topic created a moment ago
// may not have reached every broker yet.
PartitionInfo partition(const std::string& bootstrap, const std::string& topic, int p) {
  PartitionInfo found;
  const bool known = eventually(10s, [&] {
    auto md = KafkaAdmin(bootstrap).metadata(3s);
    auto it = md.topics.find(topic);
    if (it == md.topics.end() || static_cast<int>(it->second.size()) <= p) return false;
    found = it->second[p];
    return true;
  });
  if (!known) throw std::runtime_error("no partition " + topic + "/" + std::to_string(p));
  return found;
}

// "value: error code" of the first failed delivery, or "none".
std::string first_failure(const std::vector<test::Delivery>& a,
                          const std::vector<test::Delivery>& b) {
  for (const auto* reports : {&a, &b}) {
    for (const auto& d : *reports) {
      if (d.error != 0) return d.value + ": error " + std::to_string(d.error);
    }
  }
  return "none";
}

bool contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

class ClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    skip_reason_ = test::missing_prerequisite(cluster::ClusterSpec{}.kafka_version);
    if (!skip_reason_.empty()) return;
    const auto spec = spec_in(temp_dir("cluster"));
    dir_ = spec.dir;
    // A cluster that does not start fails every test with the reason (gtest
    // would report an exception here as a skip).
    try {
      cluster_ = cluster::make_cluster(spec);
      cluster_->up();
    } catch (const std::exception& e) {
      start_error_ = e.what();
      return;
    }
    std::cout << "[cluster] " << backend() << " backend, Kafka " << spec.kafka_version
              << ", 3 brokers ready in " << cluster_->startup_seconds() << " s at "
              << cluster_->bootstrap() << std::endl;
  }
  static void TearDownTestSuite() {
    if (cluster_) {
      cluster_->down();
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);  // its broker logs and data
    }
    cluster_.reset();
  }
  void SetUp() override {
    if (!skip_reason_.empty())
      GTEST_SKIP() << "needs a " << test::backend() << " cluster: " << skip_reason_;
    ASSERT_EQ(start_error_, "") << "the " << test::backend() << " cluster did not start";
    ASSERT_NE(cluster_, nullptr);
    // Every test starts from a whole cluster.
    for (const auto& b : cluster_->brokers()) {
      cluster_->heal(b.id);
      cluster_->resume(b.id);
    }
  }

  static inline std::unique_ptr<cluster::Cluster> cluster_;
  static inline std::filesystem::path dir_;
  static inline std::string skip_reason_;
  static inline std::string start_error_;
};

TEST_F(ClusterTest, ProducesAndConsumesThroughEveryBroker) {
  const std::string bs = cluster_->bootstrap();
  KafkaAdmin(bs).create_topic("basic", 6, 3);
  // Every broker knows the new topic before the producer asks any of them: a
  // broker whose metadata still lags tells it the topic has no partitions, and
  // librdkafka fails what it queued (seen here as -190, unknown partition).
  ASSERT_TRUE(cluster::wait_isr_full_on_each(cluster_->brokers(), "basic", 60s))
      << "a broker never knew topic basic";
  auto reports = test::produce(bs, "basic", "m", 3000, {{"acks", "all"}});
  ASSERT_EQ(reports.size(), 3000u);
  std::set<int32_t> partitions;
  for (const auto& d : reports) {
    ASSERT_EQ(d.error, 0) << d.value;
    partitions.insert(d.partition);
  }
  EXPECT_EQ(partitions.size(), 6u);
  auto values = test::read_all(bs, "basic");
  std::set<std::string> got(values.begin(), values.end());
  EXPECT_EQ(values.size(), 3000u);
  for (const auto& d : reports) EXPECT_TRUE(got.count(d.value)) << d.value << " missing";
}

TEST_F(ClusterTest, KillingTheLeaderElectsANewOneAndKeepsAcknowledgedMessages) {
  const std::string bs = cluster_->bootstrap();
  KafkaAdmin(bs).create_topic("failover", 1, 3, {{"min.insync.replicas", "2"}});
  ASSERT_TRUE(cluster::wait_isr_full_on_each(cluster_->brokers(), "failover", 60s));
  auto before = test::produce(bs, "failover", "before", 2000, {{"acks", "all"}});
  const int old_leader = partition(bs, "failover", 0).leader;
  ASSERT_GE(old_leader, 1);

  cluster_->kill(old_leader);
  std::string survivors;
  for (const auto& b : cluster_->brokers()) {
    if (b.id != old_leader) survivors += (survivors.empty() ? "" : ",") + b.address();
  }
  EXPECT_TRUE(eventually(30s,
                         [&] {
                           int leader = partition(survivors, "failover", 0).leader;
                           return leader >= 1 && leader != old_leader;
                         }))
      << "no new leader was elected after broker " << old_leader << " died";
  auto after = test::produce(survivors, "failover", "after", 500, {{"acks", "all"}});

  auto values = test::read_all(survivors, "failover");
  std::set<std::string> log(values.begin(), values.end());
  int acked = 0;
  for (const auto* reports : {&before, &after}) {
    for (const auto& d : *reports) {
      if (d.error != 0) continue;
      ++acked;
      EXPECT_TRUE(log.count(d.value)) << "acknowledged " << d.value << " is missing";
    }
  }
  EXPECT_EQ(acked, 2500) << "first failed delivery: " << first_failure(before, after);

  cluster_->start(old_leader);
  cluster_->wait_registered(old_leader, 90s);
  EXPECT_TRUE(eventually(60s, [&] { return partition(bs, "failover", 0).isr.size() == 3; }));
}

TEST_F(ClusterTest, AnIsolatedBrokerLeavesTheIsrAndRejoinsWhenHealed) {
  const std::string bs = cluster_->bootstrap();
  KafkaAdmin(bs).create_topic("isolation", 1, 3);
  ASSERT_TRUE(cluster::wait_isr_full_on_each(cluster_->brokers(), "isolation", 60s));
  const auto p = partition(bs, "isolation", 0);
  const int follower = p.replicas[0] == p.leader ? p.replicas[1] : p.replicas[0];
  const auto isolated = cluster_->brokers()[follower - 1];

  cluster_->isolate(follower);
  EXPECT_TRUE(cluster::is_isolated(isolated));
  EXPECT_FALSE(test::answers(isolated.host, isolated.port, 1s)) << "isolated broker still answers";
  std::string others;
  for (const auto& b : cluster_->brokers()) {
    if (b.id != follower) others += (others.empty() ? "" : ",") + b.address();
  }
  const auto shrink_start = Clock::now();
  EXPECT_TRUE(eventually(60s,
                         [&] {
                           test::produce(others, "isolation", "x", 50, {{"acks", "1"}}, 5s);
                           return !contains(partition(others, "isolation", 0).isr, follower);
                         }))
      << "broker " << follower << " never left the ISR";
  std::cout << "[isolate] ISR shrank after "
            << std::chrono::duration<double>(Clock::now() - shrink_start).count() << " s\n";

  cluster_->heal(follower);
  EXPECT_FALSE(cluster::is_isolated(isolated));
  EXPECT_TRUE(test::answers(isolated.host, isolated.port, 2s));
  EXPECT_TRUE(
      eventually(60s, [&] { return contains(partition(bs, "isolation", 0).isr, follower); }))
      << "broker " << follower << " never rejoined the ISR";
}

TEST_F(ClusterTest, APausedBrokerStopsAnsweringAndResumes) {
  const auto b = cluster_->brokers()[2];
  cluster_->pause(b.id);
  // Docker pauses through the freezer cgroup, not SIGSTOP.
  if (!compose()) {
    EXPECT_EQ(process_state(b.pid), ProcessState::stopped);
  }
  EXPECT_THROW(KafkaAdmin(b.address()).metadata(2s), Error)
      << "a stopped JVM answered a metadata request";
  auto st = cluster_->status();
  EXPECT_EQ(st.brokers[2].state, cluster::BrokerState::paused);

  cluster_->resume(b.id);
  EXPECT_EQ(cluster_->status().brokers[2].state, cluster::BrokerState::up);
  if (!compose()) {
    EXPECT_EQ(process_state(b.pid), ProcessState::running);
  }
  EXPECT_TRUE(
      eventually(30s, [&] { return KafkaAdmin(b.address()).metadata(2s).answered_by == b.id; }));
}

TEST_F(ClusterTest, StatusReportsLeadersAndTheActiveController) {
  // An earlier test may have caused a quorum election; give it a moment.
  ASSERT_TRUE(eventually(15s, [&] { return cluster_->status().controller.has_value(); }));
  const auto st = cluster_->status();
  ASSERT_EQ(st.brokers.size(), 3u);
  ASSERT_TRUE(st.controller.has_value());
  EXPECT_GE(*st.controller, 1);
  EXPECT_LE(*st.controller, 3);
  int leads = 0;
  for (const auto& b : st.brokers) {
    EXPECT_EQ(b.state, cluster::BrokerState::up);
    EXPECT_FALSE(b.isolated);
    for (const auto& l : b.leads) leads += l.rfind(LocalCluster::kReadyTopic, 0) == 0;
  }
  EXPECT_EQ(leads, 3) << "every partition of the readiness topic has one leader";
}

// Kafka's JVMs started on this machine map the class-data archive kchaos
// made for this Kafka and this JVM (a JVM maps it only when it accepts it).
// On compose, the storage format runs here with it; the brokers run the
// image's JVM without one.
TEST_F(ClusterTest, LocalKafkaJvmsMapTheClassDataArchive) {
  const auto java = cluster::kafka_java(cluster::ClusterSpec{}.kafka_version);
  ASSERT_EQ(java.size(), 2u) << "no class-data archive was made";
  const std::string archive = java[1].substr(java[1].find('=') + 1);
  ASSERT_TRUE(std::filesystem::exists(archive)) << archive;
  if (compose()) return;
  for (const auto& b : cluster_->brokers()) {
    std::ifstream maps("/proc/" + std::to_string(b.pid) + "/maps");
    const std::string mapped((std::istreambuf_iterator<char>(maps)), {});
    EXPECT_NE(mapped.find(archive), std::string::npos)
        << "broker " << b.id << " (pid " << b.pid << ") does not map " << archive;
  }
}

}  // namespace
}  // namespace kchaos
