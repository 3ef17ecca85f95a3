#pragma once
// Which cluster backend an integration test runs on: local, or compose with
// KCHAOS_TEST_BACKEND=compose (ctest registers each such test twice).

#include <filesystem>
#include <string>
#include <vector>

#include "kchaos/cluster/Cluster.h"

namespace kchaos::test {

/// "local" (default) or "compose".
std::string backend();
inline bool compose() { return backend() == "compose"; }

/// What this machine lacks to run a cluster of Kafka `version` on the
/// backend ("" when nothing).
std::string missing_prerequisite(const std::string& version);

/// A spec for dir on the backend; on compose the image kchaos builds, which
/// is built first when missing.
cluster::ClusterSpec spec_in(const std::filesystem::path& dir);

/// What the backend leaves on this machine once a cluster is gone.
std::vector<std::string> leftovers();

}  // namespace kchaos::test
