#pragma once
// What kchaos can run: the facts the scenario checks and the field reference
// need, kept apart from the code that starts clusters (the cluster layer
// uses them too).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kchaos::catalog {

/// The backends kchaos has, as scenario files and --backend name them.
const std::vector<std::string>& backend_names();

/// The broker settings a backend sets itself (where brokers are, what they
/// listen on, where their logs live), each with why; a scenario cannot
/// override them.
const std::map<std::string, std::string>& owned_broker_keys();

/// The jar cache (KCHAOS_CACHE, default /var/cache/kchaos).
std::filesystem::path kafka_cache();

/// The releases known_kafka_version knows without the cache, oldest first.
const std::vector<std::string>& released_kafka_versions();

/// Whether Maven Central has broker jars of this Kafka version that run as a
/// KRaft cluster (3.3.0 and later, as released by 2026-11), or its jars are
/// in the cache already (a newer release someone fetched).
bool known_kafka_version(const std::string& version);

}  // namespace kchaos::catalog
