// The scenario field reference comes from the parser: docs/scenarios.md
// holds it, and every field a section allows is in it with a meaning.

#include <gtest/gtest.h>

#include "DocBlock.h"
#include "kchaos/scenario/Reference.h"

namespace kchaos::scenario {
namespace {

TEST(Reference, TheScenarioPagesTableIsTheParsers) {
  EXPECT_EQ(test::doc_block("scenarios.md", "fields"), field_table())
      << "regenerate the table with `kchaos fields`";
}

TEST(Reference, EveryAllowedFieldIsDescribedAndExplained) {
  EXPECT_EQ(reference_gaps(), "");
}

TEST(Reference, DefaultsAndBoundsAreTheParsers) {
  const auto table = field_table();
  // Spot checks against Scenario.h and Sections.cpp.
  EXPECT_NE(table.find("| `producer.rate` | whole number or `\"unbounded\"` | `1000` |"),
            std::string::npos);
  EXPECT_NE(table.find("| `consumer.batch_size` | whole number | `100` | 1 to 100000 |"),
            std::string::npos);
  EXPECT_NE(table.find("| `timings.drain_timeout_s` | seconds | `90` | 1 to 86400 |"),
            std::string::npos);
  EXPECT_NE(table.find("`\"auto\"`, `\"before-process\"`, `\"after-process\"`, `\"async-threads\"`"),
            std::string::npos);
}

}  // namespace
}  // namespace kchaos::scenario
