#include "kchaos/cluster/PageFs.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "kchaos/sys/Process.h"
#include "kchaos/sys/Wait.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {

std::filesystem::path pagefs_executable() {
  if (const char* env = std::getenv("KCHAOS_PAGEFS")) return env;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const auto& candidate : {self.parent_path() / "kchaos-pagefs",
                                  self.parent_path().parent_path() / "pagefs" / "kchaos-pagefs"}) {
      if (std::filesystem::exists(candidate)) return candidate;
    }
  }
  if (std::filesystem::exists(KCHAOS_PAGEFS_PATH)) return KCHAOS_PAGEFS_PATH;
  return {};
}

void check_power_loss_prerequisites() {
  if (::access("/dev/fuse", R_OK | W_OK) != 0) {
    throw UserError(
        "power-loss faults need FUSE and /dev/fuse is not usable here: apt-get install fuse3 "
        "(in a container, pass --device /dev/fuse --cap-add SYS_ADMIN)");
  }
  if (pagefs_executable().empty()) {
    throw UserError(
        "power-loss faults need kchaos-pagefs and it is not beside kchaos: build it (cmake "
        "--build build) or set KCHAOS_PAGEFS");
  }
}

bool is_pagefs_mount(const std::filesystem::path& mount_point) {
  return mount_type(mount_point) == "fuse.kchaos-pagefs";
}

std::vector<pid_t> pagefs_daemons(const std::string& name) {
  std::vector<pid_t> out;
  // Arguments are joined by spaces, the last one too: kc-b1 is not kc-b10.
  const std::string marker = " --name " + name + " ";
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string cmdline = process_cmdline(std::stoi(pid));
    const std::string program = cmdline.substr(0, cmdline.find(' '));
    if (program.size() >= 13 && program.compare(program.size() - 13, 13, "kchaos-pagefs") == 0 &&
        cmdline.find(marker) != std::string::npos) {
      out.push_back(std::stoi(pid));
    }
  }
  return out;
}

pid_t mount_pagefs(const std::filesystem::path& backing, const std::filesystem::path& mount_point,
                   const std::string& name, const std::filesystem::path& log) {
  std::filesystem::create_directories(mount_point);
  std::ostringstream writeback;
  writeback << kPageFsWritebackSeconds;
  const pid_t pid =
      spawn_detached({pagefs_executable().string(), backing.string(), mount_point.string(),
                      "--writeback-s", writeback.str(), "--sync-backing", "--name", name},
                     log);
  if (!poll_until(10s, 5ms, [&] { return is_pagefs_mount(mount_point); })) {
    reap(pid);
    throw HarnessError(
        "kchaos-pagefs did not mount " + mount_point.string() + " (" +
        (process_state(pid) == ProcessState::gone ? how_it_ended(pid) : process_details(pid)) +
        "); the end of " + log.string() + ":\n" + tail_lines(log, 10));
  }
  return pid;
}

}  // namespace kchaos::cluster
