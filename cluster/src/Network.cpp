#include "kchaos/cluster/Network.h"

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "kchaos/sys/Process.h"
#include "kchaos/cluster/RuleSet.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {
namespace {

constexpr int kPrefixLength = 24;

// The tag of `kchaos cluster isolate`'s rules: heal removes exactly those,
// never a fault's identical ones.
constexpr const char* kIsolateTag = "kchaos-isolate";

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::vector<std::string> iptables(const std::string& op, const std::vector<std::string>& rule) {
  return iptables_command(op, rule);
}

// When bridged traffic passes through iptables (br_netfilter, as on Docker
// hosts whose FORWARD policy is DROP), hosts on our bridge need a rule to
// reach each other.
bool bridge_traffic_filtered() {
  std::ifstream f("/proc/sys/net/bridge/bridge-nf-call-iptables");
  int on = 0;
  return (f >> on) && on == 1;
}

std::vector<std::string> forward_rule(const std::string& bridge) {
  return {"FORWARD", "-i", bridge, "-o", bridge, "-j", "ACCEPT"};
}

}  // namespace

std::vector<std::string> in_netns(const std::string& netns, const std::vector<std::string>& argv) {
  if (netns.empty()) return argv;
  std::vector<std::string> out = {"ip", "netns", "exec", netns};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

namespace {
pid_t namespace_holder(const BrokerHandle& broker) {
  return broker.netns_pid > 0 ? broker.netns_pid : broker.pid;
}
}  // namespace

bool namespace_gone(const BrokerHandle& broker) {
  const pid_t holder = namespace_holder(broker);
  return broker.netns.empty() && (holder <= 0 || process_state(holder) == ProcessState::gone);
}

std::vector<std::string> in_netns(const BrokerHandle& broker,
                                  const std::vector<std::string>& argv) {
  if (!broker.netns.empty()) return in_netns(broker.netns, argv);
  const pid_t holder = namespace_holder(broker);
  if (holder <= 0) {
    throw HarnessError("broker " + std::to_string(broker.id) +
                       " has no network namespace to enter (its container is down)");
  }
  std::vector<std::string> out = {"nsenter", "-t", std::to_string(holder), "-n"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

std::string run_in_netns(const BrokerHandle& broker, const std::vector<std::string>& argv) {
  return run_checked(in_netns(broker, argv));
}

void add_isolation(const BrokerHandle& broker) {
  if (is_isolated(broker)) return;
  for (const auto& rule : isolation_rules()) {
    run_in_netns(broker, iptables_command("-I", rule, kIsolateTag));
  }
}

void heal_isolation(const BrokerHandle& broker) {
  for (const auto& rule : isolation_rules()) {
    while (run_command(in_netns(broker, iptables_command("-C", rule, kIsolateTag))).exit_code ==
           0) {
      run_in_netns(broker, iptables_command("-D", rule, kIsolateTag));
    }
  }
}

bool is_isolated(const BrokerHandle& broker) {
  return run_command(
             in_netns(broker, iptables_command("-C", isolation_rules().front(), kIsolateTag)))
             .exit_code == 0;
}

std::vector<std::string> mounts_from(const std::string& source_prefix) {
  std::vector<std::string> out;
  std::ifstream mounts("/proc/mounts");
  std::string source, target, rest;
  while (mounts >> source >> target && std::getline(mounts, rest)) {
    if (source.rfind(source_prefix, 0) == 0) out.push_back(target);
  }
  return out;
}

LocalNetwork::LocalNetwork(Lane lane) : prefix_(lane.local_prefix()), subnet_(lane.local_subnet()) {}

void LocalNetwork::create_bridge() {
  const std::string br = bridge();
  run_checked({"ip", "link", "add", br, "type", "bridge"});
  run_checked({"ip", "addr", "add", address(1) + "/" + std::to_string(kPrefixLength), "dev", br});
  run_checked({"ip", "link", "set", br, "up"});
  if (bridge_traffic_filtered()) run_checked(iptables("-I", forward_rule(br)));
}

std::string LocalNetwork::add_host(const std::string& host, int n) {
  const std::string ns = netns_name(host);
  const std::string veth = prefix_ + "v-" + host;
  if (veth.size() > 15) throw HarnessError("interface name too long: " + veth);
  run_checked({"ip", "netns", "add", ns});
  run_checked({"ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns});
  run_checked({"ip", "link", "set", veth, "master", bridge(), "up"});
  run_checked({"ip", "-n", ns, "link", "set", "lo", "up"});
  run_checked({"ip", "-n", ns, "addr", "add", address(n) + "/" + std::to_string(kPrefixLength),
               "dev", "eth0"});
  run_checked({"ip", "-n", ns, "link", "set", "eth0", "up"});
  return ns;
}

namespace {

bool has_prefix(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

std::vector<std::string> our_namespaces(const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& line : lines(run_command({"ip", "netns", "list"}).out)) {
    std::string name = line.substr(0, line.find(' '));
    if (has_prefix(name, prefix + "-")) out.push_back(name);
  }
  return out;
}

std::vector<std::string> our_links(const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& line : lines(run_command({"ip", "-o", "link", "show"}).out)) {
    // "7: kcv-b1@if2: <...>"
    auto start = line.find(": ");
    if (start == std::string::npos) continue;
    std::string name = line.substr(start + 2, line.find_first_of("@:", start + 2) - start - 2);
    if (has_prefix(name, prefix + "v-") || name == prefix + "br0") out.push_back(name);
  }
  return out;
}

// Processes started by a kchaos cluster carry -Dkchaos.node=<prefix>-... (the
// brokers) or --name kchaos-<prefix>-... (their kchaos-pagefs daemons) on
// their command line, so they are found even after their namespace is gone.
std::vector<pid_t> our_processes(const std::string& prefix) {
  std::vector<pid_t> out;
  const std::string marker = "-Dkchaos.node=" + prefix + "-";
  const std::string daemon = "--name kchaos-" + prefix + "-";
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    // The command line alone decides (a zombie's is empty): checking the state
    // would reap every exited child of ours, including ones Boost.Process
    // still manages.
    pid_t pid = std::stoi(name);
    const std::string cmdline = process_cmdline(pid);
    if (cmdline.find(marker) != std::string::npos || cmdline.find(daemon) != std::string::npos)
      out.push_back(pid);
  }
  return out;
}

// Mounts of broker data (tmpfs, kchaos-pagefs) carry the source name
// kchaos-<prefix>-<host>.
std::vector<std::string> our_mounts(const std::string& prefix) {
  return mounts_from("kchaos-" + prefix + "-");
}

void kill_and_wait(const std::vector<pid_t>& pids) {
  for (pid_t pid : pids) {
    ::kill(pid, SIGKILL);
    ::kill(pid, SIGCONT);
  }
  for (pid_t pid : pids) {
    for (int i = 0; i < 500 && process_state(pid) != ProcessState::gone; ++i) {
      std::this_thread::sleep_for(10ms);
    }
  }
}

}  // namespace

void LocalNetwork::remove_all() const {
  for (const auto& ns : our_namespaces(prefix_)) {
    std::vector<pid_t> pids;
    for (const auto& p : lines(run_command({"ip", "netns", "pids", ns}).out)) {
      pids.push_back(std::stoi(p));
    }
    kill_and_wait(pids);
    run_command({"ip", "netns", "del", ns});
  }
  kill_and_wait(our_processes(prefix_));
  for (const auto& target : our_mounts(prefix_)) run_command({"umount", "-l", target});
  // Deleting a namespace destroys its veth end asynchronously; the host end
  // goes with it, but may still be listed for a moment.
  for (const auto& link : our_links(prefix_)) run_command({"ip", "link", "del", link});
  const auto rule = forward_rule(bridge());
  while (run_command(iptables("-C", rule)).exit_code == 0) run_command(iptables("-D", rule));
  for (int i = 0; i < 100 && !our_links(prefix_).empty(); ++i) std::this_thread::sleep_for(20ms);
}

std::vector<std::string> LocalNetwork::leftovers() const {
  std::vector<std::string> out;
  for (const auto& ns : our_namespaces(prefix_)) out.push_back("namespace " + ns);
  for (const auto& link : our_links(prefix_)) out.push_back("link " + link);
  for (pid_t pid : our_processes(prefix_)) out.push_back("process " + std::to_string(pid));
  for (const auto& target : our_mounts(prefix_)) out.push_back("mount " + target);
  if (run_command(iptables("-C", forward_rule(bridge()))).exit_code == 0) {
    out.push_back("iptables FORWARD rule for " + bridge());
  }
  return out;
}

}  // namespace kchaos::cluster
