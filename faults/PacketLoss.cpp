// packet-loss: each packet to or from the target brokers (but loopback) is
// dropped with the given probability (iptables statistic; this kernel has
// no netem).

#include <sstream>

#include "faults/Kinds.h"
#include "harness/cluster/RuleSet.h"

namespace kchaos::faults {
namespace {

class PacketLoss : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    brokers_ = resolve(ctx, spec_);
    rules_ = cluster::RuleSet(rule_tag());
    std::ostringstream p;
    p << spec_.params.value("probability", 0.2);
    for (int id : brokers_) {
      const auto self = handle_of(ctx.cluster, id);
      for (auto [chain, dir] : {std::pair{"INPUT", "-i"}, std::pair{"OUTPUT", "-o"}}) {
        rules_.add(self, {chain, "!", dir, "lo", "-m", "statistic", "--mode", "random",
                          "--probability", p.str(), "-j", "DROP"});
      }
    }
    description_ = "packet-loss " + p.str() + " " + brokers_text(brokers_);
  }
  void do_heal(FaultContext&) override { rules_.remove_all(); }

 private:
  cluster::RuleSet rules_;
};

}  // namespace

std::unique_ptr<Fault> make_packet_loss(const FaultSpec& s) {
  return std::make_unique<PacketLoss>(s);
}

}  // namespace kchaos::faults
