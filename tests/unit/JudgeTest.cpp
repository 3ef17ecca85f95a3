// judge() on histories built in memory with HistoryBuilder: no journal is
// written or read, so each test states the run's facts record by record, in
// the order reconcile() reads them (producers, then the audit, then the
// consumers), and asserts the judge's exact counts.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "History.h"
#include "Judge.h"

namespace kchaos::reports::detail {
namespace {

using journal::AuditEvent;
using journal::ProducerOutcome;

/// One run's history, fed through the builder's record calls.
class InMemoryRun {
 public:
  explicit InMemoryRun(size_t max_examples = 10) : b_(max_examples) {}

  // ---- producer view ----
  void created(uint32_t producer, uint64_t seq, uint32_t count = 1) {
    produce(ProducerOutcome::created, producer, seq, -1, -1, count);
  }
  void acked(uint32_t producer, uint64_t seq, int32_t partition, int64_t offset) {
    produce(ProducerOutcome::acked, producer, seq, partition, offset);
  }
  void unknown(uint32_t producer, uint64_t seq) {
    produce(ProducerOutcome::unknown, producer, seq, -1, -1);
  }
  /// created + acked.
  void sent(uint32_t producer, uint64_t seq, int32_t partition, int64_t offset) {
    created(producer, seq);
    acked(producer, seq, partition, offset);
  }

  // ---- log view (the audit) ----
  void logged(int32_t partition, int64_t offset, uint32_t producer, uint64_t seq,
              uint32_t key = 0) {
    journal::AuditRecord r{};
    r.event = static_cast<uint8_t>(AuditEvent::record);
    r.partition = partition;
    r.offset = offset;
    r.producer_id = producer;
    r.seq = seq;
    r.key_id = key;
    b_.add(r);
  }
  /// partition read from start to high, to the end.
  void range(int32_t partition, int64_t start, int64_t high) {
    journal::AuditRecord r{};
    r.event = static_cast<uint8_t>(AuditEvent::partition_range);
    r.partition = partition;
    r.offset = start;
    r.high = high;
    r.flags = journal::kAuditComplete;
    b_.add(r);
  }
  void committed(int32_t partition, int64_t offset) {
    journal::AuditRecord r{};
    r.event = static_cast<uint8_t>(AuditEvent::group_committed);
    r.partition = partition;
    r.offset = offset;
    b_.add(r);
  }

  // ---- consumer view ----
  void processed(uint32_t producer, uint64_t seq, int32_t partition, int64_t offset) {
    journal::ConsumerRecord r{};
    r.event = static_cast<uint8_t>(journal::ConsumerEvent::processed);
    r.producer_id = producer;
    r.seq = seq;
    r.partition = partition;
    r.offset = offset;
    b_.add(r);
  }

  HistoryBuilder& builder() { return b_; }
  History history() { return std::move(b_).take(); }

 private:
  void produce(ProducerOutcome outcome, uint32_t producer, uint64_t seq, int32_t partition,
               int64_t offset, uint32_t count = 1) {
    journal::ProducerRecord r{};
    r.outcome = static_cast<uint8_t>(outcome);
    r.producer_id = producer;
    r.seq = seq;
    r.partition = partition;
    r.offset = offset;
    r.count = count;
    r.time_us = 1'700'000'000'000'000;
    b_.add(r);
  }

