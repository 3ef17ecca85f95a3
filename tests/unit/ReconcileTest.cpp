// reconcile() on synthetic journals written record by record: one test per
// anomaly of docs/anomalies.md, then combinations and damaged journals.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "SyntheticJournals.h"

namespace kchaos::reports {
namespace {

// ---- the anomalies, one by one ----

TEST(Reconcile, EmptyRunIsAllZerosAndTheEquationHolds) {
  Journals j;
  j.producer(0);
  complete_ranges(j, 3, 0);
  Verdict v = j.reconcile();
  expect_counts(v, {});
  EXPECT_EQ(v.counts.size(), anomaly_names().size());
  EXPECT_EQ(v.created, 0u);
  EXPECT_EQ(v.equation,
            "created 0 = ok 0 + lost 0 + divergent 0 + expired 0 + unverifiable 0 + send-failed 0 + "
            "failed-but-written 0 + unknown-written 0 + unknown-missing 0");
  EXPECT_EQ(v.partitions, 3u);
  EXPECT_EQ(v.partitions_unverifiable, 0u);
  EXPECT_TRUE(v.examples.empty());
  EXPECT_TRUE(v.health.notes.empty());
}

TEST(Reconcile, AckedAndInTheLogWhereAckedIsOk) {
  Journals j;
  for (uint64_t s = 0; s < 3; ++s) {
    j.sent(1, s, static_cast<int32_t>(s), 0);
    j.logged(static_cast<int32_t>(s), 0, 1, s);
    j.processed(1, s, static_cast<int32_t>(s), 0);
    j.committed(static_cast<int32_t>(s), 1);
  }
  complete_ranges(j, 3, 1);
  Verdict v = j.reconcile();
  expect_counts(v, {});
  EXPECT_EQ(v.created, 3u);
  EXPECT_EQ(v.ok, 3u);
  EXPECT_EQ(v.acked, 3u);
  EXPECT_EQ(v.log_records, 3u);
  EXPECT_EQ(v.processed, 3u);
}

TEST(Reconcile, AckedButAbsentFromAFullyReadPartitionIsLost) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.sent(1, 1, 0, 1);
  j.logged(0, 0, 1, 0);
  j.range(0, 0, 2);
  Verdict v = j.reconcile();
  expect_counts(v, {{"lost", 1}, {"unconsumed", 1}});
  EXPECT_EQ(v.ok, 1u);
  const Example* e = find_example(v, "lost");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->seq, 1u);
  EXPECT_EQ(e->ack_partition, 0);
  EXPECT_EQ(e->ack_offset, 1);
  EXPECT_TRUE(e->log_positions.empty());
}

TEST(Reconcile, AnotherMessageAtTheAckedOffsetIsDivergent) {
  Journals j;
  j.sent(1, 0, 0, 0);  // truncated away; seq 1 was later written at 0/0
  j.sent(1, 1, 0, 0);
  j.logged(0, 0, 1, 1);
  j.range(0, 0, 1);
  Verdict v = j.reconcile();
  expect_counts(v, {{"divergent", 1}, {"unconsumed", 1}});
  EXPECT_EQ(v.ok, 1u);
  EXPECT_EQ(find_example(v, "divergent")->seq, 0u);
}

TEST(Reconcile, ACorruptRecordAtTheAckedOffsetIsDivergentToo) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.logged(0, 0, 0, 0, 0, journal::kAuditCorrupt);
  j.range(0, 0, 1);
  expect_counts(j.reconcile(), {{"divergent", 1}, {"corrupt", 1}});
}

TEST(Reconcile, FoundAtAnotherOffsetIsDivergent) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.logged(0, 3, 1, 0);
  j.range(0, 0, 4);
  Verdict v = j.reconcile();
  expect_counts(v, {{"divergent", 1}, {"unconsumed", 1}});
  const Example* e = find_example(v, "divergent");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->log_positions, (std::vector<std::pair<int32_t, int64_t>>{{0, 3}}));
}

