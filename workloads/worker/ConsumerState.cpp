#include "ConsumerState.h"

#include <thread>

#include "kchaos/journal/Message.h"

namespace kchaos::workloads {

using journal::ConsumerEvent;
namespace event = protocol::event;

void ConsumerState::record(ConsumerEvent ev, int32_t partition, int64_t offset, uint32_t count,
                           uint64_t seq, uint32_t producer_id) {
  journal::ConsumerRecord r{};
  r.seq = seq;
  r.producer_id = producer_id;
  r.event = static_cast<uint8_t>(ev);
  r.partition = partition;
  r.generation = -1;
  r.offset = offset;
  r.time_us = wall_us();
  r.count = count;
  journal->write(r);
}

void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                  void* opaque) {
  auto* c = static_cast<ConsumerState*>(opaque);
  std::lock_guard lock(c->mutex);
  Json list = Json::array();
  for (int i = 0; i < parts->cnt; ++i) list.push_back(parts->elems[i].partition);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    for (int i = 0; i < parts->cnt; ++i) {
      c->record(ConsumerEvent::assigned, parts->elems[i].partition, -1, 0);
      c->assigned.insert(parts->elems[i].partition);
    }
    if (std::string(rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE") {
      rd_kafka_incremental_assign(rk, parts);
    } else {
      rd_kafka_assign(rk, parts);
    }
    emit(event::kAssigned, {{"partitions", list}});
  } else {
    for (int i = 0; i < parts->cnt; ++i) {
      c->record(ConsumerEvent::revoked, parts->elems[i].partition, -1, 0);
      c->assigned.erase(parts->elems[i].partition);
    }
    if (std::string(rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE") {
      rd_kafka_incremental_unassign(rk, parts);
    } else {
      rd_kafka_assign(rk, nullptr);
    }
    emit(event::kRevoked, {{"partitions", list}});
  }
}

void process(ConsumerState& c, const rd_kafka_message_t* m, int delay_ms) {
  if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  MessageId id;
  const bool ok = decode_message(std::string_view(static_cast<const char*>(m->payload), m->len),
                                 id) == DecodeStatus::ok;
  std::lock_guard lock(c.mutex);
  if (!ok) {
    ++c.corrupt;
  } else if (id.run_id != c.run_id) {
    ++c.foreign;
  } else {
    c.record(ConsumerEvent::processed, m->partition, m->offset, 1, id.seq, id.producer_id);
  }
  ++c.processed;
  auto& pos = c.positions[m->partition];
  pos = c.out_of_order ? std::max(pos, m->offset + 1) : m->offset + 1;
  rd_kafka_timestamp_type_t type;
  const int64_t ts = rd_kafka_message_timestamp(m, &type);
  if (ts > 0) c.e2e.add(static_cast<uint32_t>(std::max<int64_t>(0, wall_us() - ts * 1000)));
}

void commit_batch(rd_kafka_t* rk, ConsumerState& c, const std::vector<rd_kafka_message_t*>& batch) {
  std::map<std::pair<std::string, int32_t>, int64_t> next;
  for (auto* m : batch) {
    auto& n = next[{rd_kafka_topic_name(m->rkt), m->partition}];
    n = std::max(n, m->offset + 1);
  }
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(next.size()));
  for (const auto& [tp, off] : next) {
    rd_kafka_topic_partition_list_add(list.get(), tp.first.c_str(), tp.second)->offset = off;
  }
  auto err = rd_kafka_commit(rk, list.get(), 0);
  std::lock_guard lock(c.mutex);
  if (err) {
    ++c.commit_failures;
    emit(event::kCommitFailed, {{"error", rd_kafka_err2str(err)}});
    return;
  }
  ++c.commits;
  for (const auto& [tp, off] : next) c.record(ConsumerEvent::committed, tp.second, off, 0);
}

void WorkQueue::push(rd_kafka_message_t* m) {
  std::unique_lock lock(mutex_);
  not_full_.wait(lock, [&] { return queue_.size() < capacity_; });
  queue_.push_back(m);
  not_empty_.notify_one();
}

rd_kafka_message_t* WorkQueue::pop() {
  std::unique_lock lock(mutex_);
  not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
  if (queue_.empty()) return nullptr;
  auto* m = queue_.front();
  queue_.pop_front();
  not_full_.notify_one();
  return m;
}

void WorkQueue::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  not_empty_.notify_all();
}

}  // namespace kchaos::workloads
