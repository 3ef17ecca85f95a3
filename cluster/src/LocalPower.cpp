// The local backend's power: broker data on kchaos-pagefs, and the power loss
// that kills a broker and its filesystem at one instant.

#include <signal.h>

#include "kchaos/cluster/LocalCluster.h"
#include "kchaos/cluster/PageFs.h"
#include "kchaos/sys/Process.h"
#include "kchaos/sys/Wait.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {
namespace {

// The mount's source name: kchaos-<netns>, as leftovers are found.
std::string mount_name(const BrokerHandle& b) { return "kchaos-" + b.netns; }

}  // namespace

std::filesystem::path LocalCluster::backing_dir(int broker) const {
  return broker_dir(broker) / "disk";
}

void LocalCluster::mount_data(const BrokerHandle& b) const {
  const auto disk = backing_dir(b.id);
  if (!std::filesystem::exists(disk)) std::filesystem::rename(data_dir(b.id), disk);
  mount_pagefs(disk, data_dir(b.id), mount_name(b), broker_dir(b.id) / "pagefs.log");
}

void LocalCluster::power_loss(const std::vector<int>& brokers) {
  if (!spec_.data_pagefs) {
    throw HarnessError(
        "power loss needs the brokers' data on kchaos-pagefs, and this cluster was started "
        "without it");
  }
  std::vector<pid_t> victims;
  for (int id : brokers) {
    const BrokerHandle& b = handle(id);
    if (owns(b)) victims.push_back(b.pid);
    // Without its daemon, nothing would be lost: that is no power loss.
    const auto daemons = pagefs_daemons(mount_name(b));
    if (daemons.empty()) {
      throw HarnessError("no kchaos-pagefs daemon serves broker " + std::to_string(id) +
                               "'s data (" + data_dir(id).string() + ")");
    }
    victims.insert(victims.end(), daemons.begin(), daemons.end());
  }
  // One instant: every signal is sent before anything waits.
  for (pid_t pid : victims) ::kill(pid, SIGKILL);
  for (pid_t pid : victims) {
    poll_until(10s, 5ms, [&] {
      reap(pid);
      return process_state(pid) == ProcessState::gone;
    });
  }
  for (int id : brokers) {
    const BrokerHandle& b = handle(id);
    if (is_pagefs_mount(data_dir(id))) run_checked({"umount", "-l", data_dir(id).string()});
    mount_data(b);
  }
  save();
}

void LocalCluster::remove_data() const {
  std::error_code ec;
  for (const auto& b : brokers_) {
    std::filesystem::remove_all(data_dir(b.id), ec);
    std::filesystem::remove_all(backing_dir(b.id), ec);
  }
}

}  // namespace kchaos::cluster
