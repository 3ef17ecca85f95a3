#pragma once
// What every backend does the same way for its KRaft nodes (combined broker
// and controller): their files in <dir>/broker-N (server.properties, log4j,
// formatted storage), the JVM command that runs one, what the cluster reports
// (leaders, the active controller), and the spec saved in cluster.json.

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kchaos/common/Json.h"

#include "kchaos/cluster/Cluster.h"

namespace kchaos::cluster {

/// The file in a cluster's dir that records it (whichever backend started it).
constexpr const char* kStateFile = "cluster.json";

constexpr int kBrokerPort = 9092;
constexpr int kControllerPort = 9093;

/// The replication factor of the internal topics and the readiness topic.
inline int replication_factor(const ClusterSpec& spec) { return std::min(3, spec.brokers); }

/// A Kafka cluster id: 16 random bytes, base64url without padding.
std::string random_cluster_id();

/// The directory of broker id under the cluster's dir, and what is in it.
std::filesystem::path broker_dir(const ClusterSpec& spec, int id);
inline std::filesystem::path broker_data_dir(const ClusterSpec& spec, int id) {
  return broker_dir(spec, id) / "data";
}
inline std::filesystem::path broker_log_file(const ClusterSpec& spec, int id) {
  return broker_dir(spec, id) / "broker.log";
}

/// The last `lines` lines of every broker's log, each under its file name.
std::string broker_log_tails(const ClusterSpec& spec, const std::vector<BrokerHandle>& brokers,
                             int lines);

/// Writes broker b's server.properties and log4j configuration; `all` are
/// the quorum's voters.
void write_broker_files(const ClusterSpec& spec, const std::vector<BrokerHandle>& all,
                        const BrokerHandle& b);
/// Formats every broker's storage with the version's storage tool, in
/// parallel; throws HarnessError with the tool's output.
void format_storage(const ClusterSpec& spec, const std::vector<BrokerHandle>& brokers,
                    const std::string& cluster_id);

/// The JVM command running broker b: java (the JVM and its first options)
/// and libs as the broker sees them, marker a word its command line carries
/// (-Dkchaos.node=<marker>).
std::vector<std::string> broker_command(const ClusterSpec& spec, const BrokerHandle& b,
                                        const std::vector<std::string>& java,
                                        const std::string& libs, const std::string& marker);

/// The cluster's status from each broker's (state and isolation filled in by
/// the backend): the active KRaft controller per the quorum state of the
/// brokers not down (the newest epoch wins), and the partitions each leads
/// per the cluster's metadata (none when no broker answers).
ClusterStatus cluster_status(const ClusterSpec& spec, const std::string& bootstrap,
                             std::vector<BrokerStatus> brokers);

/// The spec's fields as cluster.json keeps them, and back.
Json spec_to_json(const ClusterSpec& spec);
/// Writes state as dir/cluster.json, whole or not at all.
void write_state(const std::filesystem::path& dir, const Json& state);
ClusterSpec spec_from_json(const Json& j, const std::filesystem::path& dir);

}  // namespace kchaos::cluster
