// broker-kill: SIGKILL (clean: SIGTERM, a controlled shutdown), restarted with
// the same data dir when healed (unless another fault still holds it down).
// lose_data: true also deletes the scenario topic's partition directories on
// the broker, as a replaced disk would (the broker restarts without them).

#include <filesystem>
#include <future>

#include "Kinds.h"

namespace kchaos::faults {

void delete_partitions(const std::filesystem::path& log_dir, const std::string& topic) {
  // Exactly <topic>-<partition>: not another topic that shares the prefix
  // (kchaos-ready beside kchaos), nor Kafka's -delete and -future copies.
  for (const auto& entry : std::filesystem::directory_iterator(log_dir)) {
    const std::string name = entry.path().filename();
    if (name.size() <= topic.size() + 1 || name.compare(0, topic.size() + 1, topic + "-") != 0) {
      continue;
    }
    const std::string partition = name.substr(topic.size() + 1);
    if (partition.find_first_not_of("0123456789") == std::string::npos) {
      std::filesystem::remove_all(entry.path());
    }
  }
}

namespace {

class BrokerKill : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    brokers_ = resolve(ctx, spec_, rng(ctx));
    const bool lose_data = spec_.param("lose_data").get<bool>();
    const bool clean = spec_.param("clean").get<bool>();
    // Every target at once: clean shutdowns of several brokers take as long
    // as the slowest, not their sum.
    std::vector<std::future<void>> downs;
    for (int id : brokers_) {
      downs.push_back(std::async(std::launch::async, [&, id] {
        ctx.holds.take_down(id, this, clean);
        if (lose_data) delete_partitions(ctx.cluster.data_dir(id), ctx.topic);
      }));
    }
    for (auto& d : downs) d.wait();
    for (auto& d : downs) d.get();
    description_ = "broker-kill " + brokers_text(brokers_) + (clean ? " (clean)" : "") +
                   (lose_data ? " (data lost)" : "");
  }
  void do_heal(FaultContext& ctx) override {
    for (int id : brokers_) ctx.holds.release_down(id, this);
  }
};

std::unique_ptr<Fault> make(const FaultSpec& s) { return std::make_unique<BrokerKill>(s); }

}  // namespace

extern const Factory kBrokerKill = {"broker-kill", make};

}  // namespace kchaos::faults
