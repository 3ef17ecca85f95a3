#include "kchaos/cluster/ExternalCluster.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "kchaos/catalog/Catalog.h"
#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/common/Error.h"
#include "kchaos/sys/Process.h"
#include "kchaos/sys/Wait.h"

namespace kchaos::cluster {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::seconds kConnectTimeout{30}, kDriverTimeout{120};
constexpr std::chrono::milliseconds kPoll{500};

// ": <the first line of output>" (at most 200 characters of it), or "".
std::string output_text(const CommandResult& r) {
  const std::string all = r.out + r.err;
  const size_t end = std::min(all.find('\n'), size_t{200});
  if (end == 0 || all.empty()) return "";
  std::string text = ": ";
  text.append(all, 0, end);
  return text;
}

}  // namespace

ExternalCluster::ExternalCluster(ClusterSpec spec) : spec_(std::move(spec)) {}

void ExternalCluster::up() {
  const auto began = Clock::now();
  Metadata md;
  try {
    md = KafkaAdmin(spec_.bootstrap).metadata(kConnectTimeout);
  } catch (const std::exception& e) {
    throw UserError("cannot reach the cluster at " + spec_.bootstrap + " (" + e.what() +
                    "): check cluster.bootstrap (or --bootstrap)");
  }
  std::set<int> ids;
  for (const auto& b : md.brokers) {
    brokers_.push_back({b.id, b.host, b.port, 0, "", 0});
    ids.insert(b.id);
  }
  // Brokers of the inventory that are down now are still the cluster's.
  for (const auto& [id, values] : spec_.nodes) {
    if (ids.count(id) == 0) brokers_.push_back({id, "", 0, 0, "", 0});
  }
  startup_seconds_ = std::chrono::duration<double>(Clock::now() - began).count();
}

std::vector<BrokerHandle> ExternalCluster::brokers() const { return brokers_; }

std::set<int> ExternalCluster::registered() {
  std::set<int> ids;
  try {
    for (const auto& b : KafkaAdmin(spec_.bootstrap).metadata(5s).brokers) ids.insert(b.id);
  } catch (const std::exception&) {
  }
  return ids;
}

ClusterStatus ExternalCluster::status() {
  ClusterStatus s;
  s.bootstrap = spec_.bootstrap;
  const auto now = registered();
  std::lock_guard lock(mutex_);
  for (const auto& b : brokers_) {
    BrokerStatus st;
    st.handle = b;
    st.state = paused_.count(b.id) ? BrokerState::paused
               : now.count(b.id)   ? BrokerState::up
                                   : BrokerState::down;
    st.isolated = isolated_.count(b.id) != 0;
    s.brokers.push_back(st);
  }
  return s;
}

std::filesystem::path ExternalCluster::data_dir(int broker) const {
  throw HarnessError("broker " + std::to_string(broker) +
                     " of an external cluster has no data directory kchaos can reach");
}

bool ExternalCluster::is_running(int broker) {
  std::lock_guard lock(mutex_);
  return stopped_.count(broker) == 0;
}

void ExternalCluster::wait_registered(int broker, std::chrono::milliseconds timeout) {
  if (!poll_until(timeout, kPoll, [&] { return registered().count(broker) != 0; })) {
    throw HarnessError("broker " + std::to_string(broker) + " did not register within " +
                       std::to_string(timeout.count() / 1000) + " s");
  }
}

void ExternalCluster::drive(const std::string& action, int broker) {
  const auto it = spec_.drivers.find(action);
  if (it == spec_.drivers.end()) {
    throw HarnessError("no driver for " + action + " (cluster.drivers." + action + ")");
  }
  std::map<std::string, std::string> values = {{"id", std::to_string(broker)},
                                               {"bootstrap", spec_.bootstrap}};
  if (const auto node = spec_.nodes.find(broker); node != spec_.nodes.end()) {
    for (const auto& [k, v] : node->second) values[k] = v;
  }
  const auto argv = catalog::expand_placeholders(it->second, values);
  const auto began = Clock::now();
  const CommandResult r = run_command(argv, kDriverTimeout);
  const double took = std::chrono::duration<double>(Clock::now() - began).count();
  std::ostringstream took_text;
  took_text << std::fixed << std::setprecision(1) << took;
  std::string line = "driver " + action + " broker " + std::to_string(broker) + ": exit " +
                     (r.timed_out ? std::string("(timed out)") : std::to_string(r.exit_code)) +
                     " in " + took_text.str() + " s";
  line += output_text(r);
  if (log_) log_(line);
  if (r.timed_out || r.exit_code != 0) throw HarnessError(line);
}

void ExternalCluster::prove_gone(const std::string& action, int broker) {
  if (!poll_until(kLeaveTimeout, kPoll, [&] { return registered().count(broker) == 0; })) {
    // It runs, whatever the driver did: nothing for a heal to start.
    {
      std::lock_guard lock(mutex_);
      stopped_.erase(broker);
      isolated_.erase(broker);
    }
    throw HarnessError("the " + action + " driver exited 0, but broker " +
                       std::to_string(broker) + " is still in the cluster's metadata after " +
                       std::to_string(kLeaveTimeout.count()) + " s");
  }
}

void ExternalCluster::prove_back(const std::string& action, int broker) {
  if (!poll_until(kRegisterTimeout, kPoll, [&] { return registered().count(broker) != 0; })) {
    throw HarnessError("the " + action + " driver exited 0, but broker " +
                       std::to_string(broker) + " is not back in the cluster's metadata after " +
                       std::to_string(kRegisterTimeout.count()) + " s");
  }
}

void ExternalCluster::act(const std::string& action, int broker, std::set<int>& done) {
  drive(action, broker);
  std::lock_guard lock(mutex_);
  done.insert(broker);
}

bool ExternalCluster::undo(const std::string& action, int broker, std::set<int>& done) {
  {
    std::lock_guard lock(mutex_);
    if (done.count(broker) == 0) return false;  // kchaos did nothing there
  }
  drive(action, broker);
  std::lock_guard lock(mutex_);
  done.erase(broker);
  return true;
}

void ExternalCluster::kill(int broker) {
  act("broker-kill", broker, stopped_);
  prove_gone("broker-kill", broker);
}

void ExternalCluster::terminate(int broker) {
  act("broker-stop", broker, stopped_);
  prove_gone("broker-stop", broker);
}

void ExternalCluster::start(int broker) {
  if (undo("broker-start", broker, stopped_)) prove_back("broker-start", broker);
}

void ExternalCluster::pause(int broker) { act("broker-pause", broker, paused_); }

void ExternalCluster::resume(int broker) { undo("broker-resume", broker, paused_); }

void ExternalCluster::isolate(int broker) {
  act("isolate", broker, isolated_);
  prove_gone("isolate", broker);
}

void ExternalCluster::heal(int broker) {
  if (undo("heal", broker, isolated_)) prove_back("heal", broker);
}

}  // namespace kchaos::cluster
