// The local backend's brokers: their files, their JVMs in their namespaces,
// and the signals faults send them.

#include <signal.h>

#include <fstream>

#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/cluster/LocalCluster.h"
#include "kchaos/cluster/Nodes.h"
#include "kchaos/sys/Process.h"
#include "kchaos/cluster/Readiness.h"
#include "kchaos/sys/Wait.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {
namespace {

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

pid_t LocalCluster::launch(const BrokerHandle& b) {
  const std::vector<std::string> argv = broker_command(
      spec_, b, kafka_java(spec_.kafka_version), kafka_libs(spec_.kafka_version).string(), b.netns);
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
  const pid_t pid = launch(b);
  {
    std::lock_guard lock(*state_mutex_);
    b.pid = pid;
  }
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
