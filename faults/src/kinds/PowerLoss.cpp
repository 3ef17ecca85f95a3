// power-loss: the broker and its filesystem die at one instant, and every
// write the broker never fsynced is gone (its data is on kchaos-pagefs, which
// kchaos mounts for scenarios with this fault). Heal restarts it on what was
// durable, unless another fault still holds it down.

#include "Kinds.h"

namespace kchaos::faults {
namespace {

class PowerLoss : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    brokers_ = resolve(ctx, spec_, rng(ctx));
    const auto guard = ctx.holds.guard(brokers_);
    ctx.cluster.power_loss(brokers_);
    // Already down: the holds only keep them down until heal.
    for (int id : brokers_) ctx.holds.take_down(id, this);
    description_ = "power-loss " + brokers_text(brokers_);
  }
  void do_heal(FaultContext& ctx) override {
    for (int id : brokers_) ctx.holds.release_down(id, this);
  }
};

std::unique_ptr<Fault> make(const FaultSpec& s) { return std::make_unique<PowerLoss>(s); }

}  // namespace

extern const Factory kPowerLoss = {"power-loss", make};

}  // namespace kchaos::faults
