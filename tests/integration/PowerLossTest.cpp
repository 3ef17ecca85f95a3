// The power-loss fault on a real broker whose data is on kchaos-pagefs: what
// the broker never fsynced is gone after the fault, what it fsynced is kept,
// and neither the daemons nor their mounts outlive the cluster.

#include <gtest/gtest.h>
#include <unistd.h>

#include "TestBackend.h"
#include "TestClients.h"
#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/cluster/LocalCluster.h"
#include "kchaos/cluster/Lane.h"
#include "kchaos/cluster/Network.h"
#include "kchaos/cluster/PageFs.h"
#include "kchaos/sys/Process.h"
#include "kchaos/faults/Fault.h"
#include "kchaos/plan/Plan.h"

namespace kchaos::faults {
namespace {

using namespace kchaos::plan;

// The source name of broker id's data mount in the test's lane.
std::string mount_name(int id) {
  return "kchaos-" + cluster::Lane(test::lane()).local_prefix() + "-b" + std::to_string(id);
}

using cluster::KafkaAdmin;

constexpr int kMessages = 2000;

int delivered(const std::vector<test::Delivery>& ds) {
  int n = 0;
  for (const auto& d : ds) n += d.error == 0 ? 1 : 0;
  return n;
}

class PowerLossTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      cluster::check_local_prerequisites();
      cluster::check_power_loss_prerequisites();
      cluster::kafka_libs("3.9.2");
    } catch (const std::exception& e) {
      skip_ = e.what();
      return;
    }
    cluster::ClusterSpec spec;
    spec.brokers = 1;
    spec.dir = std::filesystem::temp_directory_path() /
               ("kchaos-power-test-" + std::to_string(::getpid()));
    spec.data_pagefs = true;
    spec.lane = test::lane();
    cluster_ = std::make_unique<cluster::LocalCluster>(spec);
    cluster_->up();
  }
  static void TearDownTestSuite() {
    if (cluster_) {
      cluster_->down();
      cluster_->remove_data();
      std::filesystem::remove_all(cluster_->spec().dir);
    }
    cluster_.reset();
  }
  void SetUp() override {
    if (!skip_.empty()) GTEST_SKIP() << "needs a local cluster and FUSE: " << skip_;
  }

  static inline std::unique_ptr<cluster::LocalCluster> cluster_;
  static inline std::string skip_;
};

TEST_F(PowerLossTest, TheBrokerKeepsExactlyWhatItFsynced) {
  const auto bootstrap = cluster_->bootstrap();
  ASSERT_TRUE(cluster::is_pagefs_mount(cluster_->data_dir(1)));
  KafkaAdmin(bootstrap).create_topic("cached", 1, 1);
  KafkaAdmin(bootstrap).create_topic("flushed", 1, 1, {{"flush.messages", "1"}});
  ASSERT_EQ(delivered(test::produce(bootstrap, "cached", "c", kMessages, {{"acks", "all"}})),
            kMessages);
  ASSERT_EQ(delivered(test::produce(bootstrap, "flushed", "f", kMessages, {{"acks", "all"}})),
            kMessages);
  ASSERT_EQ(test::read_all(bootstrap, "cached").size(), static_cast<size_t>(kMessages));

  std::mt19937_64 rng{3};
  FaultContext ctx{*cluster_, "cached", nullptr, &rng, nullptr};
  auto fault = make_fault(
      parse_faults(Json::parse(R"([{"type": "power-loss", "target": "1"}])")).fixed.at(0));
  fault->inject(ctx);
  EXPECT_EQ(fault->description(), "power-loss broker 1");
  EXPECT_FALSE(cluster_->is_running(1));
  // The filesystem is back (a new daemon on the same backing directory),
  // the broker is not: heal brings it back.
  EXPECT_TRUE(cluster::is_pagefs_mount(cluster_->data_dir(1)));
  EXPECT_EQ(cluster::pagefs_daemons(mount_name(1)).size(), 1u);
  fault->heal(ctx);
  cluster_->wait_registered(1, 90s);

  // Written within the filesystem's 30 s write-back age and never fsynced:
  // nothing of it survived. flush.messages=1 fsynced every append.
  std::vector<std::string> cached, flushed;
  EXPECT_TRUE(test::eventually(60s,
                               [&] {
                                 cached = test::read_all(bootstrap, "cached");
                                 flushed = test::read_all(bootstrap, "flushed");
                                 return flushed.size() == static_cast<size_t>(kMessages);
                               }))
      << "flushed: " << flushed.size() << " of " << kMessages;
  EXPECT_EQ(cached.size(), 0u);
  EXPECT_EQ(flushed.front(), "f-0");
  EXPECT_EQ(flushed.back(), "f-" + std::to_string(kMessages - 1));
}

TEST_F(PowerLossTest, DownRemovesEveryDaemonAndMountIncludingACrashedRunsOnes) {
  // What a controller killed mid-run leaves: a daemon and its mount.
  const auto dir = cluster_->spec().dir / "leftover";
  std::filesystem::create_directories(dir / "disk");
  cluster::mount_pagefs(dir / "disk", dir / "data", mount_name(9), dir / "pagefs.log");
  ASSERT_EQ(cluster::pagefs_daemons(mount_name(9)).size(), 1u);
  const auto before = cluster::LocalNetwork(cluster::Lane(test::lane())).leftovers();
  EXPECT_NE(std::find(before.begin(), before.end(), "mount " + (dir / "data").string()),
            before.end());

  cluster_->down();
  EXPECT_EQ(cluster::LocalNetwork(cluster::Lane(test::lane())).leftovers(), std::vector<std::string>{});
  EXPECT_TRUE(cluster::pagefs_daemons(mount_name(9)).empty());
  EXPECT_TRUE(cluster::pagefs_daemons(mount_name(1)).empty());
  EXPECT_FALSE(cluster::is_pagefs_mount(cluster_->data_dir(1)));
  EXPECT_FALSE(cluster::is_pagefs_mount(dir / "data"));
}

}  // namespace
}  // namespace kchaos::faults
