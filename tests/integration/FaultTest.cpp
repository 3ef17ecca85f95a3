// Each fault kind injected into a real 3-broker cluster and healed, observed
// from outside: the broker really stops answering, the partition really cuts
// only the chosen links, the partitions really grow. On the local backend, or
// on compose with KCHAOS_TEST_BACKEND=compose.

#include <gtest/gtest.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <thread>

#include "FaultFixture.h"
#include "TestBackend.h"
#include "TestClients.h"
#include "kchaos/cluster/Backends.h"
#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/cluster/Network.h"
#include "kchaos/sys/Process.h"
#include "kchaos/cluster/Readiness.h"
#include "kchaos/common/Error.h"
#include "kchaos/faults/Fault.h"
#include "kchaos/plan/Plan.h"

namespace kchaos::faults {
namespace {

using cluster::KafkaAdmin;
using Clock = std::chrono::steady_clock;
using test::eventually;

bool answers_kafka(const cluster::BrokerHandle& b) {
  try {
    return KafkaAdmin(b.address()).metadata(2s).answered_by == b.id;
  } catch (const Error&) {  // no answer: transient or harness, both mean no
    return false;
  }
}

// Whether anything answers a TCP connection from inside broker `from`'s
// namespace to to:port: it completes, or is refused (no listener), rather
// than timing out on dropped packets.
bool connects(const cluster::BrokerHandle& from, const std::string& to, int port) {
  auto r = run_command(cluster::in_netns(
      from, {"timeout", "2", "bash", "-c", "echo > /dev/tcp/" + to + "/" + std::to_string(port)}));
  return r.exit_code == 0 || r.err.find("refused") != std::string::npos;
}


TEST_F(FaultTest, BrokerKillStopsTheLeaderAndHealBringsItBack) {
  auto& c = ctx();
  auto f = fault(R"({"type": "broker-kill", "target": "leader:t/0"})");
  f->inject(c);
  const int killed = std::stoi(f->description().substr(f->description().rfind(' ') + 1));
  const auto b = broker(killed);
  EXPECT_FALSE(cluster_->is_running(killed));
  EXPECT_FALSE(answers_kafka(b));
  EXPECT_TRUE(eventually(30s, [&] {
    return KafkaAdmin(cluster_->bootstrap()).metadata(2s).topics.at("t").at(0).leader != killed;
  })) << "no new leader for t/0";
  f->heal(c);
  EXPECT_TRUE(eventually(60s, [&] { return answers_kafka(broker(killed)); }));
}

TEST_F(FaultTest, BrokerPauseStopsAnsweringUntilHealed) {
  auto& c = ctx();
  auto f = fault(R"({"type": "broker-pause", "target": "2"})");
  f->inject(c);
  // Docker pauses through the freezer cgroup, not SIGSTOP.
  EXPECT_TRUE(test::compose() || process_state(broker(2).pid) == ProcessState::stopped);
  EXPECT_EQ(cluster_->status().brokers[1].state, cluster::BrokerState::paused);
  EXPECT_FALSE(answers_kafka(broker(2)));
  f->heal(c);
  EXPECT_TRUE(eventually(20s, [&] { return answers_kafka(broker(2)); }));
}

TEST_F(FaultTest, SplitCutsOnlyTheLinksBetweenTheGroups) {
  auto& c = ctx();
  auto f = fault(R"({"type": "network-partition", "shape": "split", "target": "1"})");
  f->inject(c);
  EXPECT_FALSE(connects(broker(1), broker(2).host, 9092));
  EXPECT_FALSE(connects(broker(2), broker(1).host, 9093));
  EXPECT_TRUE(connects(broker(2), broker(3).host, 9092)) << "the majority side must stay linked";
  EXPECT_TRUE(answers_kafka(broker(1))) << "clients still reach the cut-off broker";
  EXPECT_TRUE(eventually(30s, [&] {
    auto md = KafkaAdmin(broker(2).address()).metadata(2s);
    for (const auto& p : md.topics.at("t")) {
      if (std::find(p.isr.begin(), p.isr.end(), 1) != p.isr.end()) return false;
    }
    return true;
  })) << "broker 1 never left the ISR as the majority sees it";
  f->heal(c);
  EXPECT_TRUE(connects(broker(1), broker(2).host, 9092));
}

TEST_F(FaultTest, OneWayPortCutBlocksReplicationButNotTheQuorum) {
  auto& c = ctx();
  auto f = fault(
      R"({"type": "network-partition", "shape": "one-way", "direction": "out", "port": 9092, "target": "3"})");
  f->inject(c);
  EXPECT_FALSE(connects(broker(3), broker(1).host, 9092));
  EXPECT_TRUE(connects(broker(3), broker(1).host, 9093));
  EXPECT_TRUE(connects(broker(1), broker(3).host, 9092)) << "the other direction stays open";
  f->heal(c);
  EXPECT_TRUE(connects(broker(3), broker(1).host, 9092));
}

TEST_F(FaultTest, ClientsShapeCutsClientsOnly) {
  auto& c = ctx();
  auto f = fault(R"({"type": "network-partition", "shape": "clients", "target": "2"})");
  EXPECT_TRUE(connects(broker(2), cluster_->client_address(), 22)) << "before the fault";
  f->inject(c);
  EXPECT_FALSE(connects(broker(2), cluster_->client_address(), 22));
  EXPECT_TRUE(connects(broker(2), broker(1).host, 9092));
  f->heal(c);
  EXPECT_TRUE(connects(broker(2), cluster_->client_address(), 22));
}

TEST_F(FaultTest, BandwidthSlowsWhatTheBrokersSendAndPacketLossDropsPackets) {
  auto& c = ctx();
  test::produce(cluster_->bootstrap(), "t", std::string(200, 'b'), 4000, {{"acks", "all"}}, 60s);
  auto timed_read = [&] {
    const auto start = Clock::now();
    const auto values = test::read_all(cluster_->bootstrap(), "t");
    return std::make_pair(std::chrono::duration<double>(Clock::now() - start).count(),
                          values.size());
  };
  // The first read of a fresh topic pays for connections, metadata and the
  // broker's cold read path (0.6-3 s measured, against 0.06-0.13 s after): the
  // base is the second read, so the comparison is of bandwidth alone.
  timed_read();
  const auto [base, count] = timed_read();
  // tbf shapes what a broker sends: here the fetch responses of the read.
  auto bw = fault(R"({"type": "bandwidth", "rate": "4mbit", "burst": "32kbit", "target": "all"})");
  bw->inject(c);
  const auto [slow, slow_count] = timed_read();
  bw->heal(c);
  const auto [after, after_count] = timed_read();
  std::cout << "[bandwidth] reading " << count << " messages: " << base << " s unlimited, " << slow
            << " s at 4 mbit/s, " << after << " s after healing\n";
  EXPECT_EQ(slow_count, count);
  // Over 800 KB of records at 4 mbit/s (500 KB/s) take well over a second.
  EXPECT_GT(slow, 1.2);
  EXPECT_GT(slow, base * 3);
  EXPECT_LT(after, slow / 2) << "the limit outlived its heal";

  const auto leader =
      broker(KafkaAdmin(cluster_->bootstrap()).metadata(2s).topics.at("t").at(0).leader);
  auto loss = fault(R"({"type": "packet-loss", "probability": 0.5, "target": ")" +
                    std::to_string(leader.id) + R"("})");
  auto dropped = [&] {
    const auto out =
        run_command(cluster::in_netns(leader, {"iptables", "-L", "INPUT", "-v", "-x", "-n"})).out;
    // "pkts bytes target ... statistic mode random probability 0.5..."
    const auto at = out.find("statistic");
    if (at == std::string::npos) return -1L;
    const auto line_start = out.rfind('\n', at) + 1;
    return std::stol(
        out.substr(line_start, out.find_first_of(" ", out.find_first_not_of(" ", line_start))));
  };
  auto dropped_out = [&] {
    const auto out =
        run_command(cluster::in_netns(leader, {"iptables", "-L", "OUTPUT", "-v", "-x", "-n"})).out;
    const auto at = out.find("statistic");
    if (at == std::string::npos) return -1L;
    const auto line_start = out.rfind('\n', at) + 1;
    return std::stol(
        out.substr(line_start, out.find_first_of(" ", out.find_first_not_of(" ", line_start))));
  };
  loss->inject(c);
  test::produce(leader.address(), "t", "lossy", 200, {{"acks", "1"}}, 30s);
  const long drops = dropped(), drops_out = dropped_out();
  loss->heal(c);
  std::cout << "[packet-loss] broker " << leader.id << " dropped " << drops
            << " packets coming in, " << drops_out << " going out\n";
  EXPECT_GT(drops, 0) << "no incoming packet was dropped";
  EXPECT_GT(drops_out, 0) << "no outgoing packet was dropped";
  EXPECT_EQ(dropped(), -1) << "the rule outlived its heal";
  EXPECT_EQ(dropped_out(), -1) << "the rule outlived its heal";
}

