// The compose backend's brokers: what the engine says of their containers,
// and the actions faults take on them through it. Network faults enter the
// namespace of the broker's holder container (nsenter -t PID -n), which
// outlives the broker's restarts.

#include <signal.h>

#include <fstream>

#include "kchaos/cluster/ComposeCluster.h"
#include "kchaos/cluster/Network.h"
#include "kchaos/cluster/Readiness.h"
#include "kchaos/sys/Wait.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {

const BrokerHandle& ComposeCluster::handle(int broker) const {
  for (const auto& b : brokers_) {
    if (b.id == broker) return b;
  }
  throw UserError("no broker " + std::to_string(broker) + " in this cluster (brokers are 1.." +
                  std::to_string(brokers_.size()) + ")");
}

ContainerState ComposeCluster::state(int broker) const {
  const std::string name = container(handle(broker).id);
  return inspect_containers({name})[name];
}

std::map<std::string, ContainerState> ComposeCluster::inspect_all() const {
  std::vector<std::string> names;
  for (const auto& b : brokers_) {
    names.push_back(container(b.id));
    names.push_back(holder(b.id));
  }
  return inspect_containers(names);
}

std::vector<BrokerHandle> ComposeCluster::brokers() const { return brokers_with(inspect_all()); }

// Each handle with its broker's pid (0 when it is down) and the pid of its
// namespace's holder, as states has them.
std::vector<BrokerHandle> ComposeCluster::brokers_with(
    const std::map<std::string, ContainerState>& states) const {
  std::vector<BrokerHandle> out = brokers_;
  for (auto& b : out) {
    b.pid = states.at(container(b.id)).pid;
    b.netns_pid = states.at(holder(b.id)).pid;
  }
  return out;
}

void ComposeCluster::wait_registered(int broker, std::chrono::milliseconds timeout) {
  const BrokerHandle& b = handle(broker);
  auto alive = [&] {
    if (!state(broker).running) {
      throw HarnessError("broker " + std::to_string(broker) + " (container " + container(broker) +
                         ") exited; the end of its log:\n" + tail_lines(broker_log(broker), 25));
    }
  };
  if (!wait_broker_registered(b.address(), broker, timeout, alive)) {
    throw HarnessError("broker " + std::to_string(broker) + " did not register within " +
                       std::to_string(timeout.count() / 1000) + " s; see " +
                       broker_log(broker).string());
  }
}

void ComposeCluster::wait_stopped(int broker) {
  if (!poll_until(std::chrono::seconds(10), std::chrono::milliseconds(20),
                  [&] { return !state(broker).running; })) {
    throw HarnessError("broker " + std::to_string(broker) + " (container " + container(broker) +
                       ") still runs 10 s after it was killed");
  }
}

void ComposeCluster::kill(int broker) {
  const ContainerState s = state(broker);
  if (!s.running) return;
  if (s.paused && s.pid > 0) {
    // The engine refuses to kill a paused container: the signal waits in the
    // frozen process and takes it the instant it thaws, before it runs on.
    ::kill(s.pid, SIGKILL);
    docker({"unpause", container(broker)});
  } else {
    // A container that exited meanwhile makes this fail; the wait decides.
    docker({"kill", "-s", "KILL", container(broker)});
  }
  wait_stopped(broker);
}

void ComposeCluster::terminate(int broker) {
  const ContainerState s = state(broker);
  if (!s.running) return;
  if (s.paused) docker({"unpause", container(broker)});
  // A clean shutdown moves leadership away first; give it time, then insist.
  run_checked({docker_executable(), "stop", "-t", "60", container(broker)},
              std::chrono::seconds(90));
  kill(broker);
}

void ComposeCluster::start(int broker) {
  if (state(broker).running) {
    throw UserError("broker " + std::to_string(broker) + " is already running (container " +
                    container(broker) + ")");
  }
  std::ofstream(broker_log(broker), std::ios::app)
      << "---- kchaos: starting broker " << broker << " ----\n";
  run_checked({docker_executable(), "start", container(broker)}, std::chrono::seconds(60));
}

void ComposeCluster::pause(int broker) {
  const ContainerState s = state(broker);
  if (!s.running)
    throw UserError("broker " + std::to_string(broker) + " is down: nothing to pause");
  if (!s.paused) run_checked({docker_executable(), "pause", container(broker)});
}

void ComposeCluster::resume(int broker) {
  if (state(broker).paused) run_checked({docker_executable(), "unpause", container(broker)});
}

void ComposeCluster::isolate(int broker) { add_isolation(this->broker(broker)); }

void ComposeCluster::heal(int broker) {
  const BrokerHandle b = this->broker(broker);
  if (!namespace_gone(b)) heal_isolation(b);
}

}  // namespace kchaos::cluster
