#pragma once
// A fault is a type with inject and heal; the Scheduler injects and heals
// faults on a seeded timeline and heals what is active on every exit path.

#include <chrono>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>
#include "kchaos/common/Json.h"

#include "kchaos/cluster/Cluster.h"
#include "kchaos/faults/BrokerHolds.h"
#include "kchaos/plan/Plan.h"

namespace kchaos::faults {

/// The faults act on the plan's specs.
using plan::FaultSpec;

/// What faults that act on clients need from the run loop.
class WorkerControl {
 public:
  virtual ~WorkerControl() = default;
  /// SIGKILLs the consumer. With mid_batch, waits (up to wait) for a batch
  /// to begin, lets it run into_batch, and kills it only while that batch is
  /// still open. Returns where the consumer really was, from its journal.
  virtual std::string kill_consumer(bool mid_batch, std::chrono::milliseconds into_batch,
                                    std::chrono::milliseconds wait) = 0;
  virtual void restart_consumer() = 0;
  virtual int producer_count() const = 0;
  /// SIGKILLs producer worker n (1-based); its in-flight sends stay unknown.
  virtual void kill_producer(int n) = 0;
  /// Starts producer worker n again, with a fresh producer id and seq range.
  virtual void restart_producer(int n) = 0;
};

/// What the journal records of a fault: begun is the start of an injection
/// or a heal, with its planned time (text: {"op","planned_s","began_s"}).
enum class FaultEvent { planned, begun, injected, healed, failed };

/// Everything a fault may act on. Several faults' injections and heals run
/// at once (Scheduler): what they share here is safe to use from several
/// threads (the cluster's actions on one broker are ordered by holds).
struct FaultContext {
  cluster::Cluster& cluster;
  std::string topic;
  WorkerControl* workers = nullptr;
  /// Random targets of faults that have no random source of their own.
  std::mt19937_64* rng = nullptr;
  /// Journals an event of fault `index` (FaultSpec::index): its target (a
  /// broker id or -1) and text (plan, description or error).
  std::function<void(FaultEvent, int index, int target, const std::string& text)> journal;
  /// Who holds which broker down or paused, shared by every fault.
  BrokerHolds holds{cluster};
};

class Fault {
 public:
  explicit Fault(FaultSpec spec) : spec_(std::move(spec)) {}
  virtual ~Fault() = default;
  Fault(const Fault&) = delete;
  Fault& operator=(const Fault&) = delete;

  const FaultSpec& spec() const { return spec_; }
  bool active() const { return active_; }
  /// Gives the fault a random source of its own (for random targets).
  void seed(uint64_t seed) { rng_.seed(seed), seeded_ = true; }
  /// What the injection did, with resolved targets ("broker-kill broker 2").
  const std::string& description() const { return description_; }
  /// What it acts on now, for the live metrics: "broker 2", "brokers 1,3",
  /// or, for faults on clients and topics, what they name.
  virtual std::string target_text() const;

  /// Resolves targets from live metadata and injects; journals it.
  void inject(FaultContext& ctx);
  /// Undoes exactly what inject did; journals it. Does nothing if not active.
  void heal(FaultContext& ctx);

 protected:
  virtual void do_inject(FaultContext& ctx) = 0;
  virtual void do_heal(FaultContext& ctx) = 0;
  /// The journal's target for this fault (a broker id, or -1).
  virtual int journal_target() const { return brokers_.empty() ? -1 : brokers_.front(); }
  /// The tag that marks this fault's iptables rules as its own.
  std::string rule_tag() const { return "kchaos-fault-" + std::to_string(spec_.index); }
  /// Its own random source when seeded, else the context's.
  std::mt19937_64& rng(FaultContext& ctx) { return seeded_ ? rng_ : *ctx.rng; }

  FaultSpec spec_;
  std::vector<int> brokers_;  // resolved targets, if the fault acts on brokers
  std::string description_;

 private:
  bool active_ = false;
  bool seeded_ = false;
  std::mt19937_64 rng_;
};

/// The fault for a spec (its kind's factory, src/Registry.cpp); throws
/// UserError for an unknown type.
std::unique_ptr<Fault> make_fault(const FaultSpec& spec);

/// Whether make_fault knows the kind (every kind of plan::fault_kinds()).
bool can_make(const std::string& kind);

}  // namespace kchaos::faults
