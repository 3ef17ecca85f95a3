#include <gtest/gtest.h>

#include "Args.h"
#include "kchaos/common/Error.h"

namespace kchaos::cli {
namespace {

TEST(Args, ReadsPositionalsValuesAndFlags) {
  Args a(
      {"up", "--brokers", "5", "--kafka-version=4.1.1", "--json", "--set", "a=1", "--set", "b=2"},
      {"brokers", "kafka-version", "set"}, {"json"});
  EXPECT_EQ(a.positional(), std::vector<std::string>{"up"});
  EXPECT_EQ(a.get_int("brokers", 3, 1, 9), 5);
  EXPECT_EQ(a.get("kafka-version", ""), "4.1.1");
  EXPECT_TRUE(a.has("json"));
  EXPECT_EQ(a.all("set"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_EQ(a.get("missing", "fallback"), "fallback");
}

TEST(Args, RejectsUnknownOptionsNamingTheAllowedOnes) {
  try {
    Args({"--broker", "3"}, {"brokers"});
    FAIL() << "accepted --broker";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("--brokers"), std::string::npos) << e.what();
  }
}

TEST(Args, RejectsMissingAndBadNumbers) {
  EXPECT_THROW(Args({"--brokers"}, {"brokers"}), UserError);
  EXPECT_THROW(Args({"--brokers", "x"}, {"brokers"}).get_int("brokers", 3, 1, 9), UserError);
  EXPECT_THROW(Args({"--brokers", "10"}, {"brokers"}).get_int("brokers", 3, 1, 9), UserError);
  EXPECT_THROW(Args({"--brokers", "3x"}, {"brokers"}).get_int("brokers", 3, 1, 9), UserError);
  EXPECT_THROW(Args({"--json=1"}, {}, {"json"}), UserError);
}

}  // namespace
}  // namespace kchaos::cli
