// The compose backend: the cluster's state (cluster.json), the compose file,
// start-up and tear-down, and what the cluster as a whole reports.

#include "kchaos/cluster/ComposeCluster.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "kchaos/cluster/Image.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/cluster/Network.h"
#include "kchaos/cluster/Nodes.h"
#include "kchaos/cluster/Readiness.h"
#include "kchaos/sys/Wait.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {
namespace {

using Clock = std::chrono::steady_clock;

// A YAML scalar: JSON's double-quoted strings are YAML's; Compose expands
// $ itself, so it is doubled.
std::string yaml(const std::string& s) {
  std::string escaped;
  for (char c : s) escaped += c == '$' ? std::string("$$") : std::string(1, c);
  return Json(escaped).dump();
}

// For /bin/sh -c: every word single-quoted.
std::string shell_words(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& w : argv) {
    if (!out.empty()) out += ' ';
    out += '\'';
    for (char c : w) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

}  // namespace

ComposeCluster::ComposeCluster(ClusterSpec spec) : spec_(std::move(spec)), lane_(spec_.lane) {
  if (spec_.brokers < 1 || spec_.brokers > 9) {
    throw UserError("--brokers must be between 1 and 9 (got " + std::to_string(spec_.brokers) +
                    ")");
  }
  if (spec_.data_pagefs) {
    throw UserError(
        "the compose backend cannot put broker data on kchaos-pagefs (power-loss, "
        "cluster.pagefs): use the local backend");
  }
  for (int id = 1; id <= spec_.brokers; ++id) {
    brokers_.push_back({id, address(10 + id), kBrokerPort, 0, ""});
  }
}

ComposeCluster ComposeCluster::attach(const Json& j, const std::filesystem::path& dir) {
  ComposeCluster cluster(spec_from_json(j, dir));
  cluster.cluster_id_ = j.at("cluster_id");
  cluster.startup_seconds_ = j.value("startup_seconds", 0.0);
  cluster.ready_ = j.value("ready", false);
  return cluster;
}

void ComposeCluster::save() const {
  Json brokers = Json::array();
  for (const auto& b : brokers_) {
    brokers.push_back(
        {{"id", b.id}, {"host", b.host}, {"port", b.port}, {"container", container(b.id)}});
  }
  Json j = spec_to_json(spec_);
  j.update({{"cluster_id", cluster_id_},
            {"bootstrap", bootstrap()},
            {"compose_file", compose_file().string()},
            {"startup_seconds", startup_seconds_},
            {"ready", ready_},
            {"brokers", brokers}});
  write_state(spec_.dir, j);
}

std::string ComposeCluster::container(int broker) const {
  return lane_.compose_project() + "-b" + std::to_string(broker);
}

std::string ComposeCluster::holder(int broker) const {
  return lane_.compose_project() + "-n" + std::to_string(broker);
}

std::string ComposeCluster::image() const {
  return spec_.image.empty() ? "apache/kafka:" + spec_.kafka_version : spec_.image;
}

std::string ComposeCluster::bootstrap() const {
  std::vector<std::string> addrs;
  for (const auto& b : brokers_) addrs.push_back(b.address());
  return join(addrs, ",");
}

std::string ComposeCluster::client_address() const { return address(1); }

std::filesystem::path ComposeCluster::data_dir(int broker) const {
  return broker_data_dir(spec_, handle(broker).id);
}

std::filesystem::path ComposeCluster::broker_log(int broker) const {
  return broker_log_file(spec_, broker);
}

std::string ComposeCluster::compose_yaml() const {
  std::ostringstream y;
  y << "# Written by kchaos: the cluster of " << spec_.dir.string() << "\n"
    << "# docker-compose -p " << lane_.compose_project() << " -f " << compose_file().string() << " up -d\n"
    << "version: \"2.4\"\n"
    << "services:\n";
  const std::string labels = "      " + std::string(kClusterLabel) + ": " +
                             yaml(spec_.dir.string()) + "\n      " + kLaneLabel + ": " +
                             yaml(std::to_string(lane_.id())) + "\n";
  const std::string label = "    labels:\n" + labels;
  // The image's own class-data archive, when kchaos built it with one: its
  // brokers then start as fast as local ones.
  std::vector<std::string> java = {"java"};
  if (const auto archive = image_class_archive(image()); !archive.empty()) {
    java.push_back("-XX:SharedArchiveFile=" + archive);
  }
  for (const auto& b : brokers_) {
    const auto dir = broker_dir(spec_, b.id).string();
    const auto argv = broker_command(spec_, b, java, "/opt/kafka/libs", container(b.id));
    // The broker's network namespace, held by a process that outlives the
    // broker's restarts (as a pod's), so faults' rules stay in place.
    y << "  n" << b.id << ":\n"
      << "    image: " << yaml(image()) << "\n"
      << "    container_name: " << holder(b.id) << "\n"
      << "    hostname: b" << b.id << "\n"
      << "    entrypoint: [\"/bin/sh\", \"-c\"]\n"
      << "    command: [\"exec sleep 2147483647\"]\n"
      << "    stop_signal: SIGKILL\n"
      << "    networks:\n"
      << "      kchaos:\n"
      << "        ipv4_address: " << b.host << "\n"
      << label << "  b" << b.id << ":\n"
      << "    image: " << yaml(image()) << "\n"
      << "    container_name: " << container(b.id) << "\n"
      << "    network_mode: \"service:n" << b.id << "\"\n"
      << "    user: \"0:0\"\n"
      << "    entrypoint: [\"/bin/sh\", \"-c\"]\n"
      << "    command: ["
      << yaml("exec " + shell_words(argv) + " >>" + shell_words({dir + "/broker.log"}) + " 2>&1")
      << "]\n"
      << "    restart: \"no\"\n"
      << "    stop_grace_period: 60s\n"
      << "    volumes:\n"
      << "      - type: bind\n"
      << "        source: " << yaml(dir) << "\n"
      << "        target: " << yaml(dir) << "\n"
      << label;
  }
  y << "networks:\n"
    << "  kchaos:\n"
    << "    name: " << lane_.compose_project() << "-net\n"
    << "    driver: bridge\n"
    << "    ipam:\n"
    << "      config:\n"
    << "        - subnet: " << address(0) << "/24\n"
    << "          gateway: " << address(1) << "\n"
    << "    labels:\n"
    << labels;
  return y.str();
}

std::vector<std::string> ComposeCluster::compose(const std::vector<std::string>& args) const {
  auto argv = compose_command();
  for (const auto& a : {std::string("-p"), lane_.compose_project(), std::string("-f")})
    argv.push_back(a);
  argv.push_back(compose_file().string());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

void ComposeCluster::ensure_image() const {
  const std::string img = image();
  if (image_exists(img)) {
    // Storage is formatted with kafka_version's tool: an image of ours that
    // holds another version would not read it.
    const std::string v = image_kafka_version(img);
    if (!v.empty() && v != spec_.kafka_version) {
      throw UserError("image " + img + " holds Kafka " + v + ", not " + spec_.kafka_version +
                      ": pass --image " + local_image(spec_.kafka_version) +
                      " (kchaos image build --kafka-version " + spec_.kafka_version + ")");
    }
    return;
  }
  std::cerr << "pulling " << img << " ..." << std::endl;
  CommandResult r = docker({"pull", img}, std::chrono::minutes(10));
  if (r.exit_code != 0) {
    throw UserError("image " + img + " is not on this machine and could not be pulled (" +
                    r.err.substr(0, r.err.find('\n')) + "): build one with `kchaos image build " +
                    "--kafka-version " + spec_.kafka_version + "` and pass --image " +
                    local_image(spec_.kafka_version) + " (or set cluster.image)");
  }
}

std::vector<std::string> ComposeCluster::leftovers(Lane lane) {
  std::vector<std::string> out = labelled_resources(lane.id());
  for (const auto& target : mounts_from(lane.compose_mount_prefix())) {
    out.push_back("mount " + target);
  }
  return out;
}

void ComposeCluster::remove_leftovers(Lane lane) {
  remove_labelled_resources(lane.id());
  for (const auto& target : mounts_from(lane.compose_mount_prefix())) {
    run_command({"umount", "-l", target});
  }
}

void ComposeCluster::refuse_running() const {
  std::ifstream in(spec_.dir / kStateFile);
  if (!in) return;
  Json j = Json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.value("ready", false)) return;
  const auto states = inspect_all();
  for (const auto& b : brokers_) {
    if (states.at(container(b.id)).running) {
      throw UserError("a cluster is already running from " + spec_.dir.string() + " (container " +
                      container(b.id) + "): stop it with `kchaos cluster down` first");
    }
  }
}

void ComposeCluster::up() {
  check_docker();
  const auto compose_cmd = compose_command();  // a UserError if there is none
  refuse_running();
  ensure_image();
  kafka_java(spec_.kafka_version);  // the storage tool, run here
  const auto started = Clock::now();
  const auto stale = leftovers(lane_);
  if (!stale.empty()) {
    std::cerr << "removing " << stale.size() << " leftovers of an earlier cluster ("
              << stale.front() << (stale.size() > 1 ? ", ..." : "") << ")\n";
    remove_leftovers(lane_);
  }
  std::error_code ec;
  std::filesystem::remove(spec_.dir / kStateFile, ec);
  for (const auto& b : brokers_) std::filesystem::remove_all(broker_dir(spec_, b.id), ec);
  std::filesystem::create_directories(spec_.dir);
  try {
    cluster_id_ = random_cluster_id();
    for (const auto& b : brokers_) {
      write_broker_files(spec_, brokers_, b);
      if (spec_.data_tmpfs_mb > 0) {
        // Mounted here and bound into the container: a Docker tmpfs volume
        // is emptied whenever its container stops, as a broker a fault
        // restarts does.
        run_checked(
            {"mount", "-t", "tmpfs", "-o", "size=" + std::to_string(spec_.data_tmpfs_mb) + "m",
             lane_.compose_mount_prefix() + std::to_string(b.id), data_dir(b.id).string()});
      }
    }
    format_storage(spec_, brokers_, cluster_id_);
    std::ofstream(compose_file()) << compose_yaml();
    save();
    run_checked(compose({"up", "-d", "--no-color"}), std::chrono::minutes(5));
    wait_ready();
  } catch (...) {
    remove_leftovers(lane_);
    std::filesystem::remove(spec_.dir / kStateFile, ec);
    throw;
  }
  startup_seconds_ = seconds_since(started);
  ready_ = true;
  save();
}

void ComposeCluster::wait_ready() {
  auto alive = [&] {
    const auto states = inspect_all();
    for (const auto& b : brokers_) {
      if (states.at(container(b.id)).running) continue;
      throw HarnessError("broker " + std::to_string(b.id) + " (container " + container(b.id) +
                         ") exited during start-up; the end of " + broker_log(b.id).string() +
                         ":\n" + tail_lines(broker_log(b.id), 25));
    }
  };
  wait_cluster_ready(bootstrap(), spec_.brokers, replication_factor(spec_), spec_.ready_timeout,
                     alive, [&] { return broker_log_tails(spec_, brokers_, 8); });
}

void ComposeCluster::down() {
  if (std::filesystem::exists(compose_file())) {
    run_command(compose({"down", "--volumes", "--remove-orphans", "--timeout", "0"}),
                std::chrono::minutes(2));
  }
  remove_leftovers(lane_);
  std::error_code ec;
  std::filesystem::remove(spec_.dir / kStateFile, ec);
}

void ComposeCluster::remove_data() const {
  std::error_code ec;
  for (const auto& b : brokers_) std::filesystem::remove_all(data_dir(b.id), ec);
}

ClusterStatus ComposeCluster::status() {
  const auto states = inspect_all();
  std::vector<BrokerStatus> brokers;
  for (const auto& b : brokers_with(states)) {
    BrokerStatus s;
    s.handle = b;
    const ContainerState& st = states.at(container(b.id));
    if (st.running) s.state = st.paused ? BrokerState::paused : BrokerState::up;
    s.isolated = !namespace_gone(b) && is_isolated(b);
    brokers.push_back(std::move(s));
  }
  return cluster_status(spec_, bootstrap(), std::move(brokers));
}

}  // namespace kchaos::cluster
