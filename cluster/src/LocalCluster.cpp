// The local backend: the cluster's state (cluster.json), start-up and
// tear-down, and what the cluster as a whole reports.

#include <signal.h>

#include <fstream>
#include <iostream>

#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/cluster/LocalCluster.h"
#include "kchaos/cluster/Nodes.h"
#include "kchaos/cluster/PageFs.h"
#include "kchaos/sys/Process.h"
#include "kchaos/cluster/Readiness.h"
#include "kchaos/sys/Wait.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kClientHost = 100;

}  // namespace

const char* to_string(BrokerState s) {
  switch (s) {
    case BrokerState::up:
      return "up";
    case BrokerState::paused:
      return "paused";
    case BrokerState::down:
      return "down";
  }
  return "?";
}

LocalCluster::LocalCluster(ClusterSpec spec)
    : spec_(std::move(spec)), network_(Lane(spec_.lane)) {
  if (spec_.brokers < 1 || spec_.brokers > 9) {
    throw UserError("--brokers must be between 1 and 9 (got " + std::to_string(spec_.brokers) +
                    ")");
  }
  if (spec_.data_pagefs && spec_.data_tmpfs_mb > 0) {
    throw UserError(
        "a broker's data is on a tmpfs (disk-full) or on kchaos-pagefs (power-loss), "
        "not both");
  }
  client_netns_ = network_.netns_name("client");
  for (int id = 1; id <= spec_.brokers; ++id) {
    brokers_.push_back({id, network_.address(10 + id), kBrokerPort, 0,
                        network_.netns_name("b" + std::to_string(id))});
  }
}

bool LocalCluster::exists(const std::filesystem::path& dir) {
  return std::filesystem::exists(dir / kStateFile);
}

LocalCluster LocalCluster::attach(const std::filesystem::path& dir) {
  std::ifstream in(dir / kStateFile);
  if (!in) {
    throw UserError("no cluster is running from " + dir.string() +
                    ": start one with `kchaos cluster up` (or pass the --dir it used)");
  }
  Json j;
  try {
    j = Json::parse(in);
  } catch (const std::exception& e) {
    throw HarnessError((dir / kStateFile).string() + " is unreadable (" + e.what() +
                       "): remove the cluster with `kchaos cluster down --dir " + dir.string() +
                       "`");
  }
  LocalCluster cluster(spec_from_json(j, dir));
  cluster.cluster_id_ = j.at("cluster_id");
  cluster.startup_seconds_ = j.value("startup_seconds", 0.0);
  cluster.ready_ = j.value("ready", false);
  for (const auto& b : j.at("brokers")) {
    cluster.handle(b.at("id")).pid = b.at("pid");
  }
  return cluster;
}

Json LocalCluster::to_json() const {
  Json brokers = Json::array();
  for (const auto& b : brokers_) {
    brokers.push_back(
        {{"id", b.id}, {"host", b.host}, {"port", b.port}, {"pid", b.pid}, {"netns", b.netns}});
  }
  Json j = spec_to_json(spec_);
  j.update({{"cluster_id", cluster_id_},
            {"bootstrap", bootstrap()},
            {"client_netns", client_netns_},
            {"startup_seconds", startup_seconds_},
            {"ready", ready_},
            {"brokers", brokers}});
  return j;
}

void LocalCluster::save() const {
  std::lock_guard lock(*state_mutex_);
  write_state(spec_.dir, to_json());
}

std::vector<BrokerHandle> LocalCluster::brokers() const {
  std::lock_guard lock(*state_mutex_);
  return brokers_;
}

std::string LocalCluster::bootstrap() const {
  std::vector<std::string> addrs;
  for (const auto& b : brokers_) addrs.push_back(b.address());
  return join(addrs, ",");
}

BrokerHandle& LocalCluster::handle(int broker) {
  for (auto& b : brokers_) {
    if (b.id == broker) return b;
  }
  throw UserError("no broker " + std::to_string(broker) + " in this cluster (brokers are 1.." +
                  std::to_string(brokers_.size()) + ")");
}

std::filesystem::path LocalCluster::broker_dir(int broker) const {
  return cluster::broker_dir(spec_, broker);
}

std::filesystem::path LocalCluster::broker_log(int broker) const {
  return broker_log_file(spec_, broker);
}

std::string LocalCluster::client_address() const { return network_.address(kClientHost); }

std::filesystem::path LocalCluster::data_dir(int broker) const {
  return broker_data_dir(spec_, broker);
}

