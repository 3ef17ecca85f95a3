#pragma once
// Broker data on kchaos-pagefs, for the power-loss fault: the filesystem
// daemon that holds every unsynced byte in its own memory, started over a
// backing directory and killed to lose what was never made durable.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace kchaos::cluster {

/// The kchaos-pagefs executable: KCHAOS_PAGEFS, beside kchaos, or the build's.
std::filesystem::path pagefs_executable();

/// Throws UserError (exit 2) saying what is missing for power-loss faults:
/// /dev/fuse, or the kchaos-pagefs executable.
void check_power_loss_prerequisites();

/// How long the filesystem keeps a file's changes before writing them back,
/// as Linux does by default (vm.dirty_expire_centisecs = 3000).
inline constexpr double kPageFsWritebackSeconds = 30;

/// Starts a daemon mounting backing at mount_point (an fsync syncs the
/// backing file too, so it costs a disk's flush), with the mount source
/// name (its marker for leftovers), its output appended to log; returns once
/// the mount is there. Throws HarnessError when it does not come up.
pid_t mount_pagefs(const std::filesystem::path& backing, const std::filesystem::path& mount_point,
                   const std::string& name, const std::filesystem::path& log);

/// The live daemons serving the mount named name.
std::vector<pid_t> pagefs_daemons(const std::string& name);

/// Whether mount_point is a kchaos-pagefs mount now (live or dead).
bool is_pagefs_mount(const std::filesystem::path& mount_point);

}  // namespace kchaos::cluster
