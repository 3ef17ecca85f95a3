#include "kchaos/kafka/LogReader.h"

#include <stdexcept>
#include "kchaos/common/Error.h"

namespace kchaos::kafka {

using Clock = std::chrono::steady_clock;

LogReader::LogReader(const std::string& bootstrap,
                     const std::map<std::string, std::string>& properties) {
  std::map<std::string, std::string> props = {
      {"bootstrap.servers", bootstrap},
      {"group.id", "kchaos-log-reader"},  // required by librdkafka; never committed
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"isolation.level", "read_uncommitted"},
      {"enable.partition.eof", "false"},
      {"fetch.error.backoff.ms", "100"},
  };
  for (const auto& [k, v] : properties) props[k] = v;
  auto conf = make_conf(props);
  quiet_logs(conf.get());
  rk_ = make_handle(RD_KAFKA_CONSUMER, std::move(conf));
}

int LogReader::partition_count(const std::string& topic, std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* raw = nullptr;
  auto err = rd_kafka_metadata(rk_.get(), 1, nullptr, &raw, static_cast<int>(timeout.count()));
  if (err) throw HarnessError(std::string("metadata: ") + rd_kafka_err2str(err));
  MetadataPtr md(raw);
  for (int t = 0; t < md->topic_cnt; ++t) {
    if (topic == md->topics[t].topic) return md->topics[t].partition_cnt;
  }
  throw HarnessError("topic " + topic + " does not exist");
}

std::vector<PartitionRange> LogReader::read(const std::string& topic,
                                            const std::function<void(const LogRecord&)>& on_record,
                                            std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const int partitions = partition_count(topic);
  std::vector<PartitionRange> ranges(partitions);
  TopicPartitionListPtr assignment(rd_kafka_topic_partition_list_new(partitions));
  int open = 0;
  for (int p = 0; p < partitions; ++p) {
    auto& r = ranges[p];
    r.partition = p;
    auto err =
        rd_kafka_query_watermark_offsets(rk_.get(), topic.c_str(), p, &r.low, &r.high, 10000);
    if (err) {
      r.error = rd_kafka_err2str(err);
      continue;
    }
    if (r.high <= r.low) {
      r.complete = true;
      continue;
    }
    rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), p)->offset = r.low;
    ++open;
  }
  if (open > 0) rd_kafka_assign(rk_.get(), assignment.get());
  while (open > 0 && Clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_.get(), 200);
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR && m->partition < partitions) {
      auto& r = ranges[m->partition];
      if (!r.complete && m->offset < r.high) {
        on_record({m->partition, m->offset,
                   std::string_view(static_cast<const char*>(m->key), m->key_len),
                   std::string_view(static_cast<const char*>(m->payload), m->len)});
      }
      // Compaction, aborted transactions and control records leave gaps, so
      // reaching the last offset below the watermark ends the partition.
      if (!r.complete && m->offset >= r.high - 1) {
        r.complete = true;
        --open;
      }
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_assign(rk_.get(), nullptr);
  for (auto& r : ranges) {
    if (!r.complete && r.error.empty()) r.error = "timed out before the high watermark";
  }
  return ranges;
}

}  // namespace kchaos::kafka
