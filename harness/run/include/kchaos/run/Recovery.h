#pragma once
// The end of every configuration, shared by `kchaos run` and `kchaos audit`
// (which finishes the configuration of a run whose controller died): bring
// the cluster back whole, then read the final log.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>

#include "kchaos/cluster/Cluster.h"
#include "kchaos/run/EventLog.h"

namespace kchaos::run {

/// Undoes whatever faults left (every broker up, resumed, reachable) and
/// waits up to timeout for every partition of topic to have a leader and a
/// full ISR. Journals whether the cluster became whole (a recovery event),
/// which the reconciler needs before it calls a truncated log lost.
bool recover_cluster(cluster::Cluster& cluster, const std::string& topic,
                     std::chrono::milliseconds timeout, EventLog& events, std::ostream& out);

/// What the audit reads: the topic's partitions and the group's offsets.
struct AuditTarget {
  std::filesystem::path dir;  // the configuration directory
  uint64_t run_id = 0;
  std::string topic;
  std::string group;
};

/// Runs the audit worker (in the cluster's client namespace) into
/// dir/audit.journal; throws HarnessError when it fails or takes longer than
/// kAuditTimeout.
void audit_log(cluster::Cluster& cluster, const AuditTarget& target, EventLog& events,
               std::ostream& out);

}  // namespace kchaos::run
