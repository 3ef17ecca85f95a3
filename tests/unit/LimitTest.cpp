#include <gtest/gtest.h>

#include "kchaos/common/Error.h"
#include "kchaos/reports/Limit.h"
#include "kchaos/reports/Render.h"
#include "kchaos/reports/Verdict.h"

namespace kchaos::reports {
namespace {

using json = Json;

TEST(Limit, ABareCountMeansAtMost) {
  Limit l = parse_limit(json(0));
  EXPECT_EQ(l.op, Limit::Op::le);
  EXPECT_EQ(l.value, 0u);
  EXPECT_EQ(l.text, "0");
  EXPECT_TRUE(holds(l, 0));
  EXPECT_FALSE(holds(l, 1));
  Limit five = parse_limit(json(5));
  EXPECT_TRUE(holds(five, 5));
  EXPECT_FALSE(holds(five, 6));
}

TEST(Limit, ParsesEveryStringForm) {
  struct Case {
    const char* text;
    Limit::Op op;
    uint64_t value;
    std::vector<uint64_t> pass, fail;
  };
  const std::vector<Case> cases = {
      {"any", Limit::Op::any, 0, {0, 1, UINT64_MAX}, {}},
      {">0", Limit::Op::gt, 0, {1, 100}, {0}},
      {">=1", Limit::Op::ge, 1, {1, 2}, {0}},
      {"<=3", Limit::Op::le, 3, {0, 3}, {4}},
      {"<10", Limit::Op::lt, 10, {0, 9}, {10, 11}},
      {"=0", Limit::Op::eq, 0, {0}, {1}},
      {"=18446744073709551615", Limit::Op::eq, UINT64_MAX, {UINT64_MAX}, {0}},
  };
  for (const auto& c : cases) {
    Limit l = parse_limit(json(c.text));
    EXPECT_EQ(l.op, c.op) << c.text;
    EXPECT_EQ(l.value, c.value) << c.text;
    EXPECT_EQ(l.text, c.text);
    for (uint64_t n : c.pass) EXPECT_TRUE(holds(l, n)) << c.text << " " << n;
    for (uint64_t n : c.fail) EXPECT_FALSE(holds(l, n)) << c.text << " " << n;
  }
}

TEST(Limit, RejectsAnythingElseNamingTheAllowedForms) {
  const std::vector<json> bad = {json(-1),
                                 json(1.5),
                                 json(true),
                                 json(nullptr),
                                 json("5"),
                                 json("=="),
                                 json("> 0"),
                                 json(">-1"),
                                 json("<=3x"),
                                 json("ANY"),
                                 json(""),
                                 json("!=0"),
                                 json("=99999999999999999999"),
                                 json::array({0}),
                                 json::object()};
  for (const auto& j : bad) {
    try {
      parse_limit(j);
      ADD_FAILURE() << "accepted " << j.dump();
    } catch (const kchaos::UserError& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find(j.dump()), std::string::npos) << m;
      for (const char* form :
           {"\"any\"", "\"=n\"", "\"<n\"", "\"<=n\"", "\">n\"", "\">=n\"", "at most n"}) {
        EXPECT_NE(m.find(form), std::string::npos) << form << " missing from: " << m;
      }
    }
  }
}

TEST(Limit, RoundTripsThroughJson) {
  for (const json& j : {json(0), json(7), json("any"), json(">0"), json("<=3"), json("=2")}) {
    EXPECT_EQ(limit_to_json(parse_limit(j)), j);
  }
}

ConfigurationResult result_with(std::map<std::string, uint64_t> counts,
                                std::map<std::string, json> expect) {
  ConfigurationResult r;
  r.name = "c";
  for (const auto& name : anomaly_names()) r.verdict.counts[name] = 0;
  for (const auto& [k, n] : counts) r.verdict.counts[k] = n;
  for (const auto& [k, j] : expect) r.expect[k] = parse_limit(j);
  r.verdict.equation_holds = true;
  return r;
}

TEST(LimitEvaluate, PassesWhenEveryLimitHolds) {
  ConfigurationResult r = result_with({{"duplicated", 4}, {"lost", 0}},
                                      {{"lost", 0}, {"duplicated", "any"}, {"reordered", "<=1"}});
  evaluate(r);
  EXPECT_TRUE(r.passed);
  EXPECT_EQ(r.limit_results, (std::map<std::string, bool>{{"lost", true},
                                                          {"duplicated", true},
                                                          {"reordered", true},
                                                          {"divergent", true},
                                                          {"consumed-then-lost", true},
                                                          {"expired", true},
                                                          {"unverifiable", true},
                                                          {"corrupt", true},
                                                          {"unconsumed", true}}));
  EXPECT_TRUE(failure_reasons(r).empty());
}

// ---- a PASS needs proof ----

TEST(LimitEvaluate, UnverifiableCorruptAndUnconsumedAreZeroUnlessTheScenarioSaysOtherwise) {
  for (const char* name : {"expired", "unverifiable", "corrupt", "unconsumed"}) {
    ConfigurationResult r = result_with({{name, 3000}}, {{"lost", 0}});
    evaluate(r);
    EXPECT_FALSE(r.passed) << name;
    EXPECT_EQ(failure_reasons(r),
              (std::vector<std::string>{std::string(name) + " 3000, limit 0 (default)"}));
    ConfigurationResult allowed = result_with({{name, 3000}}, {{"lost", 0}, {name, "any"}});
    evaluate(allowed);
    EXPECT_TRUE(allowed.passed) << name;
  }
  // An offline partition: lost 0, but nothing proves it.
  ConfigurationResult offline = result_with({{"unverifiable", 120}}, {{"lost", 0}});
  evaluate(offline);
  EXPECT_FALSE(offline.passed);
}

TEST(LimitEvaluate, LostDivergentAndConsumedThenLostAreZeroUnlessTheScenarioExpectsLoss) {
  for (const char* name : {"lost", "divergent", "consumed-then-lost"}) {
    // A scenario that states nothing about loss still fails on it.
    ConfigurationResult r = result_with({{name, 7}}, {{"duplicated", "any"}});
    evaluate(r);
    EXPECT_FALSE(r.passed) << name;
    EXPECT_EQ(failure_reasons(r),
              (std::vector<std::string>{std::string(name) + " 7, limit 0 (default)"}));
    ConfigurationResult expected = result_with({{name, 7}}, {{name, ">0"}});
    evaluate(expected);
    EXPECT_TRUE(expected.passed) << name;
  }
  // A sum states both of its parts: no default limit is added beside it.
  ConfigurationResult sum = result_with({{"lost", 3}, {"divergent", 5}}, {{"lost+divergent", ">0"}});
  evaluate(sum);
  EXPECT_TRUE(sum.passed);
  EXPECT_EQ(effective_limits(sum).count("lost"), 0u);
  EXPECT_EQ(effective_limits(sum).count("divergent"), 0u);
  EXPECT_EQ(effective_limits(sum).at("consumed-then-lost").text, "0");
  // Only the proof defaults need a reason to be loosened.
  EXPECT_FALSE(default_needs_reason("lost"));
  EXPECT_TRUE(default_needs_reason("unconsumed"));
}

TEST(LimitEvaluate, ABrokenEquationNeverPasses) {
  ConfigurationResult r = result_with({}, {{"lost", 0}});
  r.verdict.equation = "created 10 = ok 9";
  r.verdict.equation_holds = false;
  evaluate(r);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(failure_reasons(r),
            (std::vector<std::string>{"the equation does not hold: created 10 = ok 9"}));
}

TEST(LimitEvaluate, EveryPlannedFaultMustHaveBeenInjectedAndHealed) {
  ConfigurationResult r = result_with({}, {{"lost", 0}});
  FaultRecord done;
  done.index = 1;
  done.planned = "broker-kill leader-of-most at 2 s for 8 s";
  done.injected_us = 10;
  done.healed_us = 20;
  FaultRecord never = done;
  never.index = 2;
  never.planned = "broker-kill leader:kchaos/0 at 26 s";
  never.injected_us = never.healed_us = 0;
  never.error = "no leader for kchaos/0";
  FaultRecord stuck = done;
  stuck.index = 3;
  stuck.planned = "broker-pause 2 at 5 s";
  stuck.healed_us = 0;
  r.verdict.faults = {done};
  evaluate(r);
  EXPECT_TRUE(r.passed);
  r.verdict.faults = {done, never, stuck};
  evaluate(r);
  EXPECT_FALSE(r.passed);
  // A fault that did not happen is a harness error, and its counts still stand.
  EXPECT_EQ(failure_reasons(r),
            (std::vector<std::string>{"harness error: a planned fault did not happen, so this "
                                      "configuration proves nothing: fault 2 (broker-kill "
                                      "leader:kchaos/0 at 26 s) was never injected: no leader for "
                                      "kchaos/0 (and 1 more)",
                                      "fault 3 (broker-pause 2 at 5 s) was never healed"}));
  reports::Report report;
  report.configurations = {r};
  EXPECT_EQ(exit_code(report), 3);
}

TEST(LimitEvaluate, AFaultOperationBegunLaterThanTheBoundIsTheTimelinesFailure) {
  ConfigurationResult r = result_with({}, {{"lost", 0}});
  FaultRecord f;
  f.index = 4;
  f.planned = "broker-pause 2 at 16 s for 6 s";
  f.injected_us = 10;
  f.healed_us = 20;
  f.inject_planned_s = 16, f.inject_began_s = 16.1;
  f.heal_planned_s = 22, f.heal_began_s = 23.9;
  r.verdict.equation = "created 0 = ok 0";
  r.verdict.faults = {f};
  evaluate(r);
  EXPECT_TRUE(r.passed) << r.error;
  EXPECT_NEAR(max_lateness(r.verdict).first, 1.9, 1e-9);
  EXPECT_EQ(max_lateness(r.verdict).second, "fault 4's heal");
  f.heal_began_s = 62;  // 40 s late, as a scheduler stalled by another fault's wait
  r.verdict.faults = {f};
  evaluate(r);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.error,
            "the fault timeline ran late: fault 4's heal began 40.0 s after its planned time "
            "(bound 2.0 s, timings.max_lateness_s)");
  EXPECT_TRUE(counts_shown(r)) << "the counts of a late timeline are still evidence";
}

