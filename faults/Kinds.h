#pragma once
// The fault kinds, one file each, and what they share.

#include <memory>
#include <string>
#include <vector>

#include "faults/Fault.h"
#include "faults/Targets.h"

namespace kchaos::faults {

std::unique_ptr<Fault> make_broker_kill(const FaultSpec&);
std::unique_ptr<Fault> make_broker_pause(const FaultSpec&);
std::unique_ptr<Fault> make_rolling_restart(const FaultSpec&);
std::unique_ptr<Fault> make_network_partition(const FaultSpec&);
std::unique_ptr<Fault> make_packet_loss(const FaultSpec&);
std::unique_ptr<Fault> make_bandwidth(const FaultSpec&);
std::unique_ptr<Fault> make_disk_full(const FaultSpec&);
std::unique_ptr<Fault> make_add_partitions(const FaultSpec&);
std::unique_ptr<Fault> make_consumer_crash(const FaultSpec&);
std::unique_ptr<Fault> make_producer_crash(const FaultSpec&);

/// A snapshot of the live cluster for target resolution; partition leaders
/// and replicas only with_metadata.
ClusterView snapshot(cluster::Cluster& cluster, const std::string& topic, bool with_metadata);

/// The spec's target resolved against the live cluster.
std::vector<int> resolve(FaultContext& ctx, const FaultSpec& spec);

/// "broker 2" / "brokers 1,3".
std::string brokers_text(const std::vector<int>& brokers);

/// The file disk-full fills a log directory with.
inline constexpr const char* kDiskFiller = "kchaos-disk-filler";

/// Deletes exactly the partition directories <topic>-<N> of a log directory.
void delete_partitions(const std::filesystem::path& log_dir, const std::string& topic);

/// The handle of broker id.
cluster::BrokerHandle handle_of(cluster::Cluster& cluster, int id);

/// Waits until every partition of topic has a leader and a full ISR.
bool wait_isr_full(cluster::Cluster& cluster, const std::string& topic,
                   std::chrono::milliseconds timeout);

}  // namespace kchaos::faults
