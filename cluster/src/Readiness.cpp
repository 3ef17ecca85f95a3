#include "kchaos/cluster/Readiness.h"

#include "kchaos/cluster/KafkaAdmin.h"
#include "kchaos/sys/Wait.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {

void wait_cluster_ready(const std::string& bootstrap, int brokers, int replication_factor,
                        std::chrono::milliseconds timeout, const std::function<void()>& alive,
                        const std::function<std::string()>& logs) {
  KafkaAdmin admin(bootstrap);
  bool topic_created = false;
  std::string waiting_for = "brokers to register";
  const bool ready = admin.wait_for(timeout, [&](const Metadata* md) {
    alive();
    if (md == nullptr) return false;
    if (static_cast<int>(md->brokers.size()) < brokers) {
      waiting_for = std::to_string(md->brokers.size()) + " of " + std::to_string(brokers) +
                    " brokers registered";
      return false;
    }
    if (!topic_created) {
      try {
        admin.create_topic(kReadyTopic, brokers, replication_factor, {}, std::chrono::seconds(10));
        topic_created = true;
        waiting_for = "leaders for " + std::string(kReadyTopic);
      } catch (const Error& e) {
        waiting_for = e.what();
      }
      return false;
    }
    auto it = md->topics.find(kReadyTopic);
    if (it == md->topics.end() || static_cast<int>(it->second.size()) != brokers) return false;
    for (const auto& p : it->second) {
      if (p.leader < 0 || static_cast<int>(p.isr.size()) != replication_factor) return false;
    }
    return true;
  });
  if (ready) return;
  throw HarnessError("the cluster was not ready after " + std::to_string(timeout.count() / 1000) +
                     " s (still waiting for " + waiting_for + "). Broker logs:\n" + logs());
}

bool wait_broker_registered(const std::string& address, int id, std::chrono::milliseconds timeout,
                            const std::function<void()>& alive) {
  // A fresh client each round: its first request goes to the broker itself.
  return poll_until(timeout, std::chrono::milliseconds(200), [&] {
    alive();
    try {
      const Metadata md = KafkaAdmin(address).metadata(std::chrono::seconds(2));
      if (md.answered_by != id) return false;
      for (const auto& info : md.brokers) {
        if (info.id == id) return true;
      }
    } catch (const TransientError&) {
    }
    return false;
  });
}

}  // namespace kchaos::cluster
