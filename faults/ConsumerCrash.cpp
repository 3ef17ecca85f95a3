// consumer-crash: SIGKILL the consumer worker in the middle of a batch (it
// reports batch boundaries, so "mid-batch" is observed, not guessed; the
// journal then says how far into the batch it was), and start it again when
// healed. mid_batch: false kills it whatever it is doing; into_batch_s lets
// the batch run that long first.

#include "faults/Kinds.h"

namespace kchaos::faults {
namespace {

class ConsumerCrash : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    if (ctx.workers == nullptr) throw std::runtime_error("consumer-crash needs the run's workers");
    auto ms = [&](const char* key, double fallback) {
      return std::chrono::milliseconds(static_cast<int>(spec_.params.value(key, fallback) * 1000));
    };
    description_ = "consumer-crash " +
                   ctx.workers->kill_consumer(spec_.params.value("mid_batch", true),
                                              ms("into_batch_s", 0), ms("mid_batch_timeout_s", 30));
    killed_ = true;
  }
  void do_heal(FaultContext& ctx) override {
    if (killed_) ctx.workers->restart_consumer();
    killed_ = false;
  }

 private:
  bool killed_ = false;
};

}  // namespace

std::unique_ptr<Fault> make_consumer_crash(const FaultSpec& s) {
  return std::make_unique<ConsumerCrash>(s);
}

}  // namespace kchaos::faults
