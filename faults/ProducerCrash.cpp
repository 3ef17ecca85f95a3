// producer-crash: SIGKILL a producer worker; its in-flight sends become
// unknown-*. Healing starts it again with a fresh producer id and seq range.

#include "faults/Kinds.h"

namespace kchaos::faults {
namespace {

class ProducerCrash : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    if (ctx.workers == nullptr) throw std::runtime_error("producer-crash needs the run's workers");
    worker_ = spec_.params.value("worker", 1);
    if (worker_ < 1 || worker_ > ctx.workers->producer_count()) {
      throw std::runtime_error("producer-crash: no producer worker " + std::to_string(worker_));
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

}  // namespace

std::unique_ptr<Fault> make_producer_crash(const FaultSpec& s) {
  return std::make_unique<ProducerCrash>(s);
}

}  // namespace kchaos::faults
