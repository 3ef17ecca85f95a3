#include "harness/run/RunLoop.h"

#include <signal.h>

#include <atomic>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>
#include <thread>

#include "harness/Error.h"
#include "harness/cluster/KafkaAdmin.h"
#include "harness/cluster/LocalCluster.h"
#include "harness/run/EventLog.h"
#include "harness/run/WorkerProcess.h"
#include "reports/Limit.h"
#include "reports/Reconcile.h"
#include "reports/Render.h"

namespace kchaos::run {
namespace {

using Clock = std::chrono::steady_clock;
using journal::EventType;
using namespace std::chrono_literals;

std::atomic<int> g_interrupt{0};

void check_interrupt() {
  if (g_interrupt.load() != 0) {
    throw HarnessError("interrupted by signal " + std::to_string(g_interrupt.load()) +
                       "; the cluster and workers were stopped");
  }
}

void sleep_for(std::chrono::milliseconds d) {
  const auto until = Clock::now() + d;
  while (Clock::now() < until) {
    check_interrupt();
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
        100ms, std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()) + 1ms));
  }
}

std::chrono::milliseconds seconds(double s) {
  return std::chrono::milliseconds(static_cast<long long>(s * 1000));
}

std::string slug(size_t index, const std::string& name) {
  std::string s = std::to_string(index + 1) + "-";
  for (char c : name) s += (std::isalnum(static_cast<unsigned char>(c)) || c == '.') ? c : '_';
  return s.substr(0, 100);
}

void write_json(const std::filesystem::path& file, const nlohmann::ordered_json& j) {
  const auto tmp = file.string() + ".tmp";
  std::ofstream(tmp) << j.dump(2) << "\n";
  std::filesystem::rename(tmp, file);
}

double num(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0;
}

// Everything one configuration needs while it runs.
class ConfigurationRun {
 public:
  ConfigurationRun(const scenario::Configuration& c, std::filesystem::path dir, uint64_t run_id,
                   std::ostream& out)
      : c_(c), dir_(std::move(dir)), run_id_(run_id), out_(out), events_(dir_ / "events.journal", run_id) {}

  void run(bool keep_data);

 private:
  void start_cluster();
  void create_topic();
  std::unique_ptr<WorkerProcess> start_worker(const std::string& role, const std::string& name,
                                              nlohmann::json spec);
  void phase(const std::string& name, double seconds);
  void print_progress(const std::string& phase, double elapsed);
  void stop_producers();
  void recover();
  void drain();
  void audit();

  const scenario::Configuration& c_;
  std::filesystem::path dir_;
  uint64_t run_id_;
  std::ostream& out_;
  EventLog events_;
  std::unique_ptr<cluster::LocalCluster> cluster_;
  std::unique_ptr<WorkerProcess> consumer_;
  std::vector<std::unique_ptr<WorkerProcess>> producers_;
};

void ConfigurationRun::start_cluster() {
  cluster::ClusterSpec spec;
  spec.brokers = c_.cluster.brokers;
  spec.kafka_version = c_.cluster.kafka_version;
  spec.heap_mb = c_.cluster.heap_mb;
  spec.overrides = c_.cluster.broker_config;
  spec.dir = dir_ / "cluster";
  cluster_ = std::make_unique<cluster::LocalCluster>(spec);
  events_.phase("cluster-up");
  out_ << "  starting " << spec.brokers << " Kafka " << spec.kafka_version << " brokers..."
       << std::flush;
  cluster_->up();
  out_ << " ready in " << std::fixed << std::setprecision(1) << cluster_->startup_seconds()
       << " s" << std::endl;
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
  const auto deadline = Clock::now() + 30s;
  while (Clock::now() < deadline) {
    check_interrupt();
    try {
      auto md = admin.metadata(2s);
      const auto& parts = md.topics[c_.topic.name];
      bool ready = static_cast<int>(parts.size()) == c_.topic.partitions;
      for (const auto& p : parts) ready = ready && p.leader >= 0;
      if (ready) return;
    } catch (const HarnessError&) {
    }
    std::this_thread::sleep_for(200ms);
  }
  throw HarnessError("topic " + c_.topic.name + " has partitions without a leader after 30 s");
}

