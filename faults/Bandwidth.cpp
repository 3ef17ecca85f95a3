// bandwidth: a tc token-bucket (tbf) limit on the target brokers' link.

#include "faults/Kinds.h"
#include "harness/Process.h"
#include "harness/cluster/Network.h"

namespace kchaos::faults {
namespace {

class Bandwidth : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    brokers_ = resolve(ctx, spec_);
    const std::string rate = spec_.params.value("rate", "1mbit");
    const std::string burst = spec_.params.value("burst", "32kbit");
    const std::string latency = spec_.params.value("latency", "400ms");
    for (int id : brokers_) {
      cluster::run_in_netns(handle_of(ctx.cluster, id),
                            {"tc", "qdisc", "add", "dev", "eth0", "root", "tbf", "rate", rate,
                             "burst", burst, "latency", latency});
      limited_.push_back(id);
    }
    description_ = "bandwidth " + rate + " " + brokers_text(brokers_);
  }
  void do_heal(FaultContext& ctx) override {
    for (int id : limited_) {
      cluster::run_in_netns(handle_of(ctx.cluster, id),
                            {"tc", "qdisc", "del", "dev", "eth0", "root"});
    }
    limited_.clear();
  }

 private:
  std::vector<int> limited_;
};

}  // namespace

std::unique_ptr<Fault> make_bandwidth(const FaultSpec& s) { return std::make_unique<Bandwidth>(s); }

}  // namespace kchaos::faults
