#include <gtest/gtest.h>

#include "reports/Limit.h"
#include "reports/Render.h"
#include "reports/Verdict.h"

namespace kchaos::reports {
namespace {

using nlohmann::json;

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
    } catch (const std::invalid_argument& e) {
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
  EXPECT_EQ(r.limit_results, (std::map<std::string, bool>{
                                 {"lost", true}, {"duplicated", true}, {"reordered", true}}));
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
  EXPECT_EQ(anomaly_names(), (std::vector<std::string>{
                                 "lost", "divergent", "send-failed", "failed-but-written",
                                 "unknown-written", "unknown-missing", "duplicated", "reordered",
                                 "consumer-missed", "consumer-duplicated", "consumed-then-lost",
                                 "unconsumed", "corrupt", "unverifiable"}));
}

}  // namespace
}  // namespace kchaos::reports