TEST(Reconcile, AnIncompletePartitionMakesAMissingAckUnverifiableNotLost) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.sent(1, 1, 1, 0);
  j.logged(1, 0, 1, 1);
  j.range(0, 0, 5, /*complete=*/false);
  j.range(1, 0, 1);
  Verdict v = j.reconcile();
  expect_counts(v, {{"unverifiable", 1}, {"unconsumed", 1}});
  EXPECT_EQ(v.partitions, 2u);
  EXPECT_EQ(v.partitions_unverifiable, 1u);
  EXPECT_EQ(v.ok, 1u);
}

TEST(Reconcile, BeyondTheHighWatermarkIsUnverifiableWithoutProofTheClusterRecovered) {
  Journals j;
  j.sent(1, 0, 0, 5);  // high watermark 5: offset 5 was never read
  j.sent(1, 1, 1, 0);  // partition 1: no range at all
  j.range(0, 0, 5);
  Verdict v = j.reconcile();
  expect_counts(v, {{"unverifiable", 2}});
  EXPECT_EQ(v.partitions_unverifiable, 1u);
}

TEST(Reconcile, FailedIsSendFailedWhenAbsentAndFailedButWrittenWhenPresent) {
  Journals j;
  j.created(1, 0, 2);
  j.failed(1, 0);
  j.failed(1, 1);
  j.logged(0, 0, 1, 1);
  j.processed(1, 1, 0, 0);
  j.range(0, 0, 1);
  Verdict v = j.reconcile();
  expect_counts(v, {{"send-failed", 1}, {"failed-but-written", 1}});
  EXPECT_EQ(v.failed, 2u);
  EXPECT_NE(find_example(v, "send-failed")->detail.find("producer error -192"), std::string::npos);
}

TEST(Reconcile, NoOutcomeIsResolvedByTheAudit) {
  Journals j;
  j.created(1, 0, 3);
  j.unknown(1, 0);  // purged at exit, landed
  // seq 1: created, then the producer was killed: missing
  // seq 2: created, no record, landed
  j.logged(0, 0, 1, 0);
  j.logged(0, 1, 1, 2);
  j.processed(1, 0, 0, 0);
  j.processed(1, 2, 0, 1);
  j.range(0, 0, 2);
  Verdict v = j.reconcile();
  expect_counts(v, {{"unknown-written", 2}, {"unknown-missing", 1}});
  EXPECT_EQ(v.unknown, 3u);
}

TEST(Reconcile, MissingWithoutOutcomeOnAnIncompleteAuditIsUnverifiable) {
  Journals j;
  j.created(1, 0, 2);
  j.failed(1, 1);
  j.range(0, 0, 0);
  j.range(1, 0, 3, /*complete=*/false);
  expect_counts(j.reconcile(), {{"unverifiable", 2}});
}

TEST(Reconcile, AcksZeroIsOkWhenPresentAnywhereAndLostWhenAbsent) {
  Journals j;
  j.sent(1, 0, 0, -1);
  j.sent(1, 1, 0, -1);
  j.logged(1, 0, 1, 0);  // not even the acked partition: still ok
  j.processed(1, 0, 1, 0);
  complete_ranges(j, 2, 1);
  Verdict v = j.reconcile();
  expect_counts(v, {{"lost", 1}});
  EXPECT_EQ(v.ok, 1u);
  EXPECT_NE(find_example(v, "lost")->detail.find("acks=0"), std::string::npos);
}

TEST(Reconcile, AcksZeroAbsentWithAnIncompletePartitionIsUnverifiable) {
  Journals j;
  j.sent(1, 0, 0, -1);
  j.range(0, 0, 0);
  j.range(1, 0, 0, /*complete=*/false);
  expect_counts(j.reconcile(), {{"unverifiable", 1}});
}

TEST(Reconcile, DuplicatedCountsSeqsNotRecords) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.logged(0, 0, 1, 0);
  j.logged(0, 1, 1, 0);
  j.logged(0, 2, 1, 0);
  j.processed(1, 0, 0, 0);
  j.range(0, 0, 3);
  Verdict v = j.reconcile();
  expect_counts(v, {{"duplicated", 1}});
  EXPECT_EQ(v.ok, 1u);
  const Example* e = find_example(v, "duplicated");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->log_positions.size(), 3u);
}

