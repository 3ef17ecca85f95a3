// The fault timeline keeps its time on a real cluster: a consumer-crash that
// cannot fire (the consumer has nothing left to read, so no batch opens)
// delays no other fault, and the run still recovers, drains and audits:
// the configuration is a harness error naming the fault, with every count.

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "TestBackend.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/reports/Limit.h"
#include "kchaos/reports/Render.h"

namespace kchaos {
namespace {

TEST(TimelineTest, AFaultThatCannotFireDelaysNothingAndVoidsNoCount) {
  try {
    cluster::check_local_prerequisites();
    cluster::kafka_libs("3.9.2");
  } catch (const std::exception& e) {
    GTEST_SKIP() << "needs a local cluster: " << e.what();
  }
  const auto dir = test::temp_dir("timeline");
  // The producer sends its 2,000 messages in the first 2 s of the warm-up;
  // the consumer has read them by its end (15 s: in one CI run under the
  // load of four other clusters it was still mid-batch 5 s after its start),
  // then nothing arrives, so it never opens the batch the crash waits for
  // (4 s a try, tried for 10 s). The pause of broker 2 is due meanwhile.
  std::ofstream(dir / "scenario.json") << R"({
    "name": "unfireable",
    "topic": {"partitions": 3},
    "producer": {"config": {"acks": "all", "enable.idempotence": "true"}, "rate": 1000,
                 "messages": 2000},
    "faults": [
      {"type": "consumer-crash", "at": 1, "duration": 2, "mid_batch_timeout_s": 4},
      {"type": "broker-pause", "target": "2", "at": 2, "duration": 3}
    ],
    "timings": {"warmup_s": 15, "faults_s": 20, "drain_timeout_s": 60}
  })";
  const auto run = test::run_kchaos(KCHAOS_BINARY, dir / "scenario.json", dir / "run", 5,
                                    std::chrono::minutes(6));
  std::cout << run.out << run.err;
  EXPECT_EQ(run.exit_code, 3) << "a fault that did not happen is a harness error";
  const auto r =
      reports::report_from_json(test::read_json(dir / "run" / "report.json")).configurations.at(0);
  EXPECT_NE(r.error.find("consumer-crash"), std::string::npos) << r.error;
  // The evidence stands: every count, the equation, every acknowledged message.
  EXPECT_TRUE(reports::counts_shown(r));
  EXPECT_TRUE(r.verdict.equation_holds) << r.verdict.equation;
  EXPECT_EQ(r.verdict.created, 2000u);
  EXPECT_EQ(r.verdict.acked, 2000u);
  EXPECT_EQ(r.verdict.ok, r.verdict.acked) << r.verdict.equation;
  EXPECT_EQ(r.verdict.counts.at("lost"), 0u);
  EXPECT_EQ(r.verdict.partitions_unverifiable, 0u);
  // The pause was injected and healed on time while the crash waited.
  ASSERT_EQ(r.verdict.faults.size(), 2u);
  const auto& pause = r.verdict.faults.at(1);
  EXPECT_NE(pause.description.find("broker-pause broker 2"), std::string::npos);
  EXPECT_NE(pause.healed_us, 0);
  EXPECT_LT(pause.inject_began_s - pause.inject_planned_s, r.max_lateness_s);
  EXPECT_LT(pause.heal_began_s - pause.heal_planned_s, r.max_lateness_s);
  EXPECT_LT(pause.heal_began_s, 6.0) << "planned at 2 s for 3 s";
  EXPECT_LT(reports::max_lateness(r.verdict).first, r.max_lateness_s);
  // Nothing is left of the cluster.
  EXPECT_TRUE(test::leftovers().empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kchaos
