// The rolling restart, watched from the cluster's side: every broker
// restarts, one at a time, each only once the one before it is back and
// every partition's ISR is full again.

#include <mutex>

#include "FaultFixture.h"

namespace kchaos::faults {
namespace {

// The real cluster, with a look at the cluster each time a broker is taken
// down: whether every other broker runs and every partition of t has its
// full ISR. A roll that took two brokers down at once, or went on before
// the ISR refilled, shows here.
class WatchedCluster : public cluster::Cluster {
 public:
  explicit WatchedCluster(cluster::Cluster& real) : real_(real) {}
  std::vector<std::string> seen;  // one line per broker taken down

  void kill(int b) override { look(b), real_.kill(b); }
  void terminate(int b) override { look(b), real_.terminate(b); }
  void start(int b) override { real_.start(b); }
  void up() override { real_.up(); }
  void down() override { real_.down(); }
  std::vector<cluster::BrokerHandle> brokers() const override { return real_.brokers(); }
  std::string bootstrap() const override { return real_.bootstrap(); }
  std::string client_netns() const override { return real_.client_netns(); }
  cluster::ClusterStatus status() override { return real_.status(); }
  std::string client_address() const override { return real_.client_address(); }
  std::filesystem::path data_dir(int b) const override { return real_.data_dir(b); }
  bool is_running(int b) override { return real_.is_running(b); }
  void wait_registered(int b, std::chrono::milliseconds t) override { real_.wait_registered(b, t); }
  double startup_seconds() const override { return real_.startup_seconds(); }
  std::filesystem::path broker_log(int b) const override { return real_.broker_log(b); }
  void remove_data() const override { real_.remove_data(); }
  void pause(int b) override { real_.pause(b); }
  void resume(int b) override { real_.resume(b); }
  void isolate(int b) override { real_.isolate(b); }
  void heal(int b) override { real_.heal(b); }

 private:
  void look(int taken) {
    int running = 0;
    for (const auto& b : real_.brokers()) running += b.id != taken && real_.is_running(b.id);
    size_t short_isr = 0;
    for (const auto& p : KafkaAdmin(real_.bootstrap()).metadata(5s).topics.at("t")) {
      short_isr += p.isr.size() < 3;
    }
    std::lock_guard lock(mutex_);
    seen.push_back("broker " + std::to_string(taken) + ": " + std::to_string(running) +
                   " others running, " + std::to_string(short_isr) + " partitions short");
  }
  cluster::Cluster& real_;
  std::mutex mutex_;
};

TEST_F(FaultTest, RollingRestartRestartsEveryBrokerOneAtATimeAndLeavesTheClusterWhole) {
  std::vector<pid_t> before;
  for (const auto& b : cluster_->brokers()) before.push_back(b.pid);
  WatchedCluster watched(*cluster_);
  FaultContext c{watched, "t", nullptr, &rng_, nullptr};
  auto f = fault(R"({"type": "rolling-restart", "mode": "hard", "isr_timeout_s": 60})");
  f->inject(c);
  const auto after = cluster_->brokers();
  for (size_t i = 0; i < after.size(); ++i)
    EXPECT_NE(after[i].pid, before[i]) << "broker " << after[i].id;
  // Each broker went down while both others ran and every ISR was full.
  EXPECT_EQ(watched.seen, (std::vector<std::string>{
                              "broker 1: 2 others running, 0 partitions short",
                              "broker 2: 2 others running, 0 partitions short",
                              "broker 3: 2 others running, 0 partitions short"}));
  EXPECT_TRUE(cluster::wait_isr_full(cluster_->bootstrap(), "t", 60s));
  f->heal(c);
}

}  // namespace
}  // namespace kchaos::faults
