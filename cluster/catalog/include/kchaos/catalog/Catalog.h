#pragma once
// What kchaos can run: the facts the scenario checks and the field reference
// need, kept apart from the code that starts clusters (the cluster layer
// uses them too).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kchaos::catalog {

/// The backends kchaos has, as scenario files and --backend name them:
/// "local", "compose", and "external" (a cluster kchaos did not start, which
/// it reaches through cluster.bootstrap and acts on through drivers).
const std::vector<std::string>& backend_names();

/// The actions a fault may need of an external cluster, each run by the
/// command cluster.drivers gives it, with what kchaos checks after it.
struct DriverAction {
  std::string name;  // "broker-kill", ...
  std::string what;  // for the docs and errors
};
const std::vector<DriverAction>& driver_actions();

/// Whether name is a driver action (what only a cluster kchaos starts can do
/// is not: "broker-network", "broker-disk", "power-loss").
bool is_driver_action(const std::string& name);

/// argv with every {name} replaced by values[name]; throws UserError naming
/// a placeholder values lacks.
std::vector<std::string> expand_placeholders(const std::vector<std::string>& argv,
                                             const std::map<std::string, std::string>& values);

/// The placeholders ({name}) argv uses.
std::vector<std::string> placeholders_in(const std::vector<std::string>& argv);

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
