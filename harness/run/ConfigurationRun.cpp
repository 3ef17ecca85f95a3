#include "harness/run/ConfigurationRun.h"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <thread>

#include "faults/Kinds.h"
#include "faults/Schedule.h"
#include "harness/Error.h"
#include "harness/cluster/KafkaAdmin.h"
#include "harness/run/Interrupt.h"
#include "harness/run/Recovery.h"
#include "workloads/journal/Journal.h"

namespace kchaos::run {
namespace {

using Clock = std::chrono::steady_clock;
using journal::EventType;
using namespace std::chrono_literals;

std::chrono::milliseconds seconds(double s) {
  return std::chrono::milliseconds(static_cast<long long>(s * 1000));
}

double num(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0;
}

// A worker's final "done" event supersedes its last progress.
nlohmann::json latest(const WorkerProcess& w) {
  auto done = w.last("done");
  return done.is_null() ? w.last("progress") : done;
}

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

ConfigurationRun::ConfigurationRun(const scenario::Configuration& c, std::filesystem::path dir,
                                   uint64_t run_id, uint64_t seed, std::ostream& out,
                                   metrics::ConfigurationMetrics* metrics)
    : c_(c),
      metrics_(metrics),
      dir_(std::move(dir)),
      run_id_(run_id),
      seed_(seed),
      out_(out),
      events_(dir_ / "events.journal", run_id),
      rng_(seed) {}

ConfigurationRun::~ConfigurationRun() = default;

void ConfigurationRun::start_cluster() {
  cluster::ClusterSpec spec;
  spec.brokers = c_.cluster.brokers;
  spec.kafka_version = c_.cluster.kafka_version;
  spec.heap_mb = c_.cluster.heap_mb;
  spec.overrides = c_.cluster.broker_config;
  spec.dir = dir_ / "cluster";
  // disk-full fills a small tmpfs, never the machine's disk.
  if (c_.fault_plan.has("disk-full")) spec.data_tmpfs_mb = 512;
  cluster_ = std::make_unique<cluster::LocalCluster>(spec);
  set_phase("cluster-up");
  out_ << "  starting " << spec.brokers << " Kafka " << spec.kafka_version << " brokers..."
       << std::flush;
  // A start that failed left nothing behind; two more tries tell a machine
  // hiccup from a cluster that cannot start. The events journal keeps every
  // failure. (Seen here: now and then a broker process is gone, with an
  // empty log, right after it was spawned; the next try starts. The error
  // now says how it ended.)
  for (int attempt = 1;; ++attempt) {
    try {
      cluster_->up();
      break;
    } catch (const HarnessError& e) {
      events_.add(EventType::note, -1, std::string("cluster start failed: ") + e.what());
      // The next try starts from empty broker directories: keep this one's
      // whole message and broker logs for whoever looks into it.
      const auto kept = dir_ / ("cluster-start-" + std::to_string(attempt));
      std::error_code ec;
      std::filesystem::create_directories(kept, ec);
      std::ofstream(kept / "error.txt") << e.what() << "\n";
      for (int id = 1; id <= spec.brokers; ++id) {
        std::filesystem::copy_file(cluster_->broker_log(id),
                                   kept / ("broker-" + std::to_string(id) + ".log"),
                                   std::filesystem::copy_options::overwrite_existing, ec);
      }
      if (attempt == 3) throw;
      const std::string what = e.what();
      out_ << " failed (" << what.substr(0, what.find('\n')) << "; see " << kept.string()
           << "); retrying..." << std::flush;
      check_interrupt();
    }
  }
  out_ << " ready in " << std::fixed << std::setprecision(1) << cluster_->startup_seconds() << " s"
       << std::endl;
}

void ConfigurationRun::create_topic() {
  cluster::KafkaAdmin admin(cluster_->bootstrap());
  try {
    admin.create_topic(c_.topic.name, c_.topic.partitions, c_.topic.replication_factor,
                       c_.topic.config);
  } catch (const HarnessError& e) {
    // The broker judges topic settings; a refusal is bad input.
    throw UserError(std::string("topic settings ($.topic.config) refused by Kafka: ") + e.what());
  }
  if (!faults::wait_isr_full(*cluster_, c_.topic.name, 30s)) {
    throw HarnessError("topic " + c_.topic.name + " has no leader or a short ISR after 30 s");
  }
}

int ConfigurationRun::partition_count() {
  try {
    auto md = cluster::KafkaAdmin(cluster_->bootstrap()).metadata(5s);
    auto it = md.topics.find(c_.topic.name);
    if (it != md.topics.end() && !it->second.empty()) return static_cast<int>(it->second.size());
  } catch (const HarnessError&) {
  }
  return c_.topic.partitions;
}

void ConfigurationRun::journal_fault(faults::FaultEvent e, int index, int target,
                                     const std::string& text) {
  static const std::map<faults::FaultEvent, EventType> kTypes = {
      {faults::FaultEvent::planned, EventType::fault_planned},
      {faults::FaultEvent::injected, EventType::fault_injected},
      {faults::FaultEvent::healed, EventType::fault_healed},
      {faults::FaultEvent::failed, EventType::fault_failed}};
  events_.add(kTypes.at(e), target, text, index);
}

void ConfigurationRun::set_phase(const std::string& name) {
  phase_started_ = Clock::now();
  events_.phase(name);
  if (metrics_) metrics_->phase(name);
}

void ConfigurationRun::update_live_metrics(faults::Scheduler* scheduler) {
  if (!metrics_) return;
  int up = 0;
  for (const auto& b : cluster_->brokers()) up += cluster_->is_running(b.id);
  metrics_->brokers_up(up);
  std::vector<std::pair<std::string, std::string>> active;
  if (scheduler != nullptr) {
    for (const auto& d : scheduler->active()) {
      const auto space = d.find(' ');
      active.emplace_back(d.substr(0, space),
                          space == std::string::npos ? "" : d.substr(space + 1));
    }
  }
  metrics_->faults(active);
}

std::unique_ptr<WorkerProcess> ConfigurationRun::start_worker(const std::string& role,
                                                              const std::string& name,
                                                              nlohmann::json spec) {
  spec["bootstrap"] = cluster_->bootstrap();
  spec["topic"] = c_.topic.name;
  spec["run_id"] = run_id_;
  spec["journal"] = (dir_ / (name + ".journal")).string();
  const auto spec_file = dir_ / (name + ".spec.json");
  std::ofstream(spec_file) << spec.dump(2) << "\n";
  WorkerProcess::EventHandler on_event;
  if (metrics_) {
    on_event = [m = metrics_, name, role](const nlohmann::json& e) { m->observe(name, role, e); };
  }
  auto w = std::make_unique<WorkerProcess>(role, spec_file, cluster_->client_netns(),
                                           dir_ / (name + ".log"), on_event);
  events_.add(EventType::worker_started, static_cast<int32_t>(w->pid()), name);
  return w;
}

void ConfigurationRun::start_consumer() {
  const double bound =
      produce_s_ + c_.timings.recovery_timeout_s + c_.timings.drain_timeout_s + 300;
  const std::string name = "consumer-" + std::to_string(++consumers_started_);
  consumer_ = start_worker("consumer", name,
                           {{"consumer_id", consumers_started_},
                            {"group", c_.consumer.group},
                            {"config", c_.consumer.config},
                            {"commit", scenario::to_string(c_.consumer.commit)},
                            {"batch_size", c_.consumer.batch_size},
                            {"process_delay_ms", c_.consumer.process_delay_ms},
                            {"threads", c_.consumer.threads},
                            {"duration_s", bound}});
  consumer_crashed_ = false;
}

void ConfigurationRun::start_producer(size_t slot, double duration_s) {
  Producer& p = producers_[slot];
  if (p.process) retired_.push_back(std::move(p.process));
  p.id = next_producer_id_++;
  p.crashed = false;
  p.process = start_worker("producer", "producer-" + std::to_string(p.id),
                           {{"producer_id", p.id},
                            {"config", c_.producer.config},
                            {"message_bytes", c_.producer.message_bytes},
                            {"keys", c_.producer.keys},
                            {"rate", c_.producer.rate},
                            {"messages", c_.producer.messages},
                            {"duration_s", std::max(1.0, duration_s)},
                            {"flush_timeout_s", 30.0}});
}

std::string ConfigurationRun::kill_consumer(bool mid_batch, std::chrono::milliseconds into_batch,
                                            std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  while (mid_batch) {
    // Wait for a batch to begin from now on, so that into_batch is measured
    // from its real start, not from whenever an open batch was noticed.
    const int begun = consumer_->count("batch_begin");
    while (consumer_->count("batch_begin") == begun) {
      if (Clock::now() > deadline || !consumer_->running()) {
        throw HarnessError("the consumer began no batch to crash in the middle of within " +
                           std::to_string(wait.count() / 1000) + " s");
      }
      std::this_thread::sleep_for(2ms);
    }
    const int ended = consumer_->count("batch_end");
    std::this_thread::sleep_for(into_batch);
    if (consumer_->count("batch_end") == ended) break;  // still inside that batch
  }
  if (!mid_batch) std::this_thread::sleep_for(into_batch);
  consumer_crashed_ = true;
  consumer_->kill();
  consumer_->wait(10s);
  events_.add(EventType::worker_killed, consumer_->pid(),
              "consumer-" + std::to_string(consumers_started_) + " SIGKILL");
  // The journal says where it really was when it died.
  const auto journal = dir_ / ("consumer-" + std::to_string(consumers_started_) + ".journal");
  const auto open = open_batch(journal);
  if (!open) return "consumer-" + std::to_string(consumers_started_) + " killed between batches";
  return "consumer-" + std::to_string(consumers_started_) + " killed mid-batch after " +
         std::to_string(open->first) + " of " + std::to_string(open->second) + " messages";
}

void ConfigurationRun::restart_consumer() {
  retired_.push_back(std::move(consumer_));
  start_consumer();
}

void ConfigurationRun::kill_producer(int n) {
  Producer& p = producers_.at(n - 1);
  p.crashed = true;
  p.process->kill();
  p.process->wait(10s);
  events_.add(EventType::worker_killed, p.process->pid(),
              "producer-" + std::to_string(p.id) + " SIGKILL");
}

void ConfigurationRun::restart_producer(int n) {
  const double left =
      produce_s_ - std::chrono::duration<double>(Clock::now() - produce_started_).count();
  if (left <= 0) return;
  start_producer(static_cast<size_t>(n - 1), left);
}

void ConfigurationRun::print_progress(const std::string& phase) {
  // Every incarnation counts: workers killed and replaced keep what they did.
  double sent = 0, acked = 0, failed = 0, unknown = 0, consumed = 0, p99 = 0;
  auto add = [&](const WorkerProcess& w) {
    const auto last = latest(w);
    sent += num(last, "sent");
    acked += num(last, "acked");
    failed += num(last, "failed");
    unknown += num(last, "unknown");
    consumed += num(last, "consumed");
  };
  for (const auto& w : retired_) add(*w);
  for (const auto& p : producers_) {
    add(*p.process);
    p99 = std::max(p99, num(latest(*p.process), "p99_ms"));
  }
  std::string waiting;
  if (consumer_) {
    add(*consumer_);
    // A consumer that replaced a crashed one waits for the group to give it
    // partitions (the dead member's session must expire first).
    if (consumer_->running() && num(latest(*consumer_), "assigned_partitions") == 0) {
      waiting = " (consumer-" + std::to_string(consumers_started_) + " has no partitions yet)";
    }
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - phase_started_).count();
  out_ << "  " << std::left << std::setw(9) << phase << std::right << std::setw(5)
       << static_cast<int>(elapsed) << " s  sent " << static_cast<long long>(sent) << "  acked "
       << static_cast<long long>(acked) << "  failed " << static_cast<long long>(failed)
       << "  unknown " << static_cast<long long>(unknown) << "  consumed "
       << static_cast<long long>(consumed) << waiting << "  produce p99 " << std::fixed
       << std::setprecision(1) << p99 << " ms" << std::endl;
}

void ConfigurationRun::check_workers(const std::string& phase) {
  if (consumer_ && !consumer_crashed_ && !consumer_->running()) {
    throw HarnessError("the consumer worker exited during " + phase + " (exit " +
                       std::to_string(consumer_->exit_code()) + "); see " + dir_.string() +
                       "/consumer-*.log.stderr");
  }
  for (const auto& p : producers_) {
    if (!p.crashed && !p.process->running() && p.process->exit_code() != 0) {
      throw HarnessError("producer-" + std::to_string(p.id) + " failed during " + phase +
                         " (exit " + std::to_string(p.process->exit_code()) + "); see its log in " +
                         dir_.string());
    }
  }
}

void ConfigurationRun::phase(const std::string& name, double secs, faults::Scheduler* scheduler) {
  set_phase(name);
  const auto start = Clock::now();
  auto next_print = start + 5s;
  std::vector<std::string> shown;
  while (Clock::now() - start < seconds(secs)) {
    check_interrupt();
    const double t = std::chrono::duration<double>(Clock::now() - start).count();
    if (scheduler != nullptr) {
      scheduler->tick(t);
      const auto active = scheduler->active();
      if (active != shown) {
        out_ << "  " << std::left << std::setw(9) << name << std::right << std::setw(5)
             << static_cast<int>(t)
             << " s  active faults: " << (active.empty() ? "none" : active.front()) << std::endl;
        for (size_t i = 1; i < active.size(); ++i)
          out_ << std::setw(31) << "" << active[i] << std::endl;
        shown = active;
      }
    }
    check_workers(name);
    update_live_metrics(scheduler);
    if (Clock::now() >= next_print) {
      print_progress(name);
      next_print += 5s;
    }
    std::this_thread::sleep_for(100ms);
  }
}

void ConfigurationRun::stop_producers() {
  set_phase("stop-producers");
  for (auto& p : producers_) p.process->stop();
  for (auto& p : producers_) {
    if (!p.process->wait(45s)) {
      events_.add(EventType::worker_killed, p.process->pid(), "producer did not stop within 45 s");
      p.process->kill();
      p.process->wait(10s);
    }
    events_.add(
        EventType::worker_exited, p.process->pid(),
        "producer-" + std::to_string(p.id) + " exit " + std::to_string(p.process->exit_code()));
  }
  print_progress("stopped");
}

void ConfigurationRun::recover() {
  set_phase("recovery");
  // Every fault is healed by now; a broker a fault left down comes back.
  recover_cluster(*cluster_, c_.topic.name, seconds(c_.timings.recovery_timeout_s), events_, out_);
  if (!consumer_->running()) restart_consumer();
}

void ConfigurationRun::drain() {
  set_phase("drain");
  cluster::KafkaAdmin admin(cluster_->bootstrap());
  const int partitions = partition_count();
  const auto deadline = Clock::now() + seconds(c_.timings.drain_timeout_s);
  auto next_print = Clock::now() + 5s;
  bool drained = false;
  while (Clock::now() < deadline && consumer_->running()) {
    check_interrupt();
    const auto marks = admin.watermarks(c_.topic.name, partitions);
    const auto positions = consumer_->last("progress").value("positions", nlohmann::json::object());
    drained = true;
    for (size_t p = 0; p < marks.size(); ++p) {
      const auto [low, high] = marks[p];
      if (high < 0) continue;  // offline: the audit will say so
      const auto key = std::to_string(p);
      const int64_t pos = positions.contains(key) ? positions[key].get<int64_t>() : low;
      // Beyond the high watermark means the log was truncated under the
      // consumer and it has not re-read it yet: not drained.
      drained = drained && (high <= low || pos == high);
    }
    if (drained) break;
    if (Clock::now() >= next_print) {
      print_progress("drain");
      next_print += 5s;
    }
    std::this_thread::sleep_for(500ms);
  }
  if (!drained) {
    events_.add(EventType::note, -1, "drain timed out");
    out_ << "  drain: the consumer did not reach the high watermarks within "
         << c_.timings.drain_timeout_s << " s; the rest is reported as unconsumed" << std::endl;
  }
  consumer_->stop();
  if (!consumer_->wait(60s)) {
    consumer_->kill();
    consumer_->wait(10s);
  }
  events_.add(EventType::worker_exited, consumer_->pid(),
              "consumer exit " + std::to_string(consumer_->exit_code()));
  print_progress("drained");
}

void ConfigurationRun::audit() {
  set_phase("audit");
  audit_log(*cluster_, {dir_, run_id_, c_.topic.name, c_.consumer.group}, events_, out_);
}

void ConfigurationRun::shut_down(bool keep_data) {
  producers_.clear();
  consumer_.reset();
  if (!cluster_) return;
  try {
    cluster_->down();
  } catch (const std::exception& e) {
    std::cerr << "kchaos: cleaning up the cluster failed: " << e.what() << "\n";
  }
  if (!keep_data) {
    std::error_code ec;
    for (const auto& b : cluster_->brokers())
      std::filesystem::remove_all(cluster_->data_dir(b.id), ec);
  }
}

void ConfigurationRun::run(bool keep_data) {
  struct Down {
    ConfigurationRun* self;
    bool keep;
    ~Down() { self->shut_down(keep); }
  } down{this, keep_data};

  const auto timeline = faults::expand(c_.fault_plan, seed_, c_.timings.faults_s);
  if (!timeline.empty()) {
    out_ << "  fault timeline (seed " << seed_ << ", from the start of the fault phase):\n";
    for (const auto& f : timeline) {
      out_ << "    " << f.index << ". " << f.describe() << "\n";
      events_.add(EventType::fault_planned, -1, f.describe(), f.index);
    }
  }
  start_cluster();
  create_topic();
  produce_s_ = c_.timings.warmup_s + c_.timings.faults_s;
  start_consumer();
  // Producing starts once the consumer group has its partitions.
  const auto deadline = Clock::now() + 60s;
  while (consumer_->count("assigned") == 0) {
    if (!consumer_->running() || Clock::now() > deadline) {
      throw HarnessError("the consumer was not assigned partitions within 60 s; see " +
                         (dir_ / "consumer-1.log").string());
    }
    check_interrupt();
    std::this_thread::sleep_for(100ms);
  }
  produce_started_ = Clock::now();
  producers_.resize(c_.producer.workers);
  for (size_t i = 0; i < producers_.size(); ++i) start_producer(i, produce_s_);

  phase("warm-up", c_.timings.warmup_s, nullptr);
  {
    faults::FaultContext ctx{*cluster_, c_.topic.name, this, &rng_,
                             [this](faults::FaultEvent e, int index, int target,
                                    const std::string& text) { journal_fault(e, index, target, text); }};
    faults::Scheduler scheduler(timeline, ctx);
    phase("faults", c_.timings.faults_s, &scheduler);
    scheduler.finish();
  }
  stop_producers();
  recover();
  drain();
  audit();
  set_phase("done");
}

}  // namespace kchaos::run
