// network-partition, by shape:
//   isolate  the targets lose every link but loopback;
//   split    the targets and the other brokers cannot reach each other
//            (clients and the controller still reach both sides);
//   clients  the targets cannot reach clients, nor clients them;
//   one-way  direction "out": the targets cannot send to the other brokers;
//            "in": they cannot receive from them. An optional port limits
//            the cut to one service (9092 replication, 9093 the quorum).

#include <algorithm>

#include "Kinds.h"
#include "kchaos/cluster/RuleSet.h"

namespace kchaos::faults {
namespace {

class NetworkPartition : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    brokers_ = resolve(ctx, spec_, rng(ctx));
    rules_ = cluster::RuleSet(rule_tag());
    const std::string shape = spec_.param("shape").get<std::string>();
    const std::string direction = spec_.param("direction").get<std::string>();
    std::vector<std::string> port;
    if (const Json p = spec_.param("port"); !p.is_null()) {
      port = {"-p", "tcp", "--dport", std::to_string(p.get<int>())};
    }
    auto with_port = [&](std::vector<std::string> rule) {
      rule.insert(rule.end() - 2, port.begin(), port.end());  // before "-j DROP"
      return rule;
    };
    std::vector<cluster::BrokerHandle> others;
    for (const auto& b : ctx.cluster.brokers()) {
      if (std::find(brokers_.begin(), brokers_.end(), b.id) == brokers_.end()) others.push_back(b);
    }
    for (int id : brokers_) {
      const auto self = ctx.cluster.broker(id);
      if (!self.has_namespace()) {
        // An external cluster's broker: its isolate driver cuts it off.
        ctx.cluster.isolate(id);
        driven_.push_back(id);
      } else if (shape == "isolate") {
        for (const auto& rule : cluster::isolation_rules()) rules_.add(self, rule);
      } else if (shape == "clients") {
        rules_.add(self, {"INPUT", "-s", ctx.cluster.client_address(), "-j", "DROP"});
        rules_.add(self, {"OUTPUT", "-d", ctx.cluster.client_address(), "-j", "DROP"});
      } else {
        for (const auto& other : others) {
          if (shape == "split") {
            rules_.add(self, {"INPUT", "-s", other.host, "-j", "DROP"});
            rules_.add(self, {"OUTPUT", "-d", other.host, "-j", "DROP"});
          } else if (direction == "in") {
            rules_.add(self, with_port({"INPUT", "-s", other.host, "-j", "DROP"}));
          } else {
            rules_.add(self, with_port({"OUTPUT", "-d", other.host, "-j", "DROP"}));
          }
        }
      }
    }
    description_ = "network-partition " + shape + " " + brokers_text(brokers_);
    if (shape == "one-way") description_ += " " + direction;
    if (!port.empty()) description_ += " port " + port.back();
  }
  void do_heal(FaultContext& ctx) override {
    rules_.remove_all();
    for (int id : driven_) ctx.cluster.heal(id);
    driven_.clear();
  }

 private:
  cluster::RuleSet rules_;
  std::vector<int> driven_;
};

std::unique_ptr<Fault> make(const FaultSpec& s) { return std::make_unique<NetworkPartition>(s); }

}  // namespace

extern const Factory kNetworkPartition = {"network-partition", make};

}  // namespace kchaos::faults
