#pragma once
// The fixture of the fault integration tests: one real 3-broker cluster
// (local, or compose with KCHAOS_TEST_BACKEND=compose) shared by the suite,
// with topic t (3 partitions, replication factor 3), and every fault a test
// injected healed after it, whatever the test did.

#include <gtest/gtest.h>
#include <unistd.h>

#include <optional>

#include "TestBackend.h"
#include "kchaos/cluster/Backends.h"
#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/cluster/Readiness.h"
#include "kchaos/faults/Fault.h"
#include "kchaos/plan/Plan.h"

namespace kchaos::faults {

using namespace std::chrono_literals;
using cluster::KafkaAdmin;

class FaultTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    skip_ = test::missing_prerequisite("3.9.2");
    if (!skip_.empty()) return;
    auto spec = test::spec_in(std::filesystem::temp_directory_path() /
                              ("kchaos-fault-test-" + std::to_string(::getpid())));
    spec.data_tmpfs_mb = 256;
    dir_ = spec.dir;
    // A cluster that does not start fails every test with the reason (gtest
    // would report an exception here as a skip).
    try {
      cluster_ = cluster::make_cluster(spec);
      cluster_->up();
      KafkaAdmin(cluster_->bootstrap()).create_topic("t", 3, 3);
      cluster::wait_isr_full_on_each(cluster_->brokers(), "t", 60s);
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    if (cluster_) {
      cluster_->down();
      std::filesystem::remove_all(dir_);
    }
    cluster_.reset();
  }
  void SetUp() override {
    if (!skip_.empty()) GTEST_SKIP() << "needs a " << test::backend() << " cluster: " << skip_;
    ASSERT_EQ(start_error_, "") << "the " << test::backend() << " cluster did not start";
    ASSERT_TRUE(cluster::wait_isr_full(cluster_->bootstrap(), "t", 90s))
        << "the cluster is not whole before the test";
  }

  // A test that fails half-way must not leave its fault behind for the next
  // one: whatever is still active is healed here, with the context it was
  // injected through.
  void TearDown() override {
    for (auto& f : faults_) {
      if (!f->active()) continue;
      try {
        f->heal(*ctx_);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "healing " << f->description() << " after the test: " << e.what();
      }
    }
    faults_.clear();
    ctx_.reset();
  }

  Fault* fault(const std::string& json) {
    faults_.push_back(make_fault(plan::parse_faults(Json::array({Json::parse(json)})).fixed.at(0)));
    return faults_.back().get();
  }
  FaultContext& ctx(const std::string& topic = "t") {
    if (!ctx_) ctx_.emplace(*cluster_, topic, nullptr, &rng_, nullptr);
    return *ctx_;
  }
  cluster::BrokerHandle broker(int id) { return cluster_->broker(id); }

  static inline std::unique_ptr<cluster::Cluster> cluster_;
  static inline std::filesystem::path dir_;
  static inline std::string skip_;
  static inline std::string start_error_;
  std::mt19937_64 rng_{17};
  std::optional<FaultContext> ctx_;
  std::vector<std::unique_ptr<Fault>> faults_;
};

}  // namespace kchaos::faults
