#include "kchaos/run/ClusterSession.h"

#include <fstream>
#include <iomanip>
#include <iostream>

#include "kchaos/cluster/Backends.h"
#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/common/Error.h"
#include "kchaos/run/Interrupt.h"
#include "kchaos/run/Timeouts.h"

namespace kchaos::run {

ClusterSession::ClusterSession(const scenario::Configuration& c, std::filesystem::path dir,
                               int lane, EventLog& events, std::ostream& out, bool keep_data)
    : c_(c), dir_(std::move(dir)), events_(events), out_(out), keep_data_(keep_data) {
  cluster::ClusterSpec spec;
  spec.brokers = c_.cluster.brokers;
  spec.kafka_version = c_.cluster.kafka_version;
  spec.heap_mb = c_.cluster.heap_mb;
  spec.overrides = c_.cluster.broker_config;
  spec.dir = dir_ / "cluster";
  spec.lane = lane;
  // disk-full fills a small tmpfs, never the machine's disk.
  if (c_.fault_plan.kind_needing(plan::Storage::tmpfs)) spec.data_tmpfs_mb = 512;
  // power-loss drops what the brokers never fsynced: their data on kchaos-pagefs.
  spec.data_pagefs = c_.data_on_pagefs();
  spec.backend = c_.cluster.backend;
  spec.image = c_.cluster.image;
  spec.bootstrap = c_.cluster.bootstrap;
  spec.drivers = c_.cluster.drivers;
  spec.nodes = c_.cluster.nodes;
  cluster_ = cluster::make_cluster(spec);
  // What drivers of an external cluster ran, with their exit and output.
  cluster_->on_driver([this](const std::string& line) {
    events_.add(journal::EventType::note, -1, line);
  });
}

bool ClusterSession::external() const { return c_.cluster.backend == "external"; }

ClusterSession::~ClusterSession() {
  try {
    cluster_->down();
  } catch (const std::exception& e) {
    std::cerr << "kchaos: cleaning up the cluster failed: " << e.what() << "\n";
  }
  if (keep_data_) return;
  cluster_->remove_data();
  if (external() && topic_created_) remove_own_topic();
}

// On a cluster kchaos did not start it leaves nothing of its own: its topic
// and its verifying group go (the cluster stays up).
void ClusterSession::remove_own_topic() {
  try {
    cluster::KafkaAdmin admin(cluster_->bootstrap());
    admin.delete_topic(c_.topic.name);
    // Brokers list a deleted topic for a few seconds more, each for its
    // own time (measured here: a run right after saw it); the next run,
    // whichever broker it asks, must not.
    const bool gone = cluster::wait_on_each(
        cluster_->brokers(), Timeouts::kTopicReady,
        [&](const cluster::Metadata& md) { return md.topics.count(c_.topic.name) == 0; });
    if (!gone) throw HarnessError("the cluster still lists it");
    admin.delete_group(c_.consumer.group);
    out_ << "  deleted topic " << c_.topic.name << " and group " << c_.consumer.group
         << " from the cluster" << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "kchaos: could not delete topic " << c_.topic.name << " or group "
              << c_.consumer.group << " from the cluster: " << e.what() << "\n";
  }
}

// The next try starts from empty broker directories: keep this one's whole
// message and broker logs for whoever looks into it.
void ClusterSession::keep_failed_attempt(int attempt, const std::string& error) {
  events_.add(journal::EventType::note, -1, "cluster start failed: " + error);
  const auto kept = dir_ / ("cluster-start-" + std::to_string(attempt));
  std::error_code ec;
  std::filesystem::create_directories(kept, ec);
  std::ofstream(kept / "error.txt") << error << "\n";
  for (const auto& b : cluster_->brokers()) {
    std::filesystem::copy_file(cluster_->broker_log(b.id),
                               kept / ("broker-" + std::to_string(b.id) + ".log"),
                               std::filesystem::copy_options::overwrite_existing, ec);
  }
  if (attempt < kAttempts) {
    out_ << " failed (" << error.substr(0, error.find('\n')) << "; see " << kept.string()
         << "); retrying..." << std::flush;
  }
}

cluster::Cluster& ClusterSession::up() {
  if (external()) {
    out_ << "  connecting to the cluster at " << c_.cluster.bootstrap << "..." << std::flush;
  } else {
    out_ << "  starting " << c_.cluster.brokers << " Kafka " << c_.cluster.kafka_version
         << " brokers..." << std::flush;
  }
  // A start that failed left nothing behind; more tries tell a machine hiccup
  // from a cluster that cannot start. (Seen here: now and then a broker
  // process is gone, with an empty log, right after it was spawned; the next
  // try starts. The error says how it ended.)
  for (int attempt = 1;; ++attempt) {
    try {
      cluster_->up();
      break;
    } catch (const HarnessError& e) {
      keep_failed_attempt(attempt, e.what());
      if (attempt == kAttempts) throw;
      check_interrupt();
    }
  }
  out_ << " ready in " << std::fixed << std::setprecision(1) << cluster_->startup_seconds() << " s"
       << std::endl;
  create_topic();
  return *cluster_;
}

void ClusterSession::create_topic() {
  cluster::KafkaAdmin admin(cluster_->bootstrap());
  if (external() && admin.metadata().topics.count(c_.topic.name) != 0) {
    throw UserError("topic " + c_.topic.name +
                    " already exists on the cluster: kchaos writes only into a topic it "
                    "creates (and deletes it after the run); name another in $.topic.name");
  }
  topic_created_ = true;
  try {
    admin.create_topic(c_.topic.name, c_.topic.partitions, c_.topic.replication_factor,
                       c_.topic.config);
  } catch (const UserError& e) {
    // The brokers judge topic settings.
    throw UserError(std::string("topic settings ($.topic) refused by Kafka: ") + e.what());
  }
  // Every broker knows the topic before the producer asks any of them.
  if (!cluster::wait_isr_full_on_each(cluster_->brokers(), c_.topic.name, Timeouts::kTopicReady)) {
    throw HarnessError("topic " + c_.topic.name +
                       " has no leader or a short ISR on some broker after " +
                       std::to_string(Timeouts::kTopicReady.count() / 1000) + " s");
  }
}

}  // namespace kchaos::run
