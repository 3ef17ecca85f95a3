// The two ends of a partition's log: records below the final log start and at
// or beyond the final high watermark are lost when the audit read the
// partition (and, for the high end, the cluster had recovered), expired when
// the topic's own retention could have removed them, and unverifiable only
// when the audit could not read the partition.

#include <gtest/gtest.h>

#include "SyntheticJournals.h"
#include "kchaos/reports/Retention.h"

namespace kchaos::reports {
namespace {

constexpr int64_t kMinute = 60'000'000;

/// Seqs 0..9 acked at 0/0..0/9; the log start moved to 6 (DeleteRecords or
/// retention), so 0..5 are gone and 6..9 remain. The audit read the range
/// measured_us after the first record.
void below_log_start(Journals& j, int64_t span_us) {
  j.created(1, 0, 10, kT0);
  for (uint64_t s = 0; s < 10; ++s) {
    j.acked(1, s, 0, static_cast<int64_t>(s), kT0 + 1000);
    if (s >= 6) j.logged(0, static_cast<int64_t>(s), 1, s);
  }
  j.range(0, 6, 10, true, kT0 + span_us);
}

TEST(ReconcileLogStart, BelowTheLogStartIsLostWhenRetentionCouldNotHaveRemovedIt) {
  Journals j;
  below_log_start(j, kMinute);
  const Verdict v = j.reconcile();  // Kafka's defaults: 7 days, no size limit
  expect_counts(v, {{"lost", 6}, {"unconsumed", 4}});
  const Example* e = find_example(v, "lost");
  ASSERT_NE(e, nullptr);
  EXPECT_NE(e->detail.find("below the partition's log start 6"), std::string::npos) << e->detail;
  EXPECT_NE(e->detail.find("retention.ms=604800000"), std::string::npos) << e->detail;
  EXPECT_NE(e->detail.find("could not have removed it in a run of 60 s"), std::string::npos)
      << e->detail;
}

TEST(ReconcileLogStart, BelowTheLogStartIsExpiredWhenRetentionMsCouldHaveRemovedIt) {
  Journals j;
  below_log_start(j, kMinute);
  const Retention r = effective_retention({{"retention.ms", "30000"}}, {}, 100);
  const Verdict v = j.reconcile(10, r);
  expect_counts(v, {{"expired", 6}, {"unconsumed", 4}});
  const Example* e = find_example(v, "expired");
  ASSERT_NE(e, nullptr);
  EXPECT_NE(e->detail.find("retention.ms could have removed it"), std::string::npos) << e->detail;
  EXPECT_NE(e->detail.find("retention.ms=30000 (topic config)"), std::string::npos) << e->detail;
  // Expired is not ok: the equation counts it in its own class.
  EXPECT_EQ(v.ok, 4u);
}

TEST(ReconcileLogStart, ARetentionLongerThanTheRunCannotExpireAnything) {
  Journals j;
  below_log_start(j, kMinute);
  const Retention r = effective_retention({{"retention.ms", "120000"}}, {}, 100);
  expect_counts(j.reconcile(10, r), {{"lost", 6}, {"unconsumed", 4}});
}

TEST(ReconcileLogStart, RetentionBytesExpiresOnlyWhatEnoughLaterDataCouldPushOut) {
  Journals j;
  below_log_start(j, kMinute);
  // 4+ records of at most 100 + 128 bytes follow each deleted one: a limit of
  // 10 KiB cannot have been reached, one of 500 bytes can.
  expect_counts(j.reconcile(10, effective_retention({{"retention.bytes", "10240"}}, {}, 100)),
                {{"lost", 6}, {"unconsumed", 4}});
  Journals k;
  below_log_start(k, kMinute);
  expect_counts(k.reconcile(10, effective_retention({{"retention.bytes", "500"}}, {}, 100)),
                {{"expired", 6}, {"unconsumed", 4}});
}

TEST(ReconcileLogStart, ACompactOnlyTopicNeverMovesItsLogStart) {
  Journals j;
  below_log_start(j, 10 * kMinute);
  const Retention r =
      effective_retention({{"cleanup.policy", "compact"}, {"retention.ms", "1000"}}, {}, 100);
  expect_counts(j.reconcile(10, r), {{"lost", 6}, {"unconsumed", 4}});
}

TEST(ReconcileLogStart, WithoutTheAuditTimeAnyAgeIsPossible) {
  Journals j;
  below_log_start(j, 0);  // an older audit journal: no time
  const Retention r = effective_retention({{"retention.ms", "604800000"}}, {}, 100);
  expect_counts(j.reconcile(10, r), {{"expired", 6}, {"unconsumed", 4}});
}

TEST(ReconcileLogStart, ConsumedRecordsThatExpiredAreNotConsumedThenLost) {
  Journals j;
  below_log_start(j, kMinute);
  for (uint64_t s = 0; s < 10; ++s) j.processed(1, s, 0, static_cast<int64_t>(s));
  j.committed(0, 10);
  expect_counts(j.reconcile(10, effective_retention({{"retention.ms", "1000"}}, {}, 100)),
                {{"expired", 6}});
  Journals k;
  below_log_start(k, kMinute);
  for (uint64_t s = 0; s < 10; ++s) k.processed(1, s, 0, static_cast<int64_t>(s));
  k.committed(0, 10);
  expect_counts(k.reconcile(), {{"lost", 6}, {"consumed-then-lost", 6}});
}

TEST(ReconcileLogStart, AnUnreadablePartitionStaysUnverifiable) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.range(0, 3, 10, /*complete=*/false);
  expect_counts(j.reconcile(), {{"unverifiable", 1}});
}

// ---- the high end ----

/// Seqs 0..4 acked at 0/0..0/4; the final log ends at 2 (truncated under 2..4).
void truncated(Journals& j) {
  j.created(1, 0, 5);
  for (uint64_t s = 0; s < 5; ++s) j.acked(1, s, 0, static_cast<int64_t>(s));
  j.logged(0, 0, 1, 0);
  j.logged(0, 1, 1, 1);
  j.range(0, 0, 2);
}

TEST(ReconcileHighWatermark, BelowAnAckedOffsetAfterRecoveryIsLostTruncated) {
  Journals j;
  truncated(j);
  j.recovered();
  const Verdict v = j.reconcile();
  expect_counts(v, {{"lost", 3}, {"unconsumed", 2}});
  const Example* e = find_example(v, "lost");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->detail, "truncated: final high watermark 2 <= acknowledged offset 2 (partition 0)");
  EXPECT_EQ(v.recovered, true);
}

