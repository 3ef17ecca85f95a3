#include "kchaos/catalog/Catalog.h"

#include <algorithm>
#include <cstdlib>

#include "kchaos/common/Error.h"
#include "kchaos/common/Json.h"

namespace kchaos::catalog {

const std::vector<std::string>& backend_names() {
  static const std::vector<std::string> names = {"local", "compose", "external"};
  return names;
}

const std::vector<DriverAction>& driver_actions() {
  static const std::vector<DriverAction> actions = {
      {"broker-kill", "kills the broker (SIGKILL); then it must leave the metadata"},
      {"broker-stop", "stops the broker cleanly (SIGTERM); then it must leave the metadata"},
      {"broker-start", "starts a broker kchaos stopped; then it must register again"},
      {"broker-pause", "pauses the broker (SIGSTOP)"},
      {"broker-resume", "resumes a broker kchaos paused"},
      {"isolate", "cuts the broker off the network; then it must leave the metadata"},
      {"heal", "undoes isolate; then the broker must register again"},
  };
  return actions;
}

bool is_driver_action(const std::string& name) {
  for (const auto& a : driver_actions()) {
    if (a.name == name) return true;
  }
  return false;
}

std::vector<std::string> placeholders_in(const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  for (const auto& arg : argv) {
    for (size_t open = arg.find('{'); open != std::string::npos; open = arg.find('{', open + 1)) {
      const size_t close = arg.find('}', open);
      if (close == std::string::npos) break;
      out.push_back(arg.substr(open + 1, close - open - 1));
    }
  }
  return out;
}

std::vector<std::string> expand_placeholders(const std::vector<std::string>& argv,
                                             const std::map<std::string, std::string>& values) {
  std::vector<std::string> out;
  for (const auto& arg : argv) {
    std::string s;
    size_t at = 0;
    for (size_t open = arg.find('{'); open != std::string::npos; open = arg.find('{', at)) {
      const size_t close = arg.find('}', open);
      if (close == std::string::npos) break;
      const std::string name = arg.substr(open + 1, close - open - 1);
      const auto it = values.find(name);
      if (it == values.end()) {
        throw UserError("placeholder {" + name + "} in " + shown(Json(arg)) + " has no value");
      }
      s += arg.substr(at, open - at) + it->second;
      at = close + 1;
    }
    out.push_back(s + arg.substr(at));
  }
  return out;
}

const std::map<std::string, std::string>& owned_broker_keys() {
  static const std::map<std::string, std::string> keys = {
      {"process.roles", "every node is a combined broker and controller"},
      {"node.id", "kchaos numbers the brokers"},
      {"broker.id", "kchaos numbers the brokers"},
      {"controller.quorum.voters", "kchaos makes every node a voter"},
      {"controller.quorum.bootstrap.servers", "kchaos makes every node a voter"},
      {"listeners", "kchaos places the brokers and their listeners"},
      {"advertised.listeners", "kchaos places the brokers and their listeners"},
      {"controller.listener.names", "kchaos names the listeners"},
      {"inter.broker.listener.name", "kchaos names the listeners"},
      {"listener.security.protocol.map", "kchaos names the listeners"},
      {"log.dirs", "kchaos places the logs (and mounts them for disk faults)"},
      {"log.dir", "kchaos places the logs (and mounts them for disk faults)"},
      {"metadata.log.dir", "kchaos places the logs (and mounts them for disk faults)"},
  };
  return keys;
}

std::filesystem::path kafka_cache() {
  if (const char* cache = std::getenv("KCHAOS_CACHE")) return cache;
  return "/var/cache/kchaos";
}

const std::vector<std::string>& released_kafka_versions() {
  // org.apache.kafka:kafka_2.13 on Maven Central, from 3.3 (KRaft ready).
  static const std::vector<std::string> kReleased = {
      "3.3.0", "3.3.1", "3.3.2", "3.4.0", "3.4.1", "3.5.0", "3.5.1", "3.5.2",
      "3.6.0", "3.6.1", "3.6.2", "3.7.0", "3.7.1", "3.7.2", "3.8.0", "3.8.1",
      "3.9.0", "3.9.1", "3.9.2", "4.0.0", "4.0.1", "4.0.2", "4.1.0", "4.1.1",
      "4.1.2", "4.2.0", "4.2.1", "4.2.2", "4.3.0", "4.3.1", "4.4.0"};
  return kReleased;
}

bool known_kafka_version(const std::string& version) {
  const auto& released = released_kafka_versions();
  if (std::find(released.begin(), released.end(), version) != released.end()) return true;
  if (version.empty() || version.find('/') != std::string::npos || version[0] == '.') return false;
  return std::filesystem::exists(kafka_cache() / ("kafka-" + version) / ".complete");
}

}  // namespace kchaos::catalog