void LocalCluster::up() {
  check_local_prerequisites();
  if (spec_.data_pagefs) check_power_loss_prerequisites();
  if (exists(spec_.dir)) {
    // A cluster whose start completed is refused; one whose controller died
    // while starting it is a leftover like any other.
    LocalCluster running = attach(spec_.dir);
    for (const auto& b : running.brokers_) {
      if (running.ready_ && running.owns(b)) {
        throw UserError("a cluster is already running from " + spec_.dir.string() + " (broker " +
                        std::to_string(b.id) + ", pid " + std::to_string(b.pid) +
                        "): stop it with `kchaos cluster down` first");
      }
    }
  }
  kafka_libs(spec_.kafka_version);  // fetched, or a UserError saying how
  kafka_java(spec_.kafka_version);  // its class-data archive, made once
  const auto started = Clock::now();
  // Leftovers of a controller that died without cleaning up.
  const auto stale = network_.leftovers();
  if (!stale.empty()) {
    std::cerr << "removing " << stale.size() << " leftovers of an earlier cluster ("
              << stale.front() << (stale.size() > 1 ? ", ..." : "") << ")\n";
    network_.remove_all();
  }
  std::error_code ec;
  std::filesystem::remove(spec_.dir / kStateFile, ec);
  for (const auto& b : brokers_) std::filesystem::remove_all(broker_dir(b.id), ec);
  std::filesystem::create_directories(spec_.dir);
  try {
    network_.create_bridge();
    for (const auto& b : brokers_) network_.add_host("b" + std::to_string(b.id), 10 + b.id);
    network_.add_host("client", kClientHost);
    cluster_id_ = random_cluster_id();
    for (const auto& b : brokers_) {
      write_broker_files(spec_, brokers_, b);
      if (spec_.data_tmpfs_mb > 0) {
        // The mount's source names it ours, so leftovers can be found.
        run_checked({"mount", "-t", "tmpfs", "-o",
                     "size=" + std::to_string(spec_.data_tmpfs_mb) + "m", "kchaos-" + b.netns,
                     data_dir(b.id).string()});
      }
    }
    format_storage(spec_, brokers_, cluster_id_);
    // Formatted on the backing disk: the format does not fsync everything it
    // writes, and a power loss must not unmake the cluster.
    if (spec_.data_pagefs) {
      for (const auto& b : brokers_) mount_data(b);
    }
    for (auto& b : brokers_) b.pid = launch(b);
    save();
    wait_ready();
  } catch (...) {
    // Nothing is left behind by a start that failed.
    for (const auto& b : brokers_) {
      if (owns(b)) ::kill(b.pid, SIGKILL);
    }
    network_.remove_all();
    std::filesystem::remove(spec_.dir / kStateFile, ec);
    throw;
  }
  startup_seconds_ = seconds_since(started);
  ready_ = true;
  save();
}

void LocalCluster::wait_ready() {
  auto alive = [&] {
    for (const auto& b : brokers_) {
      if (!exited(b)) continue;
      throw HarnessError("broker " + std::to_string(b.id) + " (pid " + std::to_string(b.pid) +
                         ", " + describe_end(b.pid) + ") exited during start-up; the end of " +
                         broker_log(b.id).string() + ":\n" + tail_lines(broker_log(b.id), 25));
    }
  };
  wait_cluster_ready(bootstrap(), spec_.brokers, replication_factor(spec_), spec_.ready_timeout,
                     alive, [&] { return broker_log_tails(spec_, brokers_, 8); });
}

void LocalCluster::down() {
  for (const auto& b : brokers_) {
    if (owns(b)) {
      ::kill(b.pid, SIGKILL);
      ::kill(b.pid, SIGCONT);
    }
  }
  network_.remove_all();
  std::error_code ec;
  std::filesystem::remove(spec_.dir / kStateFile, ec);
  for (auto& b : brokers_) b.pid = 0;
}

ClusterStatus LocalCluster::status() {
  std::vector<BrokerStatus> brokers;
  for (const auto& b : brokers_) {
    BrokerStatus s;
    s.handle = b;
    if (owns(b)) {
      s.state =
          process_state(b.pid) == ProcessState::stopped ? BrokerState::paused : BrokerState::up;
    }
    s.isolated = is_isolated(b);
    brokers.push_back(std::move(s));
  }
  return cluster_status(spec_, bootstrap(), std::move(brokers));
}

}  // namespace kchaos::cluster
