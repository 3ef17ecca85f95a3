// The verifying consumer: a group member that processes in batches and
// journals what it processed. Its commit mode is exactly what it says:
//   auto            librdkafka auto-commits offsets stored when poll returns
//                   a message, i.e. before it is processed;
//   before-process  commit the batch's offsets, then process it;
//   after-process   process the batch, then commit its offsets;
//   async-threads   hand messages to worker threads, auto-commit on poll.
// Batch boundaries are printed and journaled, so a crash can be aimed at the
// middle of one.

#include <thread>

#include "ConsumerState.h"
#include "kchaos/common/Error.h"

namespace kchaos::workloads {
namespace {

using Clock = std::chrono::steady_clock;
using journal::ConsumerEvent;
using protocol::CommitMode;
namespace event = protocol::event;

class Consumer {
 public:
  explicit Consumer(const protocol::ConsumerSpec& spec);
  void run();

 private:
  void start_threads();
  std::vector<rd_kafka_message_t*> collect_batch();
  void handle(const std::vector<rd_kafka_message_t*>& batch);
  std::map<int32_t, int64_t> fetch_positions();
  void report(const char* name);

  const protocol::ConsumerSpec& spec_;
  ConsumerState state_;
  journal::Writer<journal::ConsumerRecord> journal_;
  kafka::HandlePtr rk_;
  WorkQueue queue_;
  std::vector<std::thread> pool_;
  bool idle_ = false;  // the last poll found nothing to process
};

Consumer::Consumer(const protocol::ConsumerSpec& spec)
    : spec_(spec),
      journal_(spec.target.journal, spec.target.run_id, spec.consumer_id),
      queue_(static_cast<size_t>(spec.batch_size) * 2) {
  state_.run_id = spec.target.run_id;
  state_.out_of_order = spec.commit == CommitMode::async_threads;
  state_.journal = &journal_;
  auto props = spec.config;
  props["bootstrap.servers"] = spec.target.bootstrap;
  props["group.id"] = spec.group;
  props["client.id"] = "kchaos-consumer-" + std::to_string(spec.consumer_id);
  const bool auto_commit =
      spec.commit == CommitMode::auto_commit || spec.commit == CommitMode::async_threads;
  props["enable.auto.commit"] = auto_commit ? "true" : "false";
  props["enable.auto.offset.store"] = auto_commit ? "true" : "false";
  if (props.count("auto.offset.reset") == 0) props["auto.offset.reset"] = "earliest";
  auto conf = kafka::make_conf(props);
  kafka::quiet_logs(conf.get());
  rd_kafka_conf_set_opaque(conf.get(), &state_);
  rd_kafka_conf_set_rebalance_cb(conf.get(), on_rebalance);
  rk_ = kafka::make_handle(RD_KAFKA_CONSUMER, std::move(conf));
  rd_kafka_poll_set_consumer(rk_.get());
  kafka::TopicPartitionListPtr sub(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(sub.get(), spec.target.topic.c_str(), RD_KAFKA_PARTITION_UA);
  if (auto err = rd_kafka_subscribe(rk_.get(), sub.get())) {
    throw HarnessError(std::string("subscribe: ") + rd_kafka_err2str(err));
  }
}

void Consumer::start_threads() {
  if (spec_.commit != CommitMode::async_threads) return;
  for (int i = 0; i < spec_.threads; ++i) {
    pool_.emplace_back([this] {
      while (auto* m = queue_.pop()) {
        process(state_, m, spec_.process_delay_ms);
        rd_kafka_message_destroy(m);
      }
    });
  }
}

// Up to batch_size messages; a short idle gap ends the batch.
std::vector<rd_kafka_message_t*> Consumer::collect_batch() {
  std::vector<rd_kafka_message_t*> batch;
  while (static_cast<int>(batch.size()) < spec_.batch_size && !g_stop.load()) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_.get(), batch.empty() ? 200 : 20);
    if (m == nullptr) break;
    if (m->err) {
      if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        emit(event::kConsumeError, {{"error", rd_kafka_message_errstr(m)}});
      }
      rd_kafka_message_destroy(m);
      continue;
    }
    batch.push_back(m);
  }
  return batch;
}

