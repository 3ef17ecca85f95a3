#pragma once
// The cluster of one configuration: started (with retries that keep every
// failed attempt's logs), the topic created, and down again on every exit
// path when the session ends.

#include <filesystem>
#include <iosfwd>
#include <memory>

#include "kchaos/cluster/Cluster.h"
#include "kchaos/run/EventLog.h"
#include "kchaos/scenario/Scenario.h"

namespace kchaos::run {

class ClusterSession {
 public:
  /// The cluster runs in lane; keep_data: the brokers' data directories
  /// stay after the session.
  ClusterSession(const scenario::Configuration& c, std::filesystem::path dir, int lane,
                 EventLog& events, std::ostream& out, bool keep_data);
  ~ClusterSession();
  ClusterSession(const ClusterSession&) = delete;
  ClusterSession& operator=(const ClusterSession&) = delete;

  /// Starts the cluster, trying up to kAttempts times, and creates the
  /// scenario's topic; a topic Kafka refuses is a UserError.
  cluster::Cluster& up();

  static constexpr int kAttempts = 3;

 private:
  void keep_failed_attempt(int attempt, const std::string& error);
  void create_topic();
  /// A cluster kchaos did not start (cluster.backend "external").
  bool external() const;
  void remove_own_topic();

  const scenario::Configuration& c_;
  std::filesystem::path dir_;
  EventLog& events_;
  std::ostream& out_;
  bool keep_data_;
  std::unique_ptr<cluster::Cluster> cluster_;
  bool topic_created_ = false;
};

}  // namespace kchaos::run
