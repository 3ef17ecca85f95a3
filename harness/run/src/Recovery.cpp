#include "kchaos/run/Recovery.h"

#include <fstream>
#include <ostream>

#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/common/Error.h"
#include "kchaos/faults/Leftovers.h"
#include "kchaos/protocol/Specs.h"
#include "kchaos/run/WorkerProcess.h"

namespace kchaos::run {
namespace {

using namespace std::chrono_literals;

// The audit reads every partition for at most kReadTimeout; the worker as a
// whole (metadata, committed offsets, fsync) gets kAuditTimeout.
constexpr auto kReadTimeout = 120s;
constexpr auto kAuditTimeout = 240s;

}  // namespace

bool recover_cluster(cluster::Cluster& cluster, const std::string& topic,
                     std::chrono::milliseconds timeout, EventLog& events, std::ostream& out) {
  faults::heal_leftovers(cluster);
  if (cluster::wait_isr_full(cluster.bootstrap(), topic, timeout)) {
    events.add(journal::EventType::recovery, 1,
               "every broker up, every partition led with a full ISR");
    return true;
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count();
  events.add(
      journal::EventType::recovery, 0,
      "recovery timed out: brokers or ISR not whole after " + std::to_string(seconds) + " s");
  out << "  recovery: not every partition has a leader and a full ISR after " << seconds
      << " s; going on (what the audit cannot read is unverifiable)" << std::endl;
  return false;
}

void audit_log(cluster::Cluster& cluster, const AuditTarget& target, EventLog& events,
               std::ostream& out) {
  protocol::AuditSpec spec;
  spec.target = {cluster.bootstrap(), target.topic, target.run_id,
                 (target.dir / "audit.journal").string()};
  spec.group = target.group;
  spec.timeout_s = std::chrono::duration<double>(kReadTimeout).count();
  const auto spec_file = target.dir / "audit.spec.json";
  std::ofstream(spec_file) << Json(spec).dump(2) << "\n";
  WorkerProcess a("audit", spec_file, cluster.client_netns(), target.dir / "audit.log");
  events.add(journal::EventType::worker_started, static_cast<int32_t>(a.pid()), "audit");
  if (!a.wait(kAuditTimeout)) {
    a.kill();
    throw HarnessError("the audit did not finish within " +
                       std::to_string(std::chrono::seconds(kAuditTimeout).count()) + " s");
  }
  if (a.exit_code() != 0) {
    throw HarnessError("the audit failed (exit " + std::to_string(a.exit_code()) + "); see " +
                       (target.dir / "audit.log.stderr").string());
  }
  const auto done = a.last_as<protocol::AuditDone>(protocol::event::kDone);
  out << "  audit: " << done.records << " records, " << done.complete << " of " << done.partitions
      << " partitions fully read" << std::endl;
}

}  // namespace kchaos::run