TEST(LimitEvaluate, SumLimitsAddTheirParts) {
  ConfigurationResult shown =
      result_with({{"lost", 0}, {"divergent", 7}}, {{"lost+divergent", ">0"}, {"lost", "any"}});
  evaluate(shown);
  EXPECT_TRUE(shown.passed);
  EXPECT_EQ(expected_count(shown.verdict, "lost+divergent"), 7u);
  ConfigurationResult hidden = result_with({}, {{"lost+divergent", ">0"}});
  evaluate(hidden);
  EXPECT_FALSE(hidden.passed);
  EXPECT_EQ(failure_reasons(hidden), (std::vector<std::string>{"lost+divergent 0, limit >0"}));
  ConfigurationResult three = result_with({{"send-failed", 1}, {"failed-but-written", 2}},
                                          {{"send-failed+failed-but-written+lost", "=3"}});
  evaluate(three);
  EXPECT_TRUE(three.passed);
  EXPECT_EQ(expected_count(three.verdict, "lost+nonsense"), std::nullopt);
}

TEST(LimitEvaluate, FailsOnAnyLimitAndOnNamesThatAreNotCounted) {
  ConfigurationResult r = result_with({{"lost", 2}}, {{"lost", 0}, {"duplicated", "any"}});
  evaluate(r);
  EXPECT_FALSE(r.passed);
  EXPECT_FALSE(r.limit_results.at("lost"));
  EXPECT_TRUE(r.limit_results.at("duplicated"));

  ConfigurationResult claim = result_with({}, {{"lost", ">0"}});  // loss must be shown
  evaluate(claim);
  EXPECT_FALSE(claim.passed);

  ConfigurationResult typo = result_with({}, {{"lots", 0}});
  evaluate(typo);
  EXPECT_FALSE(typo.passed);
  EXPECT_FALSE(typo.limit_results.at("lots"));
}

