#pragma once
// A cluster kchaos did not start and never stops: reached through its
// bootstrap servers, its brokers known from its own metadata, acted on only
// through the user's drivers (a command per action), each action's effect
// proved from the metadata before the fault counts as injected.

#include <chrono>
#include <functional>
#include <mutex>
#include <set>

#include "kchaos/cluster/Cluster.h"

namespace kchaos::cluster {

class ExternalCluster : public Cluster {
 public:
  explicit ExternalCluster(ClusterSpec spec);

  /// Connects and learns the brokers; a cluster that does not answer is a
  /// UserError naming the bootstrap servers.
  void up() override;
  /// Leaves the cluster as it is (and undoes nothing: faults heal).
  void down() override {}

  std::vector<BrokerHandle> brokers() const override;
  std::string bootstrap() const override { return spec_.bootstrap; }
  std::string client_netns() const override { return ""; }
  ClusterStatus status() override;
  std::string client_address() const override { return ""; }
  /// Not kchaos's to reach: HarnessError.
  std::filesystem::path data_dir(int broker) const override;
  /// Whether kchaos left it running: false only between a kill or stop and
  /// the start that follows.
  bool is_running(int broker) override;
  void wait_registered(int broker, std::chrono::milliseconds timeout) override;
  double startup_seconds() const override { return startup_seconds_; }
  /// None: kchaos has no broker's log (""; nothing to copy).
  std::filesystem::path broker_log(int) const override { return {}; }
  void remove_data() const override {}

  void kill(int broker) override;
  void terminate(int broker) override;
  void start(int broker) override;
  void pause(int broker) override;
  void resume(int broker) override;
  void isolate(int broker) override;
  void heal(int broker) override;
  void on_driver(std::function<void(const std::string&)> log) override { log_ = std::move(log); }

  /// How long an action's effect may take to show in the metadata: a
  /// stopped or isolated broker is fenced once its session times out
  /// (broker.session.timeout.ms, 9 s by default), a started one registers
  /// once its log is loaded.
  static constexpr std::chrono::seconds kLeaveTimeout{60}, kRegisterTimeout{120};

 private:
  /// Runs the action's driver for broker; HarnessError when it fails.
  void drive(const std::string& action, int broker);
  /// Runs the action's driver and marks broker in done (what kchaos did).
  void act(const std::string& action, int broker, std::set<int>& done);
  /// Runs the driver that undoes what done marks for broker, and unmarks
  /// it; false (nothing run) when kchaos did nothing there.
  bool undo(const std::string& action, int broker, std::set<int>& done);
  /// The brokers in the metadata now (empty when it cannot be read).
  std::set<int> registered();
  /// Waits until broker is out of the metadata; HarnessError naming the
  /// action when it is not within kLeaveTimeout.
  void prove_gone(const std::string& action, int broker);
  void prove_back(const std::string& action, int broker);

  ClusterSpec spec_;
  std::vector<BrokerHandle> brokers_;
  double startup_seconds_ = 0;
  std::mutex mutex_;
  std::set<int> stopped_, paused_, isolated_;
  std::function<void(const std::string&)> log_;
};

}  // namespace kchaos::cluster
