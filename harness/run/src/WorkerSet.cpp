#include "kchaos/run/WorkerSet.h"

#include <fstream>
#include <thread>

#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/common/Error.h"
#include "kchaos/run/Interrupt.h"

namespace kchaos::run {
namespace {

using Clock = std::chrono::steady_clock;
using journal::EventType;
namespace event = protocol::event;

}  // namespace

WorkerSet::WorkerSet(WorkerContext ctx, const Timeouts& timeouts)
    : ctx_(std::move(ctx)), timeouts_(timeouts) {}

WorkerSet::~WorkerSet() = default;

protocol::WorkerTarget WorkerSet::target(const std::string& name) const {
  return {ctx_.bootstrap, ctx_.c.topic.name, ctx_.run_id,
          (ctx_.dir / (name + ".journal")).string()};
}

template <typename Spec>
std::unique_ptr<WorkerProcess> WorkerSet::start(const std::string& role, const std::string& name,
                                                const Spec& spec) {
  const auto spec_file = ctx_.dir / (name + ".spec.json");
  std::ofstream(spec_file) << Json(spec).dump(2) << "\n";
  WorkerProcess::EventHandler on_event;
  if (ctx_.metrics != nullptr) {
    // Progress and done events carry cumulative counts and latency buckets.
    on_event = [m = ctx_.metrics, name, role](const Json& e) {
      const std::string n = e.value("name", "");
      if (n != event::kProgress && n != event::kDone) return;
      if (role == "producer") m->observe(name, e.get<protocol::ProducerProgress>());
      if (role == "consumer") m->observe(name, e.get<protocol::ConsumerProgress>());
    };
  }
  auto w = std::make_unique<WorkerProcess>(role, spec_file, ctx_.netns, ctx_.dir / (name + ".log"),
                                           on_event);
  ctx_.events.add(EventType::worker_started, static_cast<int32_t>(w->pid()), name);
  return w;
}

WorkerProcess* WorkerSet::consumer() const {
  std::lock_guard lock(mutex_);
  return consumer_.get();
}

int WorkerSet::producer_count() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(producers_.size());
}

void WorkerSet::start_consumer() {
  const std::string name = "consumer-" + std::to_string(++consumers_started_);
  protocol::ConsumerSpec spec = ctx_.c.consumer;
  spec.target = target(name);
  spec.consumer_id = static_cast<uint32_t>(consumers_started_);
  spec.duration_s = timeouts_.consumer_bound_s;
  consumer_ = start("consumer", name, spec);
  consumer_crashed_ = false;
}

