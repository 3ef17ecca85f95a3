// kchaos image build: the container image the compose backend runs, built
// on this machine from Debian packages and the cached Kafka jars, for a
// machine without a registry.

#include <iostream>

#include "Args.h"
#include "Commands.h"
#include "kchaos/catalog/Catalog.h"
#include "kchaos/cluster/Cluster.h"
#include "kchaos/cluster/Image.h"
#include "kchaos/common/Error.h"

namespace kchaos::cli {

int image_command(const std::vector<std::string>& argv) {
  Args args(argv, {"kafka-version"}, {"force", "help"});
  if (args.has("help") || args.positional().size() != 1 || args.positional()[0] != "build") {
    std::cout
        << "usage: kchaos image build [--kafka-version V] [--force]\n"
           "  builds kchaos/kafka:V (default "
        << cluster::ClusterSpec{}.kafka_version
        << "): Debian bookworm with openjdk-17-jre-headless\n"
           "  (debootstrap, imported once as "
        << cluster::kBaseImage
        << ") and Kafka V's broker jars in /opt/kafka/libs.\n"
           "  An existing image is kept unless --force. Needs root, Docker and debootstrap.\n";
    return args.has("help") ? kExitOk : kExitBadInput;
  }
  const std::string version = args.get("kafka-version", cluster::ClusterSpec{}.kafka_version);
  if (!catalog::known_kafka_version(version)) {
    throw UserError("--kafka-version " + version +
                    ": not a Kafka release with KRaft broker jars on Maven Central (3.3.0 or "
                    "later, e.g. 3.9.2 or 4.1.1)");
  }
  cluster::build_image(version, args.has("force"), std::cout);
  return kExitOk;
}

}  // namespace kchaos::cli
