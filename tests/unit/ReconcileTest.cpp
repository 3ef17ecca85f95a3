// reconcile() on synthetic journals written record by record: one test per
// anomaly of docs/anomalies.md.

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
  EXPECT_EQ(
      v.equation,
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

}  // namespace
}  // namespace kchaos::reports
