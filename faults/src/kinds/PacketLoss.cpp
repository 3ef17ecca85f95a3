// packet-loss: each packet to or from the target brokers (but loopback) is
// dropped with the given probability (iptables statistic; this kernel has
// no netem).

#include <sstream>

#include "Kinds.h"
#include "kchaos/cluster/RuleSet.h"

namespace kchaos::faults {
namespace {

class PacketLoss : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    brokers_ = resolve(ctx, spec_, rng(ctx));
    rules_ = cluster::RuleSet(rule_tag());
    std::ostringstream p;
    p << spec_.param("probability").get<double>();
    for (int id : brokers_) {
      const auto self = ctx.cluster.broker(id);
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

std::unique_ptr<Fault> make(const FaultSpec& s) { return std::make_unique<PacketLoss>(s); }

}  // namespace

extern const Factory kPacketLoss = {"packet-loss", make};

}  // namespace kchaos::faults
