// What client faults do through the run's workers: a consumer killed in the
// middle of a batch (observed from its batch events, confirmed from its
// journal), a producer killed, and their replacements.

#include <optional>
#include <thread>

#include "kchaos/common/Error.h"
#include "kchaos/journal/Journal.h"
#include "kchaos/run/WorkerSet.h"

namespace kchaos::run {
namespace {

using Clock = std::chrono::steady_clock;
using journal::EventType;
namespace event = protocol::event;

// How far into its last batch a consumer journal ends: (processed since the
// last batch_begin, that batch's size), or nullopt if no batch was open.
std::optional<std::pair<uint32_t, uint32_t>> open_batch(const std::filesystem::path& file) {
  std::optional<std::pair<uint32_t, uint32_t>> open;
  journal::read<journal::ConsumerRecord>(file, [&](const journal::ConsumerRecord& r) {
    switch (static_cast<journal::ConsumerEvent>(r.event)) {
      case journal::ConsumerEvent::batch_begin:
        open = std::pair<uint32_t, uint32_t>{0, r.count};
        break;
      case journal::ConsumerEvent::batch_end:
        open.reset();
        break;
      case journal::ConsumerEvent::processed:
        if (open) ++open->first;
        break;
      default:
        break;
    }
  });
  return open;
}

}  // namespace

std::string WorkerSet::kill_consumer(bool mid_batch, std::chrono::milliseconds into_batch,
                                     std::chrono::milliseconds wait) {
  // Waits without the lock: the run loop keeps counting meanwhile. Only this
  // fault's heal replaces the consumer, so it stays the one to kill.
  WorkerProcess* consumer = this->consumer();
  const auto deadline = Clock::now() + wait;
  while (mid_batch) {
    // Wait for a batch to begin from now on, so that into_batch is measured
    // from its real start, not from whenever an open batch was noticed.
    const int begun = consumer->count(event::kBatchBegin);
    while (consumer->count(event::kBatchBegin) == begun) {
      if (Clock::now() > deadline || !consumer->running()) {
        throw HarnessError("the consumer began no batch to crash in the middle of within " +
                           std::to_string(wait.count() / 1000) + " s");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    const int ended = consumer->count(event::kBatchEnd);
    std::this_thread::sleep_for(into_batch);
    if (consumer->count(event::kBatchEnd) == ended) break;  // still inside that batch
  }
  if (!mid_batch) std::this_thread::sleep_for(into_batch);
  std::string name;
  {
    std::lock_guard lock(mutex_);
    consumer_crashed_ = true;
    name = "consumer-" + std::to_string(consumers_started_);
  }
  consumer->kill();
  consumer->wait(Timeouts::kWorkerKilled);
  ctx_.events.add(EventType::worker_killed, consumer->pid(), name + " SIGKILL");
  // The journal says where it really was when it died.
  const auto open = open_batch(ctx_.dir / (name + ".journal"));
  if (!open) return name + " killed between batches";
  return name + " killed mid-batch after " + std::to_string(open->first) + " of " +
         std::to_string(open->second) + " messages";
}

void WorkerSet::restart_consumer() {
  std::lock_guard lock(mutex_);
  retired_.push_back(std::move(consumer_));
  start_consumer();
}

void WorkerSet::kill_producer(int n) {
  WorkerProcess* process;
  int id;
  {
    std::lock_guard lock(mutex_);
    Producer& p = producers_.at(static_cast<size_t>(n - 1));
    p.crashed = true;
    process = p.process.get();
    id = p.id;
  }
  process->kill();
  process->wait(Timeouts::kWorkerKilled);
  ctx_.events.add(EventType::worker_killed, process->pid(),
                  "producer-" + std::to_string(id) + " SIGKILL");
}

void WorkerSet::restart_producer(int n) {
  std::lock_guard lock(mutex_);
  const double left =
      timeouts_.produce_s - std::chrono::duration<double>(Clock::now() - produce_started_).count();
  if (left <= 0) return;
  start_producer(static_cast<size_t>(n - 1), left);
}

}  // namespace kchaos::run
