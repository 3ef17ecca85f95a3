// The run directory's one reader and writer: what it writes it reads back,
// and what it cannot read it names.

#include <gtest/gtest.h>

#include <fstream>

#include "kchaos/common/Error.h"
#include "kchaos/reports/RunDir.h"

namespace kchaos::reports {
namespace {

namespace fs = std::filesystem;

class RunDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("kchaos-rundir-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "1-acks_all");
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(RunDirTest, WhatItWritesItReadsBack) {
  RunInfo run;
  run.scenario = "s";
  run.seed = 18446744073709551615ULL;
  run.run_id = "42";
  run.backend = "local, compose";
  run.configurations = {{"acks=all", "1-acks_all", "compose"}};
  const RunDir dir(root_);
  EXPECT_FALSE(dir.is_run());
  dir.write(run);
  EXPECT_TRUE(dir.is_run());
  EXPECT_FALSE(fs::exists(root_ / "run.json.tmp"));
  const auto back = dir.read();
  EXPECT_EQ(back.seed, run.seed);
  EXPECT_EQ(back.backend, "local, compose");
  ASSERT_EQ(back.configurations.size(), 1u);
  EXPECT_EQ(back.configurations[0].backend, "compose");
  EXPECT_EQ(dir.configuration_dir(back.configurations[0]), root_ / "1-acks_all");

  ConfigInfo config;
  config.name = "acks=all";
  config.parameters = Json{{"producer.acks", "all"}};
  config.expect["lost"] = parse_limit(">0");
  config.max_lateness_s = 0.5;
  config.configuration = Json{{"topic", {{"name", "t"}}}};
  RunDir::write_config(root_ / "1-acks_all", config);
  const auto c = RunDir::read_config(root_ / "1-acks_all");
  EXPECT_EQ(c.name, "acks=all");
  EXPECT_EQ(c.expect.at("lost").text, ">0");
  EXPECT_EQ(c.max_lateness_s, 0.5);
  EXPECT_EQ(c.configuration, config.configuration);
}

TEST_F(RunDirTest, AConfigurationDirectoryNeverLeavesTheRun) {
  const RunDir dir(root_);
  for (const char* bad : {"", "../x", "a/b", ".hidden"}) {
    EXPECT_EQ(dir.configuration_dir({"c", bad, "local"}), std::nullopt) << bad;
  }
}

TEST_F(RunDirTest, WhatItCannotReadItNamesWithTheKindTheDocsGive) {
  const RunDir dir(root_);
  try {
    dir.read();
    ADD_FAILURE() << "read a directory without run.json";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("is not a kchaos run directory"), std::string::npos);
  }
  std::ofstream(root_ / "run.json") << "{not json";
  try {
    dir.read();
    ADD_FAILURE() << "read a damaged run.json";
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("run.json is damaged"), std::string::npos);
  }
  std::ofstream(root_ / "1-acks_all" / "config.json") << R"({"name": 5})";
  try {
    RunDir::read_config(root_ / "1-acks_all");
    ADD_FAILURE() << "read a config.json without its fields";
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("config.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace kchaos::reports
