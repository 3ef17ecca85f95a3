#pragma once
// What faults leave on a cluster when no Fault object is left to heal them
// (a controller that died mid-run, or the recovery phase making sure).

#include "kchaos/cluster/Cluster.h"

namespace kchaos::faults {

/// Resumes paused brokers and starts stopped ones, then removes every
/// iptables rule a fault tagged, every link limit and every disk filler.
/// Safe on a cluster that is already whole. Throws HarnessError naming what
/// it could not undo.
void heal_leftovers(cluster::Cluster& cluster);

}  // namespace kchaos::faults