void Consumer::handle(const std::vector<rd_kafka_message_t*>& batch) {
  const auto count = static_cast<uint32_t>(batch.size());
  {
    std::lock_guard lock(state_.mutex);
    state_.record(ConsumerEvent::batch_begin, -1, -1, count);
  }
  emit(event::kBatchBegin, protocol::Batch{count});
  if (spec_.commit == CommitMode::before_process) commit_batch(rk_.get(), state_, batch);
  if (spec_.commit == CommitMode::async_threads) {
    for (auto* m : batch) queue_.push(m);
  } else {
    for (auto* m : batch) process(state_, m, spec_.process_delay_ms);
    if (spec_.commit == CommitMode::after_process) commit_batch(rk_.get(), state_, batch);
    for (auto* m : batch) rd_kafka_message_destroy(m);
  }
  {
    std::lock_guard lock(state_.mutex);
    state_.record(ConsumerEvent::batch_end, -1, -1, count);
  }
  emit(event::kBatchEnd, protocol::Batch{count});
}

// With nothing left to process, the fetch position per assigned partition
// (which covers partitions it was assigned but found nothing new in, e.g.
// after a restart or a reset to latest).
std::map<int32_t, int64_t> Consumer::fetch_positions() {
  std::map<int32_t, int64_t> fetch;
  if (!idle_ || spec_.commit == CommitMode::async_threads) return fetch;
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (rd_kafka_assignment(rk_.get(), &raw) != RD_KAFKA_RESP_ERR_NO_ERROR || raw == nullptr) {
    return fetch;
  }
  kafka::TopicPartitionListPtr assigned(raw);
  rd_kafka_position(rk_.get(), assigned.get());
  for (int i = 0; i < assigned->cnt; ++i) {
    if (assigned->elems[i].offset >= 0)
      fetch[assigned->elems[i].partition] = assigned->elems[i].offset;
  }
  return fetch;
}

void Consumer::report(const char* name) {
  const auto fetch = fetch_positions();
  std::lock_guard lock(state_.mutex);
  protocol::ConsumerProgress p;
  p.consumed = state_.processed;
  p.corrupt = state_.corrupt;
  p.foreign = state_.foreign;
  p.commits = state_.commits;
  p.commit_failures = state_.commit_failures;
  p.assigned_partitions = state_.assigned.size();
  // Past what it processed, or its fetch position when that is further.
  p.positions = state_.positions;
  for (const auto& [partition, offset] : fetch) {
    auto& pos = p.positions[partition];
    pos = std::max(pos, offset);
  }
  p.end_to_end = state_.e2e.take();
  emit(name, p);
}

void Consumer::run() {
  emit(event::kStarted,
       {{"consumer_id", spec_.consumer_id}, {"commit", protocol::to_string(spec_.commit)}});
  start_threads();
  const auto started = Clock::now();
  const auto max_duration = std::chrono::duration<double>(spec_.duration_s);
  auto next_report = started + std::chrono::milliseconds(500);
  while (!g_stop.load() && Clock::now() - started < max_duration) {
    const auto batch = collect_batch();
    idle_ = batch.empty();
    if (!batch.empty()) handle(batch);
    if (Clock::now() >= next_report) {
      report(event::kProgress);
      next_report = Clock::now() + std::chrono::milliseconds(500);
    }
  }
  queue_.close();
  for (auto& t : pool_) t.join();
  rd_kafka_consumer_close(rk_.get());  // leaves the group; auto modes commit here
  journal_.sync();
  report(event::kDone);
}

}  // namespace

int run_consumer(const protocol::ConsumerSpec& spec) {
  Consumer(spec).run();
  return 0;
}

}  // namespace kchaos::workloads
