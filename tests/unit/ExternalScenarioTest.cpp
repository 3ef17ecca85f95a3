// A cluster kchaos did not start: the drivers' placeholders, and what the
// scenario refuses before anything runs (where it is, whose topic, which
// faults may act on its brokers and through which driver).

#include <gtest/gtest.h>

#include "kchaos/catalog/Catalog.h"
#include "kchaos/common/Error.h"
#include "kchaos/scenario/Scenario.h"

namespace kchaos::scenario {
namespace {

TEST(Drivers, PlaceholdersTakeTheBrokersValues) {
  const std::vector<std::string> argv = {"docker", "kill", "{container}", "--id={id}", "{{x"};
  // An unclosed brace is a brace.
  EXPECT_EQ(catalog::placeholders_in(argv), (std::vector<std::string>{"container", "id"}));
  const auto out = catalog::expand_placeholders({"docker", "kill", "{container}", "--id={id}"},
                                                {{"container", "kafka-2"}, {"id", "2"}});
  EXPECT_EQ(out, (std::vector<std::string>{"docker", "kill", "kafka-2", "--id=2"}));
  EXPECT_EQ(catalog::expand_placeholders({"a{id}b{id}c"}, {{"id", "7"}}),
            std::vector<std::string>{"a7b7c"});
  EXPECT_THROW(catalog::expand_placeholders({"{host}"}, {{"id", "1"}}), UserError);
}

// The error of parsing text as a scenario, or "" when it is valid.
std::string error_of(const std::string& text) {
  try {
    parse_text(text, "s.json");
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

std::string external(const std::string& cluster_extra, const std::string& rest = "") {
  return R"({"name": "x", "topic": {"name": "kchaos-x"}, "cluster": {"backend": "external",
            "bootstrap": "kafka:9092")" +
         cluster_extra + "}" + rest + "}";
}

constexpr const char* kKill = R"(, "faults": [{"type": "broker-kill", "target": "2"}])";
constexpr const char* kDrivers =
    R"(, "drivers": {"broker-kill": ["docker", "kill", "{container}"],
                     "broker-start": ["docker", "start", "{container}"]},
       "nodes": {"1": {"container": "k1"}, "2": {"container": "k2"}})";

TEST(ExternalScenario, SaysWhereTheClusterIsAndUsesATopicOfItsOwn) {
  EXPECT_EQ(error_of(external("")), "");
  EXPECT_NE(error_of(R"({"name": "x", "topic": {"name": "kchaos-x"},
                         "cluster": {"backend": "external"}})")
                .find("$.cluster.bootstrap: an external cluster needs its bootstrap servers"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name": "x", "cluster": {"backend": "external", "bootstrap": "k:9092"}})")
                .find("$.topic.name: \"kchaos\" on a cluster kchaos did not start"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name": "x", "cluster": {"bootstrap": "k:9092"}})")
                .find("$.cluster.bootstrap: bootstrap, drivers and nodes describe a cluster"),
            std::string::npos);
}

TEST(ExternalScenario, AFaultOnBrokersNeedsItsDriversAndLeave) {
  EXPECT_NE(error_of(external("", kKill))
                .find("$.faults[0]: broker-kill needs a driver for broker-kill: set "
                      "$.cluster.drivers.broker-kill"),
            std::string::npos);
  EXPECT_NE(error_of(external(kDrivers, kKill))
                .find("$.faults[0]: broker-kill acts on the cluster's brokers (broker-kill, "
                      "broker-start): allow it with kchaos run --allow-destructive"),
            std::string::npos);
  EXPECT_EQ(error_of(external(std::string(kDrivers) + R"(, "allow_destructive": true)", kKill)),
            "");
  // What only a cluster kchaos starts allows, whatever the drivers.
  EXPECT_NE(error_of(external(R"(, "allow_destructive": true)",
                              R"(, "faults": [{"type": "packet-loss"}])"))
                .find("packet-loss needs what only a cluster kchaos starts allows "
                      "(broker-network)"),
            std::string::npos);
  // A random block's kinds are checked as drawn.
  EXPECT_NE(error_of(external(kDrivers, R"(, "faults": [{"random": {"faults": ["broker-pause"]}}])"))
                .find("$.faults[0].random: broker-pause needs a driver for broker-pause"),
            std::string::npos);
  EXPECT_NE(error_of(external(std::string(kDrivers) + R"(, "allow_destructive": true)",
                              R"(, "faults": [{"type": "broker-kill", "target": "controller"}])"))
                .find("$.faults[0].target: the controller target needs the active controller"),
            std::string::npos);
  // Faults on clients need nothing of the cluster.
  EXPECT_EQ(error_of(external("", R"(, "faults": [{"type": "consumer-crash"}])")), "");
}

TEST(ExternalScenario, DriversAreKnownActionsWithPlaceholdersEveryNodeGives) {
  EXPECT_NE(error_of(external(R"(, "drivers": {"reboot": ["x"]})"))
                .find("$.cluster.drivers.reboot: unknown driver action; allowed: broker-kill"),
            std::string::npos);
  EXPECT_NE(error_of(external(R"(, "drivers": {"broker-kill": []})"))
                .find("$.cluster.drivers.broker-kill: expected a command as a list of strings"),
            std::string::npos);
  EXPECT_NE(error_of(external(R"(, "drivers": {"broker-kill": ["ssh", "{host}", "pkill java"]},
                                  "nodes": {"1": {"host": "a"}, "2": {}})"))
                .find("$.cluster.drivers.broker-kill: uses {host}, which not every broker"),
            std::string::npos);
  EXPECT_NE(error_of(external(R"(, "nodes": {"one": {}})"))
                .find("$.cluster.nodes.one: expected a broker id"),
            std::string::npos);
}

TEST(ExternalScenario, BootstrapOnTheCommandLineMakesAConfigurationExternal) {
  auto s = parse_text(R"({"name": "x", "topic": {"name": "kchaos-x"}})", "s.json");
  use_external(s, "k:9092", false);
  EXPECT_EQ(s.configurations[0].cluster.backend, "external");
  EXPECT_EQ(s.configurations[0].resolved["cluster"]["bootstrap"], "k:9092");
  auto plain = parse_text(R"({"name": "x"})", "s.json");
  EXPECT_THROW(use_external(plain, "k:9092", false), UserError);  // topic "kchaos"
}

}  // namespace
}  // namespace kchaos::scenario
