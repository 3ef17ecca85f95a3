#include "kchaos/catalog/Catalog.h"

#include <algorithm>
#include <cstdlib>

namespace kchaos::catalog {

const std::vector<std::string>& backend_names() {
  static const std::vector<std::string> names = {"local", "compose"};
  return names;
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