uint64_t free_bytes(const std::filesystem::path& dir) {
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) return UINT64_MAX;
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

TEST_F(FaultTest, DiskFullFillsTheLogDirStopsTheBrokerAndHealRestoresIt) {
  auto& c = ctx();
  const pid_t before = broker(3).pid;
  auto f = fault(R"({"type": "disk-full", "target": "3"})");
  f->inject(c);
  EXPECT_LT(free_bytes(cluster_->data_dir(3)), 64u * 1024) << "the log directory is not full";
  // Writing to its only, full log directory takes it offline: Kafka stops the
  // broker. (Produced with acks=all, so every partition it holds is written.)
  test::produce(cluster_->bootstrap(), "t", "full", 2000, {{"acks", "all"}}, 20s);
  EXPECT_TRUE(eventually(60s, [&] { return process_state(before) == ProcessState::gone; }))
      << "broker 3 kept running on a full disk; the end of its log:\n"
      << tail_lines(cluster_->broker_log(3), 15);
  f->heal(c);
  EXPECT_GT(free_bytes(cluster_->data_dir(3)), 64u * 1024 * 1024) << "the filler outlived its heal";
  EXPECT_TRUE(cluster_->is_running(3)) << "heal restarts the broker the full disk stopped";
  EXPECT_TRUE(eventually(90s, [&] { return answers_kafka(broker(3)); }));
  EXPECT_TRUE(cluster::wait_isr_full(cluster_->bootstrap(), "t", 90s))
      << "broker 3 did not rejoin every ISR";
}

