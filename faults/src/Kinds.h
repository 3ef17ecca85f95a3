#pragma once
// Internal to the faults: what the kinds (one file each) share.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kchaos/faults/Fault.h"
#include "kchaos/faults/Targets.h"

namespace kchaos::faults {

/// How one kind is made: each file under src/kinds defines one, and
/// src/Registry.cpp lists it.
struct Factory {
  const char* kind;  // its name in plan::fault_kinds()
  std::unique_ptr<Fault> (*make)(const FaultSpec&);
};

/// A snapshot of the live cluster for target resolution; partition leaders
/// and replicas only with_metadata, the active controller only
/// with_controller (each is a round of requests to the cluster).
ClusterView snapshot(cluster::Cluster& cluster, const std::string& topic, bool with_metadata,
                     bool with_controller);

/// The spec's target resolved against the live cluster (random choices
/// drawn from rng).
std::vector<int> resolve(FaultContext& ctx, const FaultSpec& spec, std::mt19937_64& rng);

/// "broker 2" / "brokers 1,3".
std::string brokers_text(const std::vector<int>& brokers);

/// The file disk-full fills a log directory with.
inline constexpr const char* kDiskFiller = "kchaos-disk-filler";

/// Deletes exactly the partition directories <topic>-<N> of a log directory.
void delete_partitions(const std::filesystem::path& log_dir, const std::string& topic);
}  // namespace kchaos::faults
