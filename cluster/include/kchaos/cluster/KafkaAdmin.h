#pragma once
// What the controller asks the cluster itself, over the Kafka protocol:
// metadata (brokers, leaders, ISR) and topic administration.

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kchaos/cluster/Cluster.h"
#include "kchaos/kafka/RdKafka.h"

namespace kchaos::cluster {

using namespace std::chrono_literals;

struct PartitionInfo {
  int id = 0;
  int leader = -1;
  std::vector<int> replicas;
  std::vector<int> isr;
  int error = 0;  // rd_kafka_resp_err_t
};

struct BrokerInfo {
  int id = 0;
  std::string host;
  int port = 0;
};

struct Metadata {
  /// The broker that answered the request.
  int answered_by = -1;
  std::vector<BrokerInfo> brokers;
  std::map<std::string, std::vector<PartitionInfo>> topics;
};

/// Whether every partition of topic has a leader and a full ISR.
bool isr_full(const Metadata& md, const std::string& topic);

class KafkaAdmin {
 public:
  explicit KafkaAdmin(const std::string& bootstrap);

  /// Brokers and every topic's partitions; throws TransientError when no
  /// broker answers within timeout.
  Metadata metadata(std::chrono::milliseconds timeout = 5s);

  /// Reads metadata every poll until done holds or timeout passes; done gets
  /// nullptr when the cluster did not answer (an election, brokers
  /// starting). Exceptions from done propagate. The one wait loop on the
  /// cluster's metadata.
  bool wait_for(std::chrono::milliseconds timeout, const std::function<bool(const Metadata*)>& done,
                std::chrono::milliseconds poll = 250ms);

  /// Creates a topic; an existing topic is not an error. A request not
  /// answered within timeout is sent again, kCreateAttempts times in all.
  /// Throws UserError when the brokers refuse its settings, TransientError
  /// when they never answer, HarnessError (with the librdkafka code) for
  /// anything else.
  static constexpr int kCreateAttempts = 3;
  void create_topic(const std::string& name, int partitions, int replication_factor,
                    const std::map<std::string, std::string>& config = {},
                    std::chrono::milliseconds timeout = 30s);

  /// [log start, high watermark) of each partition; -1s where the partition
  /// has no leader that answers.
  std::vector<std::pair<int64_t, int64_t>> watermarks(const std::string& topic, int partitions,
                                                      std::chrono::milliseconds timeout = 5s);

  /// Deletes a topic (and, with group, that consumer group's offsets and
  /// membership): what kchaos created on a cluster it did not start.
  /// HarnessError when the cluster refuses or does not answer.
  void delete_topic(const std::string& name, std::chrono::milliseconds timeout = 30s);
  void delete_group(const std::string& group, std::chrono::milliseconds timeout = 30s);

  /// Grows a topic to total partitions.
  void create_partitions(const std::string& topic, int total,
                         std::chrono::milliseconds timeout = 30s);

 private:
  kafka::HandlePtr rk_;
};

/// Waits until every partition of topic has a leader and a full ISR.
bool wait_isr_full(const std::string& bootstrap, const std::string& topic,
                   std::chrono::milliseconds timeout);

/// The same, asked of each broker itself. A broker's metadata
/// lags the controller's: right after a topic is created, a broker that does
/// not know it yet tells a producer the topic is unknown, and librdkafka
/// fails what it queued for it.
bool wait_isr_full_on_each(const std::vector<BrokerHandle>& brokers, const std::string& topic,
                           std::chrono::milliseconds timeout);

/// Waits until each broker's own metadata satisfies done (each is asked
/// itself: their metadata lags one another's).
bool wait_on_each(const std::vector<BrokerHandle>& brokers, std::chrono::milliseconds timeout,
                  const std::function<bool(const Metadata&)>& done);

}  // namespace kchaos::cluster
