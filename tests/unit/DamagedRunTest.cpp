// Damage to kchaos's own files is never reported as something Kafka did: it
// is named, file by file, the configuration is a harness error, and what the
// damage hides is unverifiable or not counted.

#include <gtest/gtest.h>

#include <fstream>

#include "SyntheticJournals.h"
#include "kchaos/common/Error.h"
#include "kchaos/reports/Limit.h"
#include "kchaos/reports/Render.h"
#include "kchaos/run/RunLoop.h"

namespace kchaos::reports {
namespace {

namespace fs = std::filesystem;

/// Three acked, logged and processed seqs of producer 1, the worker specs the
/// controller would have written, a complete audit.
void healthy_run(Journals& j) {
  for (uint64_t s = 0; s < 3; ++s) {
    j.sent(1, s, 0, static_cast<int64_t>(s));
    j.logged(0, static_cast<int64_t>(s), 1, s, static_cast<uint32_t>(s));
    j.processed(1, s, 0, static_cast<int64_t>(s), 1);
  }
  j.range(0, 0, 3);
  j.committed(0, 3);
  j.recovered();
  for (const char* worker : {"producer-1", "consumer-1"}) {
    std::ofstream(j.dir() / (std::string(worker) + ".spec.json")) << "{}";
  }
  j.close();
}

bool mentions(const std::vector<std::string>& list, const std::string& what) {
  for (const auto& s : list) {
    if (s.find(what) != std::string::npos) return true;
  }
  return false;
}

ConfigurationResult evaluated(Verdict v) {
  ConfigurationResult r;
  r.verdict = std::move(v);
  r.expect["lost"] = parse_limit(0);
  evaluate(r);
  return r;
}

TEST(DamagedRun, AHealthyRunHasNoDamage) {
  Journals j;
  healthy_run(j);
  const auto r = evaluated(j.reconcile());
  EXPECT_TRUE(r.verdict.health.damage.empty());
  EXPECT_TRUE(r.passed) << r.error;
}

TEST(DamagedRun, AnAuditRecordFailingItsCrcIsNeverLost) {
  Journals j;
  healthy_run(j);
  // Zero one whole audit record (the second): its CRC no longer matches.
  std::fstream f(j.dir() / "audit.journal", std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(sizeof(journal::Header) + sizeof(journal::AuditRecord));
  const std::string zeros(sizeof(journal::AuditRecord), '\0');
  f.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
  f.close();
  const auto r = evaluated(j.reconcile());
  EXPECT_EQ(r.verdict.counts.at("lost"), 0u);
  EXPECT_EQ(r.verdict.counts.at("unverifiable"), 1u);
  EXPECT_TRUE(mentions(r.verdict.health.damage, "audit.journal: 1 record(s) failed their CRC"));
  EXPECT_FALSE(r.passed);
  EXPECT_NE(r.error.find("kchaos's own files are damaged: audit.journal"), std::string::npos)
      << r.error;
}

TEST(DamagedRun, AMissingOrHeaderOnlyConsumerJournalCountsNoConsumerAnomaly) {
  for (bool header_only : {false, true}) {
    Journals j;
    healthy_run(j);
    fs::remove(j.dir() / "consumer-1.journal");
    if (header_only) {
      journal::Writer<journal::ConsumerRecord>(j.dir() / "consumer-1.journal", kRunId, 1);
    }
    const auto r = evaluated(j.reconcile());
    EXPECT_EQ(r.verdict.counts.at("consumer-missed"), 0u) << header_only;
    EXPECT_EQ(r.verdict.counts.at("unconsumed"), 0u) << header_only;
    EXPECT_TRUE(mentions(r.verdict.health.damage,
                         header_only ? "no consumer journal records processing anything"
                                     : "consumer-1.journal is missing"))
        << header_only;
    EXPECT_FALSE(r.passed);
  }
}

TEST(DamagedRun, AMissingProducerJournalMakesItsRecordsNeitherCorruptNorLost) {
  Journals j;
  healthy_run(j);
  fs::remove(j.dir() / "producer-1.journal");
  const auto r = evaluated(j.reconcile());
  EXPECT_EQ(r.verdict.counts.at("corrupt"), 0u);
  EXPECT_EQ(r.verdict.counts.at("lost"), 0u);
  EXPECT_TRUE(mentions(r.verdict.health.damage, "producer-1.journal is missing"));
  EXPECT_TRUE(mentions(r.verdict.health.notes, "not counted as corrupt"));
  EXPECT_FALSE(r.passed);
}

TEST(DamagedRun, AuditRecordsRepeatedAtOneOffsetAreDamageNotDuplicates) {
  Journals j;
  healthy_run(j);
  j.logged(0, 1, 1, 1, 1);  // offset 0/1 again
  j.logged(0, 2, 1, 0, 0);  // and 0/2 again, with an earlier seq
  const auto r = evaluated(j.reconcile());
  EXPECT_EQ(r.verdict.counts.at("duplicated"), 0u);
  EXPECT_EQ(r.verdict.counts.at("reordered"), 0u);
  EXPECT_TRUE(mentions(r.verdict.health.damage, "2 record(s) repeat an offset"));
}

TEST(DamagedRun, RecordsClaimingTheImpossibleAreRefusedNotAllocated) {
  Journals j;
  healthy_run(j);
  j.created(1, 3, 100'000'000);  // one 56-byte record claiming 10^8 seqs
  j.logged(0, int64_t{1} << 36, 1, 2, 2);
  const auto r = evaluated(j.reconcile());
  EXPECT_EQ(r.verdict.created, 3u);
  EXPECT_TRUE(mentions(r.verdict.health.damage, "claims seqs it cannot hold"));
  EXPECT_TRUE(mentions(r.verdict.health.damage, "offsets far beyond what the audit read"));
}

TEST(DamagedRun, EventsJournalDamageIsNamed) {
  Journals j;
  healthy_run(j);
  std::ofstream(j.dir() / "events.journal", std::ios::app | std::ios::binary) << "torn";
  const auto v = j.reconcile();
  EXPECT_TRUE(mentions(v.health.notes, "events.journal: torn tail"));
}

TEST(DamagedRun, AnEventsJournalThatIsNoJournalIsDamageNotACrash) {
  // Found by fuzz_reconcile: a bad magic escaped reconcile() as an exception.
  Journals j;
  healthy_run(j);
  {
    std::fstream f(j.dir() / "events.journal", std::ios::in | std::ios::out | std::ios::binary);
    f.write("XXXX", 4);
  }
  const auto r = evaluated(j.reconcile());
  EXPECT_TRUE(mentions(r.verdict.health.damage, "events.journal"));
  EXPECT_FALSE(r.passed);
  EXPECT_FALSE(r.error.empty()) << "damage must make the configuration a harness error";
}

class DamagedRunDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kchaos-damaged-run-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "1-default");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(DamagedRunDirectory, ARunJsonWithoutConfigurationsIsAHarnessErrorNamingIt) {
  std::ofstream(dir_ / "run.json")
      << R"({"scenario": "s", "seed": 1, "run_id": "1", "configurations": []})";
  try {
    run::reconcile_run(dir_);
    FAIL() << "reconciled a run with no configurations";
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("run.json lists no configurations"), std::string::npos);
  }
  std::ofstream(dir_ / "run.json") << "{not json";
  EXPECT_THROW(run::reconcile_run(dir_), HarnessError);
}

TEST_F(DamagedRunDirectory, AnInvalidConfigJsonIsThatConfigurationsErrorNamingIt) {
  std::ofstream(dir_ / "run.json")
      << R"({"scenario": "s", "seed": 1, "run_id": "1", "configurations": [{"name": "default", "dir": "1-default"}]})";
  std::ofstream(dir_ / "1-default" / "config.json") << R"({"name": 5})";
  const auto report = run::reconcile_run(dir_);
  ASSERT_EQ(report.configurations.size(), 1u);
  EXPECT_NE(report.configurations[0].error.find("config.json"), std::string::npos)
      << report.configurations[0].error;
  EXPECT_EQ(exit_code(report), 3);
}

}  // namespace
}  // namespace kchaos::reports
