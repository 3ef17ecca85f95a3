// The local backend's brokers: their files, their JVMs in their namespaces,
// and the signals faults send them.

#include <signal.h>

#include <fstream>
#include <future>

#include "kchaos/cluster/BrokerConfig.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/cluster/LocalCluster.h"
#include "kchaos/cluster/Process.h"
#include "kchaos/cluster/Readiness.h"
#include "kchaos/cluster/Wait.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {
namespace {

constexpr int kControllerPort = 9093;

bool is_kafka4(const std::string& version) { return version.rfind("4.", 0) == 0; }

// Signals reach every thread of a JVM a moment after kill() returns.
void wait_for_state(pid_t pid, ProcessState want, std::chrono::milliseconds timeout) {
  poll_until(timeout, 5ms, [&] { return process_state(pid) == want; });
}

}  // namespace

std::string describe_end(pid_t pid) {
  if (process_state(pid) == ProcessState::gone) {
    const std::string how = how_it_ended(pid);
    return how.empty() ? "gone" : how;
  }
  return process_details(pid) + ", command line '" + process_cmdline(pid).substr(0, 80) + "'";
}

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
  // Until the child has exec'd java, its command line is ours, then ip's:
  // wait for the JVM, so that owns() is true from here on.
  BrokerHandle started = b;
  started.pid = pid;
  if (!poll_until(10s, 5ms, [&] { return owns(started); })) {
    throw HarnessError("broker " + std::to_string(b.id) + " (pid " + std::to_string(pid) + ", " +
                       describe_end(pid) + ") did not start; the end of " +
                       broker_log(b.id).string() + ":\n" + tail_lines(broker_log(b.id), 25));
  }
  return pid;
}

// The marker alone is not enough: "ip netns exec" carries the JVM's command
// line before it execs java, and while a process execs its command line reads
// empty. Only the exec'd JVM (first word java) owns the broker, so a started
// broker's ownership does not blink.
bool LocalCluster::owns(const BrokerHandle& b) const {
  if (process_state(b.pid) == ProcessState::gone) return false;
  const std::string cmdline = process_cmdline(b.pid);
  const std::string program = cmdline.substr(0, cmdline.find(' '));
  const bool jvm = program.size() >= 4 && program.compare(program.size() - 4, 4, "java") == 0;
  return jvm && cmdline.find("-Dkchaos.node=" + b.netns + " ") != std::string::npos;
}

// A broker exits for good, not for one look: only a broker that stays unowned
// for a second has exited.
bool LocalCluster::exited(const BrokerHandle& b) const {
  return !poll_until(1s, 100ms, [&] { return owns(b); });
}

void LocalCluster::wait_registered(int broker, std::chrono::milliseconds timeout) {
  const BrokerHandle& b = handle(broker);
  auto alive = [&] {
    if (exited(b)) {
      throw HarnessError("broker " + std::to_string(broker) + " exited; the end of its log:\n" +
                         tail_lines(broker_log(broker), 25));
    }
  };
  if (!wait_broker_registered(b.address(), broker, timeout, alive)) {
    throw HarnessError("broker " + std::to_string(broker) + " did not register within " +
                       std::to_string(timeout.count() / 1000) + " s; see " +
                       broker_log(broker).string());
  }
}

void LocalCluster::kill(int broker) {
  BrokerHandle& b = handle(broker);
  if (!owns(b)) return;
  ::kill(b.pid, SIGKILL);
  wait_for_state(b.pid, ProcessState::gone, 5s);
}

void LocalCluster::terminate(int broker) {
  BrokerHandle& b = handle(broker);
  if (!owns(b)) return;
  ::kill(b.pid, SIGCONT);
  ::kill(b.pid, SIGTERM);
  // A clean shutdown moves leadership away first; give it time, then insist.
  wait_for_state(b.pid, ProcessState::gone, 60s);
  kill(broker);
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
  wait_for_state(b.pid, ProcessState::stopped, 2s);
}

void LocalCluster::resume(int broker) {
  BrokerHandle& b = handle(broker);
  if (!owns(b)) return;
  ::kill(b.pid, SIGCONT);
  wait_for_state(b.pid, ProcessState::running, 2s);
}

void LocalCluster::isolate(int broker) { add_isolation(handle(broker)); }

void LocalCluster::heal(int broker) { heal_isolation(handle(broker)); }

}  // namespace kchaos::cluster
