// The verifying consumer: a group member that processes in batches and
// journals what it processed. Its commit mode is exactly what it says:
//   auto            librdkafka auto-commits offsets stored when poll returns
//                   a message, i.e. before it is processed;
//   before-process  commit the batch's offsets, then process it;
//   after-process   process the batch, then commit its offsets;
//   async-threads   hand messages to worker threads, auto-commit on poll.
// Batch boundaries are printed and journaled, so a crash can be aimed at the
// middle of one.

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "workloads/Message.h"
#include "workloads/journal/Journal.h"
#include "workloads/kafka/RdKafka.h"
#include "workloads/worker/Worker.h"

namespace kchaos::workloads {
namespace {

using Clock = std::chrono::steady_clock;
using journal::ConsumerEvent;
using journal::ConsumerRecord;

struct Consumer {
  journal::Writer<ConsumerRecord>* journal = nullptr;
  std::mutex mutex;  // journal and counters, shared with processing threads
  uint32_t consumer_id = 0;
  uint64_t run_id = 0;
  uint64_t processed = 0, corrupt = 0, foreign = 0, commits = 0, commit_failures = 0;
  std::map<int32_t, int64_t> positions;  // next offset to process, per partition
  /// Threads process out of order: positions only grow. Otherwise a position
  /// follows the consumer back when it re-reads (a reset after the log was
  /// truncated under it, a redelivery), so the drain waits for the re-read.
  bool out_of_order = false;
  int assignments = 0;
  std::set<int32_t> assigned;  // partitions the group gave this member
  LatencyWindow e2e;

  void record(ConsumerEvent ev, int32_t partition, int64_t offset, uint32_t count, uint64_t seq = 0,
              uint32_t producer_id = 0) {
    ConsumerRecord r{};
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
};

void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                  void* opaque) {
  auto* c = static_cast<Consumer*>(opaque);
  std::lock_guard lock(c->mutex);
  nlohmann::json list = nlohmann::json::array();
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
    ++c->assignments;
    emit("assigned", {{"partitions", list}});
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
    emit("revoked", {{"partitions", list}});
  }
}

// "Processing" a message: the configured delay, then the journal record.
void process(Consumer& c, const rd_kafka_message_t* m, int delay_ms) {
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

// Commits, synchronously, the offsets after the last message of each
// partition in batch.
void commit_batch(rd_kafka_t* rk, Consumer& c, const std::vector<rd_kafka_message_t*>& batch) {
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
    emit("commit_failed", {{"error", rd_kafka_err2str(err)}});
    return;
  }
  ++c.commits;
  for (const auto& [tp, off] : next) c.record(ConsumerEvent::committed, tp.second, off, 0);
}

// async-threads: a bounded queue feeding processing threads.
class WorkQueue {
 public:
  explicit WorkQueue(size_t capacity) : capacity_(capacity) {}
  void push(rd_kafka_message_t* m) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return queue_.size() < capacity_; });
    queue_.push_back(m);
    not_empty_.notify_one();
  }
  rd_kafka_message_t* pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
    if (queue_.empty()) return nullptr;
    auto* m = queue_.front();
    queue_.pop_front();
    not_full_.notify_one();
    return m;
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<rd_kafka_message_t*> queue_;
  bool closed_ = false;
};

}  // namespace