std::unique_ptr<WorkerProcess> ConfigurationRun::start_worker(const std::string& role,
                                                              const std::string& name,
                                                              nlohmann::json spec) {
  spec["bootstrap"] = cluster_->bootstrap();
  spec["topic"] = c_.topic.name;
  spec["run_id"] = run_id_;
  spec["journal"] = (dir_ / (name + ".journal")).string();
  const auto spec_file = dir_ / (name + ".spec.json");
  write_json(spec_file, spec);
  auto w = std::make_unique<WorkerProcess>(role, spec_file, cluster_->client_netns(),
                                           dir_ / (name + ".log"));
  events_.add(EventType::worker_started, static_cast<int32_t>(w->pid()), name);
  return w;
}

void ConfigurationRun::print_progress(const std::string& phase, double elapsed) {
  double sent = 0, acked = 0, failed = 0, unknown = 0, p99 = 0;
  // A worker's final "done" event supersedes its last progress.
  auto latest = [](const WorkerProcess& w) {
    auto done = w.last("done");
    return done.is_null() ? w.last("progress") : done;
  };
  for (const auto& p : producers_) {
    const auto last = latest(*p);
    sent += num(last, "sent");
    acked += num(last, "acked");
    failed += num(last, "failed");
    unknown += num(last, "unknown");
    p99 = std::max(p99, num(last, "p99_ms"));
  }
  const auto c = consumer_ ? latest(*consumer_) : nlohmann::json();
  out_ << "  " << std::left << std::setw(9) << phase << std::right << std::setw(5)
       << static_cast<int>(elapsed) << " s  sent " << static_cast<long long>(sent) << "  acked "
       << static_cast<long long>(acked) << "  failed " << static_cast<long long>(failed)
       << "  unknown " << static_cast<long long>(unknown) << "  consumed "
       << static_cast<long long>(num(c, "consumed")) << "  produce p99 " << std::setprecision(1)
       << p99 << " ms" << std::endl;
}

void ConfigurationRun::phase(const std::string& name, double secs) {
  events_.phase(name);
  const auto start = Clock::now();
  auto next_print = start + 5s;
  while (Clock::now() - start < seconds(secs)) {
    sleep_for(std::min<std::chrono::milliseconds>(
        500ms, std::chrono::duration_cast<std::chrono::milliseconds>(seconds(secs) -
                                                                     (Clock::now() - start)) + 1ms));
    if (consumer_ && !consumer_->running()) {
      throw HarnessError("the consumer worker exited during " + name + " (exit " +
                         std::to_string(consumer_->exit_code()) + "); see " +
                         (dir_ / "consumer-1.log.stderr").string());
    }
    for (const auto& p : producers_) {
      if (!p->running() && p->exit_code() != 0) {
        throw HarnessError("a producer worker failed during " + name + " (exit " +
                           std::to_string(p->exit_code()) + "); see its log in " + dir_.string());
      }
    }
    if (Clock::now() >= next_print) {
      print_progress(name, std::chrono::duration<double>(Clock::now() - start).count());
      next_print += 5s;
    }
  }
}

void ConfigurationRun::stop_producers() {
  events_.phase("stop-producers");
  for (auto& p : producers_) p->stop();
  for (auto& p : producers_) {
    if (!p->wait(45s)) {
      events_.add(EventType::worker_killed, p->pid(), "producer did not stop within 45 s");
      p->kill();
      p->wait(10s);
    }
    events_.add(EventType::worker_exited, p->pid(), "producer exit " + std::to_string(p->exit_code()));
  }
  print_progress("stopped", 0);
}

void ConfigurationRun::recover() {
  events_.phase("recovery");
  // Faults are healed by then; what remains is to let the cluster settle.
  for (const auto& b : cluster_->brokers()) {
    cluster_->heal(b.id);
    cluster_->resume(b.id);
  }
  const auto deadline = Clock::now() + seconds(c_.timings.recovery_timeout_s);
  cluster::KafkaAdmin admin(cluster_->bootstrap());
  while (Clock::now() < deadline) {
    check_interrupt();
    try {
      auto md = admin.metadata(2s);
      bool whole = static_cast<int>(md.brokers.size()) == c_.cluster.brokers;
      for (const auto& p : md.topics[c_.topic.name]) {
        whole = whole && p.leader >= 0 && p.isr.size() == p.replicas.size();
      }
      if (whole) return;
    } catch (const HarnessError&) {
    }
    std::this_thread::sleep_for(500ms);
  }
  events_.add(EventType::note, -1, "recovery timed out: brokers or ISR not whole");
  out_ << "  recovery: not every broker and replica is back after " << c_.timings.recovery_timeout_s
       << " s; going on" << std::endl;
}

