#pragma once
// Internal to reconcile(): what a configuration's journals say, read once.
// HistoryBuilder folds records into a History without touching a file (unit
// tests build histories in memory); read_history() (Reconcile.cpp) streams
// the journals into one; judge() (Judge.h) turns it into a Verdict.

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "Events.h"
#include "ReconcileState.h"
#include "kchaos/journal/Records.h"
#include "kchaos/reports/Reconcile.h"

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

/// Anomalies counted, with the first max_examples examples of each.
class Findings {
 public:
  explicit Findings(size_t max_examples = 0) : max_examples_(max_examples) {}

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
  uint64_t count(Anomaly a) const { return counts_[a]; }
  /// In the order they were found.
  const std::vector<Example>& examples() const { return examples_; }
  std::vector<Example>& examples() { return examples_; }
  /// The same counts, with at most max_examples examples of each anomaly
  /// (the first ones), and max_examples for those added later.
  Findings capped(size_t max_examples) const;

 private:
  size_t max_examples_;
  std::array<uint64_t, kAnomalies> counts_{};
  std::array<size_t, kAnomalies> examples_per_{};
  std::vector<Example> examples_;
};

/// Everything the judge needs, as the journals told it. Memory: about 24
/// bytes per created seq plus one bit per log offset (ReconcileState.h).
struct History {
  EventsView events;
  Producers producers;
  Partitions partitions;
  std::set<uint64_t> run_ids;
  /// From the earliest producer record to the audit's read of the log.
  int64_t first_time_us = 0, audit_time_us = 0;
  bool audit_read = false;
  /// A consumer journal is missing or damaged: consumer counts are not made.
  bool consumer_view_damaged = false;
  /// Producers whose journal is missing: their seqs in the log are theirs,
  /// not corrupt; of_missing_producers counts those log records.
  std::set<uint32_t> missing_producers;
  uint64_t of_missing_producers = 0;
  uint64_t log_records = 0, processed = 0;
  uint64_t repeated_records = 0, implausible_offsets = 0;
  uint64_t implicitly_created = 0, processed_uncreated = 0, bad_partition = 0, bad_seq = 0,
           bad_kind = 0, repeated_ranges = 0;
  /// What only the order of the log shows (corrupt, reordered), found while
  /// reading it.
  Findings found;
  /// Damage, notes, torn tails and bad records met while reading.
  JournalHealth health;
};

/// Folds records into a History, in the order reconcile() reads them: every
/// producer journal, then the audit, then the consumer journals (a log or
/// consumer record is matched against the producer records before it). Each
/// record is bounded by the run's own facts (HistoryBuilder.cpp), so that a
/// damaged or crafted record cannot claim the impossible.
class HistoryBuilder {
 public:
  /// Keeps the first max_examples examples of each anomaly found in the
  /// log's order (History::found).
  explicit HistoryBuilder(size_t max_examples) { h_.found = Findings(max_examples); }

  void add(const journal::ProducerRecord& r);
  void add(const journal::AuditRecord& r);
  void add(const journal::ConsumerRecord& r);

  // ---- what the files say ----
  void events(EventsView events) { h_.events = std::move(events); }
  /// The journal whose records follow holds n records: none of them may
  /// claim more (0 until told: seqs below 1024, offsets within 2^20).
  void records_in_file(uint64_t n) { records_in_file_ = n; }
  void run_id(uint64_t id) { h_.run_ids.insert(id); }
  /// Notes damage to kchaos's own files (never Kafka's doing).
  void damaged(const std::string& what);
  void note(const std::string& what) { h_.health.notes.push_back(what); }
  /// A journal ended in part of a record (or before its header): noted, as
  /// damage when its writer is never killed.
  void torn_tail(const std::string& what, bool is_damage);
  /// n records of a journal failed their CRC and were dropped.
  void bad_records(uint64_t n, const std::string& what);
  /// producer-<id>.journal is missing or empty, though its worker ran.
  void producer_journal_missing(uint32_t producer_id) { h_.missing_producers.insert(producer_id); }
  void consumer_view_damaged() { h_.consumer_view_damaged = true; }
  /// After the audit's records: it was read (damaged: its file was), or it
  /// could not be read at all. A damaged audit proves no absence.
  void audit_read(bool damaged);
  void audit_unread();
  JournalHealth& health() { return h_.health; }

  History take() && { return std::move(h_); }

 private:
  void on_log_record(const journal::AuditRecord& r, PartitionState& p);
  void on_our_record(const journal::AuditRecord& r, PartitionState& p, SeqState& s);
  /// Notes the audit records refused or repeated while reading the audit.
  void note_audit_damage();

  History h_;
  uint64_t records_in_file_ = 0;
};

/// Streams every journal of files once into a History (what it cannot read
/// is noted in health.damage, never thrown).
History read_history(const ConfigurationFiles& files, size_t max_examples);

}  // namespace kchaos::reports::detail