void WorkerSet::start_consumer_and_wait() {
  {
    std::lock_guard lock(mutex_);
    start_consumer();
  }
  // Producing starts once the consumer group has its partitions.
  const auto deadline = Clock::now() + Timeouts::kConsumerAssigned;
  while (consumer_->count(event::kAssigned) == 0) {
    if (!consumer_->running() || Clock::now() > deadline) {
      throw HarnessError("the consumer was not assigned partitions within " +
                         std::to_string(Timeouts::kConsumerAssigned.count() / 1000) + " s; see " +
                         (ctx_.dir / "consumer-1.log").string());
    }
    check_interrupt();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void WorkerSet::start_producer(size_t slot, double duration_s) {
  Producer& p = producers_[slot];
  if (p.process) retired_.push_back(std::move(p.process));
  p.id = next_producer_id_++;
  p.crashed = false;
  const std::string name = "producer-" + std::to_string(p.id);
  protocol::ProducerSpec spec = ctx_.c.producer;
  spec.target = target(name);
  spec.producer_id = static_cast<uint32_t>(p.id);
  spec.duration_s = std::max(1.0, duration_s);
  p.process = start("producer", name, spec);
}

void WorkerSet::start_producers() {
  std::lock_guard lock(mutex_);
  produce_started_ = Clock::now();
  producers_.resize(static_cast<size_t>(ctx_.c.producer.workers));
  for (size_t i = 0; i < producers_.size(); ++i) start_producer(i, timeouts_.produce_s);
}

void WorkerSet::stop_producers() {
  // After the fault phase: no fault acts on the producers any more.
  for (auto& p : producers_) p.process->stop();
  for (auto& p : producers_) {
    if (!p.process->wait(timeouts_.producer_stop)) {
      ctx_.events.add(EventType::worker_killed, p.process->pid(),
                      "producer did not stop within " +
                          std::to_string(timeouts_.producer_stop.count() / 1000) + " s");
      p.process->kill();
      p.process->wait(Timeouts::kWorkerKilled);
    }
    ctx_.events.add(
        EventType::worker_exited, p.process->pid(),
        "producer-" + std::to_string(p.id) + " exit " + std::to_string(p.process->exit_code()));
  }
}

void WorkerSet::ensure_consumer() {
  if (!consumer()->running()) restart_consumer();
}

int WorkerSet::partition_count(cluster::KafkaAdmin& admin) const {
  try {
    auto md = admin.metadata(std::chrono::seconds(5));
    auto it = md.topics.find(ctx_.c.topic.name);
    if (it != md.topics.end() && !it->second.empty()) return static_cast<int>(it->second.size());
  } catch (const TransientError&) {
  }
  return ctx_.c.topic.partitions;
}

bool WorkerSet::drained(cluster::KafkaAdmin& admin, int partitions) {
  const auto marks = admin.watermarks(ctx_.c.topic.name, partitions);
  const auto positions = consumer_->last_as<protocol::ConsumerProgress>(event::kProgress).positions;
  for (size_t p = 0; p < marks.size(); ++p) {
    const auto [low, high] = marks[p];
    if (high < 0) continue;  // offline: the audit will say so
    auto it = positions.find(static_cast<int32_t>(p));
    const int64_t pos = it != positions.end() ? it->second : low;
    // Beyond the high watermark means the log was truncated under the
    // consumer and it has not re-read it yet: not drained.
    if (high > low && pos != high) return false;
  }
  return true;
}

bool WorkerSet::drain(const std::function<void()>& every_5s) {
  const auto deadline = Clock::now() + timeouts_.drain;
  auto next_print = Clock::now() + std::chrono::seconds(5);
  cluster::KafkaAdmin admin(ctx_.bootstrap);
  const int partitions = partition_count(admin);
  bool done = false;
  while (Clock::now() < deadline && consumer_->running()) {
    check_interrupt();
    if ((done = drained(admin, partitions))) break;
    if (Clock::now() >= next_print) {
      every_5s();
      next_print += std::chrono::seconds(5);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  if (!done) ctx_.events.add(EventType::note, -1, "drain timed out");
  consumer_->stop();
  if (!consumer_->wait(Timeouts::kConsumerStop)) {
    consumer_->kill();
    consumer_->wait(Timeouts::kWorkerKilled);
  }
  ctx_.events.add(EventType::worker_exited, consumer_->pid(),
                  "consumer exit " + std::to_string(consumer_->exit_code()));
  return done;
}

void WorkerSet::check(const std::string& phase) {
  std::lock_guard lock(mutex_);
  if (consumer_ && !consumer_crashed_ && !consumer_->running()) {
    throw HarnessError("the consumer worker exited during " + phase + " (exit " +
                       std::to_string(consumer_->exit_code()) + "); see " + ctx_.dir.string() +
                       "/consumer-*.log.stderr");
  }
  for (const auto& p : producers_) {
    if (!p.crashed && !p.process->running() && p.process->exit_code() != 0) {
      throw HarnessError("producer-" + std::to_string(p.id) + " failed during " + phase +
                         " (exit " + std::to_string(p.process->exit_code()) + "); see its log in " +
                         ctx_.dir.string());
    }
  }
}

WorkerTotals WorkerSet::totals() const {
  std::lock_guard lock(mutex_);
  WorkerTotals t;
  auto add = [&](const WorkerProcess& w) {
    if (w.role() == "producer") {
      const auto p = w.latest<protocol::ProducerProgress>();
      t.sent += p.sent, t.acked += p.acked, t.failed += p.failed, t.unknown += p.unknown;
    } else if (w.role() == "consumer") {
      t.consumed += w.latest<protocol::ConsumerProgress>().consumed;
    }
  };
  for (const auto& w : retired_) add(*w);
  for (const auto& p : producers_) {
    add(*p.process);
    const auto latency = p.process->latest<protocol::ProducerProgress>().latency;
    if (latency.p99_ms) t.produce_p99_ms = std::max(t.produce_p99_ms.value_or(0), *latency.p99_ms);
  }
  if (consumer_) {
    add(*consumer_);
    // A consumer that replaced a crashed one waits for the group to give it
    // partitions (the dead member's session must expire first).
    if (consumer_->running() &&
        consumer_->latest<protocol::ConsumerProgress>().assigned_partitions == 0) {
      t.consumer_waiting = consumers_started_;
    }
  }
  return t;
}

}  // namespace kchaos::run
