// reconcile() on synthetic journals: anomalies that combine, and the
// evidence (examples) a verdict carries.

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
