#include "kchaos/cluster/KafkaInstall.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <set>

#include "kchaos/sys/Process.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {

std::filesystem::path kchaos_home() {
  if (const char* home = std::getenv("KCHAOS_HOME")) return home;
  return KCHAOS_SOURCE_DIR;
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

std::filesystem::path kafka_libs(const std::string& version) {
  const auto dir = kafka_cache() / ("kafka-" + version);
  if (std::filesystem::exists(dir / ".complete")) return dir / "libs";
  const auto script = kchaos_home() / "scripts" / "fetch-kafka.sh";
  if (!std::filesystem::exists(script)) {
    throw UserError("Kafka " + version + " is not in " + dir.string() +
                    ": fetch it with scripts/fetch-kafka.sh " + version);
  }
  std::cerr << "Kafka " << version << " is not cached yet: fetching it from Maven Central\n";
  CommandResult r = run_command({"bash", script.string(), version}, std::chrono::minutes(10));
  if (r.exit_code != 0 || !std::filesystem::exists(dir / ".complete")) {
    throw UserError("cannot fetch Kafka " + version + " with " + script.string() + ":\n" + r.out +
                    r.err + "Check the version exists on Maven Central (e.g. 3.9.2, 4.1.1).");
  }
  return dir / "libs";
}

std::string java_executable() {
  if (const char* home = std::getenv("JAVA_HOME")) {
    std::filesystem::path java = std::filesystem::path(home) / "bin" / "java";
    if (std::filesystem::exists(java)) return java.string();
  }
  if (in_path("java")) return "java";
  throw UserError(
      "Java is not installed: the brokers are real Kafka JVMs. Install OpenJDK 17 "
      "(apt-get install openjdk-17-jre-headless) or run scripts/setup.sh.");
}

void check_local_prerequisites() {
  if (::geteuid() != 0) {
    throw UserError(
        "the local backend needs root: it creates network namespaces, veth pairs and iptables "
        "rules. Run kchaos as root (e.g. sudo kchaos ...).");
  }
  if (!in_path("ip")) throw UserError("'ip' is not installed: apt-get install iproute2");
  if (!in_path("iptables"))
    throw UserError("'iptables' is not installed: apt-get install iptables");
  java_executable();
}

}  // namespace kchaos::cluster
