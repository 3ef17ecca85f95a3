#include "kchaos/cluster/Backends.h"

#include <fstream>

#include "kchaos/cluster/ComposeCluster.h"
#include "kchaos/cluster/ExternalCluster.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/cluster/LocalCluster.h"
#include "kchaos/cluster/Nodes.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {

std::unique_ptr<Cluster> make_cluster(const ClusterSpec& spec) {
  if (spec.backend == "local") return std::make_unique<LocalCluster>(spec);
  if (spec.backend == "compose") return std::make_unique<ComposeCluster>(spec);
  if (spec.backend == "external") return std::make_unique<ExternalCluster>(spec);
  throw UserError("unknown backend '" + spec.backend + "': use local, compose or external");
}

bool cluster_exists(const std::filesystem::path& dir) { return LocalCluster::exists(dir); }

namespace {
Json read_state(const std::filesystem::path& dir) {
  std::ifstream in(dir / kStateFile);
  return in ? Json::parse(in, nullptr, false) : Json();
}
}  // namespace

std::string recorded_backend(const std::filesystem::path& dir) {
  if (!cluster_exists(dir)) return "";
  const Json j = read_state(dir);
  // A state file too broken to say is the local backend's to explain.
  return j.is_object() ? j.value("backend", "local") : "local";
}

int recorded_lane(const std::filesystem::path& dir) {
  const Json j = read_state(dir);
  return j.is_object() ? j.value("lane", 0) : 0;
}

std::unique_ptr<Cluster> attach_cluster(const std::filesystem::path& dir) {
  const Json j = read_state(dir);
  if (j.is_object() && j.value("backend", "local") == "compose") {
    try {
      return std::make_unique<ComposeCluster>(ComposeCluster::attach(j, dir));
    } catch (const Json::exception& e) {
      throw HarnessError((dir / kStateFile).string() + " is unreadable (" + e.what() +
                         "): remove the cluster with `kchaos cluster down --dir " + dir.string() +
                         "`");
    }
  }
  // Everything else (including no or a broken state file) is the local
  // backend's to judge and explain.
  return std::make_unique<LocalCluster>(LocalCluster::attach(dir));
}

void check_backend_prerequisites(const std::string& backend) {
  if (backend == "external") return;  // kchaos starts nothing
  check_local_prerequisites();  // both run the storage tool here
  if (backend == "compose") {
    check_docker();
    compose_command();
  }
}

}  // namespace kchaos::cluster
