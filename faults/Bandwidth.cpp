// bandwidth: a tc token-bucket (tbf) limit on the target brokers' link. A
// link carries one limit: a second bandwidth fault on it waits for the first,
// and the last heal removes the limit.

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
      if (ctx.holds.take_link(id, this)) {
        try {
          cluster::run_in_netns(handle_of(ctx.cluster, id),
                                {"tc", "qdisc", "add", "dev", "eth0", "root", "tbf", "rate", rate,
                                 "burst", burst, "latency", latency});
        } catch (...) {
          ctx.holds.release_link(id, this);
          throw;
        }
      }
      limited_.push_back(id);
    }
    description_ = "bandwidth " + rate + " " + brokers_text(brokers_);
  }
  void do_heal(FaultContext& ctx) override {
    std::vector<int> limited;
    limited.swap(limited_);
    for (int id : limited) {
      if (!ctx.holds.release_link(id, this)) continue;
      cluster::run_in_netns(handle_of(ctx.cluster, id),
                            {"tc", "qdisc", "del", "dev", "eth0", "root"});
    }
  }

 private:
  std::vector<int> limited_;
};

}  // namespace

std::unique_ptr<Fault> make_bandwidth(const FaultSpec& s) { return std::make_unique<Bandwidth>(s); }

}  // namespace kchaos::faults
