#pragma once
// What the controller asks the cluster itself, over the Kafka protocol:
// metadata (brokers, leaders, ISR) and topic administration.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "workloads/kafka/RdKafka.h"

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

class KafkaAdmin {
 public:
  explicit KafkaAdmin(const std::string& bootstrap);

  /// Brokers and every topic's partitions; throws HarnessError when no broker
  /// answers within timeout.
  Metadata metadata(std::chrono::milliseconds timeout = 5s);

  /// Creates a topic; an existing topic is not an error.
  void create_topic(const std::string& name, int partitions, int replication_factor,
                    const std::map<std::string, std::string>& config = {},
                    std::chrono::milliseconds timeout = 30s);

  /// [log start, high watermark) of each partition; -1s where the partition
  /// has no leader that answers.
  std::vector<std::pair<int64_t, int64_t>> watermarks(const std::string& topic, int partitions,
                                                      std::chrono::milliseconds timeout = 5s);

  /// Grows a topic to total partitions.
  void create_partitions(const std::string& topic, int total,
                         std::chrono::milliseconds timeout = 30s);

 private:
  kafka::HandlePtr rk_;
};

}  // namespace kchaos::cluster