int run_consumer(const nlohmann::json& spec) {
  const std::string topic = spec.at("topic");
  const std::string mode = spec.at("commit");
  const int batch_size = spec.value("batch_size", 100);
  const int delay_ms = spec.value("process_delay_ms", 0);
  const int threads = spec.value("threads", 4);
  const auto max_duration = std::chrono::duration<double>(spec.at("duration_s").get<double>());

  Consumer c;
  c.consumer_id = spec.at("consumer_id");
  c.run_id = spec.at("run_id");
  c.out_of_order = mode == "async-threads";
  journal::Writer<ConsumerRecord> journal(spec.at("journal").get<std::string>(), c.run_id,
                                          c.consumer_id);
  c.journal = &journal;

  auto props = spec_properties(spec);
  props["bootstrap.servers"] = spec.at("bootstrap");
  props["group.id"] = spec.at("group");
  props["client.id"] = "kchaos-consumer-" + std::to_string(c.consumer_id);
  const bool auto_commit = mode == "auto" || mode == "async-threads";
  props["enable.auto.commit"] = auto_commit ? "true" : "false";
  props["enable.auto.offset.store"] = auto_commit ? "true" : "false";
  if (props.count("auto.offset.reset") == 0) props["auto.offset.reset"] = "earliest";
  auto conf = kafka::make_conf(props);
  kafka::quiet_logs(conf.get());
  rd_kafka_conf_set_opaque(conf.get(), &c);
  rd_kafka_conf_set_rebalance_cb(conf.get(), on_rebalance);
  auto rk = kafka::make_handle(RD_KAFKA_CONSUMER, std::move(conf));
  rd_kafka_poll_set_consumer(rk.get());
  kafka::TopicPartitionListPtr sub(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(sub.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  if (auto err = rd_kafka_subscribe(rk.get(), sub.get())) {
    throw std::runtime_error(std::string("subscribe: ") + rd_kafka_err2str(err));
  }
  emit("started", {{"consumer_id", c.consumer_id}, {"commit", mode}});

  WorkQueue queue(static_cast<size_t>(batch_size) * 2);
  std::vector<std::thread> pool;
  if (mode == "async-threads") {
    for (int i = 0; i < threads; ++i) {
      pool.emplace_back([&] {
        while (auto* m = queue.pop()) {
          process(c, m, delay_ms);
          rd_kafka_message_destroy(m);
        }
      });
    }
  }

  const auto started = Clock::now();
  auto next_report = started + std::chrono::milliseconds(500);
  bool idle = false;  // the last poll found nothing to process
  auto report = [&](const char* name) {
    // Where the consumer is, per assigned partition: past what it processed,
    // or, when it has nothing left to process, its fetch position (which
    // covers partitions it was assigned but found nothing new in, e.g. after
    // a restart or a reset to latest).
    std::map<int32_t, int64_t> fetch;
    if (idle && mode != "async-threads") {
      rd_kafka_topic_partition_list_t* raw = nullptr;
      if (rd_kafka_assignment(rk.get(), &raw) == RD_KAFKA_RESP_ERR_NO_ERROR && raw != nullptr) {
        kafka::TopicPartitionListPtr assigned(raw);
        rd_kafka_position(rk.get(), assigned.get());
        for (int i = 0; i < assigned->cnt; ++i) {
          if (assigned->elems[i].offset >= 0)
            fetch[assigned->elems[i].partition] = assigned->elems[i].offset;
        }
      }
    }
    std::lock_guard lock(c.mutex);
    nlohmann::json positions = nlohmann::json::object();
    for (const auto& [p, off] : c.positions) positions[std::to_string(p)] = off;
    for (const auto& [p, off] : fetch) {
      const auto key = std::to_string(p);
      if (!positions.contains(key) || positions[key].get<int64_t>() < off) positions[key] = off;
    }
    nlohmann::json f = {{"consumed", c.processed},
                        {"assigned_partitions", c.assigned.size()},
                        {"corrupt", c.corrupt},
                        {"foreign", c.foreign},
                        {"commits", c.commits},
                        {"commit_failures", c.commit_failures},
                        {"positions", positions}};
    auto lat = c.e2e.take();
    f["e2e_p50_ms"] = lat["p50_ms"];
    f["e2e_p99_ms"] = lat["p99_ms"];
    f["e2e_buckets"] = lat["buckets"];
    f["e2e_sum_s"] = lat["sum_s"];
    emit(name, f);
  };

  std::vector<rd_kafka_message_t*> batch;
  while (!g_stop.load() && Clock::now() - started < max_duration) {
    batch.clear();
    // Collect up to batch_size messages; a short idle gap ends the batch.
    while (static_cast<int>(batch.size()) < batch_size && !g_stop.load()) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(rk.get(), batch.empty() ? 200 : 20);
      if (m == nullptr) break;
      if (m->err) {
        if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
          emit("consume_error", {{"error", rd_kafka_message_errstr(m)}});
        }
        rd_kafka_message_destroy(m);
        continue;
      }
      batch.push_back(m);
    }
    idle = batch.empty();
    if (!batch.empty()) {
      {
        std::lock_guard lock(c.mutex);
        c.record(ConsumerEvent::batch_begin, -1, -1, static_cast<uint32_t>(batch.size()));
      }
      emit("batch_begin", {{"count", batch.size()}});
      if (mode == "before-process") commit_batch(rk.get(), c, batch);
      if (mode == "async-threads") {
        for (auto* m : batch) queue.push(m);
      } else {
        for (auto* m : batch) process(c, m, delay_ms);
        if (mode == "after-process") commit_batch(rk.get(), c, batch);
        for (auto* m : batch) rd_kafka_message_destroy(m);
      }
      {
        std::lock_guard lock(c.mutex);
        c.record(ConsumerEvent::batch_end, -1, -1, static_cast<uint32_t>(batch.size()));
      }
      emit("batch_end", {{"count", batch.size()}});
    }
    if (Clock::now() >= next_report) {
      report("progress");
      next_report = Clock::now() + std::chrono::milliseconds(500);
    }
  }
  queue.close();
  for (auto& t : pool) t.join();
  rd_kafka_consumer_close(rk.get());  // leaves the group; auto modes commit here
  journal.sync();
  report("done");
  return 0;
}

}  // namespace kchaos::workloads
