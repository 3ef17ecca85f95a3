#pragma once
// The cluster a run talks to, whatever starts it (local processes in network
// namespaces, or Docker Compose). Faults act on brokers through BrokerHandle.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kchaos::cluster {

/// A broker, as every fault sees it: a process in a network namespace.
/// netns is a named namespace (`ip netns exec`); when it is empty the
/// namespace is entered through a process (`nsenter -t PID -n`): netns_pid,
/// one that holds the namespace across the broker's restarts, or else pid.
struct BrokerHandle {
  int id = 0;
  std::string host;
  int port = 0;
  pid_t pid = 0;
  std::string netns;
  pid_t netns_pid = 0;

  std::string address() const { return host + ":" + std::to_string(port); }
  /// Whether kchaos can enter its network namespace (not on an external
  /// cluster, whose brokers are only addresses).
  bool has_namespace() const { return !netns.empty() || netns_pid > 0 || pid > 0; }
};

/// What to start.
struct ClusterSpec {
  /// "local" (processes in network namespaces) or "compose" (Docker Compose).
  std::string backend = "local";
  /// compose: the image the brokers run ("" means apache/kafka:<version>).
  std::string image;
  /// The lane (cluster/Lane.h) whose names, subnet and leftovers it uses.
  int lane = 0;
  int brokers = 3;
  std::string kafka_version = "3.9.2";
  /// Broker settings applied over config/broker-defaults.properties.
  std::map<std::string, std::string> overrides;
  int heap_mb = 512;
  /// Where configs, data and broker logs live.
  std::filesystem::path dir;
  std::chrono::milliseconds ready_timeout{120'000};
  /// When > 0, each broker's log directory is a tmpfs of this size, so that
  /// a disk-full fault can fill it without touching the machine's disk.
  int data_tmpfs_mb = 0;
  /// Each broker's data (log.dirs and the metadata log) on kchaos-pagefs,
  /// so that power_loss() can drop what was never fsynced.
  bool data_pagefs = false;
  /// external: the cluster's bootstrap servers; kchaos starts nothing.
  std::string bootstrap;
  /// external: the command of each driver action (catalog::driver_actions),
  /// an argv with placeholders: {id}, {bootstrap} and the node's values.
  std::map<std::string, std::vector<std::string>> drivers;
  /// external: per broker id, the values its drivers' placeholders take
  /// ({"host": ..., "container": ...}).
  std::map<int, std::map<std::string, std::string>> nodes;
};

enum class BrokerState { up, paused, down };
const char* to_string(BrokerState s);

struct BrokerStatus {
  BrokerHandle handle;
  BrokerState state = BrokerState::down;
  bool isolated = false;
  /// "topic/partition" for every partition this broker leads.
  std::vector<std::string> leads;
};

struct ClusterStatus {
  std::vector<BrokerStatus> brokers;
  /// The active KRaft controller, if one is known.
  std::optional<int> controller;
  std::string bootstrap;
};

class Cluster {
 public:
  virtual ~Cluster() = default;

  /// Starts every broker and returns once the cluster is ready: all brokers
  /// registered and a test topic with leaders for every partition.
  virtual void up() = 0;
  /// Stops every process and removes everything up() created.
  virtual void down() = 0;

  virtual std::vector<BrokerHandle> brokers() const = 0;
  /// The handle of broker id (its pid as of now); throws UserError for an id
  /// the cluster does not have.
  BrokerHandle broker(int id) const;
  /// The bootstrap list as clients see it.
  virtual std::string bootstrap() const = 0;
  /// The namespace client workers run in ("" for the controller's own).
  virtual std::string client_netns() const = 0;
  virtual ClusterStatus status() = 0;

  /// The address clients connect from (for faults that cut clients off).
  virtual std::string client_address() const = 0;
  /// The broker's log directory (data), for faults that act on its disk.
  virtual std::filesystem::path data_dir(int broker) const = 0;
  /// Whether the broker's process is alive (running or paused).
  virtual bool is_running(int broker) = 0;

  /// Waits until the broker itself answers as a registered member.
  virtual void wait_registered(int broker, std::chrono::milliseconds timeout) = 0;

  /// Seconds up() took, from the first resource created to a ready cluster.
  virtual double startup_seconds() const = 0;
  /// The broker's log file (its JVM's output).
  virtual std::filesystem::path broker_log(int broker) const = 0;
  /// Removes every broker's data (after down()).
  virtual void remove_data() const = 0;

  virtual void kill(int broker) = 0;       // SIGKILL
  virtual void terminate(int broker) = 0;  // SIGTERM, a clean shutdown; waits for exit
  virtual void start(int broker) = 0;      // restart with the same data dir
  virtual void pause(int broker) = 0;      // SIGSTOP
  virtual void resume(int broker) = 0;     // SIGCONT
  virtual void isolate(int broker) = 0;    // cut off from every other host
  virtual void heal(int broker) = 0;       // undo isolate
  /// Power loss, at one instant for all of them: each broker is SIGKILLed
  /// and its filesystem loses every write not yet made durable; they stay
  /// down (start() brings each back). Throws std::runtime_error where the
  /// cluster's data is not on a filesystem that can lose power.
  virtual void power_loss(const std::vector<int>& brokers);
  /// Where a cluster that acts through commands of the user's (an external
  /// cluster's drivers) reports each one: what ran, its exit status,
  /// output and duration. Others run no such commands.
  virtual void on_driver(std::function<void(const std::string&)> log) { (void)log; }
};

}  // namespace kchaos::cluster
