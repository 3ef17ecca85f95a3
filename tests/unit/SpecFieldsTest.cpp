// Each worker spec's fields are listed once (protocol::producer_fields and
// consumer_fields): the spec file carries every one of them, and a
// scenario's section allows exactly those a scenario may set.

#include <gtest/gtest.h>

#include "kchaos/common/Error.h"
#include "kchaos/protocol/Specs.h"
#include "kchaos/scenario/Scenario.h"

namespace kchaos::protocol {
namespace {

TEST(SpecFields, EveryFieldOfASpecFileComesBack) {
  ProducerSpec p;
  p.target = {"10.0.0.1:9092", "t", 7, "/tmp/p.journal"};
  p.producer_id = 3;
  p.config = {{"acks", "1"}};
  p.message_bytes = 64;
  p.keys = 5;
  p.rate = 0;
  p.messages = 1234567890123LL;
  p.duration_s = 1.5;
  p.flush_timeout_s = 2.5;
  const ProducerSpec pb = Json(p).get<ProducerSpec>();
  EXPECT_EQ(Json(pb), Json(p));
  EXPECT_EQ(pb.messages, p.messages);
  EXPECT_EQ(pb.flush_timeout_s, 2.5);

  ConsumerSpec c;
  c.consumer_id = 2;
  c.group = "g";
  c.commit = CommitMode::async_threads;
  c.batch_size = 7;
  c.process_delay_ms = 3;
  c.threads = 9;
  c.duration_s = 4;
  const Json cj = Json(c);
  EXPECT_EQ(cj.at("commit"), "async-threads");
  const ConsumerSpec cb = cj.get<ConsumerSpec>();
  EXPECT_EQ(Json(cb), cj);
  EXPECT_EQ(cb.commit, CommitMode::async_threads);
  Json bad = cj;
  bad["commit"] = "sometimes";
  EXPECT_THROW(bad.get<ConsumerSpec>(), HarnessError);
}

TEST(SpecFields, AScenarioSetsExactlyTheFieldsTheListLetsIt) {
  const auto s = scenario::parse(
      Json::parse(R"({"name": "f", "producer": {"workers": 2, "message_bytes": 64, "keys": 5,
                      "rate": "unbounded", "messages": 10},
                      "consumer": {"group": "g", "commit": "before-process", "batch_size": 7,
                      "process_delay_ms": 3, "threads": 9}})"),
      "f.json");
  const auto& c = s.configurations.at(0);
  EXPECT_EQ(c.producer.workers, 2);
  EXPECT_EQ(c.producer.message_bytes, 64);
  EXPECT_EQ(c.producer.rate, 0);
  EXPECT_EQ(c.producer.messages, 10);
  EXPECT_EQ(c.consumer.commit, CommitMode::before_process);
  EXPECT_EQ(c.consumer.threads, 9);
  for (const char* internal : {"producer_id", "duration_s", "flush_timeout_s"}) {
    EXPECT_THROW(scenario::parse(Json{{"name", "f"}, {"producer", {{internal, 1}}}}, "f.json"),
                 UserError)
        << internal;
  }
  EXPECT_THROW(scenario::parse(Json{{"name", "f"}, {"consumer", {{"consumer_id", 1}}}}, "f.json"),
               UserError);
}

}  // namespace
}  // namespace kchaos::protocol
