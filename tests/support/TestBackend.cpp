#include "TestBackend.h"

#include <cstdlib>
#include <iostream>

#include "kchaos/cluster/Backends.h"
#include "kchaos/cluster/ComposeCluster.h"
#include "kchaos/cluster/Image.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/cluster/Network.h"

namespace kchaos::test {

std::string backend() {
  const char* b = std::getenv("KCHAOS_TEST_BACKEND");
  return b && *b ? b : "local";
}

std::string missing_prerequisite(const std::string& version) {
  try {
    cluster::check_backend_prerequisites(backend());
    cluster::kafka_libs(version);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

cluster::ClusterSpec spec_in(const std::filesystem::path& dir) {
  cluster::ClusterSpec spec;
  spec.dir = dir;
  spec.backend = backend();
  if (compose()) {
    spec.image = cluster::local_image(spec.kafka_version);
    cluster::build_image(spec.kafka_version, false, std::cout);
  }
  return spec;
}

std::vector<std::string> leftovers() {
  return compose() ? cluster::ComposeCluster::leftovers() : cluster::LocalNetwork().leftovers();
}

}  // namespace kchaos::test
