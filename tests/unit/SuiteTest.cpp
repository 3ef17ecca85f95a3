#include <gtest/gtest.h>

#include "kchaos/reports/Limit.h"
#include "kchaos/run/Suite.h"

namespace kchaos::run {
namespace {

SuiteEntry entry(int repetition, bool passed, const std::string& error = "") {
  SuiteEntry e;
  e.scenario.name = "claim-01";
  e.repetition = repetition;
  reports::ConfigurationResult r;
  r.name = "acks=0";
  r.passed = passed;
  r.error = error;
  e.report.configurations.push_back(r);
  return e;
}

TEST(Suite, HitRatesCountHeldRepetitionsAndNameHarnessErrorsApart) {
  const std::vector<SuiteEntry> entries = {entry(1, true), entry(2, false), entry(3, true),
                                           entry(4, false, "broker 1 exited during start-up")};
  const std::string rates = hit_rates(entries);
  EXPECT_NE(rates.find("claim-01 / acks=0: 2/4 (1 harness error)"), std::string::npos) << rates;
}

TEST(Suite, HitRatesWithoutErrorsSayNothingOfThem) {
  const std::string rates = hit_rates({entry(1, true), entry(2, true)});
  EXPECT_NE(rates.find("claim-01 / acks=0: 2/2\n"), std::string::npos) << rates;
}

TEST(Suite, TheTableShowsTheFailingCountAndWhyEachConfigurationFailed) {
  SuiteEntry e = entry(1, false);
  auto& r = e.report.configurations[0];
  for (const auto& n : reports::anomaly_names()) r.verdict.counts[n] = 0;
  r.verdict.counts["unverifiable"] = 3000;
  r.verdict.equation = "created 3000 = ok 0 + unverifiable 3000";
  r.verdict.equation_holds = true;
  r.expect["lost"] = reports::parse_limit(0);
  reports::evaluate(r);
  const std::string table = suite_table({e});
  EXPECT_NE(table.find("unverifiable"), std::string::npos) << table;
  EXPECT_NE(table.find("FAIL claim-01 / acks=0: unverifiable 3000, limit 0 (default)"),
            std::string::npos)
      << table;
}

}  // namespace
}  // namespace kchaos::run
