// consumer-crash: SIGKILL the consumer worker in the middle of a batch (it
// reports batch boundaries, so "mid-batch" is observed, not guessed; the
// journal then says how far into the batch it was), and start it again when
// healed. mid_batch: false kills it whatever it is doing; into_batch_s lets
// the batch run that long first.

#include "Kinds.h"
#include "kchaos/common/Error.h"

namespace kchaos::faults {
namespace {

class ConsumerCrash : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    if (ctx.workers == nullptr) throw HarnessError("consumer-crash needs the run's workers");
    auto ms = [&](const char* key) {
      return std::chrono::milliseconds(
          static_cast<long long>(spec_.param(key).get<double>() * 1000));
    };
    description_ = "consumer-crash " +
                   ctx.workers->kill_consumer(spec_.param("mid_batch").get<bool>(),
                                              ms("into_batch_s"), ms("mid_batch_timeout_s"));
    killed_ = true;
  }
  void do_heal(FaultContext& ctx) override {
    if (killed_) ctx.workers->restart_consumer();
    killed_ = false;
  }

 private:
  bool killed_ = false;
};

std::unique_ptr<Fault> make(const FaultSpec& s) { return std::make_unique<ConsumerCrash>(s); }

}  // namespace

extern const Factory kConsumerCrash = {"consumer-crash", make};

}  // namespace kchaos::faults
