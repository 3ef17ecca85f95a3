// The audit: after every fault is healed and the consumer has drained, read
// every partition from the log start to the high watermark, and the
// verifying group's committed offsets, into the audit journal.

#include "Worker.h"
#include "kchaos/journal/Journal.h"
#include "kchaos/journal/Message.h"
#include "kchaos/kafka/LogReader.h"
#include "kchaos/kafka/RdKafka.h"

namespace kchaos::workloads {
namespace {

using journal::AuditEvent;
using journal::AuditRecord;

// The log: one record per message, then each partition's range.
std::vector<kafka::PartitionRange> audit_log(const protocol::AuditSpec& spec,
                                             journal::Writer<AuditRecord>& journal,
                                             protocol::AuditDone& done) {
  kafka::LogReader reader(spec.target.bootstrap);
  MessageId id;
  const int64_t measured_us = wall_us();
  const auto ranges = reader.read(
      spec.target.topic,
      [&](const kafka::LogRecord& lr) {
        AuditRecord r{};
        r.event = static_cast<uint8_t>(AuditEvent::record);
        r.partition = lr.partition;
        r.offset = lr.offset;
        if (decode_message(lr.value, id) != DecodeStatus::ok) {
          r.flags = journal::kAuditCorrupt;
          ++done.corrupt;
        } else {
          r.seq = id.seq;
          r.producer_id = id.producer_id;
          r.key_id = id.key_id;
          if (id.run_id != spec.target.run_id) r.flags = journal::kAuditForeign;
        }
        journal.append(r);
        if (++done.records % 100000 == 0)
          emit(protocol::event::kProgress, {{"records", done.records}});
      },
      std::chrono::milliseconds(static_cast<long long>(spec.timeout_s * 1000)));
  for (const auto& range : ranges) {
    AuditRecord r{};
    r.event = static_cast<uint8_t>(AuditEvent::partition_range);
    r.seq = static_cast<uint64_t>(measured_us);
    r.partition = range.partition;
    r.offset = range.low;
    r.high = range.high;
    r.flags = range.complete ? journal::kAuditComplete : 0;
    journal.append(r);
    done.complete += range.complete;
    if (!range.complete) {
      emit(protocol::event::kPartitionUnreadable,
           {{"partition", range.partition}, {"error", range.error}});
    }
  }
  done.partitions = ranges.size();
  return ranges;
}

// The group's committed offsets, as the group coordinator holds them.
void audit_offsets(const protocol::AuditSpec& spec,
                   const std::vector<kafka::PartitionRange>& ranges,
                   journal::Writer<AuditRecord>& journal, protocol::AuditDone& done) {
  auto conf = kafka::make_conf({{"bootstrap.servers", spec.target.bootstrap},
                                {"group.id", spec.group},
                                {"enable.auto.commit", "false"}});
  kafka::quiet_logs(conf.get());
  auto rk = kafka::make_handle(RD_KAFKA_CONSUMER, std::move(conf));
  kafka::TopicPartitionListPtr list(
      rd_kafka_topic_partition_list_new(static_cast<int>(ranges.size())));
  for (const auto& range : ranges) {
    rd_kafka_topic_partition_list_add(list.get(), spec.target.topic.c_str(), range.partition);
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
  if (err) done.committed_error = rd_kafka_err2str(err);
}

}  // namespace

int run_audit(const protocol::AuditSpec& spec) {
  journal::Writer<AuditRecord> journal(spec.target.journal, spec.target.run_id, 0);
  protocol::AuditDone done;
  const auto ranges = audit_log(spec, journal, done);
  audit_offsets(spec, ranges, journal, done);
  journal.sync();
  emit(protocol::event::kDone, done);
  return 0;
}

}  // namespace kchaos::workloads
