#pragma once
// What reconcile() concludes about one configuration, and the results of a
// whole run, as the renderers see them. See docs/anomalies.md.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include "kchaos/common/Json.h"

#include "kchaos/reports/Limit.h"

namespace kchaos::reports {

/// Every name a verdict counts, in report order: the anomalies of
/// docs/anomalies.md, then "unverifiable".
const std::vector<std::string>& anomaly_names();

/// One seq (or log record) shown as evidence for an anomaly.
struct Example {
  std::string anomaly;
  uint32_t producer_id = 0;
  uint64_t seq = 0;
  int32_t ack_partition = -1;
  int64_t ack_offset = -1;
  /// Wall-clock time of the producer's outcome record (of its created
  /// record when there was none); 0 when the seq was never created.
  int64_t ack_time_us = 0;
  /// Every (partition, offset) where the final log holds it.
  std::vector<std::pair<int32_t, int64_t>> log_positions;
  /// Faults active within 5 s of ack_time_us.
  std::vector<std::string> faults;
  std::string detail;
};

/// A phase of the configuration (cluster-up, warm-up, faults, ...) and when
/// it began.
struct PhaseRecord {
  std::string name;
  int64_t time_us = 0;  // wall clock
};

/// One fault of the timeline: what was planned, and when it really was
/// injected and healed (proof that it happened).
struct FaultRecord {
  /// 1-based position in the planned timeline; 0 in older journals.
  int index = 0;
  /// The plan ("broker-kill leader-of-most at 2 s for 8 s"); empty when the
  /// journal holds no plan.
  std::string planned;
  /// What the injection did, with resolved targets ("broker-kill broker 2").
  std::string description;
  int32_t target = -1;
  int64_t injected_us = 0;  // wall clock; 0: never injected
  int64_t healed_us = 0;    // wall clock; 0: never healed
  /// The last error when it could not be injected or healed.
  std::string error;
  /// When the scheduler planned and began its injection and its heal, in
  /// seconds into the fault phase (-1: not journaled, as in older runs). An
  /// operation may take a while after it began (a clean shutdown, a batch
  /// to wait for); how late it began is the timeline's own doing.
  double inject_planned_s = -1, inject_began_s = -1;
  double heal_planned_s = -1, heal_began_s = -1;
};

/// How trustworthy the journals were. Torn tails and bad records were
/// dropped, never misread.
struct JournalHealth {
  uint64_t torn_tails = 0;
  uint64_t bad_records = 0;
  /// Seqs with more than one kind of outcome, or acked at two positions.
  uint64_t conflicting_outcomes = 0;
  std::vector<std::string> notes;
  /// Damage to kchaos's own files (a journal missing, of the wrong kind,
  /// failing its CRC, repeating itself or claiming the impossible), each
  /// naming the file. Never reported as something Kafka did: the
  /// configuration is a harness error.
  std::vector<std::string> damage;
};

struct Verdict {
  /// Every name of anomaly_names(), zeros included.
  std::map<std::string, uint64_t> counts;
  /// Every created seq is in exactly one producer-outcome class: ok, or one
  /// of lost, divergent, expired, unverifiable, send-failed,
  /// failed-but-written, unknown-written, unknown-missing (in counts).
  uint64_t created = 0;
  /// Acked and in the log where acked (acks=0: present anywhere).
  uint64_t ok = 0;
  std::string equation;
  bool equation_holds = false;
  /// Final producer outcomes (acked > failed > unknown when several).
  uint64_t acked = 0, failed = 0, unknown = 0;
  uint64_t log_records = 0, processed = 0;
  uint32_t partitions = 0, partitions_unverifiable = 0;
  JournalHealth health;
  /// At most max_examples per anomaly, in anomaly_names() order.
  std::vector<Example> examples;
  /// From the events journal: the phases, every fault of the timeline, and
  /// whether the cluster was whole after the faults (nullopt: not recorded).
  std::vector<PhaseRecord> phases;
  std::vector<FaultRecord> faults;
  std::optional<bool> recovered;
};

/// One configuration of a scenario: its parameters, limits and verdict.
struct ConfigurationResult {
  std::string name;
  Json parameters;
  std::map<std::string, Limit> expect;
  Verdict verdict;
  std::map<std::string, bool> limit_results;
  bool passed = false;
  double duration_seconds = 0;
  /// A harness failure of this configuration (then passed is false). A
  /// planned fault that did not happen, or a timeline that ran late, is one
  /// too, but the counts beside it still stand (counts_shown).
  std::string error;
  /// How late the scheduler may begin a fault's injection or heal
  /// (timings.max_lateness_s).
  double max_lateness_s = 2;
};

/// Whether the result's counts were reconciled from undamaged journals and
/// may be shown, beside its error if it has one.
bool counts_shown(const ConfigurationResult& r);

/// The latest a fault operation began after its plan: seconds, and which
/// ("fault 3's heal"); 0 and "" when no timing was journaled.
std::pair<double, std::string> max_lateness(const Verdict& v);

struct Report {
  std::string scenario;
  uint64_t seed = 0;
  std::string run_id;
  std::vector<ConfigurationResult> configurations;
};

}  // namespace kchaos::reports
