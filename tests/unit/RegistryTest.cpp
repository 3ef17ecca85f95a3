// The fault registry is the one place a kind is described: validation,
// defaults, random blocks and the table of docs/faults.md all come from it.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "DocBlock.h"
#include "kchaos/common/Error.h"
#include "kchaos/faults/Fault.h"
#include "kchaos/plan/Kinds.h"
#include "kchaos/plan/Plan.h"

namespace kchaos::faults {
namespace {

using namespace kchaos::plan;

std::string error_of(const std::string& json) {
  try {
    parse_faults(Json::parse(json));
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(Registry, TheFaultPagesTableIsTheRegistrys) {
  EXPECT_EQ(test::doc_block("faults.md", "faults"), fault_table())
      << "regenerate the table with `kchaos faults`";
}

TEST(Registry, EveryKindIsWholeAndItsDefaultsAreValid) {
  ASSERT_EQ(fault_kinds().size(), 11u);
  for (const auto* k : fault_kinds()) {
    EXPECT_EQ(find_kind(k->name), k);
    EXPECT_FALSE(k->what.empty()) << k->name;
    FaultSpec spec;
    spec.type = k->name;
    EXPECT_NE(make_fault(spec), nullptr) << k->name;
    for (const auto& p : k->params) {
      if (!p.default_value.is_null()) {
        EXPECT_EQ(check_param(p, p.default_value), "") << k->name << "." << p.name;
        EXPECT_EQ(spec.param(p.name), p.default_value) << "the registry's default";
      }
    }
    if (k->random) {
      EXPECT_TRUE(k->takes_target) << k->name << ": random faults get a target";
    }
  }
  EXPECT_EQ(find_kind("nope"), nullptr);
  FaultSpec unknown;
  unknown.type = "nope";
  EXPECT_THROW(make_fault(unknown), UserError);
}

TEST(Registry, KindsDeclareWhatTheyNeed) {
  const auto plan = parse_faults(Json::parse(R"([
      {"type": "power-loss", "target": "1"},
      {"type": "add-partitions", "count": 2},
      {"type": "add-partitions"},
      {"type": "producer-crash", "worker": 3},
      {"random": {"faults": ["broker-kill"], "targets": ["leader:t/4", "2"]}}])"));
  ASSERT_NE(plan.kind_needing(Storage::pagefs), nullptr);
  EXPECT_EQ(plan.kind_needing(Storage::pagefs)->name, "power-loss");
  EXPECT_EQ(plan.kind_needing(Storage::tmpfs), nullptr);
  EXPECT_EQ(plan.added_partitions(), 5);  // 2 and the default 3
  const auto problems = check_bounds(plan, {2});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "$.faults[3].worker");
  EXPECT_EQ(problems[0].what, "producer-crash names worker 3 but the scenario has 2");
  EXPECT_TRUE(check_bounds(plan, {3}).empty());
  // Targets are taken apart once, where the scenario wrote them.
  EXPECT_EQ(plan.fixed[0].target_form.form, "broker");
  EXPECT_EQ(plan.fixed[0].target_form.broker, 1);
  EXPECT_EQ(plan.random.at(0).path, "$.faults[4].random");
  EXPECT_EQ(plan.random.at(0).target_forms.at(0).topic, "t");
  EXPECT_EQ(plan.random.at(0).target_forms.at(0).partition, 4);
  for (const auto& f : expand(plan, 1, 60)) {
    ASSERT_NE(f.kind, nullptr) << f.type;
    EXPECT_EQ(f.kind->name, f.type);
  }
}

TEST(Registry, ValidationComesFromTheRegistry) {
  EXPECT_NE(error_of(R"([{"type": "broker-kill", "colour": 1}])")
                .find("$.faults[0].colour: unknown field for broker-kill; allowed: type, at, "
                      "duration, target, clean, lose_data"),
            std::string::npos);
  EXPECT_NE(error_of(R"([{"type": "bandwidth", "rate": "fast"}])")
                .find("$.faults[0].rate: expected a rate such as \"1mbit\""),
            std::string::npos);
  EXPECT_NE(error_of(R"([{"type": "bandwidth", "latency": "soon"}])").find("$.faults[0].latency"),
            std::string::npos);
  EXPECT_NE(error_of(R"([{"type": "consumer-crash", "target": "1"}])")
                .find("consumer-crash takes no target"),
            std::string::npos);
  EXPECT_NE(error_of(R"([{"random": {"faults": ["disk-full"]}}])")
                .find("random faults are drawn from broker-kill, broker-pause, network-partition, "
                      "packet-loss, bandwidth"),
            std::string::npos);
  EXPECT_EQ(
      error_of(R"([{"type": "bandwidth", "rate": "2mbps", "burst": "64kb", "latency": "1s"}])"),
      "");
}

TEST(Registry, AParameterLeftOutReadsAsItsDefault) {
  const auto plan = parse_faults(Json::parse(R"([{"type": "network-partition", "target": "2"}])"));
  const auto& f = plan.fixed.at(0);
  EXPECT_EQ(f.param("shape"), "isolate");
  EXPECT_EQ(f.param("direction"), "out");
  EXPECT_TRUE(f.param("port").is_null());
  EXPECT_EQ(f.describe(), "network-partition 2 at 0 s until the end of the fault phase")
      << "the plan shows what the scenario wrote";
}

}  // namespace
}  // namespace kchaos::faults
