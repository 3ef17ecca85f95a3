#include "kchaos/faults/Scheduler.h"

#include <iostream>
#include <random>
#include <sstream>

namespace kchaos::faults {
namespace {

using Clock = std::chrono::steady_clock;

bool ready(const std::future<Clock::time_point>& f) {
  return f.valid() && f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

// The text of a timing event: {"op":"inject","planned_s":12,"began_s":12.03}.
std::string timing(bool inject, double planned, double began) {
  return Json({{"op", inject ? "inject" : "heal"},
               {"planned_s", std::round(planned * 1000) / 1000},
               {"began_s", std::round(began * 1000) / 1000}})
      .dump();
}

}  // namespace

Scheduler::Scheduler(std::vector<FaultSpec> timeline, FaultContext& ctx, uint64_t seed,
                     Factory factory)
    : ctx_(ctx) {
  std::mt19937_64 seeds(seed);
  for (auto& spec : timeline) {
    auto fault = factory(spec);
    fault->seed(seeds());
    Entry& e = entries_.emplace_back();
    e.spec = std::move(spec);
    e.fault = std::move(fault);
  }
}

Scheduler::~Scheduler() {
  for (auto& e : entries_) {
    if (e.op.valid()) e.op.wait();
  }
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    try {
      it->fault->heal(ctx_);
    } catch (const std::exception& ex) {
      std::cerr << "kchaos: healing " << it->spec.describe() << " failed: " << ex.what() << "\n";
    }
  }
}

void Scheduler::begin(Entry& e, bool inject, double planned, double t) {
  max_lateness_ = std::max(max_lateness_, t - planned);
  if (ctx_.journal) ctx_.journal(FaultEvent::begun, e.spec.index, -1, timing(inject, planned, t));
  e.state = inject ? State::injecting : State::healing;
  Fault* fault = e.fault.get();
  FaultContext* ctx = &ctx_;
  e.op = std::async(std::launch::async, [fault, ctx, inject] {
    if (inject) {
      fault->inject(*ctx);
    } else {
      fault->heal(*ctx);
    }
    return Clock::now();
  });
}

double Scheduler::now() const {
  return std::chrono::duration<double>(Clock::now() - origin_).count();
}

void Scheduler::collect(Entry& e, double t) {
  if (!ready(e.op)) return;
  const bool injecting = e.state == State::injecting;
  try {
    const auto ended = e.op.get();
    // When it ended, in the phase's seconds (t is now).
    const double at = t - std::chrono::duration<double>(Clock::now() - ended).count();
    if (injecting) {
      // The duration runs from when the fault is in place (a consumer crash
      // may wait for a batch, a rolling restart takes a while).
      e.injected_at = at;
      e.state = State::active;
      e.shown = {e.spec.type, e.fault->target_text(), e.fault->description()};
    } else {
      e.state = State::done;
    }
  } catch (const std::exception& ex) {
    if (!injecting) {
      e.state = State::failed;
      failed(e, std::string("healing failed: ") + ex.what());
      return;
    }
    // A target may be briefly unresolvable (an election in progress).
    if (e.first_failure < 0) e.first_failure = t;
    e.last_error = ex.what();
    if (t - e.first_failure > kRetry) {
      e.state = State::failed;
      failed(e, e.last_error + " (tried for " + std::to_string(static_cast<int>(kRetry)) + " s)");
    } else {
      e.state = State::pending;
      e.retry_at = t + kRetryPause;
    }
  }
}

void Scheduler::tick(double t) {
  origin_ = Clock::now() - std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(t));
  for (auto& e : entries_) {
    if (e.state == State::injecting || e.state == State::healing) collect(e, t);
    if (e.state == State::pending && t >= e.spec.at_s && t >= e.retry_at) {
      // A retry is due when the try before it failed, not at the plan.
      begin(e, true, std::max(e.spec.at_s, e.retry_at), t);
    } else if (e.state == State::active && e.spec.duration_s >= 0 &&
               t >= e.injected_at + e.spec.duration_s) {
      begin(e, false, e.injected_at + e.spec.duration_s, t);
    }
  }
}

void Scheduler::failed(Entry& e, const std::string& error) {
  e.last_error = error;
  if (ctx_.journal) ctx_.journal(FaultEvent::failed, e.spec.index, -1, error);
}

std::string Scheduler::finish(double t) {
  tick(t);
  // What is under way ends first (a roll still restarting brokers).
  for (auto& e : entries_) {
    if (e.op.valid()) e.op.wait();
    collect(e, now());
  }
  // Newest first: faults on one broker unwind in the order they were laid.
  // Their plan is the end of the phase, or when the last operation ended.
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->state != State::active) continue;
    const double planned = now();
    begin(*it, false, planned, planned);
    it->op.wait();
    collect(*it, now());
  }
  std::ostringstream missed;
  for (auto& e : entries_) {
    if (e.state == State::done) continue;
    if (e.state == State::pending) {
      failed(e, "never injected: " + (e.last_error.empty()
                                          ? std::string("its time did not come within the fault phase")
                                          : e.last_error));
    }
    missed << "\n  " << e.spec.describe() << ": " << e.last_error;
    e.state = State::failed;
  }
  return missed.str();
}

std::vector<ActiveFault> Scheduler::active() const {
  std::vector<ActiveFault> out;
  for (const auto& e : entries_) {
    if (e.state == State::active || e.state == State::healing) out.push_back(e.shown);
    // Its own description is the operation's to write until it ends.
    if (e.state == State::injecting) {
      out.push_back({e.spec.type, e.spec.target.empty() ? "-" : e.spec.target,
                     e.spec.describe() + " (being injected)"});
    }
  }
  return out;
}

double Scheduler::max_lateness() const { return max_lateness_; }

}  // namespace kchaos::faults