void ConfigurationRun::drain() {
  events_.phase("drain");
  cluster::KafkaAdmin admin(cluster_->bootstrap());
  const auto deadline = Clock::now() + seconds(c_.timings.drain_timeout_s);
  auto next_print = Clock::now() + 5s;
  while (Clock::now() < deadline && consumer_->running()) {
    check_interrupt();
    const auto marks = admin.watermarks(c_.topic.name, c_.topic.partitions);
    const auto positions = consumer_->last("progress").value("positions", nlohmann::json::object());
    bool drained = true;
    for (size_t p = 0; p < marks.size(); ++p) {
      const auto [low, high] = marks[p];
      if (high < 0) continue;  // offline: the audit will say so
      const auto key = std::to_string(p);
      const int64_t pos = positions.contains(key) ? positions[key].get<int64_t>() : low;
      drained = drained && (high <= low || pos >= high);
    }
    if (drained) break;
    if (Clock::now() >= next_print) {
      print_progress("drain", 0);
      next_print += 5s;
    }
    std::this_thread::sleep_for(500ms);
  }
  if (Clock::now() >= deadline) {
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
  print_progress("drained", 0);
}

void ConfigurationRun::audit() {
  events_.phase("audit");
  auto a = start_worker("audit", "audit",
                        {{"group", c_.consumer.group}, {"timeout_s", 120.0}});
  if (!a->wait(240s)) {
    a->kill();
    throw HarnessError("the audit did not finish within 240 s");
  }
  if (a->exit_code() != 0) {
    throw HarnessError("the audit failed (exit " + std::to_string(a->exit_code()) + "); see " +
                       (dir_ / "audit.log.stderr").string());
  }
  const auto done = a->last("done");
  out_ << "  audit: " << static_cast<long long>(num(done, "records")) << " records, "
       << static_cast<int>(num(done, "complete")) << " of "
       << static_cast<int>(num(done, "partitions")) << " partitions fully read" << std::endl;
}

void ConfigurationRun::run(bool keep_data) {
  start_cluster();
  struct Down {
    ConfigurationRun* self;
    bool keep;
    ~Down() {
      self->producers_.clear();
      self->consumer_.reset();
      try {
        self->cluster_->down();
      } catch (const std::exception& e) {
        std::cerr << "kchaos: cleaning up the cluster failed: " << e.what() << "\n";
      }
      if (!keep) {
        std::error_code ec;
        for (const auto& b : self->cluster_->brokers()) {
          std::filesystem::remove_all(
              self->dir_ / "cluster" / ("broker-" + std::to_string(b.id)) / "data", ec);
        }
      }
    }
  } down{this, keep_data};

  create_topic();
  const double produce_s = c_.timings.warmup_s + c_.timings.faults_s;
  const double consumer_bound = produce_s + c_.timings.recovery_timeout_s +
                                c_.timings.drain_timeout_s + 300;
  consumer_ = start_worker("consumer", "consumer-1",
                           {{"consumer_id", 1},
                            {"group", c_.consumer.group},
                            {"config", c_.consumer.config},
                            {"commit", scenario::to_string(c_.consumer.commit)},
                            {"batch_size", c_.consumer.batch_size},
                            {"process_delay_ms", c_.consumer.process_delay_ms},
                            {"threads", c_.consumer.threads},
                            {"duration_s", consumer_bound}});
  // Producing starts once the consumer group has its partitions.
  const auto deadline = Clock::now() + 60s;
  while (consumer_->count("assigned") == 0) {
    if (!consumer_->running() || Clock::now() > deadline) {
      throw HarnessError("the consumer was not assigned partitions within 60 s; see " +
                         (dir_ / "consumer-1.log").string());
    }
    sleep_for(100ms);
  }
  for (int i = 1; i <= c_.producer.workers; ++i) {
    producers_.push_back(start_worker("producer", "producer-" + std::to_string(i),
                                      {{"producer_id", i},
                                       {"config", c_.producer.config},
                                       {"message_bytes", c_.producer.message_bytes},
                                       {"keys", c_.producer.keys},
                                       {"rate", c_.producer.rate},
                                       {"messages", c_.producer.messages},
                                       {"duration_s", produce_s},
                                       {"flush_timeout_s", 30.0}}));
  }
  phase("warm-up", c_.timings.warmup_s);
  phase("faults", c_.timings.faults_s);
  stop_producers();
  recover();
  drain();
  audit();
  events_.phase("done");
}

void on_interrupt(int sig) { g_interrupt.store(sig); }

}  // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