TEST(ReconcileHighWatermark, IsUnverifiableWhenTheClusterHadNotRecovered) {
  Journals j;
  truncated(j);
  j.recovered(false);
  const Verdict v = j.reconcile();
  expect_counts(v, {{"unverifiable", 3}, {"unconsumed", 2}});
  EXPECT_NE(find_example(v, "unverifiable")->detail.find("the cluster had not recovered"),
            std::string::npos);
}

TEST(ReconcileHighWatermark, AMessageRewrittenElsewhereIsDivergentNotLost) {
  Journals j;
  j.created(1, 0, 2);
  j.acked(1, 0, 0, 5);  // acked at 0/5; the final log ends at 2 and holds it at 0/1
  j.acked(1, 1, 0, 0);
  j.logged(0, 0, 1, 1, /*key=*/1);
  j.logged(0, 1, 1, 0, /*key=*/0);
  j.range(0, 0, 2);
  j.recovered();
  const Verdict v = j.reconcile();
  expect_counts(v, {{"divergent", 1}, {"unconsumed", 2}});
  EXPECT_EQ(find_example(v, "divergent")->seq, 0u);
}

TEST(ReconcileCompaction, AbsentInsideACompactedRangeIsExpired) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.sent(1, 1, 0, 1);
  j.logged(0, 1, 1, 1);
  j.range(0, 0, 2);
  const Retention r = effective_retention({}, {{"log.cleanup.policy", "compact,delete"}}, 100);
  EXPECT_TRUE(r.compacts);
  EXPECT_TRUE(r.deletes);
  const Verdict v = j.reconcile(10, r);
  expect_counts(v, {{"expired", 1}, {"unconsumed", 1}});
  EXPECT_NE(find_example(v, "expired")->detail.find("compaction"), std::string::npos);
}

// ---- effective retention ----

TEST(Retention, TopicConfigWinsOverBrokerSettingsOverKafkasDefaults) {
  const Retention d = effective_retention({}, {}, 100);
  EXPECT_EQ(d.ms, 604'800'000);
  EXPECT_EQ(d.bytes, -1);
  EXPECT_TRUE(d.deletes);
  EXPECT_FALSE(d.compacts);
  EXPECT_EQ(d.text,
            "retention.ms=604800000 (Kafka's default), retention.bytes=-1 (Kafka's default), "
            "cleanup.policy=delete (Kafka's default)");
  const Retention b = effective_retention(
      {}, {{"log.retention.hours", "2"}, {"log.retention.bytes", "1048576"}}, 100);
  EXPECT_EQ(b.ms, 7'200'000);
  EXPECT_EQ(b.bytes, 1'048'576);
  EXPECT_EQ(
      effective_retention({}, {{"log.retention.minutes", "3"}, {"log.retention.hours", "2"}}, 100)
          .ms,
      180'000);
  const Retention t =
      effective_retention({{"retention.ms", "-1"}}, {{"log.retention.ms", "5"}}, 100);
  EXPECT_EQ(t.ms, -1);
  EXPECT_FALSE(t.time_could_remove(std::numeric_limits<int64_t>::max()));
}

}  // namespace
}  // namespace kchaos::reports
