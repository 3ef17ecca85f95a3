// broker-kill: SIGKILL, restarted with the same data dir when healed.
// lose_data: true also deletes the scenario topic's partition directories on
// the broker, as a replaced disk would (the broker restarts without them).

#include <filesystem>

#include "faults/Kinds.h"

namespace kchaos::faults {
namespace {

class BrokerKill : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    brokers_ = resolve(ctx, spec_);
    const bool lose_data = spec_.params.value("lose_data", false);
    for (int id : brokers_) {
      ctx.cluster.kill(id);
      if (lose_data) {
        const auto dir = ctx.cluster.data_dir(id);
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
          const std::string name = entry.path().filename();
          if (name.rfind(ctx.topic + "-", 0) == 0) std::filesystem::remove_all(entry.path());
        }
      }
    }
    description_ = "broker-kill " + brokers_text(brokers_) + (lose_data ? " (data lost)" : "");
  }
  void do_heal(FaultContext& ctx) override {
    for (int id : brokers_) {
      if (!ctx.cluster.is_running(id)) ctx.cluster.start(id);
    }
  }
};

}  // namespace

std::unique_ptr<Fault> make_broker_kill(const FaultSpec& s) {
  return std::make_unique<BrokerKill>(s);
}

}  // namespace kchaos::faults
