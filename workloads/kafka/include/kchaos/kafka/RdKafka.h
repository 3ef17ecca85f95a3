#pragma once
// RAII ownership of librdkafka C handles, one alias per handle type, and the
// configuration helper every client of ours uses.

#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "kchaos/common/Error.h"

namespace kchaos::kafka {

struct HandleDeleter {
  void operator()(rd_kafka_t* p) const { rd_kafka_destroy(p); }
};
struct ConfDeleter {
  void operator()(rd_kafka_conf_t* p) const { rd_kafka_conf_destroy(p); }
};
struct TopicPartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* p) const {
    rd_kafka_topic_partition_list_destroy(p);
  }
};
struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* p) const { rd_kafka_metadata_destroy(p); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* p) const { rd_kafka_event_destroy(p); }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* p) const { rd_kafka_queue_destroy(p); }
};
struct AdminOptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* p) const { rd_kafka_AdminOptions_destroy(p); }
};
struct NewTopicDeleter {
  void operator()(rd_kafka_NewTopic_t* p) const { rd_kafka_NewTopic_destroy(p); }
};
struct NewPartitionsDeleter {
  void operator()(rd_kafka_NewPartitions_t* p) const { rd_kafka_NewPartitions_destroy(p); }
};

using HandlePtr = std::unique_ptr<rd_kafka_t, HandleDeleter>;
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using TopicPartitionListPtr =
    std::unique_ptr<rd_kafka_topic_partition_list_t, TopicPartitionListDeleter>;
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, EventDeleter>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;
using AdminOptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, AdminOptionsDeleter>;
using NewTopicPtr = std::unique_ptr<rd_kafka_NewTopic_t, NewTopicDeleter>;
using NewPartitionsPtr = std::unique_ptr<rd_kafka_NewPartitions_t, NewPartitionsDeleter>;

/// A librdkafka configuration property that librdkafka itself rejected.
class ConfigError : public UserError {
 public:
  ConfigError(std::string property, const std::string& message)
      : UserError(message), property_(std::move(property)) {}
  const std::string& property() const { return property_; }

 private:
  std::string property_;
};

/// Builds a configuration from properties; throws ConfigError naming the
/// property librdkafka refused and librdkafka's own reason.
ConfPtr make_conf(const std::map<std::string, std::string>& properties);

/// Creates a client of the given type, taking ownership of conf.
HandlePtr make_handle(rd_kafka_type_t type, ConfPtr conf);

/// Silences librdkafka's own logging unless KCHAOS_DEBUG is set: broker
/// disconnects are expected in a chaos run and the harness reports them itself.
void quiet_logs(rd_kafka_conf_t* conf);

}  // namespace kchaos::kafka
