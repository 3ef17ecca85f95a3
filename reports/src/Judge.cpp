// The judge's frame: what it takes from the History, the partitions the
// audit could not vouch for, the notes on what reading refused, and the
// equation. Classify.cpp judges the seqs one by one.

#include "Judge.h"

#include <algorithm>

namespace kchaos::reports::detail {

Verdict judge(const History& history, size_t max_examples, const Retention& retention) {
  return Judge(history, max_examples, retention).run();
}

Verdict Judge::run() {
  v_.health = h_.health;
  v_.log_records = h_.log_records;
  v_.processed = h_.processed;
  consumer_view_damaged_ = h_.consumer_view_damaged;
  classify();
  finish();
  return std::move(v_);
}

void Judge::damaged(const std::string& what) {
  v_.health.damage.push_back(what);
  v_.health.notes.push_back(what);
}

// The group committed offsets, yet no consumer journal says it processed
// anything: the consumer's journals lost their content.
void Judge::check_consumer_view() {
  if (consumer_view_damaged_ || v_.processed > 0) return;
  for (const auto& p : h_.partitions.all()) {
    const auto id = &p - h_.partitions.all().data();
    if (p.known && p.committed > std::max<int64_t>(p.start, 0)) {
      damaged("the group committed offset " + std::to_string(p.committed) + " of partition " +
              std::to_string(id) +
              ", yet no consumer journal records processing anything: the consumer journals are "
              "missing or empty");
      consumer_view_damaged_ = true;
      return;
    }
  }
}

void Judge::classify() {
  check_consumer_view();
  for (const auto& p : h_.partitions.all()) {
    if (!p.known) continue;
    ++v_.partitions;
    if (!p.has_range || !p.complete) {
      ++v_.partitions_unverifiable;
      const auto id = &p - h_.partitions.all().data();
      incomplete_ += (incomplete_.empty() ? "" : ", ") + std::to_string(id);
    }
  }
  all_complete_ = h_.audit_read && v_.partitions > 0 && v_.partitions_unverifiable == 0;
  for (const auto& [producer_id, table] : h_.producers.tables()) {
    const uint32_t id = producer_id;
    table.for_each([&](uint64_t seq, const SeqState& s) {
      if (s.flags & kCreated) classify_seq(id, seq, s);
    });
  }
}

// What reading refused or made up for, in the order reconcile() notes it.
void Judge::note_read_counts() {
  auto note = [&](uint64_t n, const std::string& what) {
    if (n > 0) v_.health.notes.push_back(std::to_string(n) + " " + what);
  };
  note(h_.implicitly_created,
       "outcome record(s) for seqs with no created record (counted as created)");
  note(h_.processed_uncreated, "processed record(s) for seqs this run never created (ignored)");
  note(h_.of_missing_producers,
       "log record(s) of producers whose journal is missing (not counted as corrupt)");
  if (consumer_view_damaged_) {
    v_.health.notes.push_back(
        "a consumer journal is missing or damaged: consumer-missed, consumer-duplicated, "
        "consumed-then-lost and unconsumed were not counted");
  }
  if (h_.bad_seq > 0) damaged("a producer journal claims seqs it cannot hold");
  note(h_.bad_partition, "record(s) with a partition id outside 0.." +
                             std::to_string(Partitions::kMaxPartition) + " (ignored)");
  note(h_.bad_seq, "producer record(s) claiming seqs their journal cannot hold (ignored)");
  note(h_.bad_kind, "record(s) of an unknown kind (ignored)");
  note(h_.repeated_ranges, "partition range(s) reported twice by the audit (the last one counts)");
  if (h_.run_ids.size() > 1) v_.health.notes.push_back("the journals come from different runs");
  if (h_.audit_read && v_.partitions_unverifiable > 0) {
    v_.health.notes.push_back("the audit did not fully read partitions " + incomplete_ +
                              ": what is missing there is unverifiable, not lost");
  }
}

void Judge::finish() {
  note_read_counts();
  const auto& names = anomaly_names();
  for (size_t a = 0; a < kAnomalies; ++a) {
    v_.counts[names[a]] = found_.count(static_cast<Anomaly>(a));
  }
  uint64_t sum = v_.ok;
  v_.equation = "created " + std::to_string(v_.created) + " = ok " + std::to_string(v_.ok);
  for (Anomaly a : {kLost, kDivergent, kExpired, kUnverifiable, kSendFailed, kFailedButWritten,
                    kUnknownWritten, kUnknownMissing}) {
    sum += found_.count(a);
    v_.equation += " + " + names[a] + " " + std::to_string(found_.count(a));
  }
  v_.equation_holds = sum == v_.created;

  v_.examples = std::move(found_.examples());
  std::stable_sort(v_.examples.begin(), v_.examples.end(), [&](const Example& x, const Example& y) {
    auto rank = [&](const std::string& n) { return std::find(names.begin(), names.end(), n); };
    return rank(x.anomaly) < rank(y.anomaly);
  });
  v_.phases = h_.events.phases;
  v_.faults = h_.events.faults;
  v_.recovered = h_.events.recovered;
}

}  // namespace kchaos::reports::detail