TEST(LimitEvaluate, AHarnessErrorNeverPasses) {
  ConfigurationResult r = result_with({}, {{"lost", 0}});
  r.error = "broker 2 did not start";
  evaluate(r);
  EXPECT_FALSE(r.passed);
  EXPECT_TRUE(r.limit_results.at("lost"));
}

TEST(LimitEvaluate, ExitCodeIsZeroOneOrThreeAndThreeWins) {
  Report report;
  EXPECT_EQ(exit_code(report), 0);
  ConfigurationResult pass = result_with({}, {{"lost", 0}});
  evaluate(pass);
  report.configurations.push_back(pass);
  EXPECT_EQ(exit_code(report), 0);
  ConfigurationResult fail = result_with({{"lost", 1}}, {{"lost", 0}});
  evaluate(fail);
  report.configurations.push_back(fail);
  EXPECT_EQ(exit_code(report), 1);
  ConfigurationResult error = result_with({}, {});
  error.error = "set-up failed";
  evaluate(error);
  report.configurations.insert(report.configurations.begin(), error);
  EXPECT_EQ(exit_code(report), 3);
}

TEST(LimitEvaluate, AnomalyNamesAreTheVocabulary) {
  EXPECT_EQ(
      anomaly_names(),
      (std::vector<std::string>{"lost", "divergent", "expired", "send-failed", "failed-but-written",
                                "unknown-written", "unknown-missing", "duplicated", "reordered",
                                "consumer-missed", "consumer-duplicated", "consumed-then-lost",
                                "unconsumed", "corrupt", "unverifiable"}));
}

}  // namespace
}  // namespace kchaos::reports