TEST(Reconcile, ReorderedCountsLowerSeqsAfterHigherOnesOfTheSameKey) {
  Journals j;
  j.created(1, 0, 7);
  // partition 0, key 7: 0, 2, 1 (one reorder); key 8 and 9 interleave freely.
  const std::vector<std::pair<uint64_t, uint32_t>> log = {{0, 7}, {2, 7}, {1, 7}, {4, 8}, {3, 9}};
  for (size_t i = 0; i < log.size(); ++i) {
    j.acked(1, log[i].first, 0, static_cast<int64_t>(i));
    j.logged(0, static_cast<int64_t>(i), 1, log[i].first, log[i].second);
    j.processed(1, log[i].first, 0, static_cast<int64_t>(i));
  }
  // partition 1, key 7: 6 then 5 is a reorder; the max is per partition.
  j.acked(1, 6, 1, 0);
  j.acked(1, 5, 1, 1);
  j.logged(1, 0, 1, 6, 7);
  j.logged(1, 1, 1, 5, 7);
  j.processed(1, 6, 1, 0);
  j.processed(1, 5, 1, 1);
  j.range(0, 0, 5);
  j.range(1, 0, 2);
  Verdict v = j.reconcile();
  expect_counts(v, {{"reordered", 2}});
  const Example* e = find_example(v, "reordered");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->seq, 1u);
  EXPECT_EQ(e->log_positions, (std::vector<std::pair<int32_t, int64_t>>{{0, 2}}));
}

TEST(Reconcile, NeverProcessedIsMissedBelowTheCommittedOffsetAndUnconsumedBeyond) {
  Journals j;
  for (uint64_t s = 0; s < 4; ++s) {
    j.sent(1, s, 0, static_cast<int64_t>(s));
    j.logged(0, static_cast<int64_t>(s), 1, s);
  }
  j.sent(1, 4, 1, 0);
  j.logged(1, 0, 1, 4);
  j.processed(1, 0, 0, 0);
  j.committed(0, 2);   // offset 1 passed, never processed: missed
  j.committed(1, -1);  // no commit: unconsumed
  j.range(0, 0, 4);
  j.range(1, 0, 1);
  Verdict v = j.reconcile();
  expect_counts(v, {{"consumer-missed", 1}, {"unconsumed", 3}});
  EXPECT_EQ(find_example(v, "consumer-missed")->seq, 1u);
}

TEST(Reconcile, ProcessedMoreOftenThanInTheLogIsConsumerDuplicated) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.sent(1, 1, 0, 1);
  j.logged(0, 0, 1, 0);
  j.logged(0, 1, 1, 1);
  for (int i = 0; i < 3; ++i) j.processed(1, 0, 0, 0, /*consumer_id=*/i);
  j.processed(1, 1, 0, 1);
  j.range(0, 0, 2);
  Verdict v = j.reconcile();
  expect_counts(v, {{"consumer-duplicated", 1}});
  EXPECT_NE(find_example(v, "consumer-duplicated")->detail.find("processed 3 times"),
            std::string::npos);
}

TEST(Reconcile, ASeqInEveryViewTwiceIsDuplicatedButNotConsumerDuplicated) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.logged(0, 0, 1, 0);
  j.logged(0, 1, 1, 0);
  j.processed(1, 0, 0, 0);
  j.processed(1, 0, 0, 1);
  j.committed(0, 2);
  j.range(0, 0, 2);
  Verdict v = j.reconcile();
  expect_counts(v, {{"duplicated", 1}});
  EXPECT_EQ(v.ok, 1u);
  EXPECT_EQ(v.processed, 2u);
}

TEST(Reconcile, ProcessedButAbsentFromTheFinalLogIsConsumedThenLost) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.processed(1, 0, 0, 0);
  j.range(0, 0, 1);
  expect_counts(j.reconcile(), {{"lost", 1}, {"consumed-then-lost", 1}});
}

TEST(Reconcile, ConsumedThenLostNeedsACompleteAudit) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.processed(1, 0, 0, 0);
  j.range(0, 0, 1, /*complete=*/false);
  expect_counts(j.reconcile(), {{"unverifiable", 1}});
}

