// producer-crash: SIGKILL a producer worker; its in-flight sends become
// unknown-*. Healing starts it again with a fresh producer id and seq range.

#include "Kinds.h"
#include "kchaos/common/Error.h"

namespace kchaos::faults {
namespace {

class ProducerCrash : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    if (ctx.workers == nullptr) throw HarnessError("producer-crash needs the run's workers");
    worker_ = spec_.param("worker").get<int>();
    if (worker_ < 1 || worker_ > ctx.workers->producer_count()) {
      throw HarnessError("producer-crash: no producer worker " + std::to_string(worker_));
    }
    ctx.workers->kill_producer(worker_);
    description_ = "producer-crash worker " + std::to_string(worker_);
  }
  void do_heal(FaultContext& ctx) override {
    if (worker_ > 0) ctx.workers->restart_producer(worker_);
  }

 private:
  int worker_ = 0;
};

std::unique_ptr<Fault> make(const FaultSpec& s) { return std::make_unique<ProducerCrash>(s); }

}  // namespace

extern const Factory kProducerCrash = {"producer-crash", make};

}  // namespace kchaos::faults
