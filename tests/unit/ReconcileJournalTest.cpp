// reconcile() on damaged and missing journals: torn tails and bad records
// are dropped, never misread.

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

TEST(ReconcileJournal, AJournalOfTheWrongKindIsDamageNamingTheFileNotKafkaLoss) {
  Journals j;
  j.sent(1, 0, 0, 0);
  j.close();
  fs::copy_file(j.dir() / "producer-1.journal", j.dir() / "audit.journal");
  const Verdict v = j.reconcile();
  ASSERT_EQ(v.health.damage.size(), 1u);
  EXPECT_NE(v.health.damage[0].find("audit.journal: "), std::string::npos) << v.health.damage[0];
  EXPECT_NE(v.health.damage[0].find("a producer journal, not an audit journal"), std::string::npos)
      << v.health.damage[0];
  expect_counts(v, {{"unverifiable", 1}});
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

}  // namespace
}  // namespace kchaos::reports
