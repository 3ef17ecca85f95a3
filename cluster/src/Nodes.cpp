#include "kchaos/cluster/Nodes.h"

#include <fstream>
#include <future>
#include <random>

#include "kchaos/cluster/BrokerConfig.h"
#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/sys/Process.h"
#include "kchaos/common/Error.h"
#include "kchaos/common/Files.h"

namespace kchaos::cluster {
namespace {

bool is_kafka4(const std::string& version) { return version.rfind("4.", 0) == 0; }

void write_log4j(const ClusterSpec& spec, const std::filesystem::path& dir) {
  std::ofstream log4j(dir /
                      (is_kafka4(spec.kafka_version) ? "log4j2.properties" : "log4j.properties"));
  if (is_kafka4(spec.kafka_version)) {
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

}  // namespace

// As Uuid.randomUuid makes them (never starting with '-').
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

std::filesystem::path broker_dir(const ClusterSpec& spec, int id) {
  return spec.dir / ("broker-" + std::to_string(id));
}

std::string broker_log_tails(const ClusterSpec& spec, const std::vector<BrokerHandle>& brokers,
                             int lines) {
  std::string out;
  for (const auto& b : brokers) {
    const auto log = broker_log_file(spec, b.id);
    out += "  " + log.string() + ":\n" + tail_lines(log, lines);
  }
  return out;
}

void write_broker_files(const ClusterSpec& spec, const std::vector<BrokerHandle>& all,
                        const BrokerHandle& b) {
  const auto dir = broker_dir(spec, b.id);
  std::filesystem::create_directories(dir / "data");
  std::vector<std::string> voters;
  for (const auto& v : all) {
    voters.push_back(std::to_string(v.id) + "@" + v.host + ":" + std::to_string(kControllerPort));
  }
  const int rf = replication_factor(spec);
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
                                     spec.overrides, structural));
  write_log4j(spec, dir);
}

void format_storage(const ClusterSpec& spec, const std::vector<BrokerHandle>& brokers,
                    const std::string& cluster_id) {
  const auto libs = kafka_libs(spec.kafka_version);
  std::vector<std::string> argv = kafka_java(spec.kafka_version);
  for (const char* arg : {"-Xmx256m", "-cp"}) argv.emplace_back(arg);
  argv.push_back((libs / "*").string());
  for (const char* arg : {"kafka.tools.StorageTool", "format", "--ignore-formatted", "-t"}) {
    argv.emplace_back(arg);
  }
  argv.push_back(cluster_id);
  argv.emplace_back("-c");
  std::vector<std::future<CommandResult>> jobs;
  for (const auto& b : brokers) {
    std::vector<std::string> format = argv;
    format.push_back((broker_dir(spec, b.id) / "server.properties").string());
    jobs.push_back(std::async(std::launch::async,
                              [format] { return run_command(format, std::chrono::minutes(2)); }));
  }
  for (size_t i = 0; i < jobs.size(); ++i) {
    CommandResult r = jobs[i].get();
    if (r.exit_code != 0) {
      throw HarnessError("formatting the storage of broker " + std::to_string(brokers[i].id) +
                         " failed:\n" + r.out + r.err);
    }
  }
}

std::vector<std::string> broker_command(const ClusterSpec& spec, const BrokerHandle& b,
                                        const std::vector<std::string>& java,
                                        const std::string& libs, const std::string& marker) {
  const auto dir = broker_dir(spec, b.id);
  const std::string heap = std::to_string(spec.heap_mb) + "m";
  std::vector<std::string> argv = java;
  argv.insert(argv.end(),
              {"-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
               "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true", "-Dkchaos.node=" + marker,
               "-Dkafka.logs.dir=" + dir.string(),
               "-Dlog4j.configuration=file:" + (dir / "log4j.properties").string(),
               "-Dlog4j2.configurationFile=" + (dir / "log4j2.properties").string(), "-cp",
               libs + "/*", "kafka.Kafka", (dir / "server.properties").string()});
  return argv;
}

namespace {

// Clients' metadata names a random broker as "controller" in KRaft; the
// quorum's own record of its leader is the truth.
std::optional<int> active_controller(const ClusterSpec& spec,
                                     const std::vector<BrokerStatus>& brokers) {
  int best_epoch = -1;
  std::optional<int> leader;
  for (const auto& b : brokers) {
    if (b.state == BrokerState::down) continue;
    std::ifstream in(broker_data_dir(spec, b.handle.id) / "__cluster_metadata-0" / "quorum-state");
    try {
      auto j = Json::parse(in);
      int epoch = j.value("leaderEpoch", -1);
      int leader_id = j.value("leaderId", -1);
      if (leader_id >= 0 && epoch > best_epoch) {
        best_epoch = epoch;
        leader = leader_id;
      }
    } catch (const std::exception&) {
    }
  }
  return leader;
}

void add_leads(const std::string& bootstrap, std::vector<BrokerStatus>& brokers) {
  std::optional<Metadata> md;
  try {
    md = KafkaAdmin(bootstrap).metadata(std::chrono::seconds(3));
  } catch (const TransientError&) {
    return;
  }
  for (auto& s : brokers) {
    for (const auto& [topic, parts] : md->topics) {
      for (const auto& p : parts) {
        if (p.leader == s.handle.id) s.leads.push_back(topic + "/" + std::to_string(p.id));
      }
    }
  }
}

}  // namespace

ClusterStatus cluster_status(const ClusterSpec& spec, const std::string& bootstrap,
                             std::vector<BrokerStatus> brokers) {
  ClusterStatus out;
  out.bootstrap = bootstrap;
  out.controller = active_controller(spec, brokers);
  add_leads(bootstrap, brokers);
  out.brokers = std::move(brokers);
  return out;
}

Json spec_to_json(const ClusterSpec& spec) {
  return {{"backend", spec.backend},
          {"image", spec.image},
          {"lane", spec.lane},
          {"kafka_version", spec.kafka_version},
          {"heap_mb", spec.heap_mb},
          {"data_tmpfs_mb", spec.data_tmpfs_mb},
          {"data_pagefs", spec.data_pagefs},
          {"overrides", spec.overrides}};
}

void write_state(const std::filesystem::path& dir, const Json& state) {
  write_atomically(dir / kStateFile, state.dump(2) + "\n");
}

ClusterSpec spec_from_json(const Json& j, const std::filesystem::path& dir) {
  ClusterSpec spec;
  spec.dir = dir;
  spec.backend = j.value("backend", "local");
  spec.image = j.value("image", "");
  spec.lane = j.value("lane", 0);
  spec.brokers = static_cast<int>(j.at("brokers").size());
  spec.kafka_version = j.at("kafka_version");
  spec.heap_mb = j.at("heap_mb");
  spec.data_tmpfs_mb = j.value("data_tmpfs_mb", 0);
  spec.data_pagefs = j.value("data_pagefs", false);
  spec.overrides = j.at("overrides").get<std::map<std::string, std::string>>();
  return spec;
}

}  // namespace kchaos::cluster
