#pragma once
// Which cluster backend an integration test runs on: local, or compose with
// KCHAOS_TEST_BACKEND=compose (ctest registers each such test twice).

#include <filesystem>
#include <string>
#include <vector>

#include "kchaos/cluster/Cluster.h"
#include "kchaos/sys/Process.h"
#include "kchaos/common/Json.h"

namespace kchaos::test {

/// "local" (default) or "compose".
std::string backend();
/// The lane the test's clusters run in: KCHAOS_TEST_LANE, default 0 (ctest
/// gives tests that may run at once lanes of their own).
int lane();
/// A second lane for a test that runs two clusters: lane() + 50, which ctest
/// gives no test.
inline int spare_lane() { return lane() + 50; }
inline bool compose() { return backend() == "compose"; }

/// What this machine lacks to run a cluster of Kafka `version` on the
/// backend ("" when nothing).
std::string missing_prerequisite(const std::string& version);

/// A spec for dir on the backend; on compose the image kchaos builds, which
/// is built first when missing.
cluster::ClusterSpec spec_in(const std::filesystem::path& dir);

/// An empty directory for the test, named after it and this process.
std::filesystem::path temp_dir(const std::string& name);

/// `BINARY run SCENARIO --out OUT --seed SEED --lane lane()`.
CommandResult run_kchaos(const std::string& binary, const std::filesystem::path& scenario,
                         const std::filesystem::path& out, int seed,
                         std::chrono::milliseconds timeout);

/// A JSON file (a run's report.json, run.json, config.json).
Json read_json(const std::filesystem::path& file);

/// What the backend leaves on this machine once a cluster is gone.
std::vector<std::string> leftovers();

}  // namespace kchaos::test
