#pragma once
// The Scheduler injects each fault of a timeline at its time and heals it
// when its duration ends, without ever waiting for one: every injection and
// heal runs on a thread of its own, so a fault that waits for a condition (a
// batch to open, a broker to exit cleanly, an ISR to refill) delays nothing
// else. Faults on one broker still compose in order (BrokerHolds).

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "kchaos/faults/Fault.h"

namespace kchaos::faults {

/// A fault that is active: its kind, what it acts on, what it did.
struct ActiveFault {
  std::string type;
  std::string target;  // "broker 2", "brokers 1,3", "consumer-1", ...
  std::string description;
  bool operator==(const ActiveFault&) const = default;
};

/// Used from one thread (the run loop's); the operations run on their own.
class Scheduler {
 public:
  using Factory = std::function<std::unique_ptr<Fault>(const FaultSpec&)>;

  /// seed gives each fault a random source of its own (random targets), so
  /// the timeline resolves the same whichever operation runs first. factory
  /// makes each fault (the registry's kinds by default; tests give others).
  Scheduler(std::vector<FaultSpec> timeline, FaultContext& ctx, uint64_t seed,
            Factory factory = make_fault);
  /// Waits for the operations in flight and heals whatever is still active.
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  /// At t seconds into the fault phase: collects the operations that ended
  /// and starts every injection and heal that is due. Never blocks on a
  /// fault. An injection that fails (a target briefly unresolvable, an
  /// election in progress) is tried again for kRetry, then journaled as
  /// failed: the fault did not happen, and the run goes on.
  void tick(double t);
  /// The end of the fault phase at t: waits for the operations in flight,
  /// heals every active fault, newest first, and journals as failed every
  /// planned fault that was not injected and healed. Returns what did not
  /// happen, one line each ("" when everything did).
  std::string finish(double t);
  /// The faults active now, and those whose injection is under way.
  std::vector<ActiveFault> active() const;
  /// The most any operation began after its planned time so far, in seconds.
  double max_lateness() const;

  static constexpr double kRetry = 10;       // seconds an injection is retried
  static constexpr double kRetryPause = 0.5;  // seconds between two tries

 private:
  enum class State { pending, injecting, active, healing, done, failed };
  struct Entry {
    FaultSpec spec;
    std::unique_ptr<Fault> fault;
    State state = State::pending;
    // The injection or heal in flight; it yields when it ended.
    std::future<std::chrono::steady_clock::time_point> op;
    double retry_at = 0;          // pending: not before
    double injected_at = -1;      // phase seconds, once injected
    double first_failure = -1;
    std::string last_error;
    ActiveFault shown;  // what active() reports while it is active
  };

  void begin(Entry& e, bool inject, double planned, double t);
  void collect(Entry& e, double t);
  void failed(Entry& e, const std::string& error);

  /// Seconds into the fault phase now (from the last tick's t).
  double now() const;

  std::vector<Entry> entries_;
  FaultContext& ctx_;
  std::chrono::steady_clock::time_point origin_ = std::chrono::steady_clock::now();
  double max_lateness_ = 0;
};

}  // namespace kchaos::faults
