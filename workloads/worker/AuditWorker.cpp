// The audit: after every fault is healed and the consumer has drained, read
// every partition from the log start to the high watermark, and the
// verifying group's committed offsets, into the audit journal.

#include "workloads/Message.h"
#include "workloads/journal/Journal.h"
#include "workloads/kafka/LogReader.h"
#include "workloads/kafka/RdKafka.h"
#include "workloads/worker/Worker.h"

namespace kchaos::workloads {

using journal::AuditEvent;
using journal::AuditRecord;

int run_audit(const nlohmann::json& spec) {
  const std::string bootstrap = spec.at("bootstrap");
  const std::string topic = spec.at("topic");
  const uint64_t run_id = spec.at("run_id");
  const auto timeout =
      std::chrono::milliseconds(static_cast<int>(spec.value("timeout_s", 120.0) * 1000));
  journal::Writer<AuditRecord> journal(spec.at("journal").get<std::string>(), run_id, 0);

  kafka::LogReader reader(bootstrap);
  uint64_t records = 0, corrupt = 0;
  MessageId id;
  const int64_t measured_us = wall_us();
  const auto ranges = reader.read(
      topic,
      [&](const kafka::LogRecord& lr) {
        AuditRecord r{};
        r.event = static_cast<uint8_t>(AuditEvent::record);
        r.partition = lr.partition;
        r.offset = lr.offset;
        if (decode_message(lr.value, id) != DecodeStatus::ok) {
          r.flags = journal::kAuditCorrupt;
          ++corrupt;
        } else {
          r.seq = id.seq;
          r.producer_id = id.producer_id;
          r.key_id = id.key_id;
          if (id.run_id != run_id) r.flags = journal::kAuditForeign;
        }
        journal.append(r);
        if (++records % 100000 == 0) emit("progress", {{"records", records}});
      },
      timeout);
  int complete = 0;
  for (const auto& range : ranges) {
    AuditRecord r{};
    r.event = static_cast<uint8_t>(AuditEvent::partition_range);
    r.seq = static_cast<uint64_t>(measured_us);
    r.partition = range.partition;
    r.offset = range.low;
    r.high = range.high;
    r.flags = range.complete ? journal::kAuditComplete : 0;
    journal.append(r);
    complete += range.complete;
    if (!range.complete) {
      emit("partition_unreadable", {{"partition", range.partition}, {"error", range.error}});
    }
  }

  // The group's committed offsets, as the group coordinator holds them.
  auto conf = kafka::make_conf({{"bootstrap.servers", bootstrap},
                                {"group.id", spec.at("group").get<std::string>()},
                                {"enable.auto.commit", "false"}});
  kafka::quiet_logs(conf.get());
  auto rk = kafka::make_handle(RD_KAFKA_CONSUMER, std::move(conf));
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(ranges.size()));
  for (const auto& range : ranges) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), range.partition);
  }
  auto err = rd_kafka_committed(rk.get(), list.get(), 30000);
  for (int i = 0; i < list->cnt; ++i) {
    AuditRecord r{};
    r.event = static_cast<uint8_t>(AuditEvent::group_committed);
    r.partition = list->elems[i].partition;
    r.offset = err || list->elems[i].err ? -1 : list->elems[i].offset;
    if (r.offset < 0) r.offset = -1;
    journal.append(r);
  }
  rd_kafka_consumer_close(rk.get());
  journal.sync();
  emit("done", {{"records", records},
                {"corrupt", corrupt},
                {"partitions", ranges.size()},
                {"complete", complete},
                {"committed_error", err ? rd_kafka_err2str(err) : ""}});
  return 0;
}

}  // namespace kchaos::workloads
