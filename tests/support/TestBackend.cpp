#include "TestBackend.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
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

int lane() {
  const char* l = std::getenv("KCHAOS_TEST_LANE");
  return l && *l ? std::atoi(l) : 0;
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
  spec.lane = lane();
  if (compose()) {
    spec.image = cluster::local_image(spec.kafka_version);
    cluster::build_image(spec.kafka_version, false, std::cout);
  }
  return spec;
}

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("kchaos-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

CommandResult run_kchaos(const std::string& binary, const std::filesystem::path& scenario,
                         const std::filesystem::path& out, int seed,
                         std::chrono::milliseconds timeout) {
  return run_command({binary, "run", scenario.string(), "--out", out.string(), "--seed",
                      std::to_string(seed), "--lane", std::to_string(lane())},
                     timeout);
}

Json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  return Json::parse(in);
}

std::vector<std::string> leftovers() {
  const cluster::Lane l(lane());
  return compose() ? cluster::ComposeCluster::leftovers(l) : cluster::LocalNetwork(l).leftovers();
}

}  // namespace kchaos::test
