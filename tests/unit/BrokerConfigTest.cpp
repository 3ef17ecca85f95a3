#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "kchaos/cluster/BrokerConfig.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {
namespace {

std::filesystem::path write_file(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() /
              ("kchaos-props-" + std::to_string(::getpid()) + ".properties");
  std::ofstream(path) << text;
  return path;
}

TEST(BrokerConfig, LayersDefaultsSizedOverridesAndStructuralKeys) {
  auto file = write_file("# comment\n! also\nmin.insync.replicas = 1\nnum.io.threads=4\n\n");
  auto props = broker_properties(
      file, {{"default.replication.factor", "3"}},
      {{"min.insync.replicas", "2"}, {"default.replication.factor", "1"}}, {{"node.id", "7"}});
  EXPECT_EQ(props["min.insync.replicas"], "2");
  EXPECT_EQ(props["num.io.threads"], "4");
  EXPECT_EQ(props["default.replication.factor"], "1");
  EXPECT_EQ(props["node.id"], "7");
  std::filesystem::remove(file);
}

TEST(BrokerConfig, RefusesToOverrideWhatTheBackendOwns) {
  auto file = write_file("a=b\n");
  try {
    broker_properties(file, {}, {{"listeners", "PLAINTEXT://:1"}}, {{"listeners", "x"}});
    FAIL() << "listeners was overridden";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("listeners"), std::string::npos);
  }
  std::filesystem::remove(file);
}

TEST(BrokerConfig, NamesTheLineOfAMalformedDefaultsFile) {
  auto file = write_file("a=b\nnot a property\n");
  try {
    read_properties(file);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(":2:"), std::string::npos) << e.what();
  }
  std::filesystem::remove(file);
}

TEST(BrokerConfig, TheShippedDefaultsParse) {
  auto props = read_properties(std::filesystem::path(KCHAOS_SOURCE_DIR) / "config" /
                               "broker-defaults.properties");
  EXPECT_EQ(props.at("unclean.leader.election.enable"), "false");
  EXPECT_EQ(props.count("node.id"), 0u);
}

}  // namespace
}  // namespace kchaos::cluster
