#include <gtest/gtest.h>

#include "kchaos/metrics/Metrics.h"
#include "kchaos/protocol/Events.h"

namespace kchaos::metrics {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

TEST(Metrics, VerdictSeriesHaveTheAnomalyNamesAndValues) {
  RunMetrics m;
  reports::ConfigurationResult r;
  r.name = "acks=1";
  r.passed = false;
  r.duration_seconds = 61.5;
  for (const auto& kind : reports::anomaly_names()) r.verdict.counts[kind] = 0;
  r.verdict.counts["lost"] = 42;
  r.verdict.counts["divergent"] = 7;
  r.verdict.created = 1000;
  m.verdict("claim-02", r);
  const auto text = m.text();
  EXPECT_TRUE(has_line(
      text, R"(kchaos_anomalies{configuration="acks=1",kind="lost",scenario="claim-02"} 42)"))
      << text;
  EXPECT_TRUE(has_line(
      text, R"(kchaos_anomalies{configuration="acks=1",kind="divergent",scenario="claim-02"} 7)"));
  EXPECT_TRUE(has_line(
      text,
      R"(kchaos_anomalies{configuration="acks=1",kind="consumer-missed",scenario="claim-02"} 0)"));
  EXPECT_TRUE(has_line(
      text, R"(kchaos_configuration_passed{configuration="acks=1",scenario="claim-02"} 0)"));
  EXPECT_TRUE(has_line(
      text,
      R"(kchaos_configuration_duration_seconds{configuration="acks=1",scenario="claim-02"} 61.5)"));
  EXPECT_NE(text.find("# TYPE kchaos_anomalies gauge"), std::string::npos);
  for (const auto& kind : reports::anomaly_names()) {
    EXPECT_NE(text.find("kind=\"" + kind + "\""), std::string::npos) << kind;
  }
}

TEST(Metrics, LiveCountersGrowByWhatWorkersReportAndHistogramsTakeTheirBuckets) {
  RunMetrics m;
  auto& c = m.configuration("default", "default");
  std::vector<uint64_t> buckets(protocol::kLatencyBuckets.size() + 1, 0);
  buckets[3] = 10;  // <= 10 ms
  protocol::ProducerProgress p1;
  p1.sent = 100, p1.acked = 90, p1.failed = 1;
  p1.latency.buckets = buckets;
  p1.latency.sum_s = 0.05;
  c.observe("producer-1", p1);
  p1.sent = 150, p1.acked = 150;  // its done event
  c.observe("producer-1", p1);
  protocol::ProducerProgress p2;
  p2.sent = 10, p2.acked = 10;
  c.observe("producer-2", p2);
  protocol::ConsumerProgress consumer;
  consumer.consumed = 140;
  c.observe("consumer-1", consumer);
  c.phase("warm-up");
  c.phase("faults");
  c.faults({{"broker-kill", "broker 2"}});
  c.brokers_up(2);
  const auto text = m.text();
  const std::string l = R"({configuration="default",scenario="default"})";
  EXPECT_TRUE(has_line(text, "kchaos_messages_sent_total" + l + " 160")) << text;
  EXPECT_TRUE(has_line(text, "kchaos_messages_acknowledged_total" + l + " 160"));
  EXPECT_TRUE(has_line(text, "kchaos_messages_failed_total" + l + " 1"));
  EXPECT_TRUE(has_line(text, "kchaos_messages_consumed_total" + l + " 140"));
  EXPECT_TRUE(has_line(text, "kchaos_produce_latency_seconds_count" + l + " 20"));
  EXPECT_TRUE(has_line(
      text,
      R"(kchaos_produce_latency_seconds_bucket{configuration="default",scenario="default",le="0.01"} 20)"));
  EXPECT_TRUE(has_line(
      text, R"(kchaos_phase{configuration="default",phase="faults",scenario="default"} 1)"));
  EXPECT_TRUE(has_line(
      text, R"(kchaos_phase{configuration="default",phase="warm-up",scenario="default"} 0)"));
  EXPECT_TRUE(has_line(
      text,
      R"(kchaos_faults_active{configuration="default",scenario="default",target="broker 2",type="broker-kill"} 1)"));
  EXPECT_TRUE(has_line(text, "kchaos_brokers_up" + l + " 2"));
  c.faults({});
  EXPECT_TRUE(has_line(
      m.text(),
      R"(kchaos_faults_active{configuration="default",scenario="default",target="broker 2",type="broker-kill"} 0)"));
}

TEST(Metrics, NamesFollowPrometheusConventions) {
  RunMetrics m;
  m.configuration("s", "c");
  reports::ConfigurationResult r;
  r.name = "c";
  m.verdict("s", r);
  std::istringstream in(m.text());
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# TYPE ", 0) != 0) continue;
    std::istringstream parts(line.substr(7));
    std::string name, type;
    parts >> name >> type;
    EXPECT_EQ(name.rfind("kchaos_", 0), 0u) << name;
    if (type == "counter") {
      EXPECT_EQ(name.substr(name.size() - 6), "_total") << name;
    }
    if (name.find("latency") != std::string::npos || name.find("duration") != std::string::npos) {
      EXPECT_EQ(name.substr(name.size() - 8), "_seconds") << name;
    }
  }
}

TEST(Metrics, AnUnreachablePushgatewayIsAWarningNotAnError) {
  RunMetrics m;
  reports::ConfigurationResult r;
  r.name = "c";
  m.verdict("s", r);
  EXPECT_FALSE(m.push("http://127.0.0.1:1", "s", "c"));
}

}  // namespace
}  // namespace kchaos::metrics
