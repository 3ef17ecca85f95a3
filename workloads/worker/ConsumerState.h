#pragma once
// Internal to the consumer worker: what it journals and counts, shared by
// the poll loop and the processing threads, and how a message is processed
// and a batch committed.

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "Worker.h"
#include "kchaos/journal/Journal.h"
#include "kchaos/kafka/RdKafka.h"

namespace kchaos::workloads {

struct ConsumerState {
  journal::Writer<journal::ConsumerRecord>* journal = nullptr;
  std::mutex mutex;  // journal and counters, shared with processing threads
  uint64_t run_id = 0;
  uint64_t processed = 0, corrupt = 0, foreign = 0, commits = 0, commit_failures = 0;
  std::map<int32_t, int64_t> positions;  // next offset to process, per partition
  /// Threads process out of order: positions only grow. Otherwise a position
  /// follows the consumer back when it re-reads (a reset after the log was
  /// truncated under it, a redelivery), so the drain waits for the re-read.
  bool out_of_order = false;
  std::set<int32_t> assigned;  // partitions the group gave this member
  LatencySamples e2e;

  /// Appends and flushes one record (the caller holds mutex).
  void record(journal::ConsumerEvent ev, int32_t partition, int64_t offset, uint32_t count,
              uint64_t seq = 0, uint32_t producer_id = 0);
};

/// librdkafka's rebalance callback (opaque: the ConsumerState).
void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                  void* opaque);

/// "Processing" a message: the configured delay, then the journal record.
void process(ConsumerState& c, const rd_kafka_message_t* m, int delay_ms);

/// Commits, synchronously, the offsets after the last message of each
/// partition in batch.
void commit_batch(rd_kafka_t* rk, ConsumerState& c, const std::vector<rd_kafka_message_t*>& batch);

/// async-threads: a bounded queue feeding processing threads.
class WorkQueue {
 public:
  explicit WorkQueue(size_t capacity) : capacity_(capacity) {}
  void push(rd_kafka_message_t* m);
  /// nullptr once closed and empty.
  rd_kafka_message_t* pop();
  void close();

 private:
  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<rd_kafka_message_t*> queue_;
  bool closed_ = false;
};

}  // namespace kchaos::workloads
