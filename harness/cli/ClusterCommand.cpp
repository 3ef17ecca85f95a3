#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "Args.h"
#include "Commands.h"
#include "kchaos/cluster/Backends.h"
#include "kchaos/cluster/ComposeCluster.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/cluster/Lane.h"
#include "kchaos/cluster/LocalCluster.h"
#include "kchaos/sys/Process.h"
#include "kchaos/common/Error.h"

namespace kchaos::cli {
namespace {

using cluster::ComposeCluster;

constexpr const char* kUsage =
    "usage: kchaos cluster up [--brokers N] [--kafka-version V] [--heap-mb M] [--set "
    "KEY=VALUE]... [--pagefs]\n"
    "                        [--backend local|compose] [--image IMAGE]\n"
    "       kchaos cluster status [--json]\n"
    "       kchaos cluster kill|start|pause|resume|isolate|heal|power-loss BROKER\n"
    "--pagefs puts the brokers' data on kchaos-pagefs, so that power-loss can drop what was\n"
    "never fsynced (the broker stays down: start brings it back)\n"
    "       kchaos cluster down\n"
    "--backend compose runs the brokers in containers (Docker Compose) from IMAGE (default\n"
    "apache/kafka:V; kchaos image build makes kchaos/kafka:V); the other actions find the\n"
    "backend in the cluster's state\n"
    "every form takes --dir DIR (default $KCHAOS_CLUSTER_DIR or /var/lib/kchaos/cluster) and\n"
    "--lane K (0-99, default 0): a cluster in lane K has names, a subnet and leftovers of its\n"
    "own, beside the clusters of other lanes, and its state in DIR-laneK unless --dir is given\n";

cluster::Lane lane_of(const Args& args) {
  return cluster::Lane(args.get_int("lane", 0, 0, cluster::Lane::kMax));
}

std::filesystem::path cluster_dir(const Args& args) {
  if (args.has("dir")) return std::filesystem::absolute(args.get("dir", ""));
  const char* env = std::getenv("KCHAOS_CLUSTER_DIR");
  std::string dir = env && *env ? env : "/var/lib/kchaos/cluster";
  const int lane = lane_of(args).id();
  if (lane > 0) dir += "-lane" + std::to_string(lane);
  return std::filesystem::absolute(dir);
}

// The cluster recorded in the directory, refused when --lane names another.
std::unique_ptr<cluster::Cluster> attach(const Args& args) {
  const auto dir = cluster_dir(args);
  auto cluster = cluster::attach_cluster(dir);
  const int recorded = cluster::recorded_lane(dir);
  if (args.has("lane") && recorded != lane_of(args).id()) {
    throw UserError("the cluster in " + dir.string() + " runs in lane " + std::to_string(recorded) +
                    ", not " + std::to_string(lane_of(args).id()) +
                    ": leave out --lane or --dir");
  }
  return cluster;
}

int up(const Args& args) {
  cluster::ClusterSpec spec;
  spec.dir = cluster_dir(args);
  spec.lane = lane_of(args).id();
  spec.brokers = args.get_int("brokers", 3, 1, 9);
  spec.kafka_version = args.get("kafka-version", spec.kafka_version);
  spec.heap_mb = args.get_int("heap-mb", spec.heap_mb, 128, 16384);
  spec.data_pagefs = args.has("pagefs");
  spec.backend = args.get("backend", spec.backend);
  spec.image = args.get("image", "");
  if (spec.backend != "local" && spec.backend != "compose") {
    throw UserError("kchaos cluster starts clusters of the local or compose backend, not '" +
                    spec.backend + "' (an external cluster is started by its owner)");
  }
  if (!spec.image.empty() && spec.backend != "compose") {
    throw UserError("--image names the image of the compose backend: add --backend compose");
  }
  for (const auto& kv : args.all("set")) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UserError("--set takes KEY=VALUE (a broker setting), got '" + kv + "'");
    }
    spec.overrides[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  auto cluster = cluster::make_cluster(spec);
  cluster::check_backend_prerequisites(spec.backend);
  std::cout << "starting " << spec.brokers << " Kafka " << spec.kafka_version << " broker(s) in "
            << spec.dir.string() << cluster::Lane(spec.lane).suffix() << " ..." << std::endl;
  cluster->up();
  std::cout << std::fixed << std::setprecision(1) << "cluster ready in "
            << cluster->startup_seconds() << " s\n"
            << "bootstrap: " << cluster->bootstrap() << "\n";
  if (cluster->client_netns().empty()) {
    std::cout << "clients run on this host (from " << cluster->client_address() << ")\n"
              << "compose file: " << (spec.dir / "docker-compose.yml").string() << "\n";
  } else {
    std::cout << "clients run in network namespace " << cluster->client_netns()
              << " (ip netns exec " << cluster->client_netns() << " ...)\n";
  }
  return kExitOk;
}

std::string leads_summary(const std::vector<std::string>& leads) {
  // Internal topics (__consumer_offsets has 50 partitions) are counted, not listed.
  std::vector<std::string> shown;
  int internal = 0;
  for (const auto& l : leads) {
    if (l.rfind("__", 0) == 0) {
      ++internal;
    } else {
      shown.push_back(l);
    }
  }
  std::string s = shown.empty() ? "-" : join(shown, " ");
  if (internal > 0) s += " (+" + std::to_string(internal) + " internal)";
  return s;
}

int status(const Args& args) {
  const auto st = attach(args)->status();
  if (args.has("json")) {
    Json brokers = Json::array();
    for (const auto& b : st.brokers) {
      brokers.push_back({{"id", b.handle.id},
                         {"address", b.handle.address()},
                         {"pid", b.handle.pid},
                         {"netns", b.handle.netns},
                         {"state", to_string(b.state)},
                         {"isolated", b.isolated},
                         {"leads", b.leads}});
    }
    Json j = {{"bootstrap", st.bootstrap}, {"brokers", brokers}};
    j["controller"] = st.controller ? Json(*st.controller) : Json();
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "bootstrap: " << st.bootstrap << "\n"
            << "active controller: "
            << (st.controller ? "broker " + std::to_string(*st.controller)
                              : "none (election in progress)")
            << "\n\n";
  std::cout << std::left << std::setw(4) << "id" << std::setw(18) << "address" << std::setw(9)
            << "pid" << std::setw(8) << "state" << std::setw(10) << "isolated"
            << "leads\n";
  for (const auto& b : st.brokers) {
    std::cout << std::left << std::setw(4) << b.handle.id << std::setw(18) << b.handle.address()
              << std::setw(9) << b.handle.pid << std::setw(8) << to_string(b.state) << std::setw(10)
              << (b.isolated ? "yes" : "no") << leads_summary(b.leads) << "\n";
  }
  return kExitOk;
}

// Whether a Docker daemon is there to hold leftovers of the compose backend.
bool docker_answers() {
  try {
    cluster::check_docker();
    return true;
  } catch (const UserError&) {
    return false;
  }
}

int down(const Args& args) {
  const auto dir = cluster_dir(args);
  cluster::check_local_prerequisites();
  // The backend that started the cluster here; with no state, both: whatever
  // a crashed controller left is removed.
  const std::string backend = cluster::recorded_backend(dir);
  const bool local = backend != "compose";
  const bool compose = backend != "local" && docker_answers();
  cluster::Lane lane = lane_of(args);
  if (!backend.empty()) {
    auto running = attach(args);
    lane = cluster::Lane(cluster::recorded_lane(dir));
    running->down();
  } else {
    if (local) cluster::LocalNetwork(lane).remove_all();
    if (compose) ComposeCluster::remove_leftovers(lane);
  }
  std::vector<std::string> left;
  if (local) left = cluster::LocalNetwork(lane).leftovers();
  if (compose) {
    for (const auto& l : ComposeCluster::leftovers(lane)) left.push_back(l);
  }
  if (!left.empty()) throw HarnessError("could not remove: " + join(left, ", "));
  std::cout << "cluster down" << lane.suffix()
            << ": no brokers, namespaces, links, rules or containers left\n";
  return kExitOk;
}

int broker_action(const std::string& action, const Args& args) {
  if (args.positional().size() != 2) {
    throw UserError("kchaos cluster " + action + " needs a broker id, e.g. kchaos cluster " +
                    action + " 1");
  }
  const std::string& id_text = args.positional()[1];
  if (id_text.empty() || id_text.find_first_not_of("0123456789") != std::string::npos) {
    throw UserError("broker id must be a number, got '" + id_text + "'");
  }
  const int id = std::stoi(id_text);
  cluster::check_local_prerequisites();
  const auto cluster = attach(args);
  if (action == "kill") {
    cluster->kill(id);
  } else if (action == "start") {
    cluster->start(id);
    cluster->wait_registered(id, std::chrono::seconds(90));
  } else if (action == "pause") {
    cluster->pause(id);
  } else if (action == "resume") {
    cluster->resume(id);
  } else if (action == "power-loss") {
    cluster->power_loss({id});
  } else if (action == "isolate") {
    cluster->isolate(id);
  } else {
    cluster->heal(id);
  }
  std::cout << "broker " << id << ": " << action << " done\n";
  return kExitOk;
}

}  // namespace

int cluster_command(const std::vector<std::string>& argv) {
  Args args(argv, {"brokers", "kafka-version", "heap-mb", "set", "dir", "backend", "image", "lane"},
            {"json", "pagefs", "help"});
  if (args.has("help") || args.positional().empty()) {
    std::cout << kUsage;
    return args.has("help") ? kExitOk : kExitBadInput;
  }
  const std::string& action = args.positional()[0];
  if (action == "up") return up(args);
  if (action == "status") return status(args);
  if (action == "down") return down(args);
  for (const char* a : {"kill", "start", "pause", "resume", "isolate", "heal", "power-loss"}) {
    if (action == a) return broker_action(action, args);
  }
  throw UserError("unknown cluster action '" + action + "'\n" + kUsage);
}

}  // namespace kchaos::cli
