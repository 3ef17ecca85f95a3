#pragma once
// Choosing a backend: a cluster to start from a spec, or the one a directory's
// cluster.json records, whichever backend started it.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kchaos/cluster/Cluster.h"

namespace kchaos::cluster {

/// A cluster to be started with up(); spec.backend chooses (UserError for
/// one kchaos does not have).
std::unique_ptr<Cluster> make_cluster(const ClusterSpec& spec);
/// Whether dir holds the state of a started cluster.
bool cluster_exists(const std::filesystem::path& dir);
/// The backend that started the cluster recorded in dir ("" when none is).
std::string recorded_backend(const std::filesystem::path& dir);
/// The lane of the cluster recorded in dir (0 when none is, or it predates lanes).
int recorded_lane(const std::filesystem::path& dir);
/// The cluster recorded in dir/cluster.json; throws UserError if none is.
std::unique_ptr<Cluster> attach_cluster(const std::filesystem::path& dir);

/// Throws UserError (exit 2) saying what the backend needs and is missing.
void check_backend_prerequisites(const std::string& backend);

}  // namespace kchaos::cluster
