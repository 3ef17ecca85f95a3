#include "harness/cluster/LocalCluster.h"

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <iostream>
#include <random>
#include <set>
#include <thread>

#include "harness/Error.h"
#include "harness/Process.h"
#include "harness/cluster/BrokerConfig.h"
#include "harness/cluster/KafkaAdmin.h"
#include "harness/cluster/KafkaInstall.h"

namespace kchaos::cluster {
namespace {

using Clock = std::chrono::steady_clock;

// For a broker that failed to start: how its process ended, or what /proc
// says of it if it is still there (state, kernel wait, pending signals).
std::string describe_end(pid_t pid) {
  if (process_state(pid) == ProcessState::gone) {
    const std::string how = how_it_ended(pid);
    return how.empty() ? "gone" : how;
  }
  return process_details(pid) + ", command line '" + process_cmdline(pid).substr(0, 80) + "'";
}
constexpr int kBrokerPort = 9092;
constexpr int kControllerPort = 9093;
constexpr int kClientHost = 100;
constexpr const char* kStateFile = "cluster.json";

// A Kafka cluster id: 16 random bytes, base64url without padding, as
// Uuid.randomUuid makes them (never starting with '-').
std::string random_cluster_id() {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::random_device rd;
  std::string id;
  do {
    id.clear();
    unsigned bits = 0;
    int nbits = 0;
    for (int i = 0; i < 16; ++i) {
      bits = (bits << 8) | (rd() & 0xff);
      nbits += 8;
      while (nbits >= 6) {
        id += kAlphabet[(bits >> (nbits - 6)) & 63];
        nbits -= 6;
      }
    }
    id += kAlphabet[(bits << (6 - nbits)) & 63];
  } while (id[0] == '-');
  return id;
}

bool is_kafka4(const std::string& version) { return version.rfind("4.", 0) == 0; }

// Signals reach every thread of a JVM a moment after kill() returns.
void wait_for_state(pid_t pid, ProcessState want) {
  for (int i = 0; i < 400 && process_state(pid) != want; ++i) std::this_thread::sleep_for(5ms);
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

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

LocalCluster::LocalCluster(ClusterSpec spec) : spec_(std::move(spec)) {
  if (spec_.brokers < 1 || spec_.brokers > 9) {
    throw UserError("--brokers must be between 1 and 9 (got " + std::to_string(spec_.brokers) +
                    ")");
  }
  client_netns_ = network_.netns_name("client");
  for (int id = 1; id <= spec_.brokers; ++id) {
    brokers_.push_back({id, LocalNetwork::address(10 + id), kBrokerPort, 0,
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
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw HarnessError((dir / kStateFile).string() + " is unreadable (" + e.what() +
                       "): remove the cluster with `kchaos cluster down --dir " + dir.string() +
                       "`");
  }
  ClusterSpec spec;
  spec.dir = dir;
  spec.brokers = j.at("brokers").size();
  spec.kafka_version = j.at("kafka_version");
  spec.heap_mb = j.at("heap_mb");
  spec.data_tmpfs_mb = j.value("data_tmpfs_mb", 0);
  spec.overrides = j.at("overrides").get<std::map<std::string, std::string>>();
  LocalCluster cluster(std::move(spec));
  cluster.cluster_id_ = j.at("cluster_id");
  cluster.startup_seconds_ = j.value("startup_seconds", 0.0);
  cluster.ready_ = j.value("ready", false);
  for (const auto& b : j.at("brokers")) {
    cluster.handle(b.at("id")).pid = b.at("pid");
  }
  return cluster;
}

nlohmann::json LocalCluster::to_json() const {
  nlohmann::json brokers = nlohmann::json::array();
  for (const auto& b : brokers_) {
    brokers.push_back(
        {{"id", b.id}, {"host", b.host}, {"port", b.port}, {"pid", b.pid}, {"netns", b.netns}});
  }
  return {{"backend", "local"},
          {"kafka_version", spec_.kafka_version},
          {"heap_mb", spec_.heap_mb},
          {"data_tmpfs_mb", spec_.data_tmpfs_mb},
          {"overrides", spec_.overrides},
          {"cluster_id", cluster_id_},
          {"bootstrap", bootstrap()},
          {"client_netns", client_netns_},
          {"startup_seconds", startup_seconds_},
          {"ready", ready_},
          {"brokers", brokers}};
}

void LocalCluster::save() const {
  const auto tmp = spec_.dir / (std::string(kStateFile) + ".tmp");
  {
    std::ofstream out(tmp);
    out << to_json().dump(2) << "\n";
  }
  std::filesystem::rename(tmp, spec_.dir / kStateFile);
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
  return spec_.dir / ("broker-" + std::to_string(broker));
}

std::filesystem::path LocalCluster::broker_log(int broker) const {
  return broker_dir(broker) / "broker.log";
}

int LocalCluster::replication_factor() const { return std::min(3, spec_.brokers); }

void LocalCluster::write_broker_files(const BrokerHandle& b) const {
  const auto dir = broker_dir(b.id);
  std::filesystem::create_directories(dir / "data");
  std::vector<std::string> voters;
  for (const auto& v : brokers_) {
    voters.push_back(std::to_string(v.id) + "@" + v.host + ":" + std::to_string(kControllerPort));
  }
  const int rf = replication_factor();
  std::map<std::string, std::string> structural = {
      {"process.roles", "broker,controller"},
      {"node.id", std::to_string(b.id)},
      {"controller.quorum.voters", join(voters, ",")},
      {"listeners", "PLAINTEXT://" + b.address() + ",CONTROLLER://" + b.host + ":" +
                        std::to_string(kControllerPort)},
      {"advertised.listeners", "PLAINTEXT://" + b.address()},
      {"controller.listener.names", "CONTROLLER"},
      {"inter.broker.listener.name", "PLAINTEXT"},
      {"listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"},
      {"log.dirs", (dir / "data").string()},
  };
  // Sized to the cluster unless the scenario says otherwise.
  std::map<std::string, std::string> sized = {
      {"default.replication.factor", std::to_string(rf)},
      {"offsets.topic.replication.factor", std::to_string(rf)},
      {"transaction.state.log.replication.factor", std::to_string(rf)},
      {"transaction.state.log.min.isr", std::to_string(std::min(2, rf))},
  };
  write_properties(dir / "server.properties",
                   broker_properties(kchaos_home() / "config" / "broker-defaults.properties", sized,
                                     spec_.overrides, structural));
  std::ofstream log4j(dir /
                      (is_kafka4(spec_.kafka_version) ? "log4j2.properties" : "log4j.properties"));
  if (is_kafka4(spec_.kafka_version)) {
    log4j << "appender.stdout.type=Console\n"
             "appender.stdout.name=STDOUT\n"
             "appender.stdout.layout.type=PatternLayout\n"
             "appender.stdout.layout.pattern=[%d] %p %m (%c)%n\n"
             "rootLogger.level=INFO\n"
             "rootLogger.appenderRef.stdout.ref=STDOUT\n";
  } else {
    log4j << "log4j.rootLogger=INFO, stdout\n"
             "log4j.appender.stdout=org.apache.log4j.ConsoleAppender\n"
             "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout\n"
             "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n\n";
  }
}

void LocalCluster::format_storage(const std::filesystem::path& libs) {
  const std::string java = java_executable();
  std::vector<std::future<CommandResult>> jobs;
  for (const auto& b : brokers_) {
    const auto props = broker_dir(b.id) / "server.properties";
    jobs.push_back(std::async(std::launch::async, [=, this] {
      return run_command({java, "-Xmx256m", "-cp", (libs / "*").string(), "kafka.tools.StorageTool",
                          "format", "--ignore-formatted", "-t", cluster_id_, "-c", props.string()},
                         std::chrono::minutes(2));
    }));
  }
  for (size_t i = 0; i < jobs.size(); ++i) {
    CommandResult r = jobs[i].get();
    if (r.exit_code != 0) {
      throw HarnessError("formatting the storage of broker " + std::to_string(brokers_[i].id) +
                         " failed:\n" + r.out + r.err);
    }
  }
}

pid_t LocalCluster::launch(const BrokerHandle& b) {
  const auto dir = broker_dir(b.id);
  const auto libs = kafka_libs(spec_.kafka_version);
  const std::string heap = std::to_string(spec_.heap_mb) + "m";
  std::vector<std::string> argv = {
      java_executable(),
      "-Xms" + heap,
      "-Xmx" + heap,
      "-XX:+UseG1GC",
      "-XX:MaxGCPauseMillis=20",
      "-XX:+ExitOnOutOfMemoryError",
      "-Djava.awt.headless=true",
      "-Dkchaos.node=" + b.netns,
      "-Dkafka.logs.dir=" + dir.string(),
      "-Dlog4j.configuration=file:" + (dir / "log4j.properties").string(),
      "-Dlog4j2.configurationFile=" + (dir / "log4j2.properties").string(),
      "-cp",
      (libs / "*").string(),
      "kafka.Kafka",
      (dir / "server.properties").string()};
  std::ofstream(broker_log(b.id), std::ios::app)
      << "---- kchaos: starting broker " << b.id << " ----\n";
  const pid_t pid = spawn_detached(in_netns(b.netns, argv), broker_log(b.id));
  // Until the child has exec'd, its command line is ours: wait for the
  // marker, so that owns() is true from here on.
  BrokerHandle started = b;
  started.pid = pid;
  for (int i = 0; i < 2000 && !owns(started); ++i) std::this_thread::sleep_for(5ms);
  if (!owns(started)) {
    throw HarnessError("broker " + std::to_string(b.id) + " (pid " + std::to_string(pid) + ", " +
                       describe_end(pid) + ") did not start; the end of " +
                       broker_log(b.id).string() + ":\n" + tail_lines(broker_log(b.id), 25));
  }
  return pid;
}

bool LocalCluster::owns(const BrokerHandle& b) const {
  if (process_state(b.pid) == ProcessState::gone) return false;
  return process_cmdline(b.pid).find("-Dkchaos.node=" + b.netns + " ") != std::string::npos;
}

void LocalCluster::up() {
  check_local_prerequisites();
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
  const auto libs = kafka_libs(spec_.kafka_version);
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
      write_broker_files(b);
      if (spec_.data_tmpfs_mb > 0) {
        // The mount's source names it ours, so leftovers can be found.
        run_checked({"mount", "-t", "tmpfs", "-o",
                     "size=" + std::to_string(spec_.data_tmpfs_mb) + "m", "kchaos-" + b.netns,
                     data_dir(b.id).string()});
      }
    }
    format_storage(libs);
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
  const auto deadline = Clock::now() + spec_.ready_timeout;
  KafkaAdmin admin(bootstrap());
  bool topic_created = false;
  std::string waiting_for = "brokers to register";
  while (Clock::now() < deadline) {
    for (const auto& b : brokers_) {
      // Seen in a CI run: a live, running broker whose marker one check did
      // not find. Only a broker that stays unowned for a second has exited.
      bool exited = !owns(b);
      for (int i = 0; i < 10 && exited; ++i) {
        std::this_thread::sleep_for(100ms);
        exited = !owns(b);
      }
      if (exited) {
        throw HarnessError("broker " + std::to_string(b.id) + " (pid " + std::to_string(b.pid) +
                           ", " + describe_end(b.pid) + ") exited during start-up; the end of " +
                           broker_log(b.id).string() + ":\n" + tail_lines(broker_log(b.id), 25));
      }
    }
    try {
      Metadata md = admin.metadata(2s);
      if (static_cast<int>(md.brokers.size()) < spec_.brokers) {
        waiting_for = std::to_string(md.brokers.size()) + " of " + std::to_string(spec_.brokers) +
                      " brokers registered";
      } else if (!topic_created) {
        admin.create_topic(kReadyTopic, spec_.brokers, replication_factor(), {}, 10s);
        topic_created = true;
        waiting_for = "leaders for " + std::string(kReadyTopic);
      } else {
        const auto& parts = md.topics[kReadyTopic];
        bool ready = static_cast<int>(parts.size()) == spec_.brokers;
        for (const auto& p : parts) {
          ready = ready && p.leader >= 0 && static_cast<int>(p.isr.size()) == replication_factor();
        }
        if (ready) return;
      }
    } catch (const HarnessError& e) {
      waiting_for = e.what();
    }
    std::this_thread::sleep_for(250ms);
  }
  std::string logs;
  for (const auto& b : brokers_) {
    logs += "  " + broker_log(b.id).string() + ":\n" + tail_lines(broker_log(b.id), 8);
  }
  throw HarnessError("the cluster was not ready after " +
                     std::to_string(spec_.ready_timeout.count() / 1000) + " s (still waiting for " +
                     waiting_for + "). Broker logs:\n" + logs);
}

void LocalCluster::wait_registered(int broker, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const BrokerHandle& b = handle(broker);
  while (Clock::now() < deadline) {
    if (!owns(b)) {
      throw HarnessError("broker " + std::to_string(broker) + " exited; the end of its log:\n" +
                         tail_lines(broker_log(broker), 25));
    }
    // Ask the broker itself: the others still list a broker killed a moment
    // ago until its session expires, so their answer proves nothing.
    try {
      Metadata md = KafkaAdmin(b.address()).metadata(2s);
      if (md.answered_by == broker) {
        for (const auto& info : md.brokers) {
          if (info.id == broker) return;
        }
      }
    } catch (const HarnessError&) {
    }
    std::this_thread::sleep_for(200ms);
  }
  throw HarnessError("broker " + std::to_string(broker) + " did not register within " +
                     std::to_string(timeout.count() / 1000) + " s; see " +
                     broker_log(broker).string());
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

void LocalCluster::kill(int broker) {
  BrokerHandle& b = handle(broker);
  if (!owns(b)) return;
  ::kill(b.pid, SIGKILL);
  for (int i = 0; i < 1000 && process_state(b.pid) != ProcessState::gone; ++i) {
    std::this_thread::sleep_for(5ms);
  }
}

void LocalCluster::terminate(int broker) {
  BrokerHandle& b = handle(broker);
  if (!owns(b)) return;
  ::kill(b.pid, SIGCONT);
  ::kill(b.pid, SIGTERM);
  // A clean shutdown moves leadership away first; give it time, then insist.
  for (int i = 0; i < 1200 && process_state(b.pid) != ProcessState::gone; ++i) {
    std::this_thread::sleep_for(50ms);
  }
  kill(broker);
}

std::string LocalCluster::client_address() const { return LocalNetwork::address(kClientHost); }

std::filesystem::path LocalCluster::data_dir(int broker) const {
  return broker_dir(broker) / "data";
}

void LocalCluster::start(int broker) {
  BrokerHandle& b = handle(broker);
  if (owns(b)) {
    throw UserError("broker " + std::to_string(broker) + " is already running (pid " +
                    std::to_string(b.pid) + ")");
  }
  b.pid = launch(b);
  save();
}

void LocalCluster::pause(int broker) {
  BrokerHandle& b = handle(broker);
  if (!owns(b)) throw UserError("broker " + std::to_string(broker) + " is down: nothing to pause");
  ::kill(b.pid, SIGSTOP);
  wait_for_state(b.pid, ProcessState::stopped);
}

void LocalCluster::resume(int broker) {
  BrokerHandle& b = handle(broker);
  if (!owns(b)) return;
  ::kill(b.pid, SIGCONT);
  wait_for_state(b.pid, ProcessState::running);
}

void LocalCluster::isolate(int broker) { add_isolation(handle(broker)); }

void LocalCluster::heal(int broker) { heal_isolation(handle(broker)); }

std::optional<int> LocalCluster::active_controller() const {
  // Clients' metadata names a random broker as "controller" in KRaft; the
  // quorum's own record of its leader is the truth. The newest epoch wins.
  int best_epoch = -1;
  std::optional<int> leader;
  for (const auto& b : brokers_) {
    if (!owns(b)) continue;
    std::ifstream in(broker_dir(b.id) / "data" / "__cluster_metadata-0" / "quorum-state");
    try {
      auto j = nlohmann::json::parse(in);
      int epoch = j.value("leaderEpoch", -1);
      int id = j.value("leaderId", -1);
      if (id >= 0 && epoch > best_epoch) {
        best_epoch = epoch;
        leader = id;
      }
    } catch (const std::exception&) {
    }
  }
  return leader;
}

ClusterStatus LocalCluster::status() {
  ClusterStatus out;
  out.bootstrap = bootstrap();
  out.controller = active_controller();
  std::optional<Metadata> md;
  try {
    md = KafkaAdmin(bootstrap()).metadata(3s);
  } catch (const HarnessError&) {
  }
  for (const auto& b : brokers_) {
    BrokerStatus s;
    s.handle = b;
    if (owns(b)) {
      s.state =
          process_state(b.pid) == ProcessState::stopped ? BrokerState::paused : BrokerState::up;
    }
    s.isolated = is_isolated(b);
    if (md) {
      for (const auto& [topic, parts] : md->topics) {
        for (const auto& p : parts) {
          if (p.leader == b.id) s.leads.push_back(topic + "/" + std::to_string(p.id));
        }
      }
    }
    out.brokers.push_back(std::move(s));
  }
  return out;
}

}  // namespace kchaos::cluster
