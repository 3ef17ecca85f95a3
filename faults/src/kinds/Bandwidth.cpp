// bandwidth: a tc token-bucket (tbf) limit on the target brokers' link. A
// link carries one limit: a second bandwidth fault on it waits for the first,
// and the last heal removes the limit.

#include <map>

#include "Kinds.h"
#include "kchaos/cluster/Network.h"
#include "kchaos/sys/Process.h"

namespace kchaos::faults {
namespace {

class Bandwidth : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    brokers_ = resolve(ctx, spec_, rng(ctx));
    const std::string rate = spec_.param("rate").get<std::string>();
    const std::string burst = spec_.param("burst").get<std::string>();
    const std::string latency = spec_.param("latency").get<std::string>();
    for (int id : brokers_) {
      const auto guard = ctx.holds.guard({id});
      if (ctx.holds.take_link(id, this)) {
        try {
          const auto handle = ctx.cluster.broker(id);
          cluster::run_in_netns(handle, {"tc", "qdisc", "add", "dev", "eth0", "root", "tbf", "rate",
                                         rate, "burst", burst, "latency", latency});
          shaped_[id] = handle;
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
      const auto guard = ctx.holds.guard({id});
      if (!ctx.holds.release_link(id, this)) continue;
      const auto handle = shaped_.count(id) ? shaped_[id] : ctx.cluster.broker(id);
      // A namespace that is gone (a container's, with its holder) took the
      // limit along.
      if (cluster::namespace_gone(handle)) continue;
      cluster::run_in_netns(handle, {"tc", "qdisc", "del", "dev", "eth0", "root"});
    }
    shaped_.clear();
  }

 private:
  std::vector<int> limited_;
  std::map<int, cluster::BrokerHandle> shaped_;  // the namespace each limit is in
};

std::unique_ptr<Fault> make(const FaultSpec& s) { return std::make_unique<Bandwidth>(s); }

}  // namespace

extern const Factory kBandwidth = {"bandwidth", make};

}  // namespace kchaos::faults
