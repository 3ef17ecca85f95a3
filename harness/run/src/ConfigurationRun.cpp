#include "kchaos/run/ConfigurationRun.h"

#include <map>
#include <ostream>
#include <thread>

#include "kchaos/faults/Scheduler.h"
#include "kchaos/run/ClusterSession.h"
#include "kchaos/run/Interrupt.h"
#include "kchaos/run/Recovery.h"
#include "kchaos/run/WorkerSet.h"

namespace kchaos::run {
namespace {

using Clock = std::chrono::steady_clock;
using journal::EventType;
using namespace std::chrono_literals;

}  // namespace

ConfigurationRun::ConfigurationRun(const scenario::Configuration& c, std::filesystem::path dir,
                                   uint64_t run_id, uint64_t seed, int lane, std::ostream& out,
                                   std::function<void(const std::string&)> echo,
                                   metrics::ConfigurationMetrics* metrics)
    : c_(c),
      dir_(std::move(dir)),
      run_id_(run_id),
      seed_(seed),
      lane_(lane),
      out_(out),
      metrics_(metrics),
      timeouts_(c),
      events_(dir_ / "events.journal", run_id),
      progress_(out, events_, metrics, std::move(echo)),
      rng_(seed) {}

void ConfigurationRun::journal_fault(faults::FaultEvent e, int index, int target,
                                     const std::string& text) {
  static const std::map<faults::FaultEvent, EventType> kTypes = {
      {faults::FaultEvent::planned, EventType::fault_planned},
      {faults::FaultEvent::begun, EventType::fault_begun},
      {faults::FaultEvent::injected, EventType::fault_injected},
      {faults::FaultEvent::healed, EventType::fault_healed},
      {faults::FaultEvent::failed, EventType::fault_failed}};
  events_.add(kTypes.at(e), target, text, index);
}

// The timeline, printed and journaled before anything starts: a run that
// dies early still records what it meant to do.
std::vector<faults::FaultSpec> ConfigurationRun::plan() {
  const auto timeline = plan::expand(c_.fault_plan, seed_, c_.timings.faults_s);
  if (timeline.empty()) return timeline;
  out_ << "  fault timeline (seed " << seed_ << ", from the start of the fault phase):\n";
  for (const auto& f : timeline) {
    out_ << "    " << f.index << ". " << f.describe() << "\n";
    journal_fault(faults::FaultEvent::planned, f.index, -1, f.describe());
  }
  return timeline;
}

void ConfigurationRun::phase(const std::string& name, double secs, WorkerSet& workers,
                             cluster::Cluster& cluster, faults::Scheduler* scheduler) {
  progress_.phase(name);
  auto next_print = Clock::now() + 5s;
  while (progress_.elapsed() < secs) {
    check_interrupt();
    if (scheduler != nullptr) {
      scheduler->tick(progress_.elapsed());
      progress_.faults(scheduler->active());
    }
    workers.check(name);
    progress_.brokers_up(cluster);
    if (Clock::now() >= next_print) {
      progress_.print(workers.totals());
      next_print += 5s;
    }
    std::this_thread::sleep_for(100ms);
  }
}

void ConfigurationRun::fault_phase(const std::vector<faults::FaultSpec>& timeline,
                                   WorkerSet& workers, cluster::Cluster& cluster) {
  faults::FaultContext ctx{
      cluster, c_.topic.name, &workers, &rng_,
      [this](faults::FaultEvent e, int index, int target, const std::string& text) {
        journal_fault(e, index, target, text);
      }};
  faults::Scheduler scheduler(timeline, ctx, seed_);
  phase("faults", c_.timings.faults_s, workers, cluster, &scheduler);
  // A fault that did not happen is journaled and judged with the rest: the
  // run goes on to recover, drain and audit, so its counts still stand.
  const std::string missed = scheduler.finish(progress_.elapsed());
  progress_.faults({});
  if (!missed.empty()) out_ << "  faults that did not happen:" << missed << std::endl;
}

void ConfigurationRun::run(bool keep_data) {
  const auto timeline = plan();
  progress_.phase("cluster-up");
  ClusterSession session(c_, dir_, lane_, events_, out_, keep_data);
  cluster::Cluster& cluster = session.up();
  WorkerSet workers(
      {c_, dir_, run_id_, cluster.bootstrap(), cluster.client_netns(), events_, metrics_},
      timeouts_);
  workers.start_consumer_and_wait();
  workers.start_producers();
  phase("warm-up", c_.timings.warmup_s, workers, cluster, nullptr);
  fault_phase(timeline, workers, cluster);

  progress_.phase("stop-producers");
  workers.stop_producers();
  progress_.print(workers.totals(), "stopped");
  progress_.phase("recovery");
  // Every fault is healed by now; whatever one left is undone here.
  recover_cluster(cluster, c_.topic.name, timeouts_.recovery, events_, out_);
  workers.ensure_consumer();
  progress_.phase("drain");
  if (!workers.drain([&] { progress_.print(workers.totals()); })) {
    out_ << "  drain: the consumer did not reach the high watermarks within "
         << c_.timings.drain_timeout_s << " s; the rest is reported as unconsumed" << std::endl;
  }
  progress_.print(workers.totals(), "drained");
  progress_.phase("audit");
  audit_log(cluster, {dir_, run_id_, c_.topic.name, c_.consumer.group}, events_, out_);
  progress_.phase("done");
}

}  // namespace kchaos::run