TEST(Reconcile, CorruptForeignAndNeverCreatedRecordsAreCorrupt) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.logged(0, 0, 1, 0);
  j.processed(1, 0, 0, 0);
  j.logged(0, 1, 1, 0, 0, journal::kAuditCorrupt);
  j.logged(0, 2, 9, 0, 0, journal::kAuditForeign);
  j.logged(0, 3, 1, 99);  // producer 1 never created seq 99
  j.logged(0, 4, 5, 0);   // there is no producer 5
  j.range(0, 0, 5);
  Verdict v = j.reconcile();
  expect_counts(v, {{"corrupt", 4}});
  EXPECT_EQ(v.log_records, 5u);
  EXPECT_EQ(v.ok, 1u);
  EXPECT_EQ(v.created, 1u);
  size_t corrupt_examples = 0;
  for (const auto& e : v.examples) {
    if (e.anomaly != "corrupt") continue;
    ++corrupt_examples;
    EXPECT_EQ(e.log_positions.size(), 1u);
  }
  EXPECT_EQ(corrupt_examples, 4u);
}

// ---- combinations ----

TEST(Reconcile, SeveralOutcomesForOneSeqPreferAckedAndAreCountedAsConflicts) {
  Journals j;
  j.created(1, 0, 2);
  j.failed(1, 0);
  j.acked(1, 0, 0, 0);
  j.unknown(1, 1);
  j.failed(1, 1);
  j.logged(0, 0, 1, 0);
  j.processed(1, 0, 0, 0);
  j.range(0, 0, 1);
  Verdict v = j.reconcile();
  expect_counts(v, {{"send-failed", 1}});
  EXPECT_EQ(v.ok, 1u);
  EXPECT_EQ(v.acked, 1u);
  EXPECT_EQ(v.failed, 1u);
  EXPECT_EQ(v.health.conflicting_outcomes, 2u);
}

TEST(Reconcile, ProducersAreSeparatedById) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.sent(2, 0, 0, 1);
  j.logged(0, 0, 1, 0);
  j.logged(0, 1, 2, 0);
  j.processed(1, 0, 0, 0);
  j.processed(2, 0, 0, 1);
  j.range(0, 0, 2);
  Verdict v = j.reconcile();
  expect_counts(v, {});
  EXPECT_EQ(v.created, 2u);
  EXPECT_EQ(v.ok, 2u);
}

// A random mix of outcomes and log placements against a direct restatement
// of the rules (all partitions fully read).
TEST(Reconcile, TheEquationAlwaysHoldsAndMatchesTheRules) {
  std::mt19937 rng(12345);
  Journals j;
  const uint64_t n = 5000;
  std::map<std::string, uint64_t> want;
  uint64_t ok = 0;
  std::vector<int64_t> next(4, 0);
  j.created(3, 0, static_cast<uint32_t>(n));
  for (uint64_t s = 0; s < n; ++s) {
    const int outcome = static_cast<int>(rng() % 4);  // acked, failed, unknown, none
    const int place = static_cast<int>(rng() % 3);    // absent, at ack, elsewhere
    const auto p = static_cast<int32_t>(rng() % 4);
    const int64_t ack = next[p]++;
    if (outcome == 0) j.acked(3, s, p, ack);
    if (outcome == 1) j.failed(3, s);
    if (outcome == 2) j.unknown(3, s);
    if (place == 1) j.logged(p, ack, 3, s, static_cast<uint32_t>(s));
    if (place == 2)
      j.logged((p + 1) % 4, 1'000'000 + static_cast<int64_t>(s), 3, s, static_cast<uint32_t>(s));
    if (place != 0) j.processed(3, s, p, 0);
    const bool present = place != 0;
    if (outcome == 0) {
      if (place == 1)
        ++ok;
      else
        ++want[place == 2 ? "divergent" : "lost"];
    } else if (outcome == 1) {
      ++want[present ? "failed-but-written" : "send-failed"];
    } else {
      ++want[present ? "unknown-written" : "unknown-missing"];
    }
  }
  complete_ranges(j, 4, 2'000'000);
  Verdict v = j.reconcile();
  expect_counts(v, want);
  EXPECT_EQ(v.ok, ok);
  EXPECT_EQ(v.created, n);
  EXPECT_EQ(v.acked + v.failed + v.unknown, n);
}

