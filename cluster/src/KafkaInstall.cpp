#include "kchaos/cluster/KafkaInstall.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <set>

#include "kchaos/catalog/Catalog.h"
#include "kchaos/sys/Process.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {

std::filesystem::path kchaos_home() {
  if (const char* home = std::getenv("KCHAOS_HOME")) return home;
  return KCHAOS_SOURCE_DIR;
}

std::filesystem::path kafka_libs(const std::string& version) {
  const auto dir = catalog::kafka_cache() / ("kafka-" + version);
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
