#pragma once
// The dockerized backend: one container per KRaft node, started by Docker
// Compose from a file kchaos writes (<dir>/docker-compose.yml) on a network
// with a fixed subnet, under a project name, all three its lane's (kchaos,
// kchaos-net and 10.78.0.0/24 in lane 0). Each broker runs in the
// network namespace of a holder container that outlives its restarts, so
// faults' rules stay in place as in a named namespace. Clients run on this
// host and reach the brokers through the network's gateway. Brokers keep
// their files in <dir>/broker-N, bound into the container at the same path,
// so configs, data and logs are where the local backend keeps them.

#include "kchaos/common/Json.h"

#include "kchaos/cluster/Cluster.h"
#include "kchaos/cluster/Docker.h"
#include "kchaos/cluster/Lane.h"

namespace kchaos::cluster {

class ComposeCluster : public Cluster {
 public:
  explicit ComposeCluster(ClusterSpec spec);
  /// The cluster recorded in dir/cluster.json (written by up()).
  static ComposeCluster attach(const Json& state, const std::filesystem::path& dir);

  void up() override;
  void down() override;

  std::vector<BrokerHandle> brokers() const override;
  std::string bootstrap() const override;
  std::string client_netns() const override { return ""; }
  ClusterStatus status() override;

  std::string client_address() const override;
  std::filesystem::path data_dir(int broker) const override;
  bool is_running(int broker) override { return state(broker).running; }
  void wait_registered(int broker, std::chrono::milliseconds timeout) override;
  double startup_seconds() const override { return startup_seconds_; }
  std::filesystem::path broker_log(int broker) const override;
  void remove_data() const override;

  void kill(int broker) override;
  void terminate(int broker) override;
  void start(int broker) override;
  void pause(int broker) override;
  void resume(int broker) override;
  void isolate(int broker) override;
  void heal(int broker) override;

  /// The compose file up() writes.
  std::filesystem::path compose_file() const { return spec_.dir / "docker-compose.yml"; }
  /// The image the brokers run.
  std::string image() const;

  /// Everything of the lane's that Docker still holds (containers, networks,
  /// volumes) and its data mounts, as the lane's next start would remove them.
  static std::vector<std::string> leftovers(Lane lane);
  static void remove_leftovers(Lane lane);

 private:
  std::string container(int broker) const;
  /// The container holding the broker's network namespace.
  std::string holder(int broker) const;
  std::string address(int n) const { return lane_.compose_subnet() + std::to_string(n); }
  const BrokerHandle& handle(int broker) const;
  ContainerState state(int broker) const;
  /// Every broker's and holder's container, in one docker inspect.
  std::map<std::string, ContainerState> inspect_all() const;
  std::vector<BrokerHandle> brokers_with(const std::map<std::string, ContainerState>& states) const;
  std::string compose_yaml() const;
  std::vector<std::string> compose(const std::vector<std::string>& args) const;
  void ensure_image() const;
  void refuse_running() const;
  void wait_ready();
  void wait_stopped(int broker);
  void save() const;

  ClusterSpec spec_;
  Lane lane_;
  std::string cluster_id_;
  std::vector<BrokerHandle> brokers_;
  double startup_seconds_ = 0;
  bool ready_ = false;
};

}  // namespace kchaos::cluster
