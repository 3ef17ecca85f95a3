#pragma once
// When a cluster, or one broker, is ready: the same check for every backend.

#include <chrono>
#include <functional>
#include <string>

namespace kchaos::cluster {

/// The topic a cluster start creates to prove it can elect leaders.
inline constexpr const char* kReadyTopic = "kchaos-ready";

/// Waits until `brokers` brokers are registered and kReadyTopic (created
/// here, one partition per broker) has a leader and a full ISR everywhere.
/// alive() runs every round and throws when a broker died. Throws
/// HarnessError naming what it still waited for, with logs() appended.
void wait_cluster_ready(const std::string& bootstrap, int brokers, int replication_factor,
                        std::chrono::milliseconds timeout, const std::function<void()>& alive,
                        const std::function<std::string()>& logs);

/// Waits until the broker at address answers as a registered member `id`:
/// the other brokers still list a broker killed a moment ago until its
/// session expires, so only its own answer proves it is back. alive() runs
/// every round and throws when the broker died. False on timeout.
bool wait_broker_registered(const std::string& address, int id, std::chrono::milliseconds timeout,
                            const std::function<void()>& alive);

}  // namespace kchaos::cluster
