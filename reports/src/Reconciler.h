#pragma once
// Internal to reconcile(): the reconciler's state across its passes.
// Reconcile.cpp reads the journals into it, Classify.cpp turns it into a
// Verdict.

#include <array>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "Events.h"
#include "ReconcileState.h"
#include "kchaos/journal/Records.h"
#include "kchaos/reports/Reconcile.h"
#include "kchaos/reports/Retention.h"

namespace kchaos::reports::detail {

// In anomaly_names() order.
enum Anomaly : size_t {
  kLost,
  kDivergent,
  kExpired,
  kSendFailed,
  kFailedButWritten,
  kUnknownWritten,
  kUnknownMissing,
  kDuplicated,
  kReordered,
  kConsumerMissed,
  kConsumerDuplicated,
  kConsumedThenLost,
  kUnconsumed,
  kCorrupt,
  kUnverifiable,
  kAnomalies
};
static_assert(kAnomalies == 15, "one Anomaly per name of anomaly_names()");

/// "partition/offset".
inline std::string at(int64_t partition, int64_t offset) {
  return std::to_string(partition) + "/" + std::to_string(offset);
}

/// One reconciliation: run() reads every journal once, then classifies.
class Reconciler {
 public:
  Reconciler(const ConfigurationFiles& files, size_t max_examples, const Retention& retention)
      : files_(files), max_examples_(max_examples), retention_(retention) {}
  Verdict run();

 private:
  /// false when the file is too short to hold a header (read as empty).
  /// Reads a journal; false when it could not be read at all. Damage (CRC
  /// failures, a wrong header; a torn tail where torn_is_damage) is noted.
  template <typename R>
  bool read_journal(const std::filesystem::path& path,
                    const std::function<void(const R&)>& on_record, bool torn_is_damage = false);
  /// Notes damage to kchaos's own files (never Kafka's doing).
  void damaged(const std::string& what);
  void check_expected_journals();
  void check_consumer_view();
  /// Notes the audit records refused or repeated while reading the audit.
  void note_audit_damage();
  void on_producer(const journal::ProducerRecord& r);
  void on_audit(const journal::AuditRecord& r);
  void on_log_record(const journal::AuditRecord& r, PartitionState& p);
  void on_our_record(const journal::AuditRecord& r, PartitionState& p, SeqState& s);
  void on_consumer(const journal::ConsumerRecord& r);
  void classify();
  void classify_seq(uint32_t producer_id, uint64_t seq, const SeqState& s);
  Anomaly classify_outcome(uint32_t id, uint64_t seq, const SeqState& s);
  Anomaly classify_without_offset(uint32_t id, uint64_t seq, const SeqState& s);
  void classify_consumption(uint32_t id, uint64_t seq, const SeqState& s, bool expired);
  /// "<what>; ..." for a seq missing where the audit could not look.
  std::string not_found(const std::string& what) const;
  /// Classifies a seq acked at an offset that is not where it was acked;
  /// returns the class it was counted in.
  Anomaly classify_acked_elsewhere(uint32_t id, uint64_t seq, const SeqState& s);
  Anomaly classify_below_start(uint32_t id, uint64_t seq, const SeqState& s,
                               const PartitionState& p);
  std::string why_unverifiable(const SeqState& s) const;
  /// From the earliest producer record to the audit; the largest value when
  /// either is unknown (then any age is possible).
  int64_t run_span_us() const;
  /// "in a run of 95 s" for retention evidence.
  std::string run_span_text() const;
  void finish();

  /// Counts a, and keeps an example while there are fewer than
  /// max_examples; detail() is called only then.
  template <typename Detail>
  Example* add(Anomaly a, uint32_t producer_id, uint64_t seq, const SeqState* s, Detail&& detail) {
    ++counts_[a];
    if (examples_per_[a] >= max_examples_) return nullptr;
    ++examples_per_[a];
    Example& e = examples_.emplace_back();
    e.anomaly = anomaly_names()[a];
    e.producer_id = producer_id;
    e.seq = seq;
    if (s && (s->flags & kAcked)) {
      e.ack_partition = s->ack_partition;
      e.ack_offset = s->ack_offset;
    }
    e.detail = detail();
    return &e;
  }

  const ConfigurationFiles& files_;
  const size_t max_examples_;
  const Retention retention_;
  EventsView events_;
  /// From the earliest producer record to the audit's read of the log.
  int64_t first_time_us_ = 0, audit_time_us_ = 0;
  Producers producers_;
  Partitions partitions_;
  std::array<uint64_t, kAnomalies> counts_{};
  std::array<size_t, kAnomalies> examples_per_{};
  std::vector<Example> examples_;
  Verdict v_;
  bool audit_read_ = false;
  bool all_complete_ = false;
  std::string incomplete_;  // "3, 5": partitions the audit did not fully read
  std::set<uint64_t> run_ids_;
  /// Records in the journal being read: no record may claim more.
  uint64_t records_in_file_ = 0;
  /// Producers whose journal is missing: their seqs in the log are theirs,
  /// not corrupt.
  std::set<uint32_t> missing_producers_;
  uint64_t of_missing_producers_ = 0;
  /// A consumer journal is missing or damaged: consumer counts are not made.
  bool consumer_view_damaged_ = false;
  uint64_t repeated_records_ = 0, implausible_offsets_ = 0;
  uint64_t implicitly_created_ = 0, processed_uncreated_ = 0, bad_partition_ = 0, bad_seq_ = 0,
           bad_kind_ = 0, repeated_ranges_ = 0;
};

}  // namespace kchaos::reports::detail