TEST_F(FaultTest, IsolateCutsTheBrokerFromEveryoneUntilHealed) {
  auto& c = ctx();
  auto f = fault(R"({"type": "network-partition", "shape": "isolate", "target": "2"})");
  f->inject(c);
  EXPECT_FALSE(connects(broker(2), broker(1).host, 9092));
  EXPECT_FALSE(connects(broker(1), broker(2).host, 9093));
  EXPECT_FALSE(connects(broker(3), broker(2).host, 9092));
  EXPECT_FALSE(answers_kafka(broker(2))) << "clients still reach the isolated broker";
  EXPECT_TRUE(connects(broker(1), broker(3).host, 9092)) << "the others stay linked";
  f->heal(c);
  EXPECT_TRUE(connects(broker(2), broker(1).host, 9092));
  EXPECT_TRUE(eventually(20s, [&] { return answers_kafka(broker(2)); }));
}

TEST_F(FaultTest, OneWayInBlocksWhatTheTargetReceivesOnThePortOnly) {
  auto& c = ctx();
  auto f = fault(
      R"({"type": "network-partition", "shape": "one-way", "direction": "in", "port": 9092, "target": "3"})");
  f->inject(c);
  EXPECT_FALSE(connects(broker(1), broker(3).host, 9092)) << "broker 3 still receives on 9092";
  EXPECT_TRUE(connects(broker(1), broker(3).host, 9093)) << "other ports stay open";
  EXPECT_TRUE(connects(broker(3), broker(1).host, 9092)) << "what broker 3 sends still passes";
  f->heal(c);
  EXPECT_TRUE(connects(broker(1), broker(3).host, 9092));
}

TEST_F(FaultTest, BrokerKillLoseDataDeletesExactlyTheTopicsPartitions) {
  // "kchaos" is a prefix of the readiness topic kchaos-ready: only kchaos-<N>
  // may go.
  KafkaAdmin(cluster_->bootstrap()).create_topic("kchaos", 3, 3);
  ASSERT_TRUE(cluster::wait_isr_full_on_each(cluster_->brokers(), "kchaos", 60s));
  test::produce(cluster_->bootstrap(), "kchaos", "kept", 300, {{"acks", "all"}}, 30s);
  auto& c = ctx("kchaos");
  auto f = fault(R"({"type": "broker-kill", "target": "1", "lose_data": true})");
  const auto dir = cluster_->data_dir(1);
  auto has = [&](const std::string& name) { return std::filesystem::exists(dir / name); };
  ASSERT_TRUE(has("kchaos-0"));
  ASSERT_TRUE(has(std::string(cluster::kReadyTopic) + "-0"));
  f->inject(c);
  EXPECT_FALSE(cluster_->is_running(1));
  for (const char* gone : {"kchaos-0", "kchaos-1", "kchaos-2"}) EXPECT_FALSE(has(gone)) << gone;
  EXPECT_TRUE(has(std::string(cluster::kReadyTopic) + "-0"))
      << "another topic's partition was deleted";
  EXPECT_TRUE(has("t-0")) << "another topic's partition was deleted";
  EXPECT_TRUE(has("__cluster_metadata-0"));
  f->heal(c);
  // The broker comes back without the topic's data and fetches it again.
  cluster_->wait_registered(1, 90s);
  EXPECT_TRUE(eventually(90s, [&] {
    return has("kchaos-0") && has("kchaos-1") && has("kchaos-2") &&
           cluster::wait_isr_full(cluster_->bootstrap(), "kchaos", 5s);
  })) << "broker 1 did not get the topic's partitions back";
  size_t read = 0;
  EXPECT_TRUE(eventually(60s,
                         [&] {
                           read = test::read_all(cluster_->bootstrap(), "kchaos").size();
                           return read == 300;
                         }))
      << read << " of 300 messages read back";
}

TEST_F(FaultTest, AddPartitionsGrowsTheTopic) {
  auto& c = ctx();
  auto f = fault(R"({"type": "add-partitions", "count": 2})");
  f->inject(c);
  EXPECT_TRUE(eventually(20s, [&] {
    return KafkaAdmin(cluster_->bootstrap()).metadata(2s).topics.at("t").size() == 5;
  }));
  f->heal(c);
}

}  // namespace
}  // namespace kchaos::faults