// ---- damaged and missing journals ----

TEST(ReconcileJournal, ATornTailIsDroppedAndCountedNeverMisread) {
  Journals j;
  j.created(1, 0, 2);
  j.acked(1, 0, 0, 0);
  j.acked(1, 1, 0, 1);
  j.logged(0, 0, 1, 0);
  j.logged(0, 1, 1, 1);
  j.processed(1, 0, 0, 0);
  j.processed(1, 1, 0, 1);
  j.range(0, 0, 2);
  j.close();
  const fs::path file = j.dir() / "producer-1.journal";
  fs::resize_file(file, fs::file_size(file) - 20);  // the writer died inside seq 1's ack
  Verdict v = j.reconcile();
  expect_counts(v, {{"unknown-written", 1}});
  EXPECT_EQ(v.ok, 1u);
  EXPECT_EQ(v.health.torn_tails, 1u);
  EXPECT_EQ(v.health.bad_records, 0u);
  ASSERT_FALSE(v.health.notes.empty());
  EXPECT_NE(v.health.notes[0].find("producer-1.journal: torn tail"), std::string::npos);
}

TEST(ReconcileJournal, ARecordWithABadCrcInTheMiddleIsDroppedAndTheRestRead) {
  Journals j;
  j.created(1, 0, 3);
  for (uint64_t s = 0; s < 3; ++s) {
    j.acked(1, s, 0, static_cast<int64_t>(s));
    j.logged(0, static_cast<int64_t>(s), 1, s);
    j.processed(1, s, 0, static_cast<int64_t>(s));
  }
  j.range(0, 0, 3);
  j.close();
  {
    // Flip one byte of the offset of seq 1's ack (record 2 after the header).
    std::fstream f(j.dir() / "producer-1.journal", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(sizeof(journal::Header) +
                                        2 * sizeof(journal::ProducerRecord) +
                                        offsetof(journal::ProducerRecord, offset)));
    f.put('\x55');
  }
  Verdict v = j.reconcile();
  expect_counts(v, {{"unknown-written", 1}});
  EXPECT_EQ(v.ok, 2u);
  EXPECT_EQ(v.health.bad_records, 1u);
  EXPECT_EQ(v.health.torn_tails, 0u);
}

TEST(ReconcileJournal, ALostCreatedRecordStillCountsItsAckedSeq) {
  Journals j;
  j.created(1, 0);
  j.acked(1, 0, 0, 0);
  j.range(0, 0, 1);
  j.close();
  {
    std::fstream f(j.dir() / "producer-1.journal", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(sizeof(journal::Header)));
    f.put('\x55');
  }
  Verdict v = j.reconcile();
  expect_counts(v, {{"lost", 1}});
  EXPECT_EQ(v.created, 1u);
  EXPECT_EQ(v.health.bad_records, 1u);
}

TEST(ReconcileJournal, AnEmptyJournalFileIsATornJournalWithNoRecords) {
  Journals j;
  j.range(0, 0, 0);
  j.close();
  std::ofstream(j.dir() / "producer-3.journal").close();
  Verdict v = j.reconcile();
  expect_counts(v, {});
  EXPECT_EQ(v.health.torn_tails, 1u);
}

TEST(ReconcileJournal, WithoutAnAuditNothingIsLostOnlyUnverifiable) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.sent(1, 1, 0, -1);
  j.created(1, 2);
  Verdict v = j.reconcile();
  expect_counts(v, {{"unverifiable", 3}});
  EXPECT_EQ(v.partitions_unverifiable, 1u);
  ASSERT_FALSE(v.health.notes.empty());
  EXPECT_NE(v.health.notes[0].find("no audit journal"), std::string::npos);
}