  HistoryBuilder b_;
};

/// The counts that are not zero.
std::map<std::string, uint64_t> nonzero(const Verdict& v) {
  std::map<std::string, uint64_t> out;
  for (const auto& [name, n] : v.counts) {
    if (n > 0) out[name] = n;
  }
  return out;
}

using Counts = std::map<std::string, uint64_t>;

TEST(Judge, CleanRunHasNoAnomalies) {
  InMemoryRun run;
  for (uint64_t s = 0; s < 3; ++s) run.sent(1, s, static_cast<int32_t>(s), 0);
  for (int32_t p = 0; p < 3; ++p) {
    run.logged(p, 0, 1, static_cast<uint64_t>(p));
    run.range(p, 0, 1);
    run.committed(p, 1);
  }
  run.builder().audit_read(/*damaged=*/false);
  for (uint64_t s = 0; s < 3; ++s) run.processed(1, s, static_cast<int32_t>(s), 0);
  const History h = run.history();
  const Verdict v = judge(h, 10, {});
  EXPECT_EQ(v.counts.size(), anomaly_names().size());
  EXPECT_EQ(nonzero(v), Counts{});
  EXPECT_EQ(v.created, 3u);
  EXPECT_EQ(v.ok, 3u);
  EXPECT_EQ(v.acked, 3u);
  EXPECT_EQ(v.log_records, 3u);
  EXPECT_EQ(v.processed, 3u);
  EXPECT_EQ(v.partitions, 3u);
  EXPECT_EQ(v.partitions_unverifiable, 0u);
  EXPECT_TRUE(v.equation_holds) << v.equation;
  EXPECT_TRUE(v.examples.empty());
  EXPECT_TRUE(v.health.notes.empty());
  EXPECT_TRUE(v.health.damage.empty());
  // Pure: the same history, judged again, gives the same verdict.
  EXPECT_EQ(judge(h, 10, {}).equation, v.equation);
}

TEST(Judge, AckedButAbsentFromACompleteAuditIsLost) {
  InMemoryRun run;
  run.sent(1, 0, 0, 0);
  run.sent(1, 1, 0, 1);
  run.logged(0, 0, 1, 0);
  run.range(0, 0, 2);
  run.committed(0, 1);
  run.builder().audit_read(false);
  run.processed(1, 0, 0, 0);
  const Verdict v = judge(run.history(), 10, {});
  EXPECT_EQ(nonzero(v), (Counts{{"lost", 1}}));
  EXPECT_EQ(v.ok, 1u);
  EXPECT_TRUE(v.equation_holds) << v.equation;
  ASSERT_EQ(v.examples.size(), 1u);
  EXPECT_EQ(v.examples[0].anomaly, "lost");
  EXPECT_EQ(v.examples[0].seq, 1u);
  EXPECT_EQ(v.examples[0].ack_partition, 0);
  EXPECT_EQ(v.examples[0].ack_offset, 1);
  EXPECT_EQ(v.examples[0].detail,
            "acked at 0/1; absent from the final log (partition read to high watermark 2)");
}

TEST(Judge, WhatADamagedAuditLacksIsUnverifiableNotLost) {
  InMemoryRun run;
  run.sent(1, 0, 0, 0);
  run.range(0, 0, 1);
  run.builder().audit_read(/*damaged=*/true);
  const Verdict v = judge(run.history(), 10, {});
  EXPECT_EQ(nonzero(v), (Counts{{"unverifiable", 1}}));
  EXPECT_EQ(v.partitions_unverifiable, 1u);
  ASSERT_FALSE(v.health.notes.empty());
  EXPECT_EQ(v.health.notes[0], "audit.journal is damaged: what is missing from it is unverifiable");
}

TEST(Judge, TwiceInTheLogIsDuplicated) {
  InMemoryRun run;
  run.sent(1, 0, 0, 0);
  run.logged(0, 0, 1, 0);
  run.logged(0, 1, 1, 0);
  run.range(0, 0, 2);
  run.committed(0, 2);
  run.builder().audit_read(false);
  run.processed(1, 0, 0, 0);
  run.processed(1, 0, 0, 1);
  const Verdict v = judge(run.history(), 10, {});
  EXPECT_EQ(nonzero(v), (Counts{{"duplicated", 1}}));
  EXPECT_EQ(v.ok, 1u);
  EXPECT_EQ(v.log_records, 2u);
  ASSERT_EQ(v.examples.size(), 1u);
  EXPECT_EQ(v.examples[0].detail, "in the final log 2 times");
}

TEST(Judge, UnknownSendsNeverWrittenAreUnknownMissing) {
  InMemoryRun run;
  run.created(1, 0, 2);
  run.unknown(1, 0);  // seq 1: no outcome at all (producer killed)
  run.range(0, 0, 0);
  run.builder().audit_read(false);
  const Verdict v = judge(run.history(), 10, {});
  EXPECT_EQ(nonzero(v), (Counts{{"unknown-missing", 2}}));
  EXPECT_EQ(v.created, 2u);
  EXPECT_EQ(v.unknown, 2u);
  EXPECT_TRUE(v.equation_holds) << v.equation;
  ASSERT_EQ(v.examples.size(), 2u);
  EXPECT_EQ(v.examples[0].detail,
            "no delivery report (purged or timed out); not in the final log");
  EXPECT_EQ(v.examples[1].detail, "no outcome recorded (producer killed); not in the final log");
}

TEST(Judge, WithoutAnAuditAnUnknownSendIsUnverifiable) {
  InMemoryRun run;
  run.created(1, 0);
  run.unknown(1, 0);
  run.builder().audit_unread();
  const Verdict v = judge(run.history(), 10, {});
  EXPECT_EQ(nonzero(v), (Counts{{"unverifiable", 1}}));
  EXPECT_EQ(v.health.notes,
            std::vector<std::string>{"no audit journal: nothing in the log can be verified"});
}

TEST(Judge, ARecordBelowTheCommittedOffsetNeverProcessedIsConsumerMissed) {
  InMemoryRun run;
  run.sent(1, 0, 0, 0);
  run.sent(1, 1, 0, 1);
  run.sent(1, 2, 0, 2);
  for (uint64_t s = 0; s < 3; ++s) run.logged(0, static_cast<int64_t>(s), 1, s);
  run.range(0, 0, 3);
  run.committed(0, 2);  // the group went past 0/0 and 0/1, not 0/2
  run.builder().audit_read(false);
  run.processed(1, 0, 0, 0);
  const Verdict v = judge(run.history(), 10, {});
  EXPECT_EQ(nonzero(v), (Counts{{"consumer-missed", 1}, {"unconsumed", 1}}));
  EXPECT_EQ(v.ok, 3u);
  const auto missed = std::find_if(v.examples.begin(), v.examples.end(),
                                   [](const Example& e) { return e.anomaly == "consumer-missed"; });
  ASSERT_NE(missed, v.examples.end());
  EXPECT_EQ(missed->seq, 1u);
  EXPECT_EQ(missed->detail, "at 0/1, below the group's committed offset 2, never processed");
}

TEST(Judge, AMissingConsumerJournalCountsNoConsumerAnomaly) {
  InMemoryRun run;
  run.sent(1, 0, 0, 0);
  run.logged(0, 0, 1, 0);
  run.range(0, 0, 1);
  run.committed(0, 1);
  run.builder().audit_read(false);
  run.builder().damaged("consumer-0.journal is missing");
  run.builder().consumer_view_damaged();
  const Verdict v = judge(run.history(), 10, {});
  EXPECT_EQ(nonzero(v), Counts{});
  EXPECT_EQ(v.health.damage, std::vector<std::string>{"consumer-0.journal is missing"});
}

TEST(Judge, FindsWhatOnlyTheLogsOrderShowsAndKeepsTheBuildersFirstExamples) {
  InMemoryRun run(/*max_examples=*/2);
  run.created(1, 0, 4);
  for (uint64_t s = 0; s < 4; ++s) run.acked(1, s, 0, static_cast<int64_t>(3 - s));
  // Key 0's seqs land in the log last first: 3, 2, 1, 0.
  for (int64_t o = 0; o < 4; ++o) run.logged(0, o, 1, static_cast<uint64_t>(3 - o));
  run.logged(0, 4, 1, 99);  // never created: corrupt
  run.range(0, 0, 5);
  run.builder().audit_read(false);
  const History h = run.history();
  EXPECT_EQ(h.found.count(kReordered), 3u);
  EXPECT_EQ(h.found.count(kCorrupt), 1u);
  for (size_t max : {size_t{1}, size_t{5}}) {
    const Verdict v = judge(h, max, {});
    EXPECT_EQ(nonzero(v), (Counts{{"reordered", 3}, {"corrupt", 1}, {"unconsumed", 4}}));
    EXPECT_EQ(v.ok, 4u);
    const auto reordered = std::count_if(v.examples.begin(), v.examples.end(),
                                         [](const Example& e) { return e.anomaly == "reordered"; });
    // The builder kept two; the judge shows at most max of them.
    EXPECT_EQ(reordered, max == 1 ? 1 : 2) << max;
    ASSERT_FALSE(v.examples.empty());
    EXPECT_EQ(v.examples[0].anomaly, "reordered");
    EXPECT_EQ(v.examples[0].seq, 2u);
  }
}

TEST(Judge, OutcomesWithoutACreatedRecordAreCountedAndNoted) {
  InMemoryRun run;
  run.acked(1, 0, 0, 0);  // its created record was dropped
  run.logged(0, 0, 1, 0);
  run.range(0, 0, 1);
  run.builder().audit_read(false);
  run.processed(1, 0, 0, 0);
  run.processed(2, 7, 0, 5);  // never created
  const Verdict v = judge(run.history(), 10, {});
  EXPECT_EQ(nonzero(v), Counts{});
  EXPECT_EQ(v.created, 1u);
  EXPECT_EQ(v.health.notes,
            (std::vector<std::string>{
                "1 outcome record(s) for seqs with no created record (counted as created)",
                "1 processed record(s) for seqs this run never created (ignored)"}));
}

}  // namespace
}  // namespace kchaos::reports::detail
