// The fault registry is the one place a kind is described: validation,
// defaults, random blocks and the table of docs/faults.md all come from it.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "DocBlock.h"
#include "kchaos/common/Error.h"
#include "kchaos/faults/Registry.h"
#include "kchaos/faults/Schedule.h"

namespace kchaos::faults {
namespace {

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
