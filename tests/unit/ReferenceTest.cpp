// The scenario field reference comes from the parser: docs/scenarios.md
// holds it, and every field a section allows is in it with a meaning.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kchaos/scenario/Reference.h"

namespace kchaos::scenario {
namespace {

TEST(Reference, TheScenarioPagesTableIsTheParsers) {
  std::ifstream in(std::filesystem::path(KCHAOS_SOURCE_DIR) / "docs" / "scenarios.md");
  std::stringstream page;
  page << in.rdbuf();
  const std::string text = page.str();
  const auto begin = text.find("<!-- fields:begin");
  const auto end = text.find("<!-- fields:end -->");
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  const auto table_start = text.find('\n', begin) + 1;
  EXPECT_EQ(text.substr(table_start, end - table_start), field_table())
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