void write_reports(const reports::Report& report, const std::filesystem::path& dir) {
  write_json(dir / "report.json", reports::to_json(report));
  std::ofstream(dir / "report.md") << reports::to_markdown(report);
  std::ofstream(dir / "junit.xml") << reports::to_junit(report);
}

namespace {

reports::ConfigurationResult result_for(const scenario::Configuration& c,
                                        const std::filesystem::path& dir) {
  reports::ConfigurationResult r;
  r.name = c.name;
  r.parameters = nlohmann::json::parse(c.parameters.dump());
  for (const auto& [name, limit] : c.expect.items()) r.expect[name] = reports::parse_limit(limit);
  (void)dir;
  return r;
}

}  // namespace

reports::Report run_scenario(const scenario::Scenario& scenario, const RunOptions& options,
                             std::ostream& out) {
  std::filesystem::create_directories(options.out);
  std::mt19937_64 rng(options.seed);
  reports::Report report;
  report.scenario = scenario.name;
  report.seed = options.seed;
  const uint64_t run_id = std::random_device{}() ^ (rng() << 1);
  report.run_id = std::to_string(run_id);

  nlohmann::ordered_json run = {{"scenario", scenario.name},
                                {"file", scenario.file.string()},
                                {"description", scenario.description},
                                {"seed", options.seed},
                                {"run_id", report.run_id},
                                {"configurations", nlohmann::json::array()}};
  for (size_t i = 0; i < scenario.configurations.size(); ++i) {
    run["configurations"].push_back(
        {{"name", scenario.configurations[i].name}, {"dir", slug(i, scenario.configurations[i].name)}});
  }
  write_json(options.out / "run.json", run);

  for (size_t i = 0; i < scenario.configurations.size(); ++i) {
    const auto& c = scenario.configurations[i];
    const auto dir = options.out / slug(i, c.name);
    std::filesystem::create_directories(dir);
    write_json(dir / "config.json", {{"name", c.name},
                                     {"parameters", c.parameters},
                                     {"expect", c.expect},
                                     {"configuration", c.resolved}});
    out << "[" << (i + 1) << "/" << scenario.configurations.size() << "] " << c.name << std::endl;
    auto result = result_for(c, dir);
    const auto started = Clock::now();
    try {
      ConfigurationRun(c, dir, run_id, out).run(options.keep_data);
      result.verdict = reports::reconcile(reports::ConfigurationFiles::in_directory(dir));
      reports::evaluate(result);
    } catch (const UserError&) {
      throw;
    } catch (const std::exception& e) {
      result.error = e.what();
      result.passed = false;
      out << "  error: " << e.what() << std::endl;
    }
    result.duration_seconds = std::chrono::duration<double>(Clock::now() - started).count();
    report.configurations.push_back(std::move(result));
    write_reports(report, options.out);
    if (g_interrupt.load() != 0) break;
  }
  return report;
}

reports::Report reconcile_run(const std::filesystem::path& run_dir) {
  std::ifstream in(run_dir / "run.json");
  if (!in) throw UserError(run_dir.string() + " is not a kchaos run directory (no run.json)");
  const auto run = nlohmann::json::parse(in);
  reports::Report report;
  report.scenario = run.at("scenario");
  report.seed = run.at("seed");
  report.run_id = run.at("run_id");
  // Durations and harness errors are not in the journals: keep them from the
  // report written at run time, if there is one.
  std::optional<reports::Report> earlier;
  if (std::ifstream r(run_dir / "report.json"); r) {
    earlier = reports::report_from_json(nlohmann::json::parse(r));
  }
  for (size_t i = 0; i < run.at("configurations").size(); ++i) {
    const auto& entry = run["configurations"][i];
    const auto dir = run_dir / entry.at("dir").get<std::string>();
    std::ifstream cin(dir / "config.json");
    if (!cin) throw UserError((dir / "config.json").string() + " is missing");
    const auto config = nlohmann::json::parse(cin);
    reports::ConfigurationResult r;
    r.name = config.at("name");
    r.parameters = config.at("parameters");
    for (const auto& [name, limit] : config.at("expect").items()) {
      r.expect[name] = reports::parse_limit(limit);
    }
    if (earlier && i < earlier->configurations.size()) {
      r.duration_seconds = earlier->configurations[i].duration_seconds;
      r.error = earlier->configurations[i].error;
    }
    if (r.error.empty()) {
      r.verdict = reports::reconcile(reports::ConfigurationFiles::in_directory(dir));
      reports::evaluate(r);
    }
    report.configurations.push_back(std::move(r));
  }
  return report;
}

}  // namespace kchaos::run
