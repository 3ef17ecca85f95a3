// add-partitions: the topic grows by `count` partitions through the admin
// API while the producer runs. Nothing to heal: partitions cannot be removed.

#include "Kinds.h"
#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/common/Error.h"

namespace kchaos::faults {
namespace {

class AddPartitions : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    const int count = spec_.param("count").get<int>();
    cluster::KafkaAdmin admin(ctx.cluster.bootstrap());
    const auto md = admin.metadata(std::chrono::seconds(5));
    auto it = md.topics.find(ctx.topic);
    if (it == md.topics.end())
      throw HarnessError("topic " + ctx.topic + " not in the metadata");
    const int before = static_cast<int>(it->second.size());
    admin.create_partitions(ctx.topic, before + count);
    description_ = "add-partitions " + ctx.topic + " " + std::to_string(before) + " -> " +
                   std::to_string(before + count);
  }
  void do_heal(FaultContext&) override {}
};

std::unique_ptr<Fault> make(const FaultSpec& s) { return std::make_unique<AddPartitions>(s); }

}  // namespace

extern const Factory kAddPartitions = {"add-partitions", make};

}  // namespace kchaos::faults
