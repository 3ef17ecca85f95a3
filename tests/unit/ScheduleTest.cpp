#include <gtest/gtest.h>

#include "kchaos/common/Error.h"
#include "kchaos/plan/Plan.h"
#include "kchaos/faults/Targets.h"

namespace kchaos::faults {
namespace {

using namespace kchaos::plan;

Json random_block(std::optional<uint64_t> seed = std::nullopt) {
  Json r = {{"faults", {"broker-kill", "broker-pause", "network-partition"}},
            {"targets", {"random", "leader-of-most"}},
            {"mean_interval_s", 5},
            {"max_concurrent", 2},
            {"duration_s", {2, 8}}};
  if (seed) r["seed"] = *seed;
  return Json::array({{{"random", r}}});
}

std::vector<Json> as_json(const std::vector<FaultSpec>& t) {
  std::vector<Json> out;
  for (const auto& f : t) out.push_back(f.to_json());
  return out;
}

TEST(Schedule, TheSameSeedGivesTheSameTimeline) {
  const auto plan = parse_faults(random_block());
  const auto a = expand(plan, 42, 120);
  const auto b = expand(plan, 42, 120);
  const auto c = expand(plan, 43, 120);
  ASSERT_GT(a.size(), 5u);
  EXPECT_EQ(as_json(a), as_json(b));
  EXPECT_NE(as_json(a), as_json(c));
}

TEST(Schedule, ABlockSeedOverridesTheRunSeed) {
  const auto plan = parse_faults(random_block(7));
  EXPECT_EQ(as_json(expand(plan, 1, 60)), as_json(expand(plan, 2, 60)));
}

TEST(Schedule, RandomFaultsStayInsideThePhaseAndUnderTheConcurrencyLimit) {
  const auto t = expand(parse_faults(random_block()), 9, 100);
  for (const auto& f : t) {
    EXPECT_GE(f.at_s, 0);
    EXPECT_LE(f.at_s + f.duration_s, 100.05) << f.describe();
    int concurrent = 0;
    for (const auto& g : t) concurrent += g.at_s <= f.at_s && f.at_s < g.at_s + g.duration_s;
    EXPECT_LE(concurrent, 2) << f.describe();
  }
}

TEST(Schedule, FixedAndRandomEntriesAreSortedByTime) {
  auto faults = random_block();
  faults.push_back(
      {{"type", "broker-kill"}, {"target", "controller"}, {"at", 30}, {"duration", 10}});
  faults.push_back({{"type", "add-partitions"}, {"at", 1}, {"count", 2}});
  const auto t = expand(parse_faults(faults), 5, 60);
  for (size_t i = 1; i < t.size(); ++i) EXPECT_LE(t[i - 1].at_s, t[i].at_s);
  const auto add =
      std::find_if(t.begin(), t.end(), [](auto& f) { return f.type == "add-partitions"; });
  ASSERT_NE(add, t.end());
  EXPECT_EQ(add->params["count"], 2);
  EXPECT_LT(add->duration_s, 0) << "no duration: healed at the end of the phase";
}

TEST(Schedule, ParsingNamesThePathOfEveryError) {
  auto error = [](const char* doc) {
    try {
      parse_faults(Json::parse(doc));
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error(R"([{"type": "broker-kill", "colour": "red"}])")
                .rfind("$.faults[0].colour: unknown field for broker-kill", 0),
            0u);
  EXPECT_EQ(error(R"([{}])").rfind("$.faults[0].type:", 0), 0u);
  EXPECT_EQ(error(R"([{"random": {"faults": []}}])").rfind("$.faults[0].random.faults:", 0), 0u);
  EXPECT_EQ(error(R"([{"random": {"faults": ["broker-kill"], "duration_s": [5, 1]}}])")
                .rfind("$.faults[0].random.duration_s:", 0),
            0u);
  EXPECT_EQ(
      error(R"([{"type": "network-partition", "port": 70000}])").rfind("$.faults[0].port:", 0), 0u);
  EXPECT_EQ(error(R"({"type": "broker-kill"})").rfind("$.faults: expected a list", 0), 0u);
}

TargetForm form(const std::string& target) { return parse_target(target).value(); }

ClusterView three_brokers() {
  ClusterView v;
  v.brokers = {1, 2, 3};
  v.alive = {1, 2, 3};
  v.controller = 2;
  v.topics["t"] = {{1, {1, 2, 3}}, {2, {2, 3, 1}}, {2, {2, 1, 3}}, {3, {3, 1, 2}}};
  return v;
}

TEST(Targets, ResolveFromTheView) {
  const auto v = three_brokers();
  std::mt19937_64 rng(1);
  EXPECT_EQ(resolve_targets(form("leader:t/0"), v, "t", rng), std::vector<int>{1});
  EXPECT_EQ(resolve_targets(form("leader:t/3"), v, "x", rng), std::vector<int>{3});
  EXPECT_EQ(resolve_targets(form("leader-of-most"), v, "t", rng), std::vector<int>{2});
  EXPECT_EQ(resolve_targets(form("controller"), v, "t", rng), std::vector<int>{2});
  EXPECT_EQ(resolve_targets(form("2"), v, "t", rng), std::vector<int>{2});
  EXPECT_EQ(resolve_targets(form("all"), v, "t", rng), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(resolve_targets(form("followers:t/1"), v, "t", rng), (std::vector<int>{1, 3}));
  EXPECT_EQ(resolve_targets(form("minority"), v, "t", rng).size(), 1u);
  EXPECT_EQ(resolve_targets(form("majority"), v, "t", rng).size(), 2u);
  for (int i = 0; i < 20; ++i) {
    const auto f = resolve_targets(form("follower"), v, "t", rng);  // partition 0 of t: leader 1
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0], 1);
  }
}

TEST(Targets, RandomPicksOnlyLiveBrokersAndIsRepeatablePerSeed) {
  auto v = three_brokers();
  v.alive = {1, 3};
  std::mt19937_64 a(5), b(5);
  for (int i = 0; i < 20; ++i) {
    const auto x = resolve_targets(form("random"), v, "t", a);
    EXPECT_NE(x[0], 2);
    EXPECT_EQ(x, resolve_targets(form("random"), v, "t", b));
  }
}

TEST(Targets, TargetsThatNameNothingSaySo) {
  auto v = three_brokers();
  std::mt19937_64 rng(1);
  v.controller.reset();
  EXPECT_THROW(resolve_targets(form("controller"), v, "t", rng), std::runtime_error);
  EXPECT_THROW(resolve_targets(form("leader:t/9"), v, "t", rng), std::runtime_error);
  EXPECT_THROW(resolve_targets(form("7"), v, "t", rng), std::runtime_error);
  v.topics["t"][0].leader = -1;
  EXPECT_THROW(resolve_targets(form("leader:t/0"), v, "t", rng), std::runtime_error);
  EXPECT_TRUE(valid_target("leader:kchaos/0"));
  EXPECT_FALSE(valid_target("leader:kchaos"));
  EXPECT_FALSE(valid_target("everyone"));
}

}  // namespace
}  // namespace kchaos::faults
