// rolling-restart: every broker in turn, clean (SIGTERM) or hard (SIGKILL),
// waiting for it to register and for the ISR to refill between steps. The
// whole roll happens at injection; healing restarts any broker it left down.
// A broker another fault holds down or paused is left as that fault wants it.

#include <algorithm>

#include "Kinds.h"
#include "kchaos/cluster/KafkaAdmin.h"

namespace kchaos::faults {
namespace {

class RollingRestart : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    const std::string mode = spec_.param("mode").get<std::string>();
    const auto isr_timeout = std::chrono::milliseconds(
        static_cast<long long>(spec_.param("isr_timeout_s").get<double>() * 1000));
    std::vector<int> skipped;
    for (const auto& b : ctx.cluster.brokers()) {
      (ctx.holds.held(b.id) ? skipped : brokers_).push_back(b.id);
    }
    description_ = "rolling-restart " + mode + " " + brokers_text(brokers_);
    if (!skipped.empty()) description_ += " (" + brokers_text(skipped) + " held by another fault)";
    // The next broker goes down only once every broker the roll restarts
    // reports the ISR full (one broker's metadata can lag the others').
    std::vector<cluster::BrokerHandle> rolled;
    for (const auto& b : ctx.cluster.brokers()) {
      if (std::find(brokers_.begin(), brokers_.end(), b.id) != brokers_.end()) rolled.push_back(b);
    }
    for (int id : brokers_) {
      ctx.holds.take_down(id, this, mode != "hard");
      ctx.holds.release_down(id, this);
      ctx.cluster.wait_registered(id, std::chrono::seconds(90));
      cluster::wait_isr_full_on_each(rolled, ctx.topic, isr_timeout);
    }
  }
  void do_heal(FaultContext& ctx) override {
    for (int id : brokers_) ctx.holds.release_down(id, this);
  }
  int journal_target() const override { return -1; }
};

std::unique_ptr<Fault> make(const FaultSpec& s) { return std::make_unique<RollingRestart>(s); }

}  // namespace

extern const Factory kRollingRestart = {"rolling-restart", make};

}  // namespace kchaos::faults