TEST(ReconcileJournal, AnAuditJournalWithoutItsHeaderIsNoAudit) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.close();
  std::ofstream(j.dir() / "audit.journal").close();
  Verdict v = j.reconcile();
  expect_counts(v, {{"unverifiable", 1}});
  EXPECT_EQ(v.health.torn_tails, 1u);
  ASSERT_EQ(v.examples.size(), 1u);
}

TEST(ReconcileJournal, AJournalOfTheWrongKindIsRefused) {
  Journals j;
  j.created(1, 0);
  j.close();
  fs::copy_file(j.dir() / "producer-1.journal", j.dir() / "audit.journal");
  EXPECT_THROW(j.reconcile(), journal::JournalError);
}

TEST(ReconcileJournal, ConfigurationFilesAreFoundAndSorted) {
  Journals j;
  for (uint32_t id : {10u, 2u, 1u}) j.created(id, 0);
  j.processed(1, 0, 0, 0, 4);
  j.close();
  std::ofstream(j.dir() / "notes.txt").close();
  const auto f = ConfigurationFiles::in_directory(j.dir());
  ASSERT_EQ(f.producer_journals.size(), 3u);
  EXPECT_EQ(f.producer_journals[0].filename(), "producer-1.journal");
  EXPECT_EQ(f.producer_journals[1].filename(), "producer-2.journal");
  EXPECT_EQ(f.producer_journals[2].filename(), "producer-10.journal");
  ASSERT_EQ(f.consumer_journals.size(), 1u);
  EXPECT_EQ(f.audit_journal, j.dir() / "audit.journal");
  EXPECT_EQ(f.events_journal, j.dir() / "events.journal");
}

// ---- examples ----

TEST(ReconcileExamples, AreCappedPerAnomalyAndCarryTimesPositionsAndFaults) {
  Journals j;
  const int64_t t = kT0 + 60'000'000;
  j.created(1, 0, 5, t - 1000);
  for (uint64_t s = 0; s < 5; ++s) j.acked(1, s, 0, static_cast<int64_t>(s), t);
  j.created(1, 5, 1, t);
  j.acked(1, 5, 1, 0, t + 7);
  j.logged(1, 0, 1, 5);
  j.logged(1, 1, 1, 5);
  j.logged(0, 5, 2, 0, 0, journal::kAuditForeign);
  j.range(0, 0, 6);
  j.range(1, 0, 2);
  j.event(EventType::phase, t - 30'000'000, -1, "faults");
  j.event(EventType::fault_injected, t - 20'000'000, 2, "early fault");
  j.event(EventType::fault_healed, t - 6'000'000, 2, "healed early fault");
  j.event(EventType::fault_injected, t - 3'000'000, 1, "kill broker 1");
  j.event(EventType::fault_healed, t + 1'000'000, 1, "restart broker 1");
  j.event(EventType::fault_injected, t + 4'000'000, -1, "partition {0,1} | {2}");
  j.event(EventType::fault_injected, t + 6'000'000, 3, "too late");
  Verdict v = j.reconcile(2);
  EXPECT_EQ(v.counts.at("lost"), 5u);
  size_t lost = 0;
  for (const auto& e : v.examples) lost += e.anomaly == "lost" ? 1 : 0;
  EXPECT_EQ(lost, 2u);
  const Example* e = find_example(v, "lost");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->ack_time_us, t);
  EXPECT_EQ(e->faults, (std::vector<std::string>{"kill broker 1", "partition {0,1} | {2}"}));
  const Example* d = find_example(v, "duplicated");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->ack_time_us, t + 7);
  EXPECT_EQ(d->log_positions, (std::vector<std::pair<int32_t, int64_t>>{{1, 0}, {1, 1}}));
  // Examples come in anomaly_names() order.
  EXPECT_EQ(v.examples.front().anomaly, "lost");
  EXPECT_EQ(v.examples.back().anomaly, "corrupt");
}

TEST(ReconcileExamples, NoneWhenMaxExamplesIsZero) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.range(0, 0, 1);
  Verdict v = j.reconcile(0);
  EXPECT_EQ(v.counts.at("lost"), 1u);
  EXPECT_TRUE(v.examples.empty());
}

}  // namespace
}  // namespace kchaos::reports
