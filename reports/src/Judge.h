#pragma once
// Internal to reconcile(): the judge turns a History into a Verdict. It reads
// no file: Judge.cpp counts and notes, Classify.cpp puts each created seq in
// its classes.

#include <string>

#include "History.h"
#include "kchaos/reports/Retention.h"

namespace kchaos::reports::detail {

/// The verdict on history: every created seq classified, the health of the
/// journals noted, at most max_examples examples per anomaly (sorted in
/// anomaly_names() order, their evidence not yet filled in: fill_evidence()).
/// Examples of what the log's order shows (corrupt, reordered) are those
/// the history kept (History::found).
Verdict judge(const History& history, size_t max_examples, const Retention& retention);

/// One judgement: run() classifies every seq, then finishes the verdict.
class Judge {
 public:
  Judge(const History& history, size_t max_examples, const Retention& retention)
      : h_(history), retention_(retention), found_(history.found.capped(max_examples)) {}
  Verdict run();

 private:
  /// Notes damage to kchaos's own files (never Kafka's doing).
  void damaged(const std::string& what);
  void check_consumer_view();
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
  void note_read_counts();
  void finish();

  template <typename Detail>
  Example* add(Anomaly a, uint32_t producer_id, uint64_t seq, const SeqState* s, Detail&& detail) {
    return found_.add(a, producer_id, seq, s, std::forward<Detail>(detail));
  }

  const History& h_;
  const Retention retention_;
  Findings found_;
  Verdict v_;
  bool all_complete_ = false;
  std::string incomplete_;  // "3, 5": partitions the audit did not fully read
  /// History::consumer_view_damaged, or no consumer journal says anything.
  bool consumer_view_damaged_ = false;
};

}  // namespace kchaos::reports::detail
