#pragma once
// The default backend: each broker a real Kafka JVM (combined KRaft broker and
// controller) in its own network namespace on a bridge, clients in another.
// Its state lives in <dir>/cluster.json so that separate `kchaos cluster`
// invocations, and a run that crashed, find the same cluster.

#include <memory>
#include <mutex>

#include "kchaos/common/Json.h"

#include "kchaos/cluster/Cluster.h"
#include "kchaos/cluster/Network.h"
#include "kchaos/cluster/Readiness.h"

namespace kchaos::cluster {

class LocalCluster : public Cluster {
 public:
  /// A cluster to be started with up().
  explicit LocalCluster(ClusterSpec spec);
  /// The cluster recorded in dir/cluster.json; throws UserError if none is.
  static LocalCluster attach(const std::filesystem::path& dir);
  /// Whether dir holds the state of a started cluster.
  static bool exists(const std::filesystem::path& dir);

  void up() override;
  void down() override;

  std::vector<BrokerHandle> brokers() const override;
  std::string bootstrap() const override;
  std::string client_netns() const override { return client_netns_; }
  ClusterStatus status() override;

  std::string client_address() const override;
  std::filesystem::path data_dir(int broker) const override;
  bool is_running(int broker) override { return owns(handle(broker)); }

  void kill(int broker) override;
  void terminate(int broker) override;
  void start(int broker) override;
  void pause(int broker) override;
  void resume(int broker) override;
  void isolate(int broker) override;
  void heal(int broker) override;
  void power_loss(const std::vector<int>& brokers) override;

  const ClusterSpec& spec() const { return spec_; }
  double startup_seconds() const override { return startup_seconds_; }
  void wait_registered(int broker, std::chrono::milliseconds timeout) override;
  std::filesystem::path broker_log(int broker) const override;
  void remove_data() const override;

  /// The name of the topic up() uses to prove the cluster is ready.
  static constexpr const char* kReadyTopic = cluster::kReadyTopic;

 private:
  BrokerHandle& handle(int broker);
  std::filesystem::path broker_dir(int broker) const;
  pid_t launch(const BrokerHandle& b);
  /// With data_pagefs: the broker's durable data, under its data_dir mount.
  std::filesystem::path backing_dir(int broker) const;
  /// Moves the formatted data dir to the backing dir and mounts it.
  void mount_data(const BrokerHandle& b) const;
  void wait_ready();
  /// pid is still our broker (not gone, not reused by another process).
  bool owns(const BrokerHandle& b) const;
  /// Not ours for a whole second: the broker has exited.
  bool exited(const BrokerHandle& b) const;
  void save() const;
  Json to_json() const;

  ClusterSpec spec_;
  // Faults act on several brokers at once: a restart's new pid and the state
  // file are written under it (BrokerHolds orders actions on one broker).
  std::unique_ptr<std::mutex> state_mutex_ = std::make_unique<std::mutex>();
  LocalNetwork network_;
  std::string cluster_id_;
  std::string client_netns_;
  std::vector<BrokerHandle> brokers_;
  double startup_seconds_ = 0;
  bool ready_ = false;
};

/// For a broker that failed to start: how its process ended, or what /proc
/// says of it if it is still there (state, kernel wait, pending signals).
std::string describe_end(pid_t pid);

}  // namespace kchaos::cluster
