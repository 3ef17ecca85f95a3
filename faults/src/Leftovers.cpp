#include "kchaos/faults/Leftovers.h"

#include <sstream>

#include "Kinds.h"
#include "kchaos/cluster/Network.h"
#include "kchaos/sys/Process.h"
#include "kchaos/common/Error.h"

namespace kchaos::faults {
namespace {

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Deletes the rules (as `iptables -S` prints them) that faults tagged.
void remove_fault_rules(const cluster::BrokerHandle& b) {
  std::istringstream rules(cluster::run_in_netns(b, {"iptables", "-w", "-S"}));
  for (std::string line; std::getline(rules, line);) {
    if (line.rfind("-A ", 0) != 0 || line.find("--comment kchaos-fault-") == std::string::npos) {
      continue;
    }
    auto argv = words(line);
    argv[0] = "-D";
    argv.insert(argv.begin(), {"iptables", "-w"});
    cluster::run_in_netns(b, argv);
  }
}

void remove_link_limit(const cluster::BrokerHandle& b) {
  const std::string qdiscs = cluster::run_in_netns(b, {"tc", "qdisc", "show", "dev", "eth0"});
  if (qdiscs.find("qdisc tbf") != std::string::npos) {
    cluster::run_in_netns(b, {"tc", "qdisc", "del", "dev", "eth0", "root"});
  }
}

}  // namespace

void heal_leftovers(cluster::Cluster& cluster) {
  std::string failures;
  for (const auto& b : cluster.brokers()) {
    try {
      // An external cluster's brokers are only addresses: what faults did
      // there, drivers undo (resume, start and heal run them).
      std::error_code ec;
      if (b.has_namespace()) std::filesystem::remove(cluster.data_dir(b.id) / kDiskFiller, ec);
      cluster.resume(b.id);
      if (!cluster.is_running(b.id)) cluster.start(b.id);
      const auto handle = cluster.broker(b.id);  // its pid may be new
      cluster.heal(b.id);
      if (!handle.has_namespace()) continue;
      remove_fault_rules(handle);
      remove_link_limit(handle);
    } catch (const std::exception& e) {
      failures += "\n  broker " + std::to_string(b.id) + ": " + e.what();
    }
  }
  if (!failures.empty()) throw HarnessError("could not undo what faults left:" + failures);
}

}  // namespace kchaos::faults
