// broker-pause: SIGSTOP, SIGCONT when healed (a GC pause, a zombie leader),
// unless another fault still holds it paused.

#include "Kinds.h"

namespace kchaos::faults {
namespace {

class BrokerPause : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    brokers_ = resolve(ctx, spec_, rng(ctx));
    for (int id : brokers_) ctx.holds.pause(id, this);
    description_ = "broker-pause " + brokers_text(brokers_);
  }
  void do_heal(FaultContext& ctx) override {
    for (int id : brokers_) ctx.holds.release_pause(id, this);
  }
};

std::unique_ptr<Fault> make(const FaultSpec& s) { return std::make_unique<BrokerPause>(s); }

}  // namespace

extern const Factory kBrokerPause = {"broker-pause", make};

}  // namespace kchaos::faults
